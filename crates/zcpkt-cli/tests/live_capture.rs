//! Real traffic, really captured: the test sends TCP, UDP and ICMP over
//! loopback (IPv4 and, where the host has it, IPv6 `::1`) while
//! `tcpdump -i lo -w FILE -U` (pcap) and `dumpcap -i lo -w FILE` (pcapng)
//! record it, then checks that
//!
//! - each file holds the traffic sent (every UDP payload once, the TCP
//!   request and response, one ICMP/ICMPv6 port unreachable per datagram
//!   sent to a closed port),
//! - `zcpkt fields` prints byte for byte what `tshark -T fields` prints for
//!   every field of `fields.md`,
//! - `zcpkt info` counts what `capinfos`, `tcpdump --count -r` and the
//!   capturing tool itself counted, and agrees with capinfos' lines.
//!
//! Capturing needs root or CAP_NET_RAW and the tools. Without them the test
//! prints why it did not run; with the environment variable `CI` set it
//! fails instead, since CI runs as root with the tools installed and must
//! really run it.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zcpkt::capture::{detect, Format, Frame};
use zcpkt::proto::fields::FieldName;
use zcpkt::proto::{Layer, Layers};
use zcpkt::{pcap, pcapng};

/// How long any one wait (a tool starting, a marker reaching a file, a tool
/// stopping, a socket read) may take before the test gives up.
const WAIT: Duration = Duration::from_secs(20);

const SYNC: &[u8] = b"zcpkt-live-capture sync marker";
const END: &[u8] = b"zcpkt-live-capture end marker";

// ---- skipping, loudly --------------------------------------------------

/// Whether the test must run (CI), so a missing tool or privilege fails.
fn required() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// Why capturing on `lo` is impossible here, if it is.
fn cannot_capture() -> Option<String> {
    for tool in ["tcpdump", "dumpcap", "tshark", "capinfos"] {
        let found = Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success());
        if !found {
            return Some(format!("{tool} is not installed"));
        }
    }
    // CAP_NET_RAW is bit 13 of the effective capability set; root has it
    // unless a container took it away, and a non-root user may be given it.
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let effective = status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok());
    match effective {
        Some(caps) if caps & (1 << 13) != 0 => None,
        Some(caps) => Some(format!(
            "capturing on lo needs root or CAP_NET_RAW (effective capabilities {caps:#x})"
        )),
        None => Some("cannot read the effective capabilities from /proc/self/status".into()),
    }
}

/// Prints the reason and returns (or, under CI, fails).
fn skip(reason: &str) {
    assert!(!required(), "live capture test cannot run, but CI must run it: {reason}");
    eprintln!("SKIPPED: live capture on lo: {reason}");
}

// ---- the capturing tools -----------------------------------------------

/// A running tcpdump or dumpcap, with its standard error collected as it
/// comes (a reader thread), so readiness can be waited for.
struct Capture {
    tool: &'static str,
    path: PathBuf,
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl Capture {
    /// Starts `tool` on `lo` writing `path` with capture filter `filter`,
    /// and waits until it says it captures. `Err` with its words if it
    /// exits first.
    fn start(tool: &'static str, path: &Path, filter: &str) -> Result<Self, String> {
        let mut cmd = Command::new(tool);
        match tool {
            // -U: each packet reaches the file as it is captured. -Z root:
            // tcpdump would otherwise drop to user `tcpdump` before opening
            // the file, which it cannot create in a root-only temp dir.
            "tcpdump" => {
                cmd.args(["-i", "lo", "-n", "-U", "-Z", "root", "-w"]).arg(path).arg(filter)
            }
            _ => cmd.args(["-i", "lo", "-f", filter, "-w"]).arg(path),
        };
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {tool}: {e}"))?;
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n @ 1..) = pipe.read(&mut chunk) {
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&chunk[..n]));
            }
        });
        // What each prints once the capture is open and the file created.
        let ready = match tool {
            "tcpdump" => "listening on lo",
            _ => "File: ",
        };
        let capture = Self { tool, path: path.to_owned(), child, stderr };
        let start = Instant::now();
        let mut capture = capture;
        loop {
            if capture.stderr().contains(ready) {
                return Ok(capture);
            }
            if let Ok(Some(status)) = capture.child.try_wait() {
                std::thread::sleep(Duration::from_millis(100));
                return Err(format!("{tool} exited ({status}): {}", capture.stderr().trim()));
            }
            if start.elapsed() > WAIT {
                let _ = capture.child.kill();
                return Err(format!("{tool} did not start in {WAIT:?}: {}", capture.stderr()));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Whether the file written so far holds `needle` (the tool flushes
    /// whole packets: tcpdump each one with -U, dumpcap every ~100 ms).
    fn file_holds(&self, needle: &[u8]) -> bool {
        std::fs::read(&self.path).is_ok_and(|bytes| contains(&bytes, needle))
    }

    /// Stops the tool as a person would (Ctrl-C: it finishes the file and
    /// prints its counts) and returns how many packets it says it captured.
    fn stop(mut self) -> u64 {
        let pid = libc::pid_t::try_from(self.child.id()).unwrap();
        // SAFETY: kill(2) takes plain integers; `pid` is our own child, not
        // yet waited for, so the id cannot have been reused.
        let rc = unsafe { libc::kill(pid, libc::SIGINT) };
        assert_eq!(rc, 0, "kill({pid}, SIGINT): {}", std::io::Error::last_os_error());
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > WAIT {
                let _ = self.child.kill();
                panic!("{} did not stop on SIGINT: {}", self.tool, self.stderr());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        // The reader thread sees end of file once the tool is gone; give it
        // the moment it needs to take the last lines.
        let start = Instant::now();
        let words = if self.tool == "tcpdump" { " packets captured" } else { "Packets captured: " };
        while !self.stderr().contains(words) && start.elapsed() < Duration::from_secs(2) {
            std::thread::sleep(Duration::from_millis(20));
        }
        let text = self.stderr();
        assert!(status.success() || status.code().is_none(), "{} failed: {text}", self.tool);
        captured_count(self.tool, &text)
            .unwrap_or_else(|| panic!("{}: no packet count in {text:?}", self.tool))
    }
}

/// The count a tool prints when it stops: tcpdump's `N packets captured`,
/// dumpcap's `Packets captured: N`.
fn captured_count(tool: &str, stderr: &str) -> Option<u64> {
    stderr.lines().find_map(|line| {
        let line = line.trim();
        if tool == "tcpdump" {
            line.strip_suffix(" packets captured")?.trim().parse().ok()
        } else {
            let at = line.find("Packets captured: ")?;
            line[at + "Packets captured: ".len()..].split_whitespace().next()?.parse().ok()
        }
    })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// ---- the traffic -------------------------------------------------------

/// Sockets bound before the capture starts, so the capture filter can name
/// their ports and nothing else on the machine's loopback gets in.
struct Endpoints {
    sync: UdpSocket,
    sync_sink: UdpSocket,
    families: Vec<Family>,
}

/// One address family's sockets.
struct Family {
    label: &'static str,
    udp_from: UdpSocket,
    udp_to: UdpSocket,
    tcp: TcpListener,
    /// A port nobody listens on: datagrams to it come back as ICMP errors.
    closed: u16,
}

impl Family {
    fn bind(label: &'static str, ip: IpAddr) -> std::io::Result<Self> {
        let any = SocketAddr::new(ip, 0);
        let udp_from = UdpSocket::bind(any)?;
        let udp_to = UdpSocket::bind(any)?;
        udp_to.set_read_timeout(Some(WAIT))?;
        let tcp = TcpListener::bind(any)?;
        // Bound then dropped: free again, and an ephemeral port is not
        // handed out again at once.
        let closed = UdpSocket::bind(any)?.local_addr()?.port();
        Ok(Self { label, udp_from, udp_to, tcp, closed })
    }

    fn port(socket: &UdpSocket) -> u16 {
        socket.local_addr().unwrap().port()
    }

    fn udp_payload(&self, i: usize) -> Vec<u8> {
        format!("zcpkt-live-capture {} datagram {i}", self.label).into_bytes()
    }

    fn tcp_request(&self) -> Vec<u8> {
        format!("zcpkt-live-capture {} request", self.label).into_bytes()
    }

    fn tcp_response(&self) -> Vec<u8> {
        format!("zcpkt-live-capture {} response, a little longer", self.label).into_bytes()
    }
}

const DATAGRAMS: usize = 5;
const UNREACHABLE: usize = 3;

impl Endpoints {
    fn bind() -> Self {
        let v4 = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let sync = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let sync_sink = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let mut families = vec![Family::bind("ipv4", v4).unwrap()];
        match Family::bind("ipv6", IpAddr::V6(Ipv6Addr::LOCALHOST)) {
            Ok(family) => families.push(family),
            Err(e) => eprintln!("note: no IPv6 on loopback here ({e}); IPv4 only"),
        }
        Self { sync, sync_sink, families }
    }

    /// Only this test's traffic: its ports, and ICMP (the unreachables).
    fn capture_filter(&self) -> String {
        let mut terms = vec![format!("udp port {}", Family::port(&self.sync_sink))];
        for f in &self.families {
            terms.push(format!("udp port {}", Family::port(&f.udp_to)));
            terms.push(format!("udp port {}", f.closed));
            terms.push(format!("tcp port {}", f.tcp.local_addr().unwrap().port()));
        }
        terms.push("icmp".into());
        if self.families.len() > 1 {
            terms.push("icmp6".into());
        }
        terms.join(" or ")
    }

    /// Sends `marker` until every capture's file holds it: then the tools
    /// capture (start) or have everything sent before it (end).
    fn mark(&self, marker: &[u8], captures: &[&Capture]) {
        let to = self.sync_sink.local_addr().unwrap();
        let start = Instant::now();
        while !captures.iter().all(|c| c.file_holds(marker)) {
            assert!(start.elapsed() < WAIT, "{:?} never reached the capture files", marker);
            self.sync.send_to(marker, to).unwrap();
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The traffic the assertions count.
    fn exchange(&self) {
        for f in &self.families {
            let to = f.udp_to.local_addr().unwrap();
            for i in 0..DATAGRAMS {
                f.udp_from.send_to(&f.udp_payload(i), to).unwrap();
                let mut buf = [0u8; 256];
                let (n, from) = f.udp_to.recv_from(&mut buf).unwrap();
                assert_eq!(
                    (&buf[..n], from),
                    (&f.udp_payload(i)[..], f.udp_from.local_addr().unwrap())
                );
            }

            let server = f.tcp.local_addr().unwrap();
            let mut client = TcpStream::connect(server).unwrap();
            client.set_read_timeout(Some(WAIT)).unwrap();
            let (mut accepted, _) = f.tcp.accept().unwrap();
            accepted.set_read_timeout(Some(WAIT)).unwrap();
            client.write_all(&f.tcp_request()).unwrap();
            let mut request = vec![0; f.tcp_request().len()];
            accepted.read_exact(&mut request).unwrap();
            assert_eq!(request, f.tcp_request());
            accepted.write_all(&f.tcp_response()).unwrap();
            let mut response = vec![0; f.tcp_response().len()];
            client.read_exact(&mut response).unwrap();
            assert_eq!(response, f.tcp_response());
            // Both sides close; reading to the end waits for the peer's FIN.
            client.shutdown(std::net::Shutdown::Write).unwrap();
            assert_eq!(accepted.read(&mut [0; 16]).unwrap(), 0);
            drop(accepted);
            assert_eq!(client.read(&mut [0; 16]).unwrap(), 0);
            drop(client);

            let closed = SocketAddr::new(f.udp_from.local_addr().unwrap().ip(), f.closed);
            for i in 0..UNREACHABLE {
                f.udp_from.send_to(format!("to a closed port {i}").as_bytes(), closed).unwrap();
                // The ICMP error is queued on the socket; take it so the
                // next send does not fail with it.
                let _ = f.udp_from.take_error();
            }
        }
    }
}

// ---- the comparisons ---------------------------------------------------

fn all_fields() -> Vec<&'static str> {
    FieldName::ALL.iter().map(|f| f.as_str()).collect()
}

fn field_args(fields: &[&str]) -> Vec<String> {
    fields.iter().flat_map(|f| ["-e".to_string(), f.to_string()]).collect()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{cmd:?} failed: {}", text(&out.stderr));
    out
}

fn zcpkt() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin("zcpkt"))
}

/// `zcpkt fields` and `tshark -T fields` (with the options fields.md
/// names), every field; they must be equal. Returns the lines.
fn fields_agree(path: &Path) -> Vec<String> {
    let fields = all_fields();
    let ours =
        run(zcpkt().arg("fields").arg(path).args(["-E", "separator=,"]).args(field_args(&fields)));
    assert_eq!(text(&ours.stderr), "");
    let theirs = run(Command::new("tshark")
        .args(["-n", "-o", "tcp.desegment_tcp_streams:FALSE", "-o", "ip.defragment:FALSE"])
        .args(["-o", "ipv6.defragment:FALSE", "-r"])
        .arg(path)
        .args(["-T", "fields", "-E", "separator=,", "-E", "aggregator=;", "-E", "occurrence=a"])
        .args(field_args(&fields)));
    let (a, b) = (text(&ours.stdout), text(&theirs.stdout));
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        assert_eq!(x, y, "{path:?} line {}: zcpkt (left) and tshark (right) differ", i + 1);
    }
    assert_eq!(a.lines().count(), b.lines().count(), "{path:?}: line counts differ");
    assert!(a == b, "{path:?}: outputs differ");
    a.lines().map(str::to_owned).collect()
}

/// A column's cell in one `fields` line (separator `,`).
fn cell<'a>(line: &'a str, field: &str) -> &'a str {
    let column = all_fields().iter().position(|f| *f == field).unwrap();
    line.split(',').nth(column).unwrap()
}

/// capinfos' text lines that zcpkt prints the same, in order.
fn comparable_lines(info: &str) -> Vec<String> {
    const SAME: &[&str] = &[
        "File encapsulation:",
        "File timestamp precision:",
        "Number of packets:",
        "File size:",
        "Data size:",
        "Strict time order:",
        "Capture hardware:",
        "Capture oper-sys:",
        "Capture application:",
        "Number of interfaces in file:",
        "Name = ",
        "Description = ",
        "Capture length = ",
        "Time precision = ",
        "Number of packets = ",
    ];
    info.lines()
        .map(str::trim)
        .filter(|l| SAME.iter().any(|p| l.starts_with(p)))
        .map(str::to_owned)
        .collect()
}

/// capinfos' machine-readable values: packets, data size, first and last
/// time (epoch seconds), as zcpkt info --json gives them.
fn info_agrees(path: &Path, tool_count: u64) -> u64 {
    let json = run(zcpkt().args(["info", "--json"]).arg(path));
    let j: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let packets = j["packets"].as_u64().unwrap();
    assert_eq!(packets, tool_count, "{path:?}: the capturing tool counted otherwise");

    let table = run(Command::new("capinfos")
        .args(["-T", "-M", "-r", "-S", "-c", "-d", "-a", "-e"])
        .arg(path));
    let table = text(&table.stdout);
    let c: Vec<&str> = table.trim_end().split('\t').collect();
    assert_eq!(c.len(), 5, "{table}");
    assert_eq!(c[1].parse::<u64>().unwrap(), packets, "capinfos packets");
    assert_eq!(c[2].parse::<u64>().unwrap(), j["data_size"].as_u64().unwrap(), "data size");
    let time = |key: &str| nanos(j[key]["epoch"].as_str().unwrap());
    assert_eq!(nanos(c[3]), time("first_time"), "first packet time");
    assert_eq!(nanos(c[4]), time("last_time"), "last packet time");

    let counted = run(Command::new("tcpdump").args(["--count", "-r"]).arg(path));
    let counted = text(&counted.stdout);
    assert_eq!(counted.split_whitespace().next(), Some(packets.to_string().as_str()), "tcpdump");

    let ours = text(&run(zcpkt().arg("info").arg(path)).stdout);
    let theirs = text(&run(Command::new("capinfos").arg(path)).stdout);
    assert_eq!(comparable_lines(&ours), comparable_lines(&theirs), "{path:?}: info vs capinfos");
    packets
}

/// Epoch seconds as capinfos (as many decimals as the file's precision)
/// or zcpkt (always 9) prints them, in nanoseconds.
fn nanos(text: &str) -> i128 {
    let (secs, frac) = text.split_once('.').unwrap_or((text, ""));
    let frac = format!("{frac:0<9}");
    secs.parse::<i128>().unwrap() * 1_000_000_000 + frac[..9].parse::<i128>().unwrap()
}

/// Every frame of a capture's bytes, read with the library.
fn frames_of<'a>(path: &Path, bytes: &'a [u8]) -> Vec<Frame<'a>> {
    match detect(bytes) {
        Some(Format::Pcap) => pcap::Parser::new().frames(bytes).map(Result::unwrap).collect(),
        Some(Format::PcapNg) => pcapng::Parser::new().frames(bytes).map(Result::unwrap).collect(),
        other => panic!("{path:?}: {other:?}"),
    }
}

/// The captured bytes of every frame.
fn frame_data(path: &Path) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(path).unwrap();
    frames_of(path, &bytes).iter().map(|f| f.data.to_vec()).collect()
}

/// Sequence number and payload of every TCP segment with a payload to
/// (`to_server`) or from the server's `port`, in file order.
fn tcp_segments(path: &Path, port: u16, to_server: bool) -> Vec<(u32, Vec<u8>)> {
    let bytes = std::fs::read(path).unwrap();
    frames_of(path, &bytes)
        .iter()
        .filter_map(|frame| {
            Layers::of_frame(frame).find_map(|l| if let Layer::Tcp(t) = l { Some(t) } else { None })
        })
        .filter(|t| if to_server { t.destination_port() } else { t.source_port() } == port)
        .filter(|t| !t.payload().is_empty())
        .map(|t| (t.sequence_number(), t.payload().to_vec()))
        .collect()
}

/// The file holds what `exchange` sent, as zcpkt's (= tshark's) fields and
/// the frames' bytes show.
fn holds_the_traffic(path: &Path, ends: &Endpoints, lines: &[String]) {
    let frames = frame_data(path);
    assert_eq!(frames.len(), lines.len());
    let frames_with = |needle: &[u8]| frames.iter().filter(|d| contains(d, needle)).count();
    for f in &ends.families {
        let (from, to) =
            (Family::port(&f.udp_from).to_string(), Family::port(&f.udp_to).to_string());
        let ip_field = if f.label == "ipv4" { "ip.src" } else { "ipv6.src" };
        let localhost = if f.label == "ipv4" { "127.0.0.1" } else { "::1" };
        let udp: Vec<&String> = lines
            .iter()
            .filter(|l| cell(l, "udp.srcport") == from && cell(l, "udp.dstport") == to)
            .collect();
        assert_eq!(udp.len(), DATAGRAMS, "{path:?} {}: UDP datagrams", f.label);
        for l in &udp {
            assert_eq!(cell(l, ip_field), localhost, "{l}");
            assert_eq!(cell(l, "eth.type"), if f.label == "ipv4" { "0x0800" } else { "0x86dd" });
        }
        for i in 0..DATAGRAMS {
            assert_eq!(frames_with(&f.udp_payload(i)), 1, "{path:?}: {} datagram {i}", f.label);
        }

        // TCP may retransmit (a loaded machine delays the ACK past the
        // tail-loss probe's timer), so each direction's bytes are the
        // distinct segments by sequence number; `tcp.len` counts them all.
        let server = f.tcp.local_addr().unwrap().port();
        for (to_server, sent, what) in
            [(true, f.tcp_request(), "request"), (false, f.tcp_response(), "response")]
        {
            let segments = tcp_segments(path, server, to_server);
            let distinct: BTreeMap<u32, &[u8]> =
                segments.iter().map(|(seq, data)| (*seq, &data[..])).collect();
            assert_eq!(distinct.values().copied().collect::<Vec<_>>().concat(), sent, "{what}");
            let port = if to_server { "tcp.dstport" } else { "tcp.srcport" };
            let tcp_len: usize = lines
                .iter()
                .filter(|l| cell(l, port) == server.to_string())
                .map(|l| cell(l, "tcp.len").parse::<usize>().unwrap())
                .sum();
            let carried: usize = segments.iter().map(|(_, data)| data.len()).sum();
            assert_eq!(tcp_len, carried, "{path:?} {}: {what}: tcp.len", f.label);
            assert_eq!(frames_with(&sent), segments.len(), "{path:?}: {what}");
            if segments.len() > distinct.len() {
                eprintln!("{path:?} {}: {what} retransmitted", f.label);
            }
        }

        // Port unreachable: ICMP type 3 / ICMPv6 type 1, quoting the
        // datagram's IP and UDP headers (so the port shows in the cell).
        let (icmp, unreachable) =
            if f.label == "ipv4" { ("icmp.type", "3") } else { ("icmpv6.type", "1") };
        let closed = f.closed.to_string();
        let errors = lines
            .iter()
            .filter(|l| cell(l, icmp) == unreachable && cell(l, "udp.dstport") == closed)
            .count();
        assert_eq!(errors, UNREACHABLE, "{path:?} {}: ICMP port unreachable", f.label);
        let quoted = format!("{localhost};{localhost}");
        assert!(lines.iter().any(|l| cell(l, ip_field) == quoted), "{path:?}: nested IP");
    }
}

#[test]
fn loopback_traffic_captured_by_tcpdump_and_dumpcap_reads_as_tshark_and_capinfos_read_it() {
    if let Some(reason) = cannot_capture() {
        return skip(&reason);
    }
    let dir = tempfile::tempdir().unwrap();
    let ends = Endpoints::bind();
    let filter = ends.capture_filter();
    let pcap_path = dir.path().join("lo.pcap");
    let ng_path = dir.path().join("lo.pcapng");
    let tcpdump = match Capture::start("tcpdump", &pcap_path, &filter) {
        Ok(c) => c,
        Err(reason) => return skip(&reason),
    };
    let dumpcap = match Capture::start("dumpcap", &ng_path, &filter) {
        Ok(c) => c,
        Err(reason) => {
            tcpdump.stop();
            return skip(&reason);
        }
    };
    ends.mark(SYNC, &[&tcpdump, &dumpcap]);
    ends.exchange();
    ends.mark(END, &[&tcpdump, &dumpcap]);
    let tcpdump_count = tcpdump.stop();
    let dumpcap_count = dumpcap.stop();

    for (path, count, format) in
        [(&pcap_path, tcpdump_count, Format::Pcap), (&ng_path, dumpcap_count, Format::PcapNg)]
    {
        assert_eq!(detect(&std::fs::read(path).unwrap()), Some(format));
        let lines = fields_agree(path);
        let packets = info_agrees(path, count);
        assert_eq!(lines.len() as u64, packets);
        holds_the_traffic(path, &ends, &lines);
        eprintln!("{}: {packets} frames, zcpkt == tshark, capinfos, tcpdump", path.display());
    }
}
