//! Micro-benchmarks of the hot path: one packet parsed, a capture iterated,
//! extensions walked, with and without CRC verification.
//!
//! Run: `cargo bench -p zcpkt --bench parse`. Whole-file, fresh-process
//! comparisons against the copying baseline are `zcpkt bench`'s job.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use zcpkt::{Extension, ExtensionType, NewPacket, PacketFlags, Parser};

/// A capture of `count` packets with payloads of `payload_len` bytes.
fn capture(count: usize, payload_len: usize) -> Vec<u8> {
    let payload: Vec<u8> = (0..payload_len).map(|i| (i * 31 % 251) as u8).collect();
    let mut out = Vec::new();
    for i in 0..count {
        let source = format!("source_{:08x}", i * 2654435761 % (1 << 32));
        NewPacket::new(&source, "dest_5e6f7a8b", &payload)
            .timestamp(1_700_000_000_000_000 + i as u64)
            .flags(PacketFlags::PRIORITY)
            .write_to(&mut out)
            .expect("valid packet");
    }
    out
}

fn one_packet(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse_packet");
    for payload_len in [64usize, 1024, 16 * 1024] {
        let bytes = capture(1, payload_len);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        for (name, crc) in [("crc", true), ("no_crc", false)] {
            let parser = Parser::new().verify_checksum(crc);
            group.bench_with_input(BenchmarkId::new(name, payload_len), &bytes, |b, bytes| {
                b.iter(|| parser.parse_packet(black_box(bytes), 0).map(|p| p.timestamp))
            });
        }
    }
    group.finish();
}

fn whole_capture(c: &mut Criterion) {
    let mut group = c.benchmark_group("packets");
    for payload_len in [128usize, 2048] {
        let bytes = capture(4096, payload_len);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        for (name, crc) in [("crc", true), ("no_crc", false)] {
            let parser = Parser::new().verify_checksum(crc);
            group.bench_with_input(BenchmarkId::new(name, payload_len), &bytes, |b, bytes| {
                b.iter(|| parser.packets(black_box(bytes)).filter(Result::is_ok).count())
            });
        }
    }
    group.finish();
}

fn extensions(c: &mut Criterion) {
    let values: Vec<Vec<u8>> = (0..16).map(|i| vec![i as u8; 8 + i * 4]).collect();
    let exts: Vec<Extension> = values
        .iter()
        .enumerate()
        .map(|(i, value)| Extension { ty: ExtensionType::from_byte(i as u8), value })
        .collect();
    let mut buf = vec![0u8; 4096];
    let n = NewPacket::new("a", "b", b"payload").extensions(&exts).encode(&mut buf).unwrap();
    buf.truncate(n);
    let packet = Parser::new().parse_packet(&buf, 0).unwrap();
    c.bench_function("extensions/iterate_16", |b| {
        b.iter(|| black_box(&packet).extensions().map(|e| e.value.len()).sum::<usize>())
    });
    c.bench_function("extensions/parse_packet_with_16", |b| {
        b.iter(|| Parser::new().parse_packet(black_box(&buf), 0).map(|p| p.header_len))
    });
}

criterion_group!(benches, one_packet, whole_capture, extensions);
criterion_main!(benches);
