//! CRC-32 (ISO-HDLC) algebra over GF(2), for checking many overlapping
//! ranges of one input without hashing each range.
//!
//! The *raw register* `raw(r, m)` is the reflected CRC-32 shift register
//! after feeding the bytes `m` into register `r`, with no initial or final
//! inversion. It is linear: `raw(r, m) = shift(r, |m|) ^ raw(0, m)`, where
//! `shift(r, n)` multiplies `r` by `x^(8n)` modulo the polynomial (what
//! zlib's `crc32_combine` does). So with `S(x) = raw(0, input[o..x])` for a
//! fixed origin `o`, the raw register over `[a, b)` is
//! `S(b) ^ shift(S(a), b - a)`, and the standard CRC of `[a, b)` (initial
//! value and final XOR `0xFFFFFFFF`) is `!(shift(!S(a), b - a) ^ S(b))`.
//!
//! `crc32fast::Hasher::new_with_initial(i)` computes `!raw(!i, m)`, which
//! is how [`advance`] gets the raw register from it.

/// The reflected CRC-32 polynomial, `x^32` implied, `x^0` in the top bit.
const POLY: u32 = 0xEDB8_8320;

/// `x^0` in the reflected representation.
const ONE: u32 = 1 << 31;

/// `x^-1` modulo the polynomial: `(P + 1) / x`, i.e. the polynomial's bits
/// one place towards `x^0`, plus `x^31`. It exists because `P(0) = 1`.
const X_INV: u32 = (POLY << 1) | 1;

/// `a * b` modulo the polynomial (reflected; zlib's `multmodp`).
const fn mul(a: u32, mut b: u32) -> u32 {
    let mut p = 0;
    let mut i = 0;
    // Branch-free (masks from single bits): the bits are data, not
    // predictable.
    while i < 32 {
        p ^= b & 0u32.wrapping_sub((a >> (31 - i)) & 1);
        b = (b >> 1) ^ (POLY & 0u32.wrapping_sub(b & 1));
        i += 1;
    }
    p
}

/// Nibbles of a byte count: 16 cover any `u64`.
const NIBBLES: usize = 16;

/// `table[k][d] = base^(8 * d * 16^k)`, so that `base^(8n)` is a product of
/// one entry per non-zero nibble of `n` (at most 8 multiplications for any
/// payload length, against 32 for plain square-and-multiply).
const fn nibble_powers(base: u32) -> [[u32; 16]; NIBBLES] {
    let mut table = [[ONE; 16]; NIBBLES];
    // step = base^(8 * 16^k)
    let mut step = base;
    let mut i = 0;
    while i < 3 {
        step = mul(step, step);
        i += 1;
    }
    let mut k = 0;
    while k < NIBBLES {
        let mut d = 1;
        while d < 16 {
            table[k][d] = mul(table[k][d - 1], step);
            d += 1;
        }
        // base^(8 * 16^(k+1)) = (base^(8 * 16^k))^16
        let mut next = step;
        let mut i = 0;
        while i < 4 {
            next = mul(next, next);
            i += 1;
        }
        step = next;
        k += 1;
    }
    table
}

/// `x^(8 d 16^k)`.
static X_POW: [[u32; 16]; NIBBLES] = nibble_powers(ONE >> 1);
/// `x^-(8 d 16^k)`.
static X_INV_POW: [[u32; 16]; NIBBLES] = nibble_powers(X_INV);

/// `table`'s base raised to `8 * bytes`.
fn pow8(table: &[[u32; 16]; NIBBLES], bytes: u64) -> u32 {
    let mut p = ONE;
    let mut n = bytes;
    for row in table {
        if n == 0 {
            break;
        }
        let d = (n & 15) as usize;
        if d != 0 {
            p = mul(row[d], p);
        }
        n >>= 4;
    }
    p
}

/// `r * x^(8 * bytes)`: the raw register `r` carried over `bytes` zero
/// bytes' worth of shifting.
pub(crate) fn shift(r: u32, bytes: u64) -> u32 {
    if bytes == 0 {
        return r;
    }
    mul(pow8(&X_POW, bytes), r)
}

/// The inverse of [`shift`]: `r * x^(-8 * bytes)`.
pub(crate) fn unshift(r: u32, bytes: u64) -> u32 {
    if bytes == 0 {
        return r;
    }
    mul(pow8(&X_INV_POW, bytes), r)
}

/// `raw(r, bytes)`: the raw register after feeding `bytes` into `r`.
#[inline]
pub(crate) fn advance(r: u32, bytes: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new_with_initial(!r);
    hasher.update(bytes);
    !hasher.finalize()
}

/// `raw(r_before, bytes)` undone: the register before `bytes`, given the
/// register `r_after` after them.
#[inline]
pub(crate) fn retreat(r_after: u32, bytes: &[u8]) -> u32 {
    unshift(r_after ^ advance(0, bytes), bytes.len() as u64)
}

/// The standard CRC-32 of `[a, b)` from `S(a)`, `S(b)` and `b - a`.
#[inline]
pub(crate) fn range_crc(s_a: u32, s_b: u32, len: u64) -> u32 {
    !(shift(!s_a, len) ^ s_b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_of_x() {
        assert_eq!(mul(ONE >> 1, X_INV), ONE);
        for n in [0u64, 1, 2, 3, 7, 100, 65_535, 1 << 20, (1 << 32) + 5] {
            assert_eq!(unshift(shift(0x1234_5678, n), n), 0x1234_5678);
            assert_eq!(shift(unshift(0xDEAD_BEEF, n), n), 0xDEAD_BEEF);
        }
    }

    #[test]
    fn range_crc_matches_crc32fast() {
        // A deterministic pseudo-random input; every (a, b) over a small
        // prefix, then spread-out ranges.
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let input: [u8; 400] = core::array::from_fn(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        });
        let mut s = [0u32; 401];
        for i in 0..input.len() {
            s[i + 1] = advance(s[i], &input[i..=i]);
        }
        assert_eq!(advance(0, &input), s[400]);
        for a in 0..=input.len() {
            for b in a..=input.len() {
                let len = (b - a) as u64;
                assert_eq!(range_crc(s[a], s[b], len), crc32fast::hash(&input[a..b]), "{a}..{b}");
                assert_eq!(retreat(s[b], &input[a..b]), s[a]);
            }
        }
    }
}
