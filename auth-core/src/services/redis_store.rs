//! The store for more than one instance: histories in Redis, updated by one Lua script so that
//! N instances together admit exactly the configured number of requests (the reference's
//! read-then-write on a cache can admit more under concurrency).

use redis::aio::ConnectionManager;

use super::throttle_store::{Hit, HitFuture, StoreError, ThrottleStore};

/// DRF's sliding-window rule (`SimpleRateThrottle.allow_request`) as one atomic step: drop
/// expired entries from the tail (oldest), refuse without recording at the limit, else push `now`
/// at the head and keep the key for `duration` seconds. Returns `{allowed, len, oldest}`.
const SCRIPT: &str = r"
local key = KEYS[1]
local now = tonumber(ARGV[1])
local duration = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
while true do
  local oldest = redis.call('LINDEX', key, -1)
  if not oldest then break end
  if tonumber(oldest) <= now - duration then
    redis.call('RPOP', key)
  else
    break
  end
end
local len = redis.call('LLEN', key)
if len >= limit then
  local oldest = redis.call('LINDEX', key, -1)
  return {0, len, oldest or ''}
end
redis.call('LPUSH', key, ARGV[1])
redis.call('EXPIRE', key, math.max(1, math.ceil(duration)))
return {1, len, ''}
";

/// Histories in Redis, one list per throttle key. The Redis key is `throttle:` and the SHA-256
/// of the throttle key (`throttle_<scope>_<ident>`, as the reference's cache keys) in hex, as the
/// memory store keys its map: a client that sends a 100 KB `X-Forwarded-For` (the identity when
/// `num_proxies` is unset) costs 73 bytes of key, not 100 KB.
///
/// The connection manager reconnects on its own: when Redis comes back, throttling resumes
/// without a restart.
#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
    script: redis::Script,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RedisStore")
    }
}

impl RedisStore {
    /// Connects to `url` (`redis://127.0.0.1:6379`). The URL is not logged.
    ///
    /// ```no_run
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use std::sync::Arc;
    /// use auth_core::AuthSettings;
    /// use auth_core::services::redis_store::RedisStore;
    ///
    /// // Every instance counts in the same histories (DRF's cache-backed throttling).
    /// let store = RedisStore::connect("redis://127.0.0.1:6379").await?;
    /// let settings = AuthSettings::builder()
    ///     .secret_key("the Django project's SECRET_KEY")
    ///     .throttle_store(Arc::new(store))
    ///     .throttle_rate("user", "1000/day")
    ///     .build()?;
    /// # let _ = settings;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// # }).unwrap();
    /// ```
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let client = redis::Client::open(url).map_err(|error| StoreError(error.to_string()))?;
        let connection = ConnectionManager::new(client)
            .await
            .map_err(|error| StoreError(error.to_string()))?;
        Ok(Self {
            connection,
            script: redis::Script::new(SCRIPT),
        })
    }
}

/// The Redis key of throttle key `key`.
fn redis_key(key: &str) -> String {
    use sha2::{Digest, Sha256};
    format!("throttle:{}", hex::encode(Sha256::digest(key.as_bytes())))
}

impl ThrottleStore for RedisStore {
    fn hit<'a>(&'a self, key: &'a str, limit: u64, duration: u64, now: f64) -> HitFuture<'a> {
        Box::pin(async move {
            let mut connection = self.connection.clone();
            let (allowed, len, oldest): (i64, u64, String) = self
                .script
                .key(redis_key(key))
                .arg(format!("{now:.6}"))
                .arg(duration)
                .arg(limit)
                .invoke_async(&mut connection)
                .await
                .map_err(|error| StoreError(error.to_string()))?;
            Ok(Hit {
                allowed: allowed == 1,
                len,
                oldest: oldest.parse().ok(),
            })
        })
    }
}
