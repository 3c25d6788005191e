//! Where throttle histories live: behind one trait, in memory (one process) or in Redis (any
//! number of instances).

use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// What the store saw for one request under DRF's sliding-window rule
/// (`SimpleRateThrottle.allow_request`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Whether the request was admitted (and recorded).
    pub allowed: bool,
    /// The history's length after expired entries were dropped (before recording this one).
    pub len: u64,
    /// The oldest remaining entry, for the wait.
    pub oldest: Option<f64>,
}

impl Hit {
    /// DRF's `wait()` after a refusal: the time until enough entries expire, `None` when the
    /// history is longer than the limit (the rate was lowered).
    pub fn wait(&self, num_requests: u64, duration: f64, now: f64) -> Option<f64> {
        let remaining = match self.oldest {
            Some(oldest) if self.len > 0 => duration - (now - oldest),
            _ => duration,
        };
        let available = i128::from(num_requests) - i128::from(self.len) + 1;
        (available > 0).then(|| remaining / available as f64)
    }
}

/// The store failed (unreachable, timed out): the request is refused with 503, or admitted
/// when the settings say to fail open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("throttle store unavailable: {0}")]
pub struct StoreError(pub String);

/// Boxed future of a store call; `Send` so a store can live in shared settings.
pub type HitFuture<'a> = Pin<Box<dyn Future<Output = Result<Hit, StoreError>> + Send + 'a>>;

/// A history store that applies the reference's rule atomically: drop entries `≤ now −
/// duration` from the oldest end; refuse without recording when `len ≥ limit`; otherwise record
/// `now` as the newest entry and keep the key for `duration` seconds.
pub trait ThrottleStore: Send + Sync + fmt::Debug {
    /// Applies the rule to `key`.
    fn hit<'a>(&'a self, key: &'a str, limit: u64, duration: u64, now: f64) -> HitFuture<'a>;
}
