//! The error both stream readers give: reading failed, or the input is
//! damaged. One type, so callers handle streams of any format alike.

use std::fmt;
use std::io;

/// Why a stream reader ([`StreamReader`](super::stream::StreamReader),
/// [`CaptureStream`](super::capture_stream::CaptureStream)) gave no item.
#[derive(Debug)]
pub enum SourceError<E> {
    /// Reading failed; the reader is left as it was, so calling again retries.
    Io(io::Error),
    /// The input holds an error at the reader's position (a `pkt::Error` or
    /// a `CaptureError`, with its byte offset).
    Input(E),
}

impl<E: fmt::Display> fmt::Display for SourceError<E> {
    /// The inner error's message, as is.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(error) => error.fmt(f),
            Self::Input(error) => error.fmt(f),
        }
    }
}

impl<E: std::error::Error> std::error::Error for SourceError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        // Display already shows the inner error, so the chain goes on below it.
        match self {
            Self::Io(error) => error.source(),
            Self::Input(error) => error.source(),
        }
    }
}

impl<E> From<io::Error> for SourceError<E> {
    fn from(error: io::Error) -> Self {
        Self::Io(error)
    }
}

impl From<crate::Error> for SourceError<crate::Error> {
    fn from(error: crate::Error) -> Self {
        Self::Input(error)
    }
}

impl From<crate::CaptureError> for SourceError<crate::CaptureError> {
    fn from(error: crate::CaptureError) -> Self {
        Self::Input(error)
    }
}
