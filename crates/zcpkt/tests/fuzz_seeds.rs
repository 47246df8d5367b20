//! Replays the fuzz seeds (`fuzz/seeds/<target>/*`, written by
//! `fuzz/make_seeds.py`) through the fuzz targets' own invariant checks, so
//! CI runs them without cargo-fuzz or a nightly compiler.
//!
//! `checks.rs` is the file the fuzz targets call; it is included here, not
//! copied. A crash artifact can be replayed the same way: drop it into the
//! target's seed directory (and into `make_seeds.py`).

#[allow(dead_code)]
#[path = "../../../fuzz/src/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

use zcpkt::{Parser, Record};

/// Every seed of `target`, sorted by name.
fn seeds(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds").join(target);
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{}: only {} seeds", dir.display(), files.len());
    files
}

/// Names the seed being replayed if a check panics.
struct Replaying<'a>(&'a Path);

impl Drop for Replaying<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("while replaying {}", self.0.display());
        }
    }
}

#[test]
fn slice_strict_seeds() {
    for (path, bytes) in seeds("slice_strict") {
        let _guard = Replaying(&path);
        checks::slice_strict(&bytes);
    }
}

#[test]
fn slice_recover_seeds() {
    for (path, bytes) in seeds("slice_recover") {
        let _guard = Replaying(&path);
        checks::slice_recover(&bytes);
    }
    // The captures of slice_strict too, under a spread of parser configs.
    for (path, bytes) in seeds("slice_strict") {
        let _guard = Replaying(&path);
        for config in checks::CONFIG_SAMPLES {
            checks::check_recover(checks::parser_from_byte(config), &bytes);
        }
    }
}

#[test]
fn extensions_seeds() {
    for (path, bytes) in seeds("extensions") {
        let _guard = Replaying(&path);
        checks::extensions(&bytes);
    }
    // And the extension area of every packet framed in the slice seeds.
    for (path, bytes) in seeds("slice_strict") {
        let _guard = Replaying(&path);
        for record in Parser::new().records(&bytes, true) {
            if let Record::Packet(p) = record {
                checks::extensions(p.extension_area());
            }
        }
    }
}

#[test]
fn roundtrip_seed_packets() {
    // roundtrip's corpus is `arbitrary`-structured; its seeds are the
    // packets of the slice seeds whose extension area is well formed.
    let mut count = 0;
    for (path, bytes) in seeds("slice_strict") {
        let _guard = Replaying(&path);
        for record in Parser::new().verify_checksum(false).records(&bytes, true) {
            if let Record::Packet(p) = record {
                if p.malformed_extension_offset().is_none() {
                    checks::roundtrip(&checks::RoundTrip::from_packet(&p));
                    count += 1;
                }
            }
        }
    }
    assert!(count >= 10, "only {count} packets");
    // The encoder's refusals, through the same check.
    checks::roundtrip(&checks::RoundTrip { source: "a\0b".into(), ..Default::default() });
    checks::roundtrip(&checks::RoundTrip {
        extensions: vec![(1, vec![0; 65_536])],
        ..Default::default()
    });
    checks::roundtrip(&checks::RoundTrip { dest: "x".repeat(65_510), ..Default::default() });
}

#[test]
fn stream_seeds() {
    for (path, bytes) in seeds("stream") {
        let _guard = Replaying(&path);
        checks::stream(&bytes);
    }
    // The captures of slice_strict too, under a spread of buffer sizes,
    // read patterns (1-byte reads, faults, large reads) and parsers.
    let patterns: [&[u8]; 4] = [&[0x00], &[0xFC, 0x02, 0xFE, 0x10], &[0x85, 0x00], &[]];
    for (path, bytes) in seeds("slice_strict") {
        let _guard = Replaying(&path);
        for (k, config) in checks::CONFIG_SAMPLES.into_iter().enumerate() {
            let parser = checks::parser_from_byte(config);
            for (buffer, pattern) in [1, 7, 64, 4096].into_iter().zip(patterns) {
                checks::check_stream(parser, k % 2 == 0, buffer, pattern, &bytes);
                checks::check_stream(parser, k % 2 == 1, buffer, pattern, &bytes);
            }
        }
        let unlimited = zcpkt::Parser::new().max_packet_size(Some(u64::MAX));
        checks::check_stream(unlimited, true, 5, &[0x03, 0xFD], &bytes);
    }
}

#[cfg(feature = "parallel")]
#[test]
fn parallel_seeds() {
    for (path, bytes) in seeds("parallel") {
        let _guard = Replaying(&path);
        checks::parallel(&bytes);
    }
    // The captures of slice_strict too, in chunks small enough to cut every
    // packet, under every configuration.
    for (path, bytes) in seeds("slice_strict") {
        let _guard = Replaying(&path);
        for config in 0..32u8 {
            checks::check_parallel(config, [1, 7, 64, 100][usize::from(config % 4)], &bytes);
        }
    }
}

#[test]
fn resync_seeds() {
    for (path, bytes) in seeds("resync") {
        let _guard = Replaying(&path);
        checks::resync(&bytes);
    }
    for (path, bytes) in seeds("slice_strict") {
        let _guard = Replaying(&path);
        for config in checks::CONFIG_SAMPLES {
            checks::check_resync(checks::parser_from_byte(config), &bytes, bytes.len() / 3);
        }
    }
}

#[test]
fn reference_crc() {
    assert_eq!(checks::crc32(b"123456789"), 0xCBF4_3926);
    assert_eq!(checks::crc32(b""), 0);
    assert_eq!(checks::crc32(b"hi"), 0xD893_2AAC);
}

#[test]
fn capture_slice_seeds() {
    for (path, bytes) in seeds("capture_slice") {
        let _guard = Replaying(&path);
        checks::capture_slice(&bytes);
    }
}

#[test]
fn capture_stream_seeds() {
    for (path, bytes) in seeds("capture_stream") {
        let _guard = Replaying(&path);
        checks::capture_stream(&bytes);
    }
    // The captures of capture_slice too, under a spread of buffer sizes,
    // read patterns (1-byte reads, faults, large reads) and both limits.
    let patterns: [&[u8]; 4] = [&[0x00], &[0xFC, 0x02, 0xFE, 0x10], &[0x85, 0x00], &[]];
    for (path, bytes) in seeds("capture_slice") {
        let _guard = Replaying(&path);
        for input in checks::prefixed(&bytes) {
            for (buffer, pattern) in [1, 7, 64, 4096].into_iter().zip(patterns) {
                checks::check_capture_stream(false, buffer, pattern, &input);
                checks::check_capture_stream(true, buffer, pattern, &input);
            }
        }
    }
}

#[cfg(feature = "parallel")]
#[test]
fn capture_parallel_seeds() {
    for (path, bytes) in seeds("capture_parallel") {
        let _guard = Replaying(&path);
        checks::capture_parallel(&bytes);
    }
    // The captures of capture_slice too, in batches small enough to cut at
    // every block, with both limits.
    for (path, bytes) in seeds("capture_slice") {
        let _guard = Replaying(&path);
        for (k, batch) in [1, 7, 64, 100].into_iter().enumerate() {
            checks::check_capture_parallel(k % 2 == 0, batch, &bytes);
            checks::check_capture_parallel(k % 2 == 1, batch, &bytes);
        }
    }
}

#[test]
fn layers_seeds() {
    for (path, bytes) in seeds("layers") {
        let _guard = Replaying(&path);
        checks::layers(&bytes);
    }
}
