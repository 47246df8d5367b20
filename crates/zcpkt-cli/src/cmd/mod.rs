//! One module per subcommand.

pub mod bench;
pub mod check;
pub mod dump;
pub mod fields;
pub mod filter;
pub mod gen;
pub mod info;
pub mod stats;
