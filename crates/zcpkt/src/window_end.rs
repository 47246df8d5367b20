//! [`WindowEnd`]: what a recovering capture reader knows of where its input
//! ends.
//!
//! Over a slice the input ends where the slice does. Over a stream's
//! buffered window it may go on: a decision that looks past the window's
//! end (a record there, the input ending there, a search reaching it) is
//! marked *short*, and the stream (`source::capture_recover_stream`) undoes
//! it and takes it again with more bytes. A search is the exception: it
//! stops at the first position whose check went short, and what it passed
//! stands.

#![forbid(unsafe_code)]

use core::cell::Cell;

use crate::capture::{CaptureError, CaptureErrorKind};

/// Where absolute offset `abs` falls in a window starting at `base` (0 for
/// offsets before it: a search may have let the damage's bytes go).
#[cfg_attr(not(feature = "std"), allow(dead_code))] // for the std stream
pub(crate) fn in_window(abs: u64, base: u64) -> usize {
    usize::try_from(abs.saturating_sub(base)).unwrap_or(usize::MAX)
}

/// Whether a reader's input runs to the input's end, and whether a
/// decision needed bytes past it (see the module docs).
#[derive(Clone, Debug)]
pub(crate) struct WindowEnd {
    complete: bool,
    short: Cell<bool>,
}

/// Where a step of a search that found nothing leaves it.
pub(crate) struct Searched {
    /// Where the search goes on.
    pub(crate) at: usize,
    /// What the step returns: `Some(at)` when there is more to search.
    pub(crate) more: Option<usize>,
}

impl WindowEnd {
    /// The end of a slice: the input's.
    pub(crate) const fn whole() -> Self {
        Self::window(true)
    }

    /// The end of a stream's window; `complete` when the input ends there.
    pub(crate) const fn window(complete: bool) -> Self {
        Self { complete, short: Cell::new(false) }
    }

    /// Whether the input ends at `at`, the window's end being `len`: not
    /// known before the end of an incomplete window, which is then short.
    #[inline]
    pub(crate) fn ends_at(&self, at: usize, len: usize) -> bool {
        if at != len {
            return false;
        }
        self.past_end();
        self.complete
    }

    /// Notes that a decision looked past the window's end.
    #[inline]
    pub(crate) fn past_end(&self) {
        if !self.complete {
            self.short.set(true);
        }
    }

    /// Notes `error` if it says the bytes ended too soon.
    pub(crate) fn truncated(&self, error: &CaptureError) {
        if matches!(error.kind, CaptureErrorKind::Truncated { .. }) {
            self.past_end();
        }
    }

    /// Whether a decision since the flag was last taken went short.
    #[inline]
    pub(crate) fn is_short(&self) -> bool {
        self.short.get()
    }

    /// Whether a decision went short; clears the flag.
    #[cfg_attr(not(feature = "std"), allow(dead_code))] // for the std stream
    pub(crate) fn take_short(&self) -> bool {
        self.short.replace(false)
    }

    /// Where a search step over `..to` that found nothing leaves the
    /// search, in a window of `len` bytes, when its `find` stopped at
    /// `stopped` if it went short: there (what it passed stands); at `to`,
    /// with more to search if `to` is before the end, or if the window may
    /// be followed by more bytes (then short).
    pub(crate) fn searched(&self, to: usize, len: usize, stopped: usize) -> Searched {
        match () {
            () if self.is_short() => Searched { at: stopped, more: Some(stopped) },
            () if to < len => Searched { at: to, more: Some(to) },
            () if self.complete => Searched { at: to, more: None },
            () => {
                self.short.set(true);
                Searched { at: to, more: Some(to) }
            }
        }
    }
}
