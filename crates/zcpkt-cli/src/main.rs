//! `zcpkt`: inspect, check, summarise and filter PKT v1, pcap and pcapng
//! captures.
//!
//! This binary is thin: argument parsing, output formatting and exit codes.
//! All parsing lives in the `zcpkt` library; every command reads its input
//! through the one seam in `input.rs`.

mod alloc_count;
mod capture_fold;
mod chunked;
mod cmd;
mod error;
mod input;
mod output;
mod progress;
mod text;
mod time;
mod top;
mod units;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::{CliError, Outcome};

/// Counts heap allocations, so `zcpkt bench` can report them per job.
#[global_allocator]
static ALLOCATOR: alloc_count::CountingAlloc = alloc_count::CountingAlloc;

/// Inspect, validate, summarise and filter packet captures: PKT v1, pcap and
/// pcapng (detected by magic); print per-frame fields of pcap and pcapng
/// captures as tshark does (`zcpkt fields`).
///
/// FILE may be `-` for standard input everywhere. Exit status: 0 when the
/// input is clean, 1 when it holds errors (they are reported), 2 on a usage
/// error or an input or output that cannot be read or written.
#[derive(Parser, Debug)]
#[command(name = "zcpkt", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    Dump(cmd::dump::Args),
    Check(cmd::check::Args),
    Stats(cmd::stats::Args),
    Filter(cmd::filter::Args),
    Fields(cmd::fields::Args),
    Gen(cmd::gen::Args),
    Info(cmd::info::Args),
    Bench(cmd::bench::BenchArgs),
    /// Runs one benchmark job (used by `zcpkt bench`, one process per run).
    #[command(hide = true)]
    BenchWorker(cmd::bench::WorkerArgs),
}

fn run(cli: &Cli) -> Result<Outcome, CliError> {
    match &cli.command {
        Command::Dump(args) => cmd::dump::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Stats(args) => cmd::stats::run(args),
        Command::Filter(args) => cmd::filter::run(args),
        Command::Fields(args) => cmd::fields::run(args),
        Command::Gen(args) => cmd::gen::run(args),
        Command::Info(args) => cmd::info::run(args),
        Command::Bench(args) => cmd::bench::run(args),
        Command::BenchWorker(args) => cmd::bench::run_worker(args),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(&err),
    };
    match run(&cli) {
        Ok(Outcome::Clean) | Err(CliError::BrokenPipe) => ExitCode::SUCCESS,
        Ok(Outcome::ErrorsFound) => ExitCode::from(1),
        Err(CliError::Message(message)) => {
            let _ = writeln!(std::io::stderr(), "zcpkt: {message}");
            ExitCode::from(2)
        }
    }
}

/// --help and --version exit 0 with their text; a bare `zcpkt` shows the
/// help and exits 2; other usage errors are one line, exit 2.
fn usage_error(err: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if !err.use_stderr() || err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let _ = err.print();
        return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
    }
    let text = err.render().to_string();
    let message: Vec<&str> =
        text.lines().take_while(|line| !line.trim().is_empty()).map(str::trim).collect();
    let message = message.join(" ");
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    let _ = writeln!(std::io::stderr(), "zcpkt: {message} (see zcpkt --help)");
    ExitCode::from(2)
}
