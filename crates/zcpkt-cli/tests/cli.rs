//! End-to-end tests of the `zcpkt` command on captures built with the
//! library's encoder; expected `dump --json` lines are derived by hand from
//! dump-json.md (CRCs from an independent CRC-32).

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;
use zcpkt::{Extension, ExtensionArea, ExtensionType, NewPacket, PacketFlags};

fn encode(packet: NewPacket<'_>) -> Vec<u8> {
    let mut buf = vec![0; packet.encoded_len().unwrap()];
    packet.encode(&mut buf).unwrap();
    buf
}

/// The worked example of pkt-format.md (31 bytes).
fn worked_example() -> Vec<u8> {
    encode(NewPacket::new("a", "bc", b"hi").flags(PacketFlags::PRIORITY).timestamp(1))
}

/// 48 bytes, two extensions.
fn with_extensions() -> Vec<u8> {
    let extensions = [
        Extension { ty: ExtensionType::Metadata, value: b"abc" },
        Extension { ty: ExtensionType::Custom(7), value: b"" },
    ];
    let flags = PacketFlags::COMPRESSED | PacketFlags::FRAGMENT;
    let packet = NewPacket::new("src-1", "dst", b"hello")
        .flags(flags)
        .timestamp(1_704_067_200_000_000)
        .extensions(&extensions);
    encode(packet)
}

/// 30 bytes; payload "ok" stored with its CRC, then changed to "oK".
fn checksum_mismatch() -> Vec<u8> {
    let mut bytes = encode(NewPacket::new("x", "y", b"ok").timestamp(2));
    *bytes.last_mut().unwrap() = b'K';
    bytes
}

/// 33 bytes; extension area `01 05 00 01`: a record claiming 5 bytes with 1.
fn malformed_extension() -> Vec<u8> {
    let area: &[u8] = &[1, 5, 0, 1];
    encode(NewPacket { extensions: ExtensionArea::Encoded(area), ..NewPacket::new("a", "b", b"z") })
}

/// Offsets: 0 example, 31 extensions, 79 checksum mismatch, 109 malformed
/// extension, 142 five junk bytes, 147 example, 178 twenty bytes of a packet.
fn damaged_capture() -> Vec<u8> {
    let mut bytes = worked_example();
    bytes.extend(with_extensions());
    bytes.extend(checksum_mismatch());
    bytes.extend(malformed_extension());
    bytes.extend(b"JUNK!");
    bytes.extend(worked_example());
    bytes.extend(&worked_example()[..20]);
    assert_eq!(bytes.len(), 198);
    bytes
}

fn clean_capture() -> Vec<u8> {
    let mut bytes = worked_example();
    bytes.extend(with_extensions());
    bytes.extend(encode(NewPacket::new("src-2", "dst", b"").timestamp(1_704_067_202_000_000)));
    bytes
}

const EXAMPLE_LINE: &str = r#"{"kind":"packet","offset":0,"version":1,"flags":4,"header_len":29,"payload_len":2,"checksum":"0xd8932aac","timestamp":1,"source_id":"a","dest_id":"bc","payload_crc_ok":true,"extensions":[]}"#;

const DAMAGED_STRICT: &[&str] = &[
    EXAMPLE_LINE,
    r#"{"kind":"packet","offset":31,"version":1,"flags":9,"header_len":43,"payload_len":5,"checksum":"0x3610a686","timestamp":1704067200000000,"source_id":"src-1","dest_id":"dst","payload_crc_ok":true,"extensions":[{"type":1,"len":3},{"type":7,"len":0}]}"#,
    r#"{"kind":"packet","offset":79,"version":1,"flags":0,"header_len":28,"payload_len":2,"checksum":"0x79dcdd47","timestamp":2,"source_id":"x","dest_id":"y","payload_crc_ok":false,"extensions":[]}"#,
    r#"{"kind":"error","offset":79,"error":"ChecksumMismatch","detail":{"stored":"0x79dcdd47","computed":"0x42b2fd8f"}}"#,
    r#"{"kind":"packet","offset":109,"version":1,"flags":0,"header_len":32,"payload_len":1,"checksum":"0x62d277af","timestamp":0,"source_id":"a","dest_id":"b","payload_crc_ok":true,"extensions":"malformed"}"#,
    r#"{"kind":"error","offset":109,"error":"MalformedExtension","detail":{"record_offset":137}}"#,
    r#"{"kind":"error","offset":142,"error":"BadMagic","detail":{}}"#,
];

const DAMAGED_RECOVERED_TAIL: &[&str] = &[
    r#"{"kind":"skipped","offset":142,"len":5}"#,
    r#"{"kind":"packet","offset":147,"version":1,"flags":4,"header_len":29,"payload_len":2,"checksum":"0xd8932aac","timestamp":1,"source_id":"a","dest_id":"bc","payload_crc_ok":true,"extensions":[]}"#,
    r#"{"kind":"error","offset":178,"error":"Truncated","detail":{"available":20}}"#,
    r#"{"kind":"skipped","offset":178,"len":20}"#,
];

struct Fixture {
    dir: TempDir,
}

impl Fixture {
    fn new() -> Self {
        Self { dir: tempfile::tempdir().unwrap() }
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn entries(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

fn zcpkt() -> Command {
    Command::cargo_bin("zcpkt").unwrap()
}

fn lines(expected: &[&str]) -> String {
    expected.iter().map(|line| format!("{line}\n")).collect()
}

fn run_on(args: &[&str], file: &Path) -> assert_cmd::assert::Assert {
    zcpkt().args(args).arg(file).assert()
}

// ---- dump --json ----

#[test]
fn dump_json_prints_the_worked_example_line_exactly() {
    let fx = Fixture::new();
    let file = fx.file("ex.pkt", &worked_example());
    run_on(&["dump", "--json"], &file).code(0).stdout(lines(&[EXAMPLE_LINE])).stderr("");
}

#[test]
fn dump_json_stops_at_the_first_framing_error() {
    let fx = Fixture::new();
    let file = fx.file("damaged.pkt", &damaged_capture());
    run_on(&["dump", "--json"], &file).code(1).stdout(lines(DAMAGED_STRICT));
}

#[test]
fn dump_json_recover_reports_skipped_ranges_to_the_end() {
    let fx = Fixture::new();
    let file = fx.file("damaged.pkt", &damaged_capture());
    let expected: Vec<&str> =
        DAMAGED_STRICT.iter().chain(DAMAGED_RECOVERED_TAIL).copied().collect();
    run_on(&["dump", "--json", "--recover"], &file).code(1).stdout(lines(&expected));
}

#[test]
fn dump_json_reads_standard_input() {
    let expected: Vec<&str> =
        DAMAGED_STRICT.iter().chain(DAMAGED_RECOVERED_TAIL).copied().collect();
    zcpkt()
        .args(["dump", "--json", "--recover", "-"])
        .write_stdin(damaged_capture())
        .assert()
        .code(1)
        .stdout(lines(&expected));
}

#[test]
fn dump_json_limit_keeps_the_last_packets_own_errors() {
    let fx = Fixture::new();
    let file = fx.file("damaged.pkt", &damaged_capture());
    run_on(&["dump", "--json", "--limit", "3"], &file).code(1).stdout(lines(&DAMAGED_STRICT[..4]));
    run_on(&["dump", "--json", "--limit", "2"], &file).code(0).stdout(lines(&DAMAGED_STRICT[..2]));
}

#[test]
fn dump_json_reports_too_large_and_goes_on() {
    let fx = Fixture::new();
    let mut bytes = with_extensions();
    bytes.extend(worked_example());
    let file = fx.file("big.pkt", &bytes);
    let expected = [
        r#"{"kind":"error","offset":0,"error":"TooLarge","detail":{"size":48,"limit":40}}"#,
        &EXAMPLE_LINE.replace(r#""offset":0"#, r#""offset":48"#),
    ];
    run_on(&["dump", "--json", "--max-packet", "40"], &file).code(1).stdout(lines(&expected));
}

#[test]
fn dump_json_no_crc_leaves_the_checksum_unverified() {
    let fx = Fixture::new();
    let file = fx.file("mismatch.pkt", &checksum_mismatch());
    run_on(&["dump", "--json", "--no-crc"], &file)
        .code(0)
        .stdout(predicate::str::contains(r#""payload_crc_ok":null"#))
        .stdout(predicate::str::contains("ChecksumMismatch").not());
}

#[test]
fn dump_json_error_details_match_the_table() {
    let fx = Fixture::new();
    let mut cases: Vec<(Vec<u8>, &str)> = Vec::new();
    let mut version = worked_example();
    version[4] = 2;
    cases.push((
        version,
        r#"{"kind":"error","offset":0,"error":"UnsupportedVersion","detail":{"version":2}}"#,
    ));
    let mut header_len = worked_example();
    header_len[6] = 25;
    cases.push((
        header_len,
        r#"{"kind":"error","offset":0,"error":"BadHeaderLen","detail":{"header_len":25}}"#,
    ));
    let mut unterminated = worked_example();
    unterminated[28] = b'd'; // DEST_ID's 00 at 28 becomes text
    cases.push((unterminated, r#"{"kind":"error","offset":0,"error":"UnterminatedId","detail":{"field":"dest_id","field_offset":26}}"#));
    let mut utf8 = worked_example();
    utf8[24] = 0xff; // SOURCE_ID "a"
    cases.push((utf8, r#"{"kind":"error","offset":0,"error":"InvalidUtf8","detail":{"field":"source_id","field_offset":24}}"#));
    let short = worked_example()[..30].to_vec();
    cases.push((
        short,
        r#"{"kind":"error","offset":0,"error":"Truncated","detail":{"available":30}}"#,
    ));
    for (i, (bytes, line)) in cases.iter().enumerate() {
        let file = fx.file(&format!("case{i}.pkt"), bytes);
        run_on(&["dump", "--json"], &file).code(1).stdout(lines(&[line]));
    }
}

#[test]
fn dump_json_escapes_identifiers_as_json_requires() {
    let fx = Fixture::new();
    let file = fx.file("ids.pkt", &encode(NewPacket::new("é\"q\\", "\n", b"")));
    run_on(&["dump", "--json"], &file)
        .code(0)
        .stdout(predicate::str::contains(r#""source_id":"é\"q\\","dest_id":"\n","#));
}

// ---- dump table ----

#[test]
fn dump_table_shows_time_route_flags_and_extensions() {
    let fx = Fixture::new();
    let file = fx.file("damaged.pkt", &damaged_capture());
    let out = run_on(&["dump", "--recover", "--payload", "text"], &file).code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let rows: Vec<&str> = stdout.lines().collect();
    assert!(rows[0].contains("OFFSET") && rows[0].contains("EXTENSIONS"));
    assert!(rows[1].contains("1970-01-01T00:00:00.000001Z  a → bc") && rows[1].ends_with('-'));
    assert!(rows[1].contains("PRIORITY"));
    assert_eq!(rows[2].trim(), "payload: hi");
    assert!(rows[3].contains("2024-01-01T00:00:00.000000Z  src-1 → dst"));
    assert!(rows[3].contains("COMPRESSED|FRAGMENT"));
    assert!(rows[3].ends_with("metadata:3,custom(7):0"));
    assert!(stdout.contains("malformed\n"));
    assert!(stdout.contains("       142  error: bad magic"));
    assert!(stdout.contains("       142  skipped 5 bytes"));
}

#[test]
fn dump_payload_hex_is_lower_case() {
    let fx = Fixture::new();
    let file = fx.file("ex.pkt", &encode(NewPacket::new("a", "b", &[0xAB, 0x01])));
    run_on(&["dump", "--payload", "hex"], &file)
        .code(0)
        .stdout(predicate::str::contains("payload: ab01\n"));
}

// ---- exit 2 ----

#[test]
fn missing_input_is_a_one_line_error_with_status_2() {
    let fx = Fixture::new();
    for command in ["dump", "check", "stats"] {
        zcpkt()
            .args([command, fx.path("nope.pkt").to_str().unwrap()])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::is_match(r"^zcpkt: cannot read .*nope\.pkt: .*\n$").unwrap());
    }
}

#[test]
fn usage_errors_exit_2() {
    zcpkt().args(["dump"]).assert().code(2);
    zcpkt().args(["dump", "--payload", "bin", "x"]).assert().code(2);
    zcpkt().args(["frobnicate"]).assert().code(2);
    zcpkt().args(["filter", "x", "-o", "y", "--since", "yesterday"]).assert().code(2);
    let one_line = predicate::str::is_match(r"^zcpkt: [^\n]+\n$").unwrap();
    zcpkt().args(["dump", "--bogus", "x"]).assert().code(2).stderr(one_line);
    zcpkt().arg("--version").assert().code(0);
}

#[test]
fn max_packet_takes_sizes_and_none() {
    let stdin = with_extensions();
    let too_large = r#""error":"TooLarge","detail":{"size":48,"limit":47}"#;
    zcpkt()
        .args(["dump", "--json", "--max-packet", "47", "-"])
        .write_stdin(stdin.clone())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(too_large));
    zcpkt()
        .args(["dump", "--json", "--max-packet", "none", "-"])
        .write_stdin(stdin)
        .assert()
        .code(0);
    zcpkt().args(["dump", "--max-packet", "0", "-"]).assert().code(2);
}

// ---- check ----

#[test]
fn check_lists_every_error_and_summarises() {
    let fx = Fixture::new();
    let file = fx.file("damaged.pkt", &damaged_capture());
    let expected = "\
offset 79: checksum mismatch (stored 0x79dcdd47, computed 0x42b2fd8f)
offset 109: malformed extension area (record at offset 137 does not fit)
offset 142: bad magic (expected \"PKT\\0\")
offset 142: skipped 5 bytes up to offset 147
offset 178: truncated packet (20 bytes left in input)
offset 178: skipped 20 bytes up to offset 198
packets ok:          3
packets with errors: 2
errors:              4
  Truncated:         1
  BadMagic:          1
  ChecksumMismatch:  1
  MalformedExtension: 1
bytes skipped:       25
total bytes:         198
";
    run_on(&["check"], &file).code(1).stdout(expected);
    let quiet = expected.split_once("packets ok:").unwrap().1;
    run_on(&["check", "--quiet"], &file).code(1).stdout(format!("packets ok:{quiet}"));
}

#[test]
fn check_clean_input_exits_0() {
    let fx = Fixture::new();
    let file = fx.file("clean.pkt", &clean_capture());
    run_on(&["check"], &file).code(0).stdout(predicate::str::contains("errors:              0\n"));
    zcpkt().args(["check", "-"]).write_stdin(clean_capture()).assert().code(0);
    zcpkt().args(["check", "-"]).write_stdin(Vec::new()).assert().code(0);
}

// ---- stats ----

#[test]
fn stats_json_reports_the_documented_fields() {
    let fx = Fixture::new();
    let file = fx.file("damaged.pkt", &damaged_capture());
    let out = run_on(&["stats", "--json", "--top", "2"], &file).code(1);
    let stats: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(stats["packets"], 5);
    assert_eq!(stats["valid_packets"], 3);
    assert_eq!(stats["bytes"]["total"], 198);
    assert_eq!(stats["bytes"]["headers"], 29 + 43 + 28 + 32 + 29);
    assert_eq!(stats["bytes"]["payloads"], 2 + 5 + 2 + 1 + 2);
    assert_eq!(stats["bytes"]["skipped"], 25);
    assert_eq!(stats["payload_size"]["min"], 1);
    assert_eq!(stats["payload_size"]["max"], 5);
    assert_eq!(stats["payload_size"]["p50"], 3);
    assert_eq!(stats["time"]["first"], 0);
    assert_eq!(stats["time"]["last_iso"], "2024-01-01T00:00:00.000000Z");
    assert_eq!(stats["flags"]["PRIORITY"], 2);
    assert_eq!(stats["flags"]["FRAGMENT"], 1);
    assert_eq!(stats["flags"]["none"], 2);
    assert_eq!(stats["extensions"]["metadata"], 1);
    assert_eq!(stats["extensions"]["custom(7)"], 1);
    assert_eq!(stats["extensions"]["malformed"], 1);
    assert_eq!(
        stats["top_sources"],
        serde_json::json!([{"id": "a", "packets": 3}, {"id": "src-1", "packets": 1}])
    );
    assert_eq!(stats["top_dests"][0], serde_json::json!({"id": "bc", "packets": 2}));
    assert_eq!(stats["top_undercount"], serde_json::json!({"sources": 0, "dests": 0}));
    assert_eq!(stats["errors"]["total"], 4);
    assert_eq!(stats["errors"]["BadMagic"], 1);
    assert_eq!(stats["errors"]["TooLarge"], 0);
}

/// A packet over --max-packet (TooLarge) is a packet with an error, as
/// `check` counts it, from a file and from a pipe.
#[test]
fn stats_counts_too_large_packets_as_check_does() {
    let fx = Fixture::new();
    let mut bytes = with_extensions();
    bytes.extend(worked_example());
    let file = fx.file("big.pkt", &bytes);
    let check = run_on(&["check", "--quiet", "--max-packet", "40"], &file).code(1);
    let check = String::from_utf8(check.get_output().stdout.clone()).unwrap();
    assert!(check
        .starts_with("packets ok:          1\npackets with errors: 1\nerrors:              1\n"));
    let from_file = run_on(&["stats", "--json", "--max-packet", "40"], &file).code(1);
    let from_pipe = zcpkt()
        .args(["stats", "--json", "--max-packet", "40", "-"])
        .write_stdin(bytes)
        .assert()
        .code(1);
    for out in [from_file, from_pipe] {
        let stats: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        assert_eq!(stats["packets"], 2);
        assert_eq!(stats["valid_packets"], 1);
        assert_eq!(stats["errors"]["total"], 1);
        assert_eq!(stats["errors"]["TooLarge"], 1);
        assert_eq!(stats["bytes"]["headers"], 29);
        assert_eq!(stats["bytes"]["payloads"], 2);
        assert_eq!(stats["bytes"]["skipped"], 0);
    }
    let text = run_on(&["stats", "--max-packet", "40"], &file).code(1);
    let text = String::from_utf8(text.get_output().stdout.clone()).unwrap();
    assert!(text.starts_with("packets          2 (1 valid)\n"), "{text}");
}

#[test]
fn stats_rates_use_the_capture_time_span() {
    let stdin = clean_capture()[31..].to_vec(); // two packets, 2 s apart
    let out = zcpkt().args(["stats", "--json", "-"]).write_stdin(stdin).assert().code(0);
    let stats: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(stats["time"]["duration_us"], 2_000_000);
    assert_eq!(stats["time"]["packets_per_sec"], 1.0);
    assert_eq!(stats["time"]["bytes_per_sec"], (48.0 + 34.0) / 2.0);
}

#[test]
fn stats_text_runs_on_empty_input() {
    zcpkt()
        .args(["stats", "-"])
        .write_stdin(Vec::new())
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("packets          0 (0 valid)\n"));
}

// ---- filter ----

#[test]
fn filter_writes_the_original_bytes_of_matching_packets() {
    let fx = Fixture::new();
    let file = fx.file("clean.pkt", &clean_capture());
    let out = fx.path("out.pkt");
    let args = ["filter", file.to_str().unwrap(), "-o", out.to_str().unwrap()];
    zcpkt()
        .args(args)
        .args(["--dest", "dst", "--since", "2024-01-01T00:00:00Z", "--until", "1704067202000001"])
        .assert()
        .code(0)
        .stderr(
            "zcpkt filter: 2 of 3 packets matched, written to ".to_owned()
                + out.to_str().unwrap()
                + "\n",
        );
    assert_eq!(std::fs::read(&out).unwrap(), clean_capture()[31..]);

    zcpkt().args(args).args(["--source", "a", "--source", "src-2"]).assert().code(0);
    let mut expected = worked_example();
    expected.extend(&clean_capture()[79..]);
    assert_eq!(std::fs::read(&out).unwrap(), expected);

    zcpkt().args(args).args(["--flags", "compressed,FRAGMENT"]).assert().code(0);
    assert_eq!(std::fs::read(&out).unwrap(), with_extensions());

    zcpkt().args(args).args(["--until", "2024-01-01T00:00:00.000000Z"]).assert().code(0);
    assert_eq!(std::fs::read(&out).unwrap(), worked_example());
    assert_eq!(fx.entries(), ["clean.pkt", "out.pkt"]);
}

#[test]
fn filter_to_stdout() {
    zcpkt()
        .args(["filter", "-", "-o", "-", "--source", "src-1"])
        .write_stdin(clean_capture())
        .assert()
        .code(0)
        .stdout(with_extensions());
}

#[test]
fn filter_on_damaged_input_leaves_no_output_without_recover() {
    let fx = Fixture::new();
    let file = fx.file("damaged.pkt", &damaged_capture());
    let out = fx.path("out.pkt");
    zcpkt()
        .args(["filter", file.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("offset 79: checksum mismatch"))
        .stderr(predicate::str::contains("no output written"));
    assert_eq!(fx.entries(), ["damaged.pkt"]);
}

#[test]
fn filter_recover_writes_the_valid_matches_and_exits_1() {
    let fx = Fixture::new();
    let file = fx.file("damaged.pkt", &damaged_capture());
    let out = fx.path("out.pkt");
    zcpkt()
        .args(["filter", file.to_str().unwrap(), "-o", out.to_str().unwrap(), "--recover"])
        .args(["--source", "a"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("2 of 5 packets matched"));
    let mut expected = worked_example();
    expected.extend(worked_example());
    assert_eq!(std::fs::read(&out).unwrap(), expected);
    assert_eq!(fx.entries(), ["damaged.pkt", "out.pkt"]);
}

#[test]
fn filter_missing_input_leaves_no_temp_file() {
    let fx = Fixture::new();
    let out = fx.path("out.pkt");
    zcpkt()
        .args(["filter", fx.path("nope.pkt").to_str().unwrap(), "-o", out.to_str().unwrap()])
        .assert()
        .code(2);
    assert!(fx.entries().is_empty());
}

/// Waits until the child has a file open in `dir` (its output, before any
/// commit); panics after a minute.
#[cfg(target_os = "linux")]
fn wait_for_output_open(child: &std::process::Child, dir: &Path) {
    let fds = PathBuf::from(format!("/proc/{}/fd", child.id()));
    for _ in 0..6000 {
        let open_there =
            std::fs::read_dir(&fds).into_iter().flatten().flatten().any(|fd| {
                std::fs::read_link(fd.path()).is_ok_and(|target| target.starts_with(dir))
            });
        if open_there {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the output in {} was never opened", dir.display());
}

#[cfg(target_os = "linux")]
#[test]
fn an_interrupted_filter_or_gen_leaves_no_temporary_behind() {
    // Killed while writing (Ctrl-C, SIGTERM), a named temporary stayed:
    // `gen --size 2GiB` interrupted after a second left 340 MB hidden.
    struct KillOnDrop(std::process::Child);
    impl Drop for KillOnDrop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let fx = Fixture::new();
    let out_dir = fx.path("out");
    std::fs::create_dir(&out_dir).unwrap();
    for (label, signal, args) in [
        ("filter, SIGINT", libc::SIGINT, &["filter", "-", "-o", "OUT"][..]),
        (
            "gen, SIGTERM",
            libc::SIGTERM,
            &["gen", "--profile", "small", "--size", "8GiB", "OUT"][..],
        ),
    ] {
        let args = args.iter().map(|a| if *a == "OUT" { out_dir.join("o.pkt") } else { a.into() });
        let mut child = KillOnDrop(
            StdCommand::new(assert_cmd::cargo::cargo_bin("zcpkt"))
                .args(args)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        // filter: packets, the pipe kept open, so it waits for more.
        let mut stdin = child.0.stdin.take().unwrap();
        stdin.write_all(&worked_example().repeat(100)).unwrap();
        stdin.flush().unwrap();
        wait_for_output_open(&child.0, &out_dir);
        let pid = libc::pid_t::try_from(child.0.id()).unwrap();
        // SAFETY: kill(2) on our own child's pid; no memory is involved.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
        let status = child.0.wait().unwrap();
        drop(stdin);
        assert!(!status.success(), "{label}");
        let left: Vec<_> =
            std::fs::read_dir(&out_dir).unwrap().map(|e| e.unwrap().path()).collect();
        assert!(left.is_empty(), "left behind after {label}: {left:?}");
    }
}

// ---- broken pipe ----

#[test]
fn dump_into_a_closed_pipe_stops_quietly() {
    let fx = Fixture::new();
    let packet = worked_example();
    let file = fx.file("big.pkt", &packet.repeat(200_000));
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("zcpkt"))
        .args(["dump", "--json"])
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert_eq!(first.trim_end(), EXAMPLE_LINE);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    let _ = std::io::stdout().flush();
}

// ---- every input path gives the same records ----

/// A capture of about 3 MiB (several parallel chunks) with damage in the
/// middle of the second and third MiB.
fn big_damaged_capture() -> Vec<u8> {
    let payload: Vec<u8> = (0..2000u32).map(|i| (i % 251) as u8).collect();
    let mut bytes = Vec::new();
    for i in 0..1500u32 {
        let source = format!("src-{}", i % 7);
        let len = (i as usize * 37) % payload.len();
        let packet = NewPacket::new(&source, "dst", &payload[..len]).timestamp(u64::from(i));
        bytes.extend(encode(packet));
        if i == 500 {
            bytes.extend(b"GARBAGE PKT\0 more garbage");
        }
        if i == 1000 {
            let at = bytes.len() - 3;
            bytes[at] ^= 0xff; // a payload byte: checksum mismatch, framing kept
        }
    }
    bytes
}

#[test]
fn a_file_name_with_control_characters_keeps_messages_on_one_line() {
    let fx = Fixture::new();
    let dir = fx.path("");
    let shown = |name: &str| format!("{}{name}", dir.display());
    // Not there: exit 2, one line.
    let missing = fx.path("no\nsuch\x1b[31m.pkt");
    run_on(&["check"], &missing).code(2).stdout("").stderr(format!(
        "zcpkt: cannot read {}: No such file or directory (os error 2)\n",
        shown("no\\nsuch\\u{1b}[31m.pkt")
    ));
    // Damaged: the damage, one line.
    let mut cut = worked_example();
    cut.truncate(20);
    let damaged = fx.file("cut\n.pkt", &cut);
    run_on(&["info"], &damaged).code(1).stderr(format!(
        "zcpkt: {}: offset 0: truncated packet (20 bytes left in input)\n",
        shown("cut\\n.pkt")
    ));
    // The output's name in filter's and gen's summaries.
    let input = fx.file("ok.pkt", &worked_example());
    let out = fx.path("out\r\n.pkt");
    zcpkt().args(["filter", "-o"]).arg(&out).arg(&input).assert().code(0).stderr(format!(
        "zcpkt filter: 1 of 1 packets matched, written to {}\n",
        shown("out\\r\\n.pkt")
    ));
    assert_eq!(std::fs::read(&out).unwrap(), worked_example());
    let out = fx.path("gen\n.pkt");
    zcpkt()
        .args(["gen", "--profile", "small", "--packets", "1"])
        .arg(&out)
        .assert()
        .code(0)
        .stderr(predicate::str::ends_with(format!("bytes to {}\n", shown("gen\\n.pkt"))));
}

#[test]
fn threads_out_of_range_is_a_usage_error() {
    // 0 used to be taken as 1 thread, silently; a count the system cannot
    // start died with a panic message of the standard library's (after
    // minutes of starting threads) before the one-line error.
    let fixture = Fixture::new();
    let file = fixture.file("example.pkt", &worked_example());
    for command in ["check", "dump", "stats", "info", "fields"] {
        for (threads, message) in
            [("0", "--threads must be at least 1"), ("1025", "--threads must be at most 1024")]
        {
            let mut args = vec![command, "--threads", threads];
            if command == "fields" {
                args.extend(["-e", "frame.number"]);
            }
            let expected = format!(
                "zcpkt: invalid value '{threads}' for '--threads <N>': {message} (see zcpkt --help)\n"
            );
            run_on(&args, &file).code(2).stdout("").stderr(expected);
        }
    }
    zcpkt()
        .args(["filter", "--threads", "0", "-o", "-"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--threads must be at least 1"));
    // bench reported its all-cores rows as run on "threads": 0.
    zcpkt()
        .args(["bench", "--threads", "0", "--size", "4KiB"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("--threads must be at least 1"));
    run_on(&["check", "--threads", "1024", "-q"], &file).code(0);
}

#[test]
fn threads_stdin_and_mmap_give_identical_output() {
    let fixture = Fixture::new();
    let file = fixture.file("big.pkt", &big_damaged_capture());
    for args in [&["dump", "--json", "--recover"][..], &["check"][..], &["stats", "--json"][..]] {
        let one = zcpkt().args(args).args(["--threads", "1"]).arg(&file).output().unwrap();
        let two = zcpkt().args(args).args(["--threads", "2"]).arg(&file).output().unwrap();
        let stdin = zcpkt().args(args).arg("-").pipe_stdin(&file).unwrap().output().unwrap();
        assert_eq!(one.status.code(), Some(1), "{args:?}");
        assert!(!one.stdout.is_empty());
        assert_eq!(one.stdout, two.stdout, "{args:?}: 1 vs 2 threads");
        assert_eq!(one.stdout, stdin.stdout, "{args:?}: file vs stdin");
        assert_eq!(two.status.code(), Some(1));
        assert_eq!(stdin.status.code(), Some(1));
    }
}
