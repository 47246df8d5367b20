//! The machinery every parallel parser of this crate shares: a fixed pool
//! of long-lived workers fed through a ring of job slots, results taken out
//! in launch order.
//!
//! A call starts one worker per pool thread (one rayon job each) and hands
//! them jobs through a ring of `2 × threads + 1` slots behind one mutex and
//! two condition variables: the calling thread fills a slot with a job, a
//! worker takes it and puts the result back in the same slot, the calling
//! thread takes the results out in slot order. The calling thread runs a
//! job itself when it needs its result and no worker has started it yet,
//! rather than wait for one to wake up. Once built, the ring allocates
//! nothing.

use std::mem;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use rayon::{ThreadPool, ThreadPoolBuildError, ThreadPoolBuilder};

/// A job's result, or the panic it raised (resumed on the calling thread).
pub(crate) type JobResult<R> = std::thread::Result<R>;

/// Runs `work` on `job`, catching a panic so that the ring stays usable.
pub(crate) fn catch<J, R>(work: impl FnOnce(J) -> R, job: J) -> JobResult<R> {
    panic::catch_unwind(AssertUnwindSafe(|| work(job)))
}

/// Where the workers run: a dedicated pool, or rayon's global one.
#[derive(Clone, Debug, Default)]
pub(crate) struct Workers {
    pool: Option<Arc<ThreadPool>>,
}

impl Workers {
    /// Rayon's global pool.
    pub(crate) const fn global() -> Self {
        Self { pool: None }
    }

    /// A dedicated pool of `threads` threads (0: one per core).
    pub(crate) fn dedicated(threads: usize) -> Result<Self, ThreadPoolBuildError> {
        let pool = ThreadPoolBuilder::new().num_threads(threads).build()?;
        Ok(Self { pool: Some(Arc::new(pool)) })
    }

    pub(crate) fn count(&self) -> usize {
        self.pool
            .as_ref()
            .map_or_else(rayon::current_num_threads, |pool| pool.current_num_threads())
    }

    /// Jobs queued or running at any time: enough that every thread has
    /// the next one queued while the calling thread consumes a result.
    pub(crate) fn max_in_flight(&self) -> usize {
        2 * self.count() + 1
    }

    /// Starts one worker per thread serving `exchange` with `work`, runs
    /// `body` on the calling thread, then closes the exchange (also when
    /// `body` unwinds) and waits for the workers. The workers hold the
    /// pool's threads meanwhile: `body` must not wait for other jobs of the
    /// same pool.
    pub(crate) fn run<'s, J, R, W, T>(
        &self,
        exchange: &'s Exchange<J, R>,
        work: &'s W,
        body: impl FnOnce() -> T,
    ) -> T
    where
        J: Send + 's,
        R: Send + 's,
        W: Fn(J) -> JobResult<R> + Sync,
    {
        let threads = self.count();
        let op = |scope: &rayon::Scope<'s>| {
            let _close = CloseOnDrop(exchange);
            for _ in 0..threads {
                scope.spawn(move |_| exchange.serve(work));
            }
            body()
        };
        match &self.pool {
            Some(pool) => pool.in_place_scope(op),
            None => rayon::in_place_scope(op),
        }
    }
}

/// What [`Exchange::discard_all`] hands back.
pub(crate) enum Leftover<J, R> {
    /// A job no worker started.
    Job(J),
    /// The result of a job that ran.
    Result(R),
}

/// The ring of job slots a call's calling thread and workers share.
pub(crate) struct Exchange<J, R> {
    ring: Mutex<Ring<J, R>>,
    /// Signalled when a job is queued or the exchange closes.
    job_ready: Condvar,
    /// Signalled when a result is ready.
    result_ready: Condvar,
}

/// Job number `seq` lives in slot `seq % slots.len()`. Jobs
/// `next_out..taken` are running or done, `taken..launched` queued.
struct Ring<J, R> {
    slots: Vec<Slot<J, R>>,
    launched: usize,
    taken: usize,
    next_out: usize,
    closed: bool,
}

enum Slot<J, R> {
    Free,
    Queued(J),
    Running,
    Done(JobResult<R>),
}

impl<J, R> Ring<J, R> {
    fn slot(&mut self, seq: usize) -> &mut Slot<J, R> {
        let len = self.slots.len();
        &mut self.slots[seq % len]
    }
}

/// Closes the exchange when dropped.
struct CloseOnDrop<'e, J, R>(&'e Exchange<J, R>);

impl<J, R> Drop for CloseOnDrop<'_, J, R> {
    fn drop(&mut self) {
        self.0.lock().closed = true;
        self.0.job_ready.notify_all();
    }
}

impl<J, R> Exchange<J, R> {
    /// Room for `capacity` (at least 1) jobs in flight.
    pub(crate) fn new(capacity: usize) -> Self {
        let slots = (0..capacity.max(1)).map(|_| Slot::Free).collect();
        let ring = Ring { slots, launched: 0, taken: 0, next_out: 0, closed: false };
        Self { ring: Mutex::new(ring), job_ready: Condvar::new(), result_ready: Condvar::new() }
    }

    /// Nothing panics while holding the lock, but a poisoned lock would
    /// still hold consistent data.
    fn lock(&self) -> MutexGuard<'_, Ring<J, R>> {
        self.ring.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wait<'g>(
        &self,
        condvar: &Condvar,
        guard: MutexGuard<'g, Ring<J, R>>,
    ) -> MutexGuard<'g, Ring<J, R>> {
        condvar.wait(guard).unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether another job can be launched.
    pub(crate) fn has_room(&self) -> bool {
        let ring = self.lock();
        ring.launched - ring.next_out < ring.slots.len()
    }

    /// Queues a job (there must be room).
    pub(crate) fn launch(&self, job: J) {
        let mut ring = self.lock();
        let seq = ring.launched;
        *ring.slot(seq) = Slot::Queued(job);
        ring.launched += 1;
        drop(ring);
        self.job_ready.notify_one();
    }

    /// A worker's loop: runs the queued jobs with `run` until closed.
    fn serve(&self, run: impl Fn(J) -> JobResult<R>) {
        while let Some((seq, job)) = self.take_job() {
            let result = run(job);
            *self.lock().slot(seq) = Slot::Done(result);
            self.result_ready.notify_one();
        }
    }

    /// The oldest queued job, waiting for one; `None` once closed.
    fn take_job(&self) -> Option<(usize, J)> {
        let mut ring = self.lock();
        loop {
            if ring.closed {
                return None;
            }
            if ring.taken < ring.launched {
                let seq = ring.taken;
                let Slot::Queued(job) = mem::replace(ring.slot(seq), Slot::Running) else {
                    // Slots `taken..launched` are all queued.
                    return None;
                };
                ring.taken += 1;
                return Some((seq, job));
            }
            ring = self.wait(&self.job_ready, ring);
        }
    }

    /// The oldest job's result, waiting for it, or running it with `run` if
    /// no worker has started it; `None` when none is in flight. A worker's
    /// panic is resumed here.
    pub(crate) fn next(&self, run: impl FnOnce(J) -> JobResult<R>) -> Option<R> {
        let mut ring = self.lock();
        loop {
            let seq = ring.next_out;
            if seq == ring.launched {
                return None;
            }
            match mem::replace(ring.slot(seq), Slot::Free) {
                Slot::Done(result) => {
                    ring.next_out += 1;
                    drop(ring);
                    return Some(result.unwrap_or_else(|payload| panic::resume_unwind(payload)));
                }
                Slot::Queued(job) => {
                    // The oldest job in flight is queued: so are all the
                    // others, and `taken == seq`.
                    ring.taken += 1;
                    ring.next_out += 1;
                    drop(ring);
                    return Some(run(job).unwrap_or_else(|p| panic::resume_unwind(p)));
                }
                running => {
                    *ring.slot(seq) = running;
                    ring = self.wait(&self.result_ready, ring);
                }
            }
        }
    }

    /// Empties the ring: hands the jobs no worker has started, and the
    /// results of the others (waiting for them), to `leftover`; panics of
    /// those jobs are dropped.
    pub(crate) fn discard_all(&self, mut leftover: impl FnMut(Leftover<J, R>)) {
        loop {
            let mut ring = self.lock();
            if ring.taken < ring.launched {
                let seq = ring.launched - 1;
                let slot = mem::replace(ring.slot(seq), Slot::Free);
                ring.launched -= 1;
                drop(ring);
                if let Slot::Queued(job) = slot {
                    leftover(Leftover::Job(job));
                }
                continue;
            }
            let seq = ring.next_out;
            if seq == ring.launched {
                return;
            }
            match mem::replace(ring.slot(seq), Slot::Free) {
                Slot::Done(result) => {
                    ring.next_out += 1;
                    drop(ring);
                    if let Ok(result) = result {
                        leftover(Leftover::Result(result));
                    }
                }
                running => {
                    *ring.slot(seq) = running;
                    drop(self.wait(&self.result_ready, ring));
                }
            }
        }
    }
}
