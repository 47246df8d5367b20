//! The FLAGS byte.

bitflags::bitflags! {
    /// The header's FLAGS byte. The flags describe the payload; the parser
    /// neither decompresses nor decrypts.
    ///
    /// Reserved bits (0x10 to 0x80) are kept as they were read, so that
    /// re-encoding a parsed packet yields the same byte.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct PacketFlags: u8 {
        /// The payload is compressed.
        const COMPRESSED = 0x01;
        /// The payload is encrypted.
        const ENCRYPTED = 0x02;
        /// The packet is marked as priority traffic.
        const PRIORITY = 0x04;
        /// The payload is a fragment of a larger message.
        const FRAGMENT = 0x08;
        // Keep every bit, named or reserved.
        const _ = !0;
    }
}

impl PacketFlags {
    /// The named flags with their names, in bit order.
    pub const NAMED: [(PacketFlags, &'static str); 4] = [
        (PacketFlags::COMPRESSED, "COMPRESSED"),
        (PacketFlags::ENCRYPTED, "ENCRYPTED"),
        (PacketFlags::PRIORITY, "PRIORITY"),
        (PacketFlags::FRAGMENT, "FRAGMENT"),
    ];

    /// The reserved bits that are set (0x10 to 0x80).
    pub const fn reserved_bits(self) -> u8 {
        self.bits() & 0xF0
    }
}

impl core::fmt::Display for PacketFlags {
    /// Names joined by `|` (`PRIORITY|FRAGMENT`), reserved bits as hex
    /// (`0x30`), `-` when no bit is set.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut first = true;
        let mut sep = |f: &mut core::fmt::Formatter<'_>| {
            let s = if first { "" } else { "|" };
            first = false;
            f.write_str(s)
        };
        for (flag, name) in Self::NAMED {
            if self.contains(flag) {
                sep(f)?;
                f.write_str(name)?;
            }
        }
        if self.reserved_bits() != 0 {
            sep(f)?;
            write!(f, "{:#04x}", self.reserved_bits())?;
        }
        if self.is_empty() {
            f.write_str("-")?;
        }
        Ok(())
    }
}
