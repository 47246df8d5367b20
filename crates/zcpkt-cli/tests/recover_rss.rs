//! Peak resident memory of `zcpkt check` and `zcpkt dump --recover` on a
//! mapped pcap and pcapng capture whose only frames-worth of bytes after
//! the header is garbage: the search for where reading resumes crosses the
//! whole file inside one record of the recovering reader, and must release
//! the map's pages as it goes (it once kept all of them: a garbage file's
//! size in resident memory); and of `check` on the same bytes through a
//! pipe, which must let go of what the search passed. Linux only: the peak
//! is the child's `ru_maxrss` from `wait4`.

#![cfg(target_os = "linux")]

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};

const MIB: usize = 1 << 20;

/// Large against the bound below; small enough for a debug build to
/// search in a few seconds.
const GARBAGE: usize = 64 * MIB;

/// Peak RSS allowed (KiB): a few MiB of process and a few of map (the
/// pages near the search, up to 2 MiB folios), far below the file.
const BOUND_KIB: i64 = 24 * 1024;

/// Writes `head` then [`GARBAGE`] pseudo-random bytes (xorshift), in which
/// no record or block is plausible.
fn write_with_garbage(path: &Path, head: &[u8]) {
    let mut out = BufWriter::with_capacity(MIB, std::fs::File::create(path).unwrap());
    out.write_all(head).unwrap();
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..GARBAGE / 8 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.write_all(&x.to_le_bytes()).unwrap();
    }
    out.flush().unwrap();
}

fn pcap_header() -> Vec<u8> {
    let mut h = Vec::new();
    for v in [0xa1b2_c3d4u32.to_le_bytes(), [2, 0, 4, 0], [0; 4], [0; 4], 65535u32.to_le_bytes()] {
        h.extend(v);
    }
    h.extend(1u32.to_le_bytes());
    h
}

/// An SHB and one IDB (Ethernet), little-endian.
fn pcapng_head() -> Vec<u8> {
    let block = |kind: u32, body: &[u8]| {
        let len = (12 + body.len()) as u32;
        [&kind.to_le_bytes()[..], &len.to_le_bytes(), body, &len.to_le_bytes()].concat()
    };
    let shb = [&0x1a2b_3c4du32.to_le_bytes()[..], &[1, 0, 0, 0], &(-1i64).to_le_bytes()].concat();
    let idb = [1u8, 0, 0, 0, 0, 0, 0, 0];
    [block(0x0a0d_0d0a, &shb), block(1, &idb)].concat()
}

/// Runs the built `zcpkt` with `args` and `file` (or `-` with the file
/// written into a pipe on its standard input, when `piped`), output
/// discarded; returns its exit code and peak resident set (KiB).
#[expect(clippy::zombie_processes, reason = "reaped by wait4, which also gives its usage")]
fn run_peak(args: &[&str], file: &Path, piped: bool) -> (i32, i64) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zcpkt"))
        .args(args)
        .arg(if piped { Path::new("-") } else { file })
        .stdin(if piped { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let writer = child.stdin.take().map(|mut stdin| {
        let mut source = std::fs::File::open(file).unwrap();
        std::thread::spawn(move || std::io::copy(&mut source, &mut stdin).map(|_| ()))
    });
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value of that plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4(2) on our own child, not yet waited for (the `Child`
    // is never waited on), writing into two locals that outlive the call.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4: {}", std::io::Error::last_os_error());
    if let Some(writer) = writer {
        writer.join().unwrap().expect("the whole file went into the pipe");
    }
    assert!(libc::WIFEXITED(status), "zcpkt {args:?} did not exit: {status:#x}");
    (libc::WEXITSTATUS(status), usage.ru_maxrss)
}

#[test]
fn a_search_through_a_mapped_garbage_capture_releases_what_it_passed() {
    let dir = tempfile::tempdir().unwrap();
    for (name, head) in [("garbage.pcap", pcap_header()), ("garbage.pcapng", pcapng_head())] {
        let path = dir.path().join(name);
        write_with_garbage(&path, &head);
        let runs = [(&["check", "-q"][..], false), (&["dump", "--recover"], false)];
        for (args, piped) in runs.into_iter().chain([(&["check", "-q"][..], true)]) {
            let (code, peak) = run_peak(args, &path, piped);
            let name = if piped { format!("cat {name} |") } else { name.to_string() };
            eprintln!("zcpkt {args:?} {name}: exit {code}, peak {peak} KiB");
            assert_eq!(code, 1, "zcpkt {args:?} {name}: damage is exit 1");
            assert!(peak < BOUND_KIB, "zcpkt {args:?} {name}: peak {peak} KiB");
        }
    }
}
