//! The machinery every parallel parser of this crate shares: a fixed pool
//! of long-lived workers fed through a ring of job slots, results taken out
//! in launch order.
//!
//! A call on `threads` threads starts `threads - 1` workers (one rayon job
//! each, on a dedicated pool of that many threads or on the global pool) and
//! hands them jobs through a ring of `threads + 2` slots behind one
//! mutex and two condition variables: the calling thread fills a slot with
//! a job, a worker takes it and puts the result back in the same slot, the
//! calling thread takes the results out in slot order. The calling thread
//! is the remaining runner: rather than wait for the oldest job's result,
//! it runs the oldest job no worker has started. So `threads` threads
//! parse, not `threads + 1` competing for `threads` cores (where the one
//! descheduled may hold the job everyone waits for), and the calling thread
//! only sleeps when every job in flight is running elsewhere. Condition
//! variables are signalled only when someone waits on them: no system call
//! per job while everyone is busy. Once built, the ring allocates nothing.

use std::mem;
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;

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
    /// The threads that run jobs, the calling thread included (0: as many
    /// as the global pool has threads).
    runners: usize,
}

impl Workers {
    /// Rayon's global pool.
    pub(crate) const fn global() -> Self {
        Self { pool: None, runners: 0 }
    }

    /// `threads` runners (0: one per core): the calling thread and a
    /// dedicated pool of the others (one idle thread if there are none).
    pub(crate) fn dedicated(threads: usize) -> Result<Self, ThreadPoolBuildError> {
        let runners = match threads {
            0 => thread::available_parallelism().map_or(1, NonZeroUsize::get),
            n => n,
        };
        let pool = ThreadPoolBuilder::new().num_threads((runners - 1).max(1)).build()?;
        Ok(Self { pool: Some(Arc::new(pool)), runners })
    }

    /// The threads that run jobs, the calling thread included.
    pub(crate) fn count(&self) -> usize {
        match self.runners {
            0 => rayon::current_num_threads(),
            n => n,
        }
    }

    /// Jobs queued or running at any time: enough that every worker has
    /// the next one queued while the calling thread runs one or consumes a
    /// result.
    pub(crate) fn max_in_flight(&self) -> usize {
        self.count() + 2
    }

    /// Starts one worker per thread but one (the calling thread being the
    /// last runner, see [`Exchange::next`]) serving `exchange` with `work`, runs
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
        let threads = self.count().saturating_sub(1);
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
    /// Workers waiting on `job_ready`.
    idle_workers: usize,
    /// Whether the calling thread waits on `result_ready`.
    awaiting_result: bool,
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

    /// The oldest queued job, marked running, with its number.
    fn take_queued(&mut self) -> Option<(usize, J)> {
        if self.taken == self.launched {
            return None;
        }
        let seq = self.taken;
        // Slots `taken..launched` are all queued.
        let Slot::Queued(job) = mem::replace(self.slot(seq), Slot::Running) else { return None };
        self.taken += 1;
        Some((seq, job))
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
        let ring = Ring {
            slots,
            launched: 0,
            taken: 0,
            next_out: 0,
            closed: false,
            idle_workers: 0,
            awaiting_result: false,
        };
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
        let idle = ring.idle_workers > 0;
        drop(ring);
        if idle {
            self.job_ready.notify_one();
        }
    }

    /// A worker's loop: runs the queued jobs with `run` until closed.
    fn serve(&self, run: impl Fn(J) -> JobResult<R>) {
        while let Some((seq, job)) = self.take_job() {
            self.finish(seq, run(job));
        }
    }

    /// Stores the result of job `seq`, waking the calling thread if it
    /// waits for one.
    fn finish(&self, seq: usize, result: JobResult<R>) {
        let mut ring = self.lock();
        *ring.slot(seq) = Slot::Done(result);
        let awaited = ring.awaiting_result;
        drop(ring);
        if awaited {
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
            if let Some(job) = ring.take_queued() {
                return Some(job);
            }
            ring.idle_workers += 1;
            ring = self.wait(&self.job_ready, ring);
            ring.idle_workers -= 1;
        }
    }

    /// The oldest job's result, waiting for it, or running it with `run` if
    /// no worker has started it; `None` when none is in flight. While it
    /// runs on a worker, the oldest queued job is run here with `run`
    /// rather than waited for. A worker's panic is resumed here.
    pub(crate) fn next(&self, run: impl Fn(J) -> JobResult<R>) -> Option<R> {
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
                    if let Some((later, job)) = ring.take_queued() {
                        drop(ring);
                        self.finish(later, run(job));
                        ring = self.lock();
                    } else {
                        ring = self.wait_for_result(ring);
                    }
                }
            }
        }
    }

    /// Waits until a worker stores a result.
    fn wait_for_result<'g>(
        &self,
        mut ring: MutexGuard<'g, Ring<J, R>>,
    ) -> MutexGuard<'g, Ring<J, R>> {
        ring.awaiting_result = true;
        ring = self.wait(&self.result_ready, ring);
        ring.awaiting_result = false;
        ring
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
                    drop(self.wait_for_result(ring));
                }
            }
        }
    }
}
