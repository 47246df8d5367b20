//! Random damage for the capture recovery property tests: what a bad disk
//! block, a bad copy or a crashed recorder does to a capture.

use proptest::prelude::*;

/// One damage to a capture.
#[derive(Clone, Debug)]
pub enum Damage {
    Overwrite(usize, Vec<u8>),
    Zero(usize, usize),
    Remove(usize, usize),
    Insert(usize, Vec<u8>),
    Truncate(usize),
}

/// Any one damage, somewhere in the first 10 000 positions (wrapped).
pub fn damage() -> impl Strategy<Value = Damage> {
    let at = || 0..10_000usize;
    prop_oneof![
        (at(), prop::collection::vec(any::<u8>(), 1..40))
            .prop_map(|(a, b)| Damage::Overwrite(a, b)),
        (at(), 1..200usize).prop_map(|(a, n)| Damage::Zero(a, n)),
        (at(), 1..200usize).prop_map(|(a, n)| Damage::Remove(a, n)),
        (at(), prop::collection::vec(any::<u8>(), 1..40)).prop_map(|(a, b)| Damage::Insert(a, b)),
        at().prop_map(Damage::Truncate),
    ]
}

/// Applies `damage` at or after `floor`; returns the damaged bytes, the
/// damaged range in the original's offsets, and how far bytes after it
/// moved.
pub fn apply(bytes: &[u8], floor: usize, damage: &Damage) -> (Vec<u8>, (usize, usize), i64) {
    let mut out = bytes.to_vec();
    let len = bytes.len();
    let place = |a: usize| floor + a % (len - floor + 1);
    match damage {
        Damage::Overwrite(a, b) => {
            let a = place(*a).min(len);
            let end = (a + b.len()).min(len);
            out[a..end].copy_from_slice(&b[..end - a]);
            (out, (a, end), 0)
        }
        Damage::Zero(a, n) => {
            let a = place(*a);
            let end = (a + n).min(len);
            out[a..end].fill(0);
            (out, (a, end), 0)
        }
        Damage::Remove(a, n) => {
            let a = place(*a);
            let end = (a + n).min(len);
            out.drain(a..end);
            (out, (a, end), -((end - a) as i64))
        }
        Damage::Insert(a, b) => {
            let a = place(*a);
            out.splice(a..a, b.iter().copied());
            // A frame "wholly outside" an insertion point ends at or
            // before it or starts at or after it.
            (out, (a, a), b.len() as i64)
        }
        Damage::Truncate(a) => {
            let a = place(*a);
            out.truncate(a);
            (out, (a, len), 0)
        }
    }
}
