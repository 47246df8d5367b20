//! Inputs that are not plain slices: memory-mapped files.

pub mod mmap;
