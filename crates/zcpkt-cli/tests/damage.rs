//! The `zcpkt` command under damage: every command on empty, garbage,
//! truncated and bad-CRC input, from a file and from standard input; paths
//! that cannot be read; `filter` never leaving a partial output (failures,
//! SIGKILL); a reader that closes the pipe early.
//!
//! Exit status (dump-json.md): 0 clean, 1 the input holds errors, 2 usage or
//! I/O. Errors found in the input are records on standard output (dump,
//! check, stats) with an empty standard error; `filter` reports on standard
//! error in one line with the offset; I/O failures are one line on standard
//! error.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::Duration;

use assert_cmd::Command;
use zcpkt::{Error, ErrorKind, NewPacket, PacketFlags};

fn encode(packet: NewPacket<'_>) -> Vec<u8> {
    let mut buf = vec![0; packet.encoded_len().unwrap()];
    packet.encode(&mut buf).unwrap();
    buf
}

/// pkt-format.md's worked example, 31 bytes.
fn example() -> Vec<u8> {
    encode(NewPacket::new("a", "bc", b"hi").flags(PacketFlags::PRIORITY).timestamp(1))
}

const EXAMPLE_LINE: &str = r#"{"kind":"packet","offset":0,"version":1,"flags":4,"header_len":29,"payload_len":2,"checksum":"0xd8932aac","timestamp":1,"source_id":"a","dest_id":"bc","payload_crc_ok":true,"extensions":[]}"#;

fn example_line_at(offset: u64) -> String {
    EXAMPLE_LINE.replace(r#""offset":0"#, &format!(r#""offset":{offset}"#))
}

fn zcpkt() -> Command {
    Command::cargo_bin("zcpkt").unwrap()
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// A damaged (or clean) input and what every command must say about it.
struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    /// The one error in it, if any.
    error: Option<Error>,
    /// `dump --json` without and with `--recover`.
    json: Vec<String>,
    json_recover: Vec<String>,
}

fn cases() -> Vec<Case> {
    let ex = example();
    let mut cases = vec![Case {
        name: "empty",
        bytes: Vec::new(),
        error: None,
        json: vec![],
        json_recover: vec![],
    }];

    let garbage = b"this is not a PKT capture at all, just text\n".to_vec();
    cases.push(Case {
        name: "garbage",
        error: Some(Error::new(0, ErrorKind::BadMagic)),
        json: vec![r#"{"kind":"error","offset":0,"error":"BadMagic","detail":{}}"#.into()],
        json_recover: vec![
            r#"{"kind":"error","offset":0,"error":"BadMagic","detail":{}}"#.into(),
            r#"{"kind":"skipped","offset":0,"len":44}"#.into(),
        ],
        bytes: garbage,
    });

    // Cut inside the fixed header (10 bytes), inside the identifiers (27
    // bytes: fixed header whole, HEADER_LEN 29) and inside the payload (30).
    for (name, keep) in [("cut-fixed-header", 10), ("cut-header", 27), ("cut-payload", 30)] {
        let mut bytes = ex.clone();
        bytes.extend(&ex[..keep]);
        let truncated = format!(
            r#"{{"kind":"error","offset":31,"error":"Truncated","detail":{{"available":{keep}}}}}"#
        );
        cases.push(Case {
            name,
            bytes,
            error: Some(Error::new(31, ErrorKind::Truncated { available: keep as u64 })),
            json: vec![EXAMPLE_LINE.into(), truncated.clone()],
            json_recover: vec![
                EXAMPLE_LINE.into(),
                truncated,
                format!(r#"{{"kind":"skipped","offset":31,"len":{keep}}}"#),
            ],
        });
    }

    // A packet whose payload changed after its CRC was written: framing kept.
    let mut bad = encode(NewPacket::new("x", "y", b"ok").timestamp(2));
    *bad.last_mut().unwrap() = b'K';
    let mut bytes = ex.clone();
    bytes.extend(&bad);
    bytes.extend(&ex);
    // CRC-32 of "ok" and "oK" (as in cli.rs).
    let (stored, computed) = (0x79dc_dd47_u32, 0x42b2_fd8f_u32);
    let lines = vec![
        EXAMPLE_LINE.into(),
        format!(
            r#"{{"kind":"packet","offset":31,"version":1,"flags":0,"header_len":28,"payload_len":2,"checksum":"{stored:#010x}","timestamp":2,"source_id":"x","dest_id":"y","payload_crc_ok":false,"extensions":[]}}"#
        ),
        format!(
            r#"{{"kind":"error","offset":31,"error":"ChecksumMismatch","detail":{{"stored":"{stored:#010x}","computed":"{computed:#010x}"}}}}"#
        ),
        example_line_at(61),
    ];
    cases.push(Case {
        name: "bad-crc",
        bytes,
        error: Some(Error::new(31, ErrorKind::ChecksumMismatch { stored, computed })),
        json: lines.clone(),
        json_recover: lines,
    });
    cases
}

const COMMANDS: &[&[&str]] = &[
    &["dump"],
    &["dump", "--json"],
    &["dump", "--recover"],
    &["dump", "--json", "--recover"],
    &["check"],
    &["stats"],
    &["stats", "--json"],
];

fn lines(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// What `command` must print for `case`.
fn check_stdout(case: &Case, command: &[&str], stdout: &str) {
    let context = format!("{} on {}", command.join(" "), case.name);
    let error = case.error.map(|e| e.to_string());
    let kind = case.error.map(|e| e.kind.name());
    match command {
        ["dump", "--json"] => assert_eq!(stdout, lines(&case.json), "{context}"),
        ["dump", "--json", "--recover"] => {
            assert_eq!(stdout, lines(&case.json_recover), "{context}");
        }
        ["dump", ..] => {
            let recover = command.contains(&"--recover");
            if case.bytes.is_empty() {
                assert_eq!(stdout, "", "{context}");
            }
            if let Some(e) = case.error {
                let message = e.to_string();
                let message = message.split_once(": ").unwrap().1;
                let row = format!("{:>10}  error: {message}\n", e.offset);
                assert!(stdout.contains(&row), "{context}: no {row:?} in\n{stdout}");
                let skipped = format!("{:>10}  skipped ", e.offset);
                let lost = !e.kind.keeps_framing();
                assert_eq!(stdout.contains(&skipped), recover && lost, "{context}");
            }
        }
        ["check"] => {
            let errors = format!("errors:              {}\n", u8::from(error.is_some()));
            assert!(stdout.contains(&errors), "{context}: {stdout}");
            let total = format!("total bytes:         {}\n", case.bytes.len());
            assert!(stdout.ends_with(&total), "{context}: {stdout}");
            match error {
                Some(e) => assert!(stdout.starts_with(&format!("{e}\n")), "{context}: {stdout}"),
                None => assert!(stdout.starts_with("packets ok:"), "{context}: {stdout}"),
            }
        }
        ["stats"] => {
            let errors = match kind {
                Some(kind) => format!("errors           1 ({kind} 1)\n"),
                None => "errors           0\n".into(),
            };
            assert!(stdout.ends_with(&errors), "{context}: {stdout}");
        }
        ["stats", "--json"] => {
            let stats: serde_json::Value = serde_json::from_str(stdout).unwrap();
            assert_eq!(stats["bytes"]["total"], case.bytes.len(), "{context}");
            assert_eq!(stats["errors"]["total"], u8::from(error.is_some()), "{context}");
            if let Some(kind) = kind {
                assert_eq!(stats["errors"][kind], 1, "{context}");
            }
        }
        _ => unreachable!(),
    }
}

#[test]
fn every_command_on_damaged_files_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    for case in cases() {
        let file = dir.path().join(format!("{}.pkt", case.name));
        std::fs::write(&file, &case.bytes).unwrap();
        let code = i32::from(case.error.is_some());
        for command in COMMANDS {
            let from_file = zcpkt().args(*command).arg(&file).assert().code(code).stderr("");
            let from_stdin = zcpkt()
                .args(*command)
                .arg("-")
                .write_stdin(case.bytes.clone())
                .assert()
                .code(code)
                .stderr("");
            let stdout = text(&from_file.get_output().stdout);
            check_stdout(&case, command, &stdout);
            assert_eq!(text(&from_stdin.get_output().stdout), stdout, "stdin vs file");
        }
    }
}

/// `filter` on each case, from a file and from stdin, with and without
/// `--recover`: exit status, one stderr line with the offset, and OUT only
/// when it was written completely.
#[test]
fn filter_on_damaged_input_leaves_no_partial_output() {
    for case in cases() {
        for recover in [false, true] {
            for stdin in [false, true] {
                let dir = tempfile::tempdir().unwrap();
                let file = dir.path().join("in.pkt");
                std::fs::write(&file, &case.bytes).unwrap();
                let out = dir.path().join("out.pkt");
                let mut cmd = zcpkt();
                cmd.arg("filter").arg(if stdin { Path::new("-") } else { &file });
                cmd.arg("-o").arg(&out).args(recover.then_some("--recover"));
                let assert = cmd.write_stdin(case.bytes.clone()).assert();
                let context = format!("{} recover={recover} stdin={stdin}", case.name);
                let stderr = text(&assert.get_output().stderr);
                assert_eq!(stderr.lines().count(), 1, "{context}: {stderr}");
                assert!(stderr.starts_with("zcpkt filter: "), "{context}: {stderr}");
                assert!(assert.get_output().stdout.is_empty());
                let Some(error) = case.error else {
                    assert.code(0);
                    let summary = format!("0 of 0 packets matched, written to {}", out.display());
                    assert_eq!(stderr, format!("zcpkt filter: {summary}\n"), "{context}");
                    assert_eq!(std::fs::read(&out).unwrap(), case.bytes, "{context}");
                    assert_eq!(entries(dir.path()), ["in.pkt", "out.pkt"], "{context}");
                    continue;
                };
                assert.code(1);
                assert!(stderr.contains(&format!("{error}")), "{context}: {stderr}");
                if recover {
                    // The valid packets, byte for byte; the damaged ones never.
                    let valid: Vec<u8> = case
                        .json_recover
                        .iter()
                        .filter(|l| l.contains(r#""payload_crc_ok":true"#))
                        .flat_map(|_| example())
                        .collect();
                    assert_eq!(std::fs::read(&out).unwrap(), valid, "{context}");
                    assert_eq!(entries(dir.path()), ["in.pkt", "out.pkt"], "{context}");
                } else {
                    assert!(stderr.contains("no output written"), "{context}: {stderr}");
                    assert_eq!(entries(dir.path()), ["in.pkt"], "{context}");
                }
            }
        }
    }
}

#[test]
fn filter_failure_keeps_an_existing_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let mut damaged = example();
    damaged.extend(b"JUNK");
    let file = dir.path().join("in.pkt");
    std::fs::write(&file, &damaged).unwrap();
    let out = dir.path().join("out.pkt");
    std::fs::write(&out, b"previous output").unwrap();
    zcpkt()
        .args(["filter"])
        .arg(&file)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("offset 31: truncated packet"));
    assert_eq!(std::fs::read(&out).unwrap(), b"previous output");
    assert_eq!(entries(dir.path()), ["in.pkt", "out.pkt"]);
}

fn one_line_io_error(stderr: &[u8], what: &str) {
    let stderr = text(stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with(&format!("zcpkt: {what}")), "{stderr}");
}

#[test]
fn filter_into_an_unusable_output_exits_2_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.pkt");
    std::fs::write(&file, example()).unwrap();
    // OUT is a directory: the rename fails after the temp file was written.
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let run = |out: &Path| {
        let assert = zcpkt().arg("filter").arg(&file).arg("-o").arg(out).assert().code(2);
        assert!(assert.get_output().stdout.is_empty());
        text(&assert.get_output().stderr)
    };
    let stderr = run(&out_dir);
    one_line_io_error(stderr.as_bytes(), &format!("cannot write {}", out_dir.display()));
    assert_eq!(entries(dir.path()), ["in.pkt", "out"]);
    assert!(entries(&out_dir).is_empty());
    // OUT in a directory that does not exist.
    let stderr = run(&dir.path().join("missing").join("out.pkt"));
    one_line_io_error(stderr.as_bytes(), "cannot create ");
    assert_eq!(entries(dir.path()), ["in.pkt", "out"]);
    // OUT in a directory without write permission (not a barrier for root).
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    set_mode(&ro, 0o555);
    if std::fs::write(ro.join("probe"), b"").is_ok() {
        eprintln!(
            "running with privileges that ignore directory permissions: read-only case skipped"
        );
        std::fs::remove_file(ro.join("probe")).unwrap();
    } else {
        let stderr = run(&ro.join("out.pkt"));
        one_line_io_error(stderr.as_bytes(), "cannot create ");
        assert!(entries(&ro).is_empty());
    }
    set_mode(&ro, 0o755);
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn unreadable_inputs_are_one_line_errors_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let subdir = dir.path().join("a-directory");
    std::fs::create_dir(&subdir).unwrap();
    let missing = dir.path().join("missing.pkt");
    let locked = dir.path().join("locked.pkt");
    std::fs::write(&locked, example()).unwrap();
    set_mode(&locked, 0o000);
    let mut paths: Vec<PathBuf> = vec![subdir, missing];
    if std::fs::File::open(&locked).is_ok() {
        eprintln!("running with privileges that ignore file permissions: chmod 000 case skipped");
    } else {
        paths.push(locked);
    }
    let out = dir.path().join("out.pkt");
    for path in &paths {
        let mut commands: Vec<Vec<&str>> = COMMANDS.iter().map(|c| c.to_vec()).collect();
        commands.push(vec!["filter", "-o", out.to_str().unwrap()]);
        for command in &commands {
            let assert = zcpkt().args(command).arg(path).assert().code(2);
            assert!(assert.get_output().stdout.is_empty(), "{command:?} {path:?}");
            let what = format!("cannot read {}: ", path.display());
            one_line_io_error(&assert.get_output().stderr, &what);
        }
    }
    assert!(!out.exists());
    let mut names = entries(dir.path());
    names.retain(|n| n != "locked.pkt");
    assert_eq!(names, ["a-directory"]);
}

/// About 64 MiB: 64 packets with a 1 MiB payload.
fn big_capture() -> Vec<u8> {
    let payload: Vec<u8> = (0..1u32 << 20).map(|i| (i * 7 % 251) as u8).collect();
    encode(NewPacket::new("a", "b", &payload).timestamp(5)).repeat(64)
}

fn is_temp_name(name: &str, out: &str) -> bool {
    name.strip_prefix(&format!(".{out}.")).and_then(|rest| rest.strip_suffix(".tmp")).is_some_and(
        |middle| middle.split('.').all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())),
    )
}

/// SIGKILL while standard input is still open: the filter cannot have
/// finished, so OUT must not exist; a temporary may remain (reported).
#[test]
fn filter_killed_mid_way_leaves_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.pkt");
    let capture = big_capture();
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("zcpkt"))
        .args(["filter", "-", "-o"])
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Half the capture, and the pipe stays open: no end of input yet.
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&capture[..capture.len() / 2]);
        stdin
    });
    std::thread::sleep(Duration::from_millis(100));
    child.kill().unwrap();
    let status = child.wait().unwrap();
    drop(feeder.join().unwrap());
    assert_eq!(status.signal(), Some(9));
    assert!(!out.exists());
    let left = entries(dir.path());
    for name in &left {
        assert!(is_temp_name(name, "out.pkt"), "unexpected file {name}");
    }
    eprintln!("after SIGKILL (stdin open): {left:?}");
}

/// SIGKILL about 100 ms into filtering a 64 MiB file: OUT is absent, or
/// complete if the filter had already finished.
#[test]
fn filter_of_a_big_file_killed_after_100_ms_leaves_no_partial_output() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.pkt");
    let capture = big_capture();
    std::fs::write(&file, &capture).unwrap();
    let out = dir.path().join("out.pkt");
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("zcpkt"))
        .arg("filter")
        .arg(&file)
        .arg("-o")
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let _ = child.kill();
    let status = child.wait().unwrap();
    if out.exists() {
        assert_eq!(std::fs::read(&out).unwrap(), capture, "OUT exists but is partial");
    }
    let left = entries(dir.path());
    for name in &left {
        assert!(name == "big.pkt" || name == "out.pkt" || is_temp_name(name, "out.pkt"), "{name}");
    }
    eprintln!("after SIGKILL at 100 ms: status {status:?}, files {left:?}");
}

/// `zcpkt ... | head -1`: the reader goes away; zcpkt stops quietly.
fn into_head(args: &[&str], file: &Path) -> (String, std::process::ExitStatus, String) {
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("zcpkt"))
        .args(args)
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let head = StdCommand::new("head")
        .arg("-1")
        .stdin(Stdio::from(child.stdout.take().unwrap()))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let first = head.wait_with_output().unwrap();
    let mut stderr = String::new();
    BufReader::new(child.stderr.take().unwrap()).read_line(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    (text(&first.stdout), status, stderr)
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    // 100 000 packets, every other one with a checksum mismatch, so that
    // every command has a lot to print.
    let mut bad = example();
    *bad.last_mut().unwrap() = b'I';
    let mut pair = example();
    pair.extend(&bad);
    let file = dir.path().join("big.pkt");
    std::fs::write(&file, pair.repeat(50_000)).unwrap();
    for args in [&["dump", "--json"][..], &["dump"], &["dump", "--json", "--recover"], &["check"]] {
        let (first, status, stderr) = into_head(args, &file);
        assert_eq!(first.lines().count(), 1, "{args:?}: {first}");
        // The output is far larger than a pipe holds: the write fails with
        // EPIPE, which ends the command with status 0 and nothing on stderr.
        assert_eq!((status.code(), stderr.as_str()), (Some(0), ""), "{args:?}");
        if args[..] == ["dump", "--json"] {
            assert_eq!(first.trim_end(), EXAMPLE_LINE);
        }
    }
}

/// `-o` naming a FIFO (or a device such as /dev/null): the packets go into
/// it and it stays what it was. Before the fix, the temp-and-rename writer
/// replaced it with a regular file (as root, `-o /dev/null` replaced the
/// device node).
#[test]
fn filter_into_a_fifo_writes_through_it_and_keeps_it() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.pkt");
    let mut capture = example();
    capture.extend(example());
    std::fs::write(&file, &capture).unwrap();
    let fifo = dir.path().join("fifo");
    assert!(StdCommand::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let run = zcpkt().arg("filter").arg(&file).arg("-o").arg(&fifo).assert();
    // Checked before joining: a reader left without a writer would block.
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    run.code(0);
    assert_eq!(reader.join().unwrap(), capture);
    assert_eq!(entries(dir.path()), ["fifo", "in.pkt"]);
}

/// dump-json.md: after Truncated the reader looks for the next valid
/// packet, "as without a limit", also on standard input where the default
/// maximum is 16 MiB. Here the first packet's PAYLOAD_LEN has its top bit
/// flipped (a claim of 2 GiB): the two packets after it must be found.
#[test]
fn stdin_recovery_resyncs_after_a_claim_over_the_stream_maximum() {
    let mut bytes = example();
    bytes[11] ^= 0x80;
    bytes.extend(example());
    bytes.extend(example());
    let expected = [
        r#"{"kind":"error","offset":0,"error":"Truncated","detail":{"available":93}}"#.to_owned(),
        r#"{"kind":"skipped","offset":0,"len":31}"#.to_owned(),
        example_line_at(31),
        example_line_at(62),
    ];
    zcpkt()
        .args(["dump", "--json", "--recover", "-"])
        .write_stdin(bytes)
        .assert()
        .code(1)
        .stdout(lines(&expected))
        .stderr("");
}

/// The stream reader's one documented exception: a claim over the maximum
/// cut short more than the maximum's bytes after it. Piped, its bytes were
/// counted through, so recovery skips to the end; as a file (a path, or
/// standard input redirected from one) they are searched.
#[test]
fn piped_recovery_after_a_claim_cut_short_beyond_the_maximum_skips_to_the_end() {
    let mut bytes = example();
    bytes[11] ^= 0x80;
    for _ in 0..3 {
        bytes.extend(example());
    }
    let truncated =
        r#"{"kind":"error","offset":0,"error":"Truncated","detail":{"available":124}}"#.to_owned();
    let args = ["dump", "--json", "--recover", "--max-packet", "64"];
    zcpkt()
        .args(args)
        .arg("-")
        .write_stdin(bytes.clone())
        .assert()
        .code(1)
        .stdout(lines(&[truncated.clone(), r#"{"kind":"skipped","offset":0,"len":124}"#.into()]))
        .stderr("");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("claim.pkt");
    std::fs::write(&path, &bytes).unwrap();
    let searched = [
        truncated,
        r#"{"kind":"skipped","offset":0,"len":31}"#.to_owned(),
        example_line_at(31),
        example_line_at(62),
        example_line_at(93),
    ];
    zcpkt().args(args).arg(&path).assert().code(1).stdout(lines(&searched)).stderr("");
    stdin_from_file(&args, &path).code(1).stdout(lines(&searched)).stderr("");
}

/// Runs `zcpkt ARGS -` with standard input redirected from the file at
/// `path` (a shell's `< path`). assert_cmd's own `pipe_stdin` would copy
/// the file through a pipe instead.
fn stdin_from_file(args: &[&str], path: &Path) -> assert_cmd::assert::Assert {
    use assert_cmd::assert::OutputAssertExt;
    StdCommand::new(assert_cmd::cargo::cargo_bin("zcpkt"))
        .args(args)
        .arg("-")
        .stdin(std::fs::File::open(path).unwrap())
        .output()
        .unwrap()
        .assert()
}

/// `zcpkt check - < file` reads the file as its path would be read: mapped,
/// with no default maximum packet size (a pipe's is 16 MiB).
#[test]
fn stdin_redirected_from_a_regular_file_gets_the_file_defaults() {
    let payload = vec![0x5A; 16 << 20];
    let big = encode(NewPacket::new("a", "b", &payload));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.pkt");
    std::fs::write(&path, &big).unwrap();
    let size = big.len();
    let too_large = format!(
        r#"{{"kind":"error","offset":0,"error":"TooLarge","detail":{{"size":{size},"limit":16777216}}}}"#
    );

    stdin_from_file(&["check"], &path).code(0).stderr("");
    zcpkt().args(["check"]).arg(&path).assert().code(0).stderr("");
    zcpkt()
        .args(["dump", "--json", "-"])
        .write_stdin(big)
        .assert()
        .code(1)
        .stdout(lines(std::slice::from_ref(&too_large)));
    // `--max-packet` still applies, as to the path.
    stdin_from_file(&["dump", "--json", "--max-packet", "16MiB"], &path)
        .code(1)
        .stdout(lines(&[too_large]));
}

/// Standard input from a file already partly read is read from its
/// position on, as a stream: offsets count from there.
#[test]
fn stdin_from_a_file_partly_read_starts_at_its_position() {
    use std::io::{Seek, SeekFrom};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.pkt");
    std::fs::write(&path, [example(), example()].concat()).unwrap();
    let mut file = std::fs::File::open(&path).unwrap();
    file.seek(SeekFrom::Start(31)).unwrap();
    let out = StdCommand::new(assert_cmd::cargo::cargo_bin("zcpkt"))
        .args(["dump", "--json", "-"])
        .stdin(file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), lines(&[example_line_at(0)]));
}

/// A path that is a FIFO (as `<(command)` gives) has no length to map: it
/// is read as a stream, not mistaken for an empty file.
#[test]
fn a_fifo_path_is_streamed() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("capture.fifo");
    assert!(StdCommand::new("mkfifo").arg(&fifo).status().unwrap().success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut bytes = example();
            bytes.extend(example());
            std::fs::write(fifo, bytes).unwrap();
        })
    };
    zcpkt()
        .args(["dump", "--json"])
        .arg(&fifo)
        .assert()
        .code(0)
        .stdout(lines(&[EXAMPLE_LINE.to_owned(), example_line_at(31)]))
        .stderr("");
    writer.join().unwrap();
}

#[test]
fn a_directory_path_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = zcpkt().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("zcpkt: cannot read "), "{stderr}");
}
