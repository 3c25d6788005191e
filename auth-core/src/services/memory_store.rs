//! The embedded default store: histories in this process's memory, bounded.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use quick_cache::sync::Cache;
use sha2::{Digest, Sha256};

use super::throttle_store::{Hit, HitFuture, StoreError, ThrottleStore};

struct Entry {
    /// Newest first, as the reference keeps it.
    history: VecDeque<f64>,
    /// When the key would expire from a cache (last admission + duration).
    expires_at: f64,
}

/// Histories in a bounded map: exact within one process (all workers share it), lost on
/// restart, not shared between instances (for that, `RedisStore` of the `redis` feature).
///
/// Memory is bounded whatever clients send: at most `max_keys` histories, found by the SHA-256
/// of the throttle key (an identity taken from `X-Forwarded-For` can be as long as a header, so
/// the key itself is not kept), each at most the rate's request count long (8 bytes per
/// request). Past `max_keys`, S3-FIFO eviction drops first the keys seen once, so a flood of
/// one-off clients does not push out the histories of the clients that keep coming; an evicted
/// client starts a fresh history (it may get up to a window's requests more through). Every
/// operation is constant time, however many clients there are.
pub struct MemoryStore {
    entries: Cache<[u8; 32], Arc<Mutex<Entry>>>,
    max_keys: usize,
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore")
            .field("keys", &self.len())
            .field("max_keys", &self.max_keys)
            .finish()
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::with_max_keys(100_000)
    }
}

impl MemoryStore {
    /// A store holding at most `max_keys` histories.
    pub fn with_max_keys(max_keys: usize) -> Self {
        let max_keys = max_keys.max(1);
        Self {
            entries: Cache::new(max_keys),
            max_keys,
        }
    }

    /// How many histories are held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no history is held.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn apply(&self, key: &str, limit: u64, duration: u64, now: f64) -> Result<Hit, StoreError> {
        let id: [u8; 32] = Sha256::digest(key.as_bytes()).into();
        let entry = self.entries.get_or_insert_with(&id, || {
            Ok::<_, StoreError>(Arc::new(Mutex::new(Entry {
                history: VecDeque::new(),
                expires_at: now,
            })))
        })?;
        let mut entry = entry
            .lock()
            .map_err(|_| StoreError("memory store poisoned".into()))?;
        let duration = duration as f64;
        if entry.expires_at <= now {
            entry.history.clear();
        }
        while entry
            .history
            .back()
            .is_some_and(|&oldest| oldest <= now - duration)
        {
            entry.history.pop_back();
        }
        let len = entry.history.len() as u64;
        if len >= limit {
            return Ok(Hit {
                allowed: false,
                len,
                oldest: entry.history.back().copied(),
            });
        }
        entry.history.push_front(now);
        entry.expires_at = now + duration;
        Ok(Hit {
            allowed: true,
            len,
            oldest: None,
        })
    }
}

impl ThrottleStore for MemoryStore {
    fn hit<'a>(&'a self, key: &'a str, limit: u64, duration: u64, now: f64) -> HitFuture<'a> {
        Box::pin(std::future::ready(self.apply(key, limit, duration, now)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(store: &MemoryStore, key: &str, limit: u64, duration: u64, now: f64) -> Hit {
        store.apply(key, limit, duration, now).unwrap_or(Hit {
            allowed: false,
            len: 0,
            oldest: None,
        })
    }

    #[test]
    fn reference_wait_vectors() {
        // 3/min with entries at t=0,1,2 and now=3 → 57.
        let store = MemoryStore::default();
        for t in [0.0, 1.0, 2.0] {
            assert!(hit(&store, "k", 3, 60, t).allowed);
        }
        let refused = hit(&store, "k", 3, 60, 3.0);
        assert!(!refused.allowed);
        assert_eq!(refused.wait(3, 60.0, 3.0), Some(57.0));
        // 1/min with an empty history → 60 / 2 = 30.
        let empty = Hit {
            allowed: false,
            len: 0,
            oldest: None,
        };
        assert_eq!(empty.wait(1, 60.0, 0.0), Some(30.0));
        // A history longer than the limit → none.
        let long = Hit {
            allowed: false,
            len: 3,
            oldest: Some(0.0),
        };
        assert_eq!(long.wait(1, 60.0, 0.0), None);
    }

    #[test]
    fn an_entry_exactly_one_duration_old_has_expired() {
        let store = MemoryStore::default();
        for _ in 0..3 {
            assert!(hit(&store, "k", 3, 1, 0.0).allowed);
        }
        assert!(!hit(&store, "k", 3, 1, 0.5).allowed);
        assert!(hit(&store, "k", 3, 1, 1.0).allowed);
    }

    #[test]
    fn memory_stays_bounded_under_many_clients() {
        let store = MemoryStore::with_max_keys(1000);
        for client in 0..50_000 {
            hit(
                &store,
                &format!("throttle_anon_{client}"),
                5,
                60,
                f64::from(client) * 0.001,
            );
        }
        assert!(store.len() <= 1000);
    }

    #[test]
    fn a_client_that_keeps_coming_survives_a_flood_of_one_off_clients() {
        let store = MemoryStore::with_max_keys(1000);
        for n in 0..3 {
            assert!(hit(&store, "regular", 3, 60, f64::from(n)).allowed);
        }
        for client in 0..20_000 {
            hit(&store, &format!("flood_{client}"), 3, 60, 3.0);
            if client % 500 == 0 {
                // Still refused: its history was not evicted by the flood.
                assert!(
                    !hit(&store, "regular", 3, 60, 3.0).allowed,
                    "after {client}"
                );
            }
        }
    }
}
