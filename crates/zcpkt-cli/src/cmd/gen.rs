//! `zcpkt gen`: write a synthetic capture with the library's generator.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use zcpkt::generate::{generate, GenConfig, GenSummary, Limit, Profile};

use crate::error::{CliError, Outcome};
use crate::output::{self, AtomicFile};
use crate::progress::Progress;
use crate::units::parse_size;

/// Write a synthetic capture (deterministic for a given seed).
///
/// OUT appears only once complete (written under a temporary name, then
/// renamed); `-` writes to standard output. Sizes take units: 4096, 100MB,
/// 512MiB, 1GiB.
#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("limit").required(true).args(["size", "packets"])))]
pub struct Args {
    /// Where to write the capture; `-` for standard output.
    #[arg(value_name = "OUT")]
    pub output: PathBuf,

    /// Packet mix: small, seed, large or mixed.
    #[arg(long, value_name = "P", value_parser = parse_profile)]
    pub profile: Profile,

    /// Stop once about this many bytes are written.
    #[arg(long, value_name = "BYTES", value_parser = parse_size)]
    pub size: Option<u64>,

    /// Stop after this many packets.
    #[arg(long, value_name = "N")]
    pub packets: Option<u64>,

    /// Seed of the generator: the same seed gives the same bytes.
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,
}

pub fn parse_profile(text: &str) -> Result<Profile, String> {
    text.parse()
        .map_err(|_| format!("unknown profile '{text}': expected small, seed, large or mixed"))
}

pub fn run(args: &Args) -> Result<Outcome, CliError> {
    let (limit, total) = match (args.size, args.packets) {
        (Some(bytes), None) => (Limit::Bytes(bytes), Some(bytes)),
        (None, Some(packets)) => (Limit::Packets(packets), None),
        _ => return Err(CliError::usage("gen needs exactly one of --size and --packets")),
    };
    let config = GenConfig { profile: args.profile, seed: args.seed, limit };
    let summary = if args.output.as_os_str() == "-" {
        gen_to_stdout(&config, total)?
    } else {
        gen_to_file(&config, total, &args.output)?
    };
    let where_to = if args.output.as_os_str() == "-" {
        "standard output".to_owned()
    } else {
        crate::text::ShownPath(&args.output).to_string()
    };
    let _ = writeln!(
        io::stderr(),
        "zcpkt gen: wrote {} packets, {} bytes to {where_to}",
        summary.packets,
        summary.bytes
    );
    Ok(Outcome::Clean)
}

/// Writes a capture to `path` (temporary name, renamed when complete), with
/// a progress bar of `total` bytes when stderr is a terminal.
pub fn gen_to_file(
    config: &GenConfig,
    total: Option<u64>,
    path: &Path,
) -> Result<GenSummary, CliError> {
    let mut file = AtomicFile::create(path)?;
    let mut counting = Counting::new(&mut file, Progress::new(total, true));
    let generated = generate(config, &mut counting);
    counting.progress.finish();
    // On error `file` is dropped uncommitted, which removes its temporary.
    let summary = generated
        .map_err(|e| CliError::io(format!("cannot write {}", crate::text::ShownPath(path)), e))?;
    file.commit()?;
    Ok(summary)
}

fn gen_to_stdout(config: &GenConfig, total: Option<u64>) -> Result<GenSummary, CliError> {
    if io::stdout().is_terminal() {
        return Err(CliError::usage("refusing to write binary packets to a terminal"));
    }
    let mut out = output::stdout();
    let mut counting = Counting::new(&mut out, Progress::new(total, true));
    let generated = generate(config, &mut counting);
    counting.progress.finish();
    let summary = generated.map_err(CliError::stdout)?;
    out.flush().map_err(CliError::stdout)?;
    Ok(summary)
}

/// A writer that moves the progress bar by the bytes that pass through.
struct Counting<W> {
    inner: W,
    written: u64,
    progress: Progress,
}

impl<W: Write> Counting<W> {
    fn new(inner: W, progress: Progress) -> Self {
        Self { inner, written: 0, progress }
    }
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        self.progress.set(self.written);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
