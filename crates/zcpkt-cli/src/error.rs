//! How a command fails: a one-line message (exit 2), or a quiet stop when
//! the reader of standard output went away.

use std::fmt;
use std::io;

/// A failure that ends a command before it could finish its work.
#[derive(Debug)]
pub enum CliError {
    /// Standard output was closed by its reader (`zcpkt dump big | head`):
    /// not a failure of ours, so it ends the command quietly.
    BrokenPipe,
    /// A usage or I/O problem, reported as one line on standard error.
    Message(String),
}

impl CliError {
    /// An I/O error with what we were doing when it happened.
    pub fn io(context: impl fmt::Display, err: io::Error) -> Self {
        if err.kind() == io::ErrorKind::BrokenPipe {
            Self::BrokenPipe
        } else {
            Self::Message(format!("{context}: {err}"))
        }
    }

    /// A usage problem found after argument parsing.
    pub fn usage(message: impl fmt::Display) -> Self {
        Self::Message(message.to_string())
    }

    /// An error while writing standard output.
    pub fn stdout(err: io::Error) -> Self {
        Self::io("cannot write to standard output", err)
    }
}

/// What a command that ran to its end found in its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// No error in the input: exit 0.
    Clean,
    /// The input held errors (they were reported): exit 1.
    ErrorsFound,
}

impl Outcome {
    pub fn from_errors(errors: u64) -> Self {
        if errors == 0 {
            Self::Clean
        } else {
            Self::ErrorsFound
        }
    }
}
