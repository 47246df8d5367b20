//! [`Top`]: frames and bytes per key (address, port, identifier) in bounded
//! memory, for the busiest-keys lists of `zcpkt stats`.
//!
//! One counter per distinct key is exact, but a capture of a scan or a
//! flood holds millions of distinct source addresses: the counters alone
//! then take more memory than the capture (2 million frames with random
//! IPv6 addresses took 428 MB). So the table keeps at most `2 * capacity`
//! keys, with the Misra-Gries summary's rule (its batched form): when it
//! overflows, the `capacity + 1`-th largest frame count `t` is taken off
//! every key and the keys left with none are dropped.
//!
//! What that guarantees, with `N` frames counted:
//!
//! - while at most `2 * capacity` distinct keys were seen, nothing was ever
//!   dropped and every count is exact ([`Top::undercount`] is 0);
//! - otherwise each reduction takes `t` from at least `capacity + 1` keys,
//!   so the total taken, [`Top::undercount`], is at most `N / (capacity +
//!   1)`; each key's frame count is at most that much under its true count,
//!   never over it, and every key with more true frames than that is in the
//!   table. Bytes count what a key's frames brought while it was in the
//!   table: never more than the truth.
//!
//! Summaries merge (the parallel fold) with the same guarantees: counts add,
//! undercounts add, and the merged table is reduced if it overflows.

use std::borrow::Borrow;
use std::collections::HashMap as StdHashMap;
use std::hash::Hash;

/// foldhash: several times cheaper than SipHash on short keys (see `stats`).
type HashMap<K, V> = StdHashMap<K, V, foldhash::fast::RandomState>;

/// Frames and bytes of one key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Count {
    pub frames: u64,
    pub bytes: u64,
}

/// Counts per key in a table of at most `2 * capacity` keys (module docs).
#[derive(Clone, Debug)]
pub struct Top<K> {
    counts: HashMap<K, Count>,
    capacity: usize,
    undercount: u64,
}

impl<K: Hash + Eq + Ord + Clone> Top<K> {
    /// An empty table keeping at least `capacity` keys (at least 1).
    pub fn new(capacity: usize) -> Self {
        Self { counts: HashMap::default(), capacity: capacity.max(1), undercount: 0 }
    }

    /// Counts one frame of `bytes` bytes for `key`, made owned by `owned`
    /// only when the key is new (an identifier is copied once, not per
    /// frame).
    pub fn add_by<Q>(&mut self, key: &Q, bytes: u64, owned: impl FnOnce(&Q) -> K)
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        match self.counts.get_mut(key) {
            Some(count) => {
                count.frames += 1;
                count.bytes += bytes;
            }
            None => {
                self.counts.insert(owned(key), Count { frames: 1, bytes });
                self.reduce_if_full();
            }
        }
    }

    /// Adds `later`'s counts (the parallel fold's merge).
    pub fn merge(&mut self, later: Self) {
        self.undercount += later.undercount;
        for (key, c) in later.counts {
            let count = self.counts.entry(key).or_default();
            count.frames += c.frames;
            count.bytes += c.bytes;
        }
        self.reduce_if_full();
    }

    /// How far under its true frame count any count may be: 0 while the
    /// counts are exact.
    pub const fn undercount(&self) -> u64 {
        self.undercount
    }

    /// The `n` busiest: most frames first, then most bytes, then by key.
    pub fn top(&self, n: usize) -> Vec<(&K, Count)> {
        let mut all: Vec<(&K, Count)> = self.counts.iter().map(|(k, &c)| (k, c)).collect();
        all.sort_unstable_by(|a, b| {
            b.1.frames.cmp(&a.1.frames).then(b.1.bytes.cmp(&a.1.bytes)).then(a.0.cmp(b.0))
        });
        all.truncate(n);
        all
    }

    /// Keys in the table now (at most `2 * capacity`).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.counts.len()
    }

    fn reduce_if_full(&mut self) {
        if self.counts.len() <= 2 * self.capacity {
            return;
        }
        let mut frames: Vec<u64> = self.counts.values().map(|c| c.frames).collect();
        let (_, &mut t, _) = frames.select_nth_unstable_by(self.capacity, |a, b| b.cmp(a));
        self.counts.retain(|_, c| {
            c.frames -= c.frames.min(t);
            c.frames > 0
        });
        self.undercount += t;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(top: &mut Top<u32>, key: u32, bytes: u64) {
        top.add_by(&key, bytes, |k| *k);
    }

    /// A stream: `heavy` keys with `weight` frames each, interleaved with
    /// `noise` keys seen once each; returns the true counts too.
    fn stream(heavy: u32, weight: u64, noise: u32) -> (Vec<(u32, u64)>, HashMap<u32, Count>) {
        let mut frames = Vec::new();
        let mut truth: HashMap<u32, Count> = HashMap::default();
        let mut noise_key = 1_000_000;
        for _ in 0..weight {
            for h in 0..heavy {
                frames.push((h, 10 + u64::from(h)));
            }
            for _ in 0..noise / weight as u32 {
                frames.push((noise_key, 1));
                noise_key += 1;
            }
        }
        for &(k, b) in &frames {
            let c = truth.entry(k).or_default();
            c.frames += 1;
            c.bytes += b;
        }
        (frames, truth)
    }

    fn check(top: &Top<u32>, truth: &HashMap<u32, Count>, total: u64, capacity: usize) {
        assert!(top.len() <= 2 * capacity, "{} keys kept", top.len());
        assert!(
            top.undercount() <= total / (capacity as u64 + 1),
            "undercount {}",
            top.undercount()
        );
        for (key, count) in &top.counts {
            let real = truth[key];
            assert!(count.frames <= real.frames && count.frames + top.undercount() >= real.frames);
            assert!(count.bytes <= real.bytes, "{key}: bytes {} over {}", count.bytes, real.bytes);
        }
        for (key, real) in truth {
            if real.frames > top.undercount() {
                assert!(top.counts.contains_key(key), "{key} ({} frames) dropped", real.frames);
            }
        }
    }

    #[test]
    fn exact_while_the_keys_fit() {
        let mut top = Top::new(4);
        for key in 0..8 {
            for _ in 0..=key {
                add(&mut top, key, 100);
            }
        }
        assert_eq!(top.undercount(), 0);
        let got: Vec<(u32, u64, u64)> =
            top.top(3).into_iter().map(|(k, c)| (*k, c.frames, c.bytes)).collect();
        assert_eq!(got, [(7, 8, 800), (6, 7, 700), (5, 6, 600)]);
    }

    #[test]
    fn the_ninth_key_of_a_table_of_four_reduces_it() {
        let mut top = Top::new(4);
        // Key k gets k + 1 frames in a row. Key 8's first frame makes 9
        // keys (> 2 * 4), with counts 1..=8 and 1: the 5th largest, 4, is
        // taken off each, which leaves keys 4..=7 with 1..=4 and drops
        // keys 0..=3 and 8; key 8's next 8 frames bring it back.
        for key in 0..9 {
            for _ in 0..=key {
                add(&mut top, key, 1);
            }
        }
        assert_eq!(top.undercount(), 4);
        let mut kept: Vec<(u32, u64)> = top.counts.iter().map(|(k, c)| (*k, c.frames)).collect();
        kept.sort_unstable();
        assert_eq!(kept, [(4, 1), (5, 2), (6, 3), (7, 4), (8, 8)]);
    }

    #[test]
    fn heavy_keys_survive_a_flood_of_single_frames() {
        // Each heavy key's frames exceed N / (capacity + 1), so it must be
        // kept, and listed among the busiest.
        for (heavy, weight, noise, capacity) in [(5, 2000, 10_000, 16), (50, 2000, 20_000, 64)] {
            let (frames, truth) = stream(heavy, weight, noise);
            let mut top = Top::new(capacity);
            for &(k, b) in &frames {
                add(&mut top, k, b);
            }
            assert!(top.undercount() > 0, "the flood must overflow the table");
            check(&top, &truth, frames.len() as u64, capacity);
            let listed: Vec<u32> = top.top(heavy as usize).into_iter().map(|(k, _)| *k).collect();
            let mut sorted = listed.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..heavy).collect::<Vec<_>>(), "the heavy keys are the top");
        }
    }

    #[test]
    fn merged_halves_keep_the_guarantees() {
        let (frames, truth) = stream(8, 100, 30_000);
        let capacity = 32;
        let (a, b) = frames.split_at(frames.len() / 3);
        let (mut left, mut right) = (Top::new(capacity), Top::new(capacity));
        a.iter().for_each(|&(k, bytes)| add(&mut left, k, bytes));
        b.iter().for_each(|&(k, bytes)| add(&mut right, k, bytes));
        left.merge(right);
        check(&left, &truth, frames.len() as u64, capacity);
    }

    #[test]
    fn merging_exact_tables_stays_exact() {
        let (mut left, mut right) = (Top::new(8), Top::new(8));
        add(&mut left, 1, 10);
        add(&mut right, 1, 5);
        add(&mut right, 2, 7);
        left.merge(right);
        assert_eq!(left.undercount(), 0);
        let got: Vec<(u32, Count)> = left.top(5).into_iter().map(|(k, c)| (*k, c)).collect();
        assert_eq!(got, [(1, Count { frames: 2, bytes: 15 }), (2, Count { frames: 1, bytes: 7 })]);
    }
}
