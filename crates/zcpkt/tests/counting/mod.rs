//! The counting global allocator of the allocation tests. Each test file is
//! its own binary and installs it:
//!
//! ```ignore
//! mod counting;
//! #[global_allocator]
//! static GLOBAL: counting::Counting = counting::Counting;
//! ```
//!
//! [`counted`] counts what the calling thread allocates while a closure
//! runs, in thread-local counters, so tests running side by side in one
//! binary never see each other's allocations. [`counted_with_pool`] also
//! counts rayon's pool threads, whichever pool: a test using it holds
//! [`exclusive`] for its whole body (and so must every test of its binary
//! that uses rayon), or another test's pool could be counted.

// Each test binary uses part of it.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Allocations (`alloc`, `alloc_zeroed` and `realloc` calls), the bytes
/// they asked for, and the largest request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub allocations: u64,
    pub bytes: u64,
    pub largest: u64,
}

/// No allocation at all.
pub const NONE: Counts = Counts { allocations: 0, bytes: 0, largest: 0 };

impl Counts {
    const fn with(self, size: u64) -> Self {
        let largest = if size > self.largest { size } else { self.largest };
        Self { allocations: self.allocations + 1, bytes: self.bytes + size, largest }
    }

    fn plus(self, other: Self) -> Self {
        Self {
            allocations: self.allocations + other.allocations,
            bytes: self.bytes + other.bytes,
            largest: self.largest.max(other.largest),
        }
    }
}

/// Forwards every call to the system allocator, counting as described in
/// the module docs.
pub struct Counting;

thread_local! {
    static MEASURING: Cell<bool> = const { Cell::new(false) };
    static THIS_THREAD: Cell<Counts> = const { Cell::new(NONE) };
}

static POOL_ACTIVE: AtomicBool = AtomicBool::new(false);
static POOL_ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static POOL_BYTES: AtomicU64 = AtomicU64::new(0);
static POOL_LARGEST: AtomicU64 = AtomicU64::new(0);
static EXCLUSIVE: Mutex<()> = Mutex::new(());

fn note(size: usize) {
    let size = size as u64;
    // `try_with`: the allocator also runs while thread locals are torn down.
    if MEASURING.try_with(Cell::get).unwrap_or(false) {
        let _ = THIS_THREAD.try_with(|counts| counts.set(counts.get().with(size)));
    } else if POOL_ACTIVE.load(Ordering::SeqCst) && rayon::current_thread_index().is_some() {
        POOL_ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        POOL_BYTES.fetch_add(size, Ordering::SeqCst);
        POOL_LARGEST.fetch_max(size, Ordering::SeqCst);
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counting itself never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        System.alloc_zeroed(layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        System.realloc(ptr, layout, new_size)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

/// Runs `f`, counting the calling thread's allocations meanwhile.
pub fn counted<R>(f: impl FnOnce() -> R) -> (R, Counts) {
    THIS_THREAD.with(|counts| counts.set(NONE));
    MEASURING.with(|measuring| measuring.set(true));
    let result = f();
    MEASURING.with(|measuring| measuring.set(false));
    (result, THIS_THREAD.with(Cell::get))
}

/// Runs `f`, counting the allocations of the calling thread and of every
/// rayon pool thread meanwhile. Hold [`exclusive`] around it.
pub fn counted_with_pool<R>(f: impl FnOnce() -> R) -> (R, Counts) {
    POOL_ALLOCATIONS.store(0, Ordering::SeqCst);
    POOL_BYTES.store(0, Ordering::SeqCst);
    POOL_LARGEST.store(0, Ordering::SeqCst);
    POOL_ACTIVE.store(true, Ordering::SeqCst);
    let (result, mine) = counted(f);
    POOL_ACTIVE.store(false, Ordering::SeqCst);
    let pool = Counts {
        allocations: POOL_ALLOCATIONS.load(Ordering::SeqCst),
        bytes: POOL_BYTES.load(Ordering::SeqCst),
        largest: POOL_LARGEST.load(Ordering::SeqCst),
    };
    (result, mine.plus(pool))
}

/// Keeps the binary's other tests (those that take it too) from running.
pub fn exclusive() -> MutexGuard<'static, ()> {
    EXCLUSIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
