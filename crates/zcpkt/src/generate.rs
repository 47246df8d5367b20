//! Deterministic synthetic PKT captures, for benchmarks and tests.
//!
//! [`generate`] streams a capture to any writer in bounded memory: one
//! reusable packet buffer, whatever the size of the output. The same
//! [`GenConfig`] always gives the same bytes, on every platform and version
//! of this crate, because the generator uses its own PRNG (SplitMix64)
//! rather than a dependency whose output might change.
//!
//! ```
//! use zcpkt::generate::{generate_to_vec, GenConfig, Limit, Profile};
//!
//! let config = GenConfig { profile: Profile::Mixed, seed: 7, limit: Limit::Packets(100) };
//! let capture = generate_to_vec(&config);
//! assert_eq!(zcpkt::Parser::new().packets(&capture).filter(|p| p.is_ok()).count(), 100);
//! ```

use std::fmt;
use std::io;
use std::ops::RangeInclusive;
use std::str::FromStr;

use crate::pkt::format::{EXTENSION_HEAD_LEN, FIXED_HEADER_LEN};
use crate::{Extension, ExtensionType, NewPacket, PacketFlags};

/// The kind of traffic a capture imitates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Profile {
    /// Telemetry: many small packets (payload 16-256 B, ids like `sensor-0042`).
    Small,
    /// General traffic (payload 64-4096 B, ids like `source_1a2b3c4d`); a
    /// quarter of the packets carry a Routing extension of up to 32 bytes.
    Seed,
    /// Bulk transfer: payloads of 16-64 KiB.
    Large,
    /// Every corner of the format: all flag bytes, every extension type,
    /// empty and non-ASCII ids, empty payloads.
    Mixed,
}

impl Profile {
    /// Every profile, in documentation order.
    pub const ALL: [Profile; 4] = [Self::Small, Self::Seed, Self::Large, Self::Mixed];

    /// The profile's name as parsed by [`FromStr`]: `small`, `seed`, `large`, `mixed`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Small => "small",
            Self::Seed => "seed",
            Self::Large => "large",
            Self::Mixed => "mixed",
        }
    }

    /// One line describing the traffic, for `--help` texts.
    pub const fn description(self) -> &'static str {
        match self {
            Self::Small => "telemetry: payloads of 16-256 bytes, short ids like sensor-0042",
            Self::Seed => "general traffic: payloads of 64-4096 bytes, ids like source_1a2b3c4d",
            Self::Large => "bulk transfer: payloads of 16-64 KiB",
            Self::Mixed => {
                "edge cases: all flag bytes, every extension type, empty and non-ASCII ids, \
                 payloads of 0-2048 bytes"
            }
        }
    }

    /// The payload sizes this profile draws from (uniformly, except that
    /// `mixed` also favours empty payloads).
    pub const fn payload_sizes(self) -> RangeInclusive<usize> {
        match self {
            Self::Small => 16..=256,
            Self::Seed => 64..=4096,
            Self::Large => 16 * 1024..=64 * 1024,
            Self::Mixed => 0..=2048,
        }
    }

    /// An upper bound on the size of any packet of this profile, header
    /// included.
    pub const fn max_packet_len(self) -> usize {
        let ids = 2 * (MAX_ID_LEN + 1);
        let extensions = match self {
            Self::Seed => EXTENSION_HEAD_LEN + SEED_EXTENSION_MAX,
            Self::Mixed => MIXED_MAX_EXTENSIONS * (EXTENSION_HEAD_LEN + MIXED_EXTENSION_MAX),
            Self::Small | Self::Large => 0,
        };
        FIXED_HEADER_LEN + ids + extensions + *self.payload_sizes().end()
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A profile name that [`Profile::from_str`] does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseProfileError {
    /// The name given.
    pub name: String,
}

impl fmt::Display for ParseProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown profile {:?} (expected one of: small, seed, large, mixed)", self.name)
    }
}

impl std::error::Error for ParseProfileError {}

impl FromStr for Profile {
    type Err = ParseProfileError;

    /// Parses a profile name, ignoring ASCII case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|profile| profile.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| ParseProfileError { name: s.to_owned() })
    }
}

/// When generation stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Limit {
    /// Stop before the first packet that would take the total over this
    /// many bytes: the output is at most this long.
    Bytes(u64),
    /// Exactly this many packets.
    Packets(u64),
}

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GenConfig {
    /// The kind of traffic.
    pub profile: Profile,
    /// The PRNG seed: the same seed gives the same bytes.
    pub seed: u64,
    /// When to stop.
    pub limit: Limit,
}

/// What [`generate`] wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct GenSummary {
    /// Packets written.
    pub packets: u64,
    /// Bytes written.
    pub bytes: u64,
}

/// Writes the capture `config` describes to `out`, packet by packet (one
/// `write_all` per packet: wrap unbuffered writers in a `BufWriter`).
///
/// Every packet is valid: correct checksum, well-formed extensions,
/// timestamps strictly increasing from a time on 2024-01-01 (UTC).
pub fn generate<W: io::Write>(config: &GenConfig, mut out: W) -> io::Result<GenSummary> {
    let mut generator = Generator::new(config.profile, config.seed);
    let mut summary = GenSummary::default();
    loop {
        let plan = generator.plan();
        let header_len = plan.header_len(&generator.pools)?;
        let size = header_len + plan.payload_len;
        let within = match config.limit {
            Limit::Bytes(max) => summary.bytes.saturating_add(size as u64) <= max,
            Limit::Packets(count) => summary.packets < count,
        };
        if !within {
            return Ok(summary);
        }
        generator.write(&plan, header_len, &mut out)?;
        summary.packets += 1;
        summary.bytes += size as u64;
    }
}

/// The capture `config` describes, in memory (for tests and small inputs).
pub fn generate_to_vec(config: &GenConfig) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail and every planned packet encodes (its
    // header is far below 64 KiB by construction), so there is no error
    // to report.
    let _ = generate(config, &mut out);
    out
}

/// The longest identifier any profile uses, in bytes.
const MAX_ID_LEN: usize = 64;
/// The longest extension value of the `seed` profile.
const SEED_EXTENSION_MAX: usize = 32;
/// At most this many extensions per `mixed` packet.
const MIXED_MAX_EXTENSIONS: usize = 4;
/// The longest extension value of the `mixed` profile.
const MIXED_EXTENSION_MAX: usize = 300;
/// Random bytes extension values are sliced from.
const EXTENSION_POOL_LEN: usize = 4096;
/// 2024-01-01T00:00:00Z in microseconds since the Unix epoch.
const START_2024_US: u64 = 1_704_067_200_000_000;
const DAY_US: u64 = 86_400_000_000;

/// Identifiers the `mixed` profile picks from, beyond generated ones:
/// empty, multi-byte UTF-8 of 2, 3 and 4 bytes per character, and long.
const MIXED_IDS: [&str; 10] = [
    "",
    "датчик-7",
    "传感器",
    "📡🛰️",
    "naïve-café",
    "x",
    "ѕеnѕоr-ʜᴏᴍᴏɢʟʏᴘʜ",
    "relay/eu-west-1/rack-12/unit-0042/port-7",
    "🦀",
    "ñ",
];

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast and good enough for
/// test data; written out so the output never depends on another crate.
#[derive(Clone, Debug)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..n` (0 when `n` is 0), by multiply-shift: its bias is
    /// negligible for the small ranges used here.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    fn in_range(&mut self, range: RangeInclusive<usize>) -> usize {
        let span = range.end().saturating_sub(*range.start()) as u64 + 1;
        range.start() + self.below(span) as usize
    }

    /// True with probability 1/n.
    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    fn fill(&mut self, out: &mut [u8]) {
        let mut chunks = out.chunks_exact_mut(8);
        for chunk in &mut chunks {
            chunk.copy_from_slice(&self.next_u64().to_le_bytes());
        }
        let tail = chunks.into_remainder();
        let last = self.next_u64().to_le_bytes();
        tail.copy_from_slice(&last[..tail.len()]);
    }
}

/// The identifiers and extension bytes packets are drawn from, made once
/// per capture so that each packet only picks indices.
struct Pools {
    sources: Vec<String>,
    dests: Vec<String>,
    extension_bytes: Vec<u8>,
}

impl Pools {
    fn new(profile: Profile, rng: &mut SplitMix64) -> Self {
        let (sources, dests) = match profile {
            Profile::Small => (
                (0..256).map(|_| format!("sensor-{:04}", rng.below(10_000))).collect(),
                (0..8).map(|i| format!("hub-{i:02}")).collect(),
            ),
            Profile::Seed | Profile::Large => (
                (0..256).map(|_| format!("source_{:08x}", rng.next_u64() as u32)).collect(),
                (0..64).map(|_| format!("dest_{:08x}", rng.next_u64() as u32)).collect(),
            ),
            Profile::Mixed => {
                let mut ids: Vec<String> = MIXED_IDS.iter().map(|id| (*id).to_owned()).collect();
                ids.extend((0..6).map(|_| format!("node-{:x}", rng.next_u64() as u16)));
                (ids.clone(), ids)
            }
        };
        let mut extension_bytes = vec![0; EXTENSION_POOL_LEN];
        rng.fill(&mut extension_bytes);
        Self { sources, dests, extension_bytes }
    }
}

/// One extension to write: its type and where its value lies in the pool.
#[derive(Clone, Copy, Debug)]
struct ExtensionPlan {
    ty: ExtensionType,
    start: usize,
    len: usize,
}

/// Every random choice of one packet except its payload bytes, made before
/// writing so that `Limit::Bytes` can stop before an oversized packet.
#[derive(Clone, Copy, Debug)]
struct Plan {
    flags: PacketFlags,
    timestamp: u64,
    source: usize,
    dest: usize,
    extensions: [Option<ExtensionPlan>; MIXED_MAX_EXTENSIONS],
    payload_len: usize,
}

impl Plan {
    fn packet<'a>(
        &self,
        pools: &'a Pools,
        extensions: &'a [Extension<'a>],
        payload: &'a [u8],
    ) -> NewPacket<'a> {
        let id = |ids: &'a [String], index: usize| ids.get(index).map_or("", String::as_str);
        NewPacket::new(id(&pools.sources, self.source), id(&pools.dests, self.dest), payload)
            .flags(self.flags)
            .timestamp(self.timestamp)
            .extensions(extensions)
    }

    fn extension_records<'a>(&self, pools: &'a Pools) -> [Extension<'a>; MIXED_MAX_EXTENSIONS] {
        self.extensions.map(|plan| match plan {
            Some(ExtensionPlan { ty, start, len }) => {
                let value = pools.extension_bytes.get(start..start + len).unwrap_or_default();
                Extension { ty, value }
            }
            None => Extension { ty: ExtensionType::Metadata, value: &[] },
        })
    }

    fn extension_count(&self) -> usize {
        self.extensions.iter().take_while(|plan| plan.is_some()).count()
    }

    fn header_len(&self, pools: &Pools) -> io::Result<usize> {
        let records = self.extension_records(pools);
        let extensions = records.get(..self.extension_count()).unwrap_or_default();
        let header_len = self.packet(pools, extensions, &[]).header_len().map_err(invalid_input)?;
        Ok(usize::from(header_len))
    }
}

fn invalid_input(error: crate::EncodeError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, error)
}

/// The generator's state: PRNG, clock, pools and the reusable packet buffer.
struct Generator {
    profile: Profile,
    rng: SplitMix64,
    clock: u64,
    pools: Pools,
    buffer: Vec<u8>,
}

impl Generator {
    fn new(profile: Profile, seed: u64) -> Self {
        let mut rng = SplitMix64(seed);
        let pools = Pools::new(profile, &mut rng);
        let clock = START_2024_US + rng.below(DAY_US);
        Self { profile, rng, clock, pools, buffer: Vec::new() }
    }

    fn plan(&mut self) -> Plan {
        let (flags, max_gap_us) = self.flags_and_gap();
        self.clock = self.clock.saturating_add(1 + self.rng.below(max_gap_us));
        let source = self.rng.index(self.pools.sources.len());
        let dest = self.rng.index(self.pools.dests.len());
        let extensions = self.extensions();
        let payload_len = if self.profile == Profile::Mixed && self.rng.one_in(16) {
            0
        } else {
            self.rng.in_range(self.profile.payload_sizes())
        };
        Plan { flags, timestamp: self.clock, source, dest, extensions, payload_len }
    }

    fn flags_and_gap(&mut self) -> (PacketFlags, u64) {
        let rng = &mut self.rng;
        let (bits, max_gap_us) = match self.profile {
            Profile::Small => (if rng.one_in(32) { 0x04 } else { 0 }, 2_000),
            Profile::Seed => (rng.next_u64() as u8 & 0x0F, 20_000),
            Profile::Large => (0x01 | (rng.next_u64() as u8 & 0x0A), 200_000),
            Profile::Mixed => (rng.next_u64() as u8, 5_000_000),
        };
        (PacketFlags::from_bits_retain(bits), max_gap_us)
    }

    fn extensions(&mut self) -> [Option<ExtensionPlan>; MIXED_MAX_EXTENSIONS] {
        let mut plans = [None; MIXED_MAX_EXTENSIONS];
        let (count, max_len) = match self.profile {
            Profile::Small | Profile::Large => (0, 0),
            Profile::Seed => (usize::from(self.rng.one_in(4)), SEED_EXTENSION_MAX),
            Profile::Mixed => (self.rng.in_range(0..=MIXED_MAX_EXTENSIONS), MIXED_EXTENSION_MAX),
        };
        for slot in plans.iter_mut().take(count) {
            let ty = match self.profile {
                Profile::Mixed => self.mixed_extension_type(),
                _ => ExtensionType::Routing,
            };
            let len = self.rng.in_range(0..=max_len);
            let start = self.rng.index(EXTENSION_POOL_LEN - len);
            *slot = Some(ExtensionPlan { ty, start, len });
        }
        plans
    }

    /// One of the four named types or a custom one (0 or 5-255), each
    /// third of the time a custom type.
    fn mixed_extension_type(&mut self) -> ExtensionType {
        match self.rng.below(6) {
            0 => ExtensionType::Metadata,
            1 => ExtensionType::Encryption,
            2 => ExtensionType::Compression,
            3 => ExtensionType::Routing,
            _ => match self.rng.below(252) as u8 {
                0 => ExtensionType::Custom(0),
                other => ExtensionType::Custom(other + 4),
            },
        }
    }

    /// Builds the packet in the reusable buffer and writes it in one call:
    /// the payload is generated in place, after the space of the header.
    fn write<W: io::Write>(
        &mut self,
        plan: &Plan,
        header_len: usize,
        out: &mut W,
    ) -> io::Result<()> {
        let size = header_len + plan.payload_len;
        if self.buffer.len() < size {
            self.buffer.resize(size, 0);
        }
        let (header, rest) = self.buffer.split_at_mut(header_len);
        let payload = rest.get_mut(..plan.payload_len).unwrap_or_default();
        self.rng.fill(payload);
        let records = plan.extension_records(&self.pools);
        let extensions = records.get(..plan.extension_count()).unwrap_or_default();
        plan.packet(&self.pools, extensions, payload)
            .encode_header(header)
            .map_err(invalid_input)?;
        out.write_all(self.buffer.get(..size).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_reference_values() {
        // First outputs for seed 1234567 of the reference C implementation.
        let mut rng = SplitMix64(1_234_567);
        let expected = [
            6_457_827_717_110_365_317,
            3_203_168_211_198_807_973,
            9_817_491_932_198_370_423,
            4_593_380_528_125_082_431,
            16_408_922_859_458_223_821,
        ];
        for value in expected {
            assert_eq!(rng.next_u64(), value);
        }
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = SplitMix64(9);
        assert_eq!(rng.below(0), 0);
        assert!((0..1000).all(|_| rng.below(7) < 7));
        assert!((0..1000).all(|_| (3..=5).contains(&rng.in_range(3..=5))));
    }

    #[test]
    fn fill_covers_a_partial_last_word() {
        let mut rng = SplitMix64(1);
        let mut buf = [0u8; 13];
        rng.fill(&mut buf);
        let mut again = SplitMix64(1);
        let first = again.next_u64().to_le_bytes();
        let second = again.next_u64().to_le_bytes();
        assert_eq!(&buf[..8], &first);
        assert_eq!(&buf[8..], &second[..5]);
    }
}
