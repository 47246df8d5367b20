//! A progress bar on stderr that appears only when a human can see it and
//! the work has already taken over a second (short runs stay silent).

use std::io::{self, IsTerminal};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

const DELAY: Duration = Duration::from_secs(1);
/// Checking the clock on every packet would cost more than parsing a small
/// one: look only every few thousand calls or few MiB, whichever comes first.
const CHECK_EVERY_CALLS: u32 = 4096;
const CHECK_EVERY_BYTES: u64 = 4 << 20;

pub struct Progress {
    total: Option<u64>,
    started: Instant,
    bar: Option<ProgressBar>,
    enabled: bool,
    calls: u32,
    next_check: u64,
}

impl Progress {
    /// A bar for `total` bytes (`None`: unknown size), shown only if
    /// `allowed` and stderr is a terminal.
    pub fn new(total: Option<u64>, allowed: bool) -> Self {
        let enabled = allowed && io::stderr().is_terminal();
        Self { total, started: Instant::now(), bar: None, enabled, calls: 0, next_check: CHECK_EVERY_BYTES }
    }

    /// Reports that `bytes` bytes are done.
    pub fn set(&mut self, bytes: u64) {
        if !self.enabled {
            return;
        }
        if let Some(bar) = &self.bar {
            bar.set_position(bytes);
            return;
        }
        self.calls = self.calls.wrapping_add(1);
        if self.calls % CHECK_EVERY_CALLS != 0 && bytes < self.next_check {
            return;
        }
        self.next_check = bytes.saturating_add(CHECK_EVERY_BYTES);
        if self.started.elapsed() >= DELAY {
            let bar = self.make_bar();
            bar.set_position(bytes);
            self.bar = Some(bar);
        }
    }

    fn make_bar(&self) -> ProgressBar {
        let (bar, template) = match self.total {
            Some(total) => (
                ProgressBar::new(total),
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            ),
            None => (ProgressBar::no_length(), "{spinner} {bytes} {bytes_per_sec}"),
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar
    }

    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
