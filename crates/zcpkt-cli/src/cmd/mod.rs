//! One module per subcommand.

pub mod bench;
pub mod capture;
pub mod check;
pub mod check_capture;
pub mod dump;
pub mod fields;
pub mod filter;
pub mod filter_capture;
pub mod gen;
pub mod info;
pub mod stats;
