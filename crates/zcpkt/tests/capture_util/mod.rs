//! Test-only writers: pcap and pcapng files built byte by byte, in either
//! byte order, including damaged ones.

#![allow(dead_code)]

use zcpkt::capture::ByteOrder;

fn put16(out: &mut Vec<u8>, order: ByteOrder, v: u16) {
    out.extend_from_slice(&match order {
        ByteOrder::Little => v.to_le_bytes(),
        ByteOrder::Big => v.to_be_bytes(),
    });
}

fn put32(out: &mut Vec<u8>, order: ByteOrder, v: u32) {
    out.extend_from_slice(&match order {
        ByteOrder::Little => v.to_le_bytes(),
        ByteOrder::Big => v.to_be_bytes(),
    });
}

fn put64(out: &mut Vec<u8>, order: ByteOrder, v: u64) {
    out.extend_from_slice(&match order {
        ByteOrder::Little => v.to_le_bytes(),
        ByteOrder::Big => v.to_be_bytes(),
    });
}

/// A pcap file under construction.
pub struct Pcap {
    pub bytes: Vec<u8>,
    pub order: ByteOrder,
}

impl Pcap {
    /// A header: `nanos` picks the ns magic; `link` is the whole LinkType field.
    pub fn new(order: ByteOrder, nanos: bool, snaplen: u32, link: u32) -> Self {
        let mut bytes = Vec::new();
        put32(&mut bytes, order, if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 });
        put16(&mut bytes, order, 2);
        put16(&mut bytes, order, 4);
        put32(&mut bytes, order, 0);
        put32(&mut bytes, order, 0);
        put32(&mut bytes, order, snaplen);
        put32(&mut bytes, order, link);
        Self { bytes, order }
    }

    /// A record with explicit lengths (captured length = `data.len()` unless
    /// `caplen` overrides it, for damage).
    pub fn record_raw(&mut self, secs: u32, frac: u32, caplen: u32, orig: u32, data: &[u8]) -> u64 {
        let at = self.bytes.len() as u64;
        put32(&mut self.bytes, self.order, secs);
        put32(&mut self.bytes, self.order, frac);
        put32(&mut self.bytes, self.order, caplen);
        put32(&mut self.bytes, self.order, orig);
        self.bytes.extend_from_slice(data);
        at
    }

    /// A record; returns its offset.
    pub fn record(&mut self, secs: u32, frac: u32, orig: u32, data: &[u8]) -> u64 {
        self.record_raw(secs, frac, data.len() as u32, orig, data)
    }
}

/// A pcapng file under construction; blocks use the current section's order.
pub struct Ng {
    pub bytes: Vec<u8>,
    pub order: ByteOrder,
}

/// An option (code, value) for the writers.
pub type Opt = (u16, Vec<u8>);

impl Ng {
    pub fn new() -> Self {
        Self { bytes: Vec::new(), order: ByteOrder::Little }
    }

    /// Encodes a number in the current order (for option values).
    pub fn n32(&self, v: u32) -> Vec<u8> {
        let mut out = Vec::new();
        put32(&mut out, self.order, v);
        out
    }

    pub fn n64(&self, v: u64) -> Vec<u8> {
        let mut out = Vec::new();
        put64(&mut out, self.order, v);
        out
    }

    fn options(&self, body: &mut Vec<u8>, options: &[Opt]) {
        if options.is_empty() {
            return;
        }
        for (code, value) in options {
            put16(body, self.order, *code);
            put16(body, self.order, value.len() as u16);
            body.extend_from_slice(value);
            body.resize(body.len().next_multiple_of(4), 0);
        }
        put32(body, self.order, 0); // opt_endofopt
    }

    /// Any block with `body` (padded to 4); returns its offset.
    pub fn block(&mut self, block_type: u32, body: &[u8]) -> u64 {
        let at = self.bytes.len() as u64;
        let padded = body.len().next_multiple_of(4);
        let total = (12 + padded) as u32;
        put32(&mut self.bytes, self.order, block_type);
        put32(&mut self.bytes, self.order, total);
        self.bytes.extend_from_slice(body);
        self.bytes.resize(self.bytes.len() + padded - body.len(), 0);
        put32(&mut self.bytes, self.order, total);
        at
    }

    pub fn shb(&mut self, order: ByteOrder, options: &[Opt]) -> u64 {
        self.order = order;
        let mut body = Vec::new();
        put32(&mut body, order, 0x1a2b_3c4d);
        put16(&mut body, order, 1);
        put16(&mut body, order, 0);
        put64(&mut body, order, u64::MAX);
        self.options(&mut body, options);
        self.block(0x0a0d_0d0a, &body)
    }

    pub fn idb(&mut self, link: u16, snaplen: u32, options: &[Opt]) -> u64 {
        let mut body = Vec::new();
        put16(&mut body, self.order, link);
        put16(&mut body, self.order, 0);
        put32(&mut body, self.order, snaplen);
        self.options(&mut body, options);
        self.block(1, &body)
    }

    pub fn epb(&mut self, iface: u32, ts: u64, orig: u32, data: &[u8], options: &[Opt]) -> u64 {
        self.epb_raw(iface, ts, data.len() as u32, orig, data, options)
    }

    pub fn epb_raw(
        &mut self,
        iface: u32,
        ts: u64,
        caplen: u32,
        orig: u32,
        data: &[u8],
        options: &[Opt],
    ) -> u64 {
        let mut body = Vec::new();
        put32(&mut body, self.order, iface);
        put32(&mut body, self.order, (ts >> 32) as u32);
        put32(&mut body, self.order, ts as u32);
        put32(&mut body, self.order, caplen);
        put32(&mut body, self.order, orig);
        body.extend_from_slice(data);
        body.resize(body.len().next_multiple_of(4), 0);
        self.options(&mut body, options);
        self.block(6, &body)
    }

    pub fn pb(&mut self, iface: u16, ts: u64, orig: u32, data: &[u8], options: &[Opt]) -> u64 {
        let mut body = Vec::new();
        put16(&mut body, self.order, iface);
        put16(&mut body, self.order, 0); // drops
        put32(&mut body, self.order, (ts >> 32) as u32);
        put32(&mut body, self.order, ts as u32);
        put32(&mut body, self.order, data.len() as u32);
        put32(&mut body, self.order, orig);
        body.extend_from_slice(data);
        body.resize(body.len().next_multiple_of(4), 0);
        self.options(&mut body, options);
        self.block(2, &body)
    }

    pub fn spb(&mut self, orig: u32, data: &[u8]) -> u64 {
        let mut body = Vec::new();
        put32(&mut body, self.order, orig);
        body.extend_from_slice(data);
        self.block(3, &body)
    }

    /// Overwrites the u32 at `at` in the current order (for damage).
    pub fn patch32(&mut self, at: usize, v: u32) {
        let mut b = Vec::new();
        put32(&mut b, self.order, v);
        self.bytes[at..at + 4].copy_from_slice(&b);
    }
}
