//! A progress bar on stderr that appears only when a human can see it and
//! the work has already taken over a second (short runs stay silent).

use std::io::{self, IsTerminal};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

const DELAY: Duration = Duration::from_secs(1);
/// Updating the bar reads the clock, which would cost more than parsing a
/// small packet: update only every few thousand calls or few MiB.
const UPDATE_EVERY_CALLS: u32 = 4096;
const UPDATE_EVERY_BYTES: u64 = 4 << 20;

pub struct Progress {
    /// Hidden until `DELAY` has passed; it runs from the start so that its
    /// rate and ETA cover the whole run.
    bar: Option<ProgressBar>,
    started: Instant,
    shown: bool,
    calls: u32,
    next_update: u64,
}

impl Progress {
    /// A bar for `total` bytes (`None`: unknown size), shown only if
    /// `allowed` and stderr is a terminal.
    pub fn new(total: Option<u64>, allowed: bool) -> Self {
        let bar = (allowed && io::stderr().is_terminal()).then(|| make_bar(total));
        Self { bar, started: Instant::now(), shown: false, calls: 0, next_update: 0 }
    }

    /// Reports that `bytes` bytes are done.
    pub fn set(&mut self, bytes: u64) {
        let Some(bar) = &self.bar else { return };
        self.calls = self.calls.wrapping_add(1);
        if self.calls % UPDATE_EVERY_CALLS != 0 && bytes < self.next_update {
            return;
        }
        self.next_update = bytes.saturating_add(UPDATE_EVERY_BYTES);
        bar.set_position(bytes);
        if !self.shown && self.started.elapsed() >= DELAY {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
    }

    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

fn make_bar(total: Option<u64>) -> ProgressBar {
    let (bar, template) = match total {
        Some(total) => (
            ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden()),
            "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        ),
        None => (
            ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()),
            "{spinner} {bytes} {bytes_per_sec}",
        ),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}
