//! The threads that hash passwords: few, and at the lowest CPU priority.
//!
//! A password hash costs hundreds of milliseconds of CPU by design (Django's 1 500 000 PBKDF2
//! iterations). On tokio's blocking pool a flood of Basic-auth or login requests would start a
//! thread per waiting hash and take every core from the requests that cost microseconds (tokens,
//! sessions). Here hashes run on at most `hashing_threads` threads (a builder setting), started
//! on first use, each at a low scheduling priority (`nice 10` on Linux, about a tenth of a normal
//! thread's share of a contended CPU): when the CPU is contended the scheduler runs request
//! workers first, and hashing still progresses (at the lowest priority, `nice 19`, a hash could
//! starve past the authentication timeout on a busy machine). Under a flood the hashes queue; a
//! hash whose request has already given up (the authentication timeout) is skipped rather than
//! computed for nobody.
//!
//! Lowering a thread's priority needs no privilege; if the OS refuses anyway the thread hashes at
//! normal priority and says so once in the log.

use std::fmt;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};

type Job = Box<dyn FnOnce() + Send + 'static>;

/// The pool (see the module documentation). Shared by the clones of the settings that made it.
pub struct HashingPool {
    threads: usize,
    jobs: OnceLock<Mutex<mpsc::Sender<Job>>>,
}

impl fmt::Debug for HashingPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HashingPool")
            .field("threads", &self.threads)
            .field("started", &self.jobs.get().is_some())
            .finish()
    }
}

/// The pool's threads are gone (they only stop when the pool is dropped, or if one panicked
/// while taking a job).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the password hashing threads are not running")]
pub struct PoolStopped;

impl HashingPool {
    /// A pool of `threads` threads (at least one), started when the first hash is asked for.
    pub fn new(threads: usize) -> Self {
        Self {
            threads: threads.max(1),
            jobs: OnceLock::new(),
        }
    }

    /// How many threads hash at once.
    pub fn threads(&self) -> usize {
        self.threads
    }

    fn sender(&self) -> &Mutex<mpsc::Sender<Job>> {
        self.jobs.get_or_init(|| {
            let (sender, receiver) = mpsc::channel::<Job>();
            let receiver = Arc::new(Mutex::new(receiver));
            for index in 0..self.threads {
                let receiver = Arc::clone(&receiver);
                let spawned = std::thread::Builder::new()
                    .name(format!("auth-hashing-{index}"))
                    .spawn(move || work(&receiver));
                if let Err(error) = spawned {
                    tracing::error!(%error, "cannot start a password hashing thread");
                }
            }
            Mutex::new(sender)
        })
    }

    /// Runs `hash` on one of the pool's threads and waits for its result.
    pub async fn run<R, F>(&self, hash: F) -> Result<R, PoolStopped>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        let (reply, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            // The request stopped waiting (timed out, or its client left): skip the work.
            if !reply.is_closed() {
                let _ = reply.send(hash());
            }
        });
        self.sender()
            .lock()
            .map_err(|_| PoolStopped)?
            .send(job)
            .map_err(|_| PoolStopped)?;
        result.await.map_err(|_| PoolStopped)
    }
}

/// thread-priority's 0–99 scale, mapped onto `nice` -20..19 in reverse: 22 is `nice 10`.
const LOW_PRIORITY: u8 = 22;

/// A hashing thread: low priority, then jobs until the pool is dropped.
fn work(jobs: &Mutex<mpsc::Receiver<Job>>) {
    let lowered = thread_priority::ThreadPriorityValue::try_from(LOW_PRIORITY)
        .map_err(|error| format!("{error:?}"))
        .and_then(|value| {
            thread_priority::set_current_thread_priority(
                thread_priority::ThreadPriority::Crossplatform(value),
            )
            .map_err(|error| format!("{error:?}"))
        });
    if let Err(error) = lowered {
        tracing::warn!(%error, "password hashing thread keeps its normal priority");
    }
    loop {
        // The lock is held only while waiting for the next job, never while hashing.
        let job = match jobs.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(),
            Err(mpsc::RecvError) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The calling thread's nice value, from `/proc/thread-self/stat` (field 19).
    #[cfg(target_os = "linux")]
    fn nice() -> Option<i32> {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
        // The command name (field 2) may hold spaces; fields after it are plain.
        let after_name = &stat[stat.rfind(')')? + 2..];
        after_name.split(' ').nth(16)?.parse().ok()
    }

    #[tokio::test]
    async fn hashes_run_on_the_named_threads_at_a_low_priority() {
        let pool = HashingPool::new(2);
        let name = pool
            .run(|| std::thread::current().name().map(str::to_owned))
            .await
            .unwrap();
        assert!(
            name.as_deref()
                .is_some_and(|n| n.starts_with("auth-hashing-")),
            "{name:?}"
        );
        #[cfg(target_os = "linux")]
        {
            assert_eq!(pool.run(nice).await.unwrap(), Some(10));
        }
    }

    #[tokio::test]
    async fn at_most_the_configured_number_of_hashes_run_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};

        let pool = Arc::new(HashingPool::new(2));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..12)
            .map(|_| {
                let (pool, running, most) = (pool.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    pool.run(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(5));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_hash_nobody_waits_for_any_more_is_skipped() {
        use std::sync::atomic::{AtomicBool, Ordering};

        let pool = Arc::new(HashingPool::new(1));
        let (started, running) = tokio::sync::oneshot::channel();
        let (release, hold) = mpsc::channel::<()>();
        // Occupies the only thread until released.
        let busy = tokio::spawn({
            let pool = pool.clone();
            async move {
                pool.run(move || {
                    let _ = started.send(());
                    let _ = hold.recv();
                })
                .await
            }
        });
        running.await.unwrap();
        let ran = Arc::new(AtomicBool::new(false));
        let flag = ran.clone();
        // Queued behind the busy hash, then abandoned (its request timed out).
        let abandoned = tokio::time::timeout(
            std::time::Duration::from_millis(20),
            pool.run(move || flag.store(true, Ordering::SeqCst)),
        )
        .await;
        assert!(abandoned.is_err(), "it had to wait");
        release.send(()).unwrap();
        busy.await.unwrap().unwrap();
        // A later hash runs after the abandoned one was taken off the queue.
        pool.run(|| ()).await.unwrap();
        assert!(
            !ran.load(Ordering::SeqCst),
            "the abandoned hash was computed"
        );
    }
}
