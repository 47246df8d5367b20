//! The examples' random numbers: xorshift64*, deterministic for a seed and
//! free of dependencies, good enough to mix protocols and sizes.

/// xorshift64* with its state; the seed must not be 0.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A value in `0..n` (`n` above 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
