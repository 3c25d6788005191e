//! The credential caches of several instances, kept in step through Redis publish/subscribe.
//!
//! Each instance's [`CredentialCache`] forgets a user, a token or a session when this library
//! changes them (logout and other session flushes, a password change or hash upgrade, the admin
//! commands run in-process, an application's own `forget_user`). Alone, another instance would keep serving its own entry until
//! the TTL. With a [`RedisCacheInvalidation`] attached, every forgetting is published on
//! [`CHANNEL`] (or a channel of the deployment's choosing, when several share one Redis) and
//! every instance applies what the others publish, within milliseconds on loopback
//! (`tests/tests/postgres.rs::three_instances_with_the_cache_on_refuse_what_one_revokes_within_milliseconds`
//! measures it).
//!
//! When Redis cannot be reached, nothing waits for it: forgetting still happens locally, the
//! message is dropped (logged), and the other instances fall back to the TTL. Messages sent while
//! an instance was not subscribed are lost, so on every (re)subscription the instance clears its
//! cache: an entry can then be stale for at most the time the subscription was down, and never
//! longer than the TTL.
//!
//! The messages name a user id or a credential's fingerprint (the SHA-256 the cache finds
//! entries by), never a token or a session key.

use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use futures_util::StreamExt;
use redis::aio::ConnectionManager;
use tokio::sync::{mpsc, watch};

use super::credential_cache::{CredentialCache, Fingerprint, Invalidation};
use super::throttle_store::StoreError;

/// The Redis channel the instances publish their forgetting on, unless told another
/// ([`RedisCacheInvalidation::connect_on`]).
pub const CHANNEL: &str = "drf_auth:credential_cache:invalidate";

/// How long [`RedisCacheInvalidation::connect`] waits for the first subscription before
/// serving without it (the TTL then bounds staleness until it is made).
const FIRST_SUBSCRIPTION: Duration = Duration::from_secs(2);

/// The longest pause between two attempts to reach Redis.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// How long one attempt to connect, subscribe or publish may take: a Redis that accepts
/// connections but never answers (a black hole) must not hold the queue of messages.
const ATTEMPT: Duration = Duration::from_secs(2);

/// Attaches credential caches to Redis publish/subscribe (see the module documentation). Cheap
/// to clone; give it to [`AuthSettingsBuilder::auth_cache_invalidation`]. Needs the `redis`
/// feature.
///
/// ```no_run
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use std::time::Duration;
/// use auth_core::AuthSettings;
/// use auth_core::services::cache_invalidation::RedisCacheInvalidation;
///
/// let invalidation = RedisCacheInvalidation::connect("redis://127.0.0.1:6379").await?;
/// let settings = AuthSettings::builder()
///     .secret_key("the Django project's SECRET_KEY")
///     .auth_cache_ttl(Duration::from_secs(60))
///     .auth_cache_invalidation(invalidation)
///     .build()?;
/// # let _ = settings;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
///
/// [`AuthSettingsBuilder::auth_cache_invalidation`]: crate::auth_settings::AuthSettingsBuilder::auth_cache_invalidation
#[derive(Clone)]
pub struct RedisCacheInvalidation {
    shared: Arc<Shared>,
}

struct Shared {
    /// This instance's name on the channel: its own messages come back and are skipped.
    instance: String,
    channel: String,
    caches: Mutex<Vec<Weak<CredentialCache>>>,
    outgoing: mpsc::UnboundedSender<String>,
    subscribed: watch::Receiver<u64>,
}

impl std::fmt::Debug for RedisCacheInvalidation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisCacheInvalidation")
            .field("instance", &self.shared.instance)
            .finish_non_exhaustive()
    }
}

impl RedisCacheInvalidation {
    /// Starts publishing and subscribing through the Redis at `url` (`redis://127.0.0.1:6379`;
    /// not logged), on the current Tokio runtime, and waits up to two seconds for the
    /// subscription. Only a malformed URL is an error: an unreachable Redis is retried in the
    /// background, the caches relying on their TTL meanwhile.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_on(url, CHANNEL).await
    }

    /// [`connect`](Self::connect) on the channel `channel`: deployments that share one Redis
    /// but not their users (a user id means another user in each) give each its own.
    pub async fn connect_on(url: &str, channel: &str) -> Result<Self, StoreError> {
        let client = redis::Client::open(url).map_err(|error| StoreError(error.to_string()))?;
        let (outgoing, receiver) = mpsc::unbounded_channel();
        let (subscribed_sender, subscribed) = watch::channel(0);
        let shared = Arc::new(Shared {
            instance: format!("{:016x}", rand::random::<u64>()),
            channel: channel.to_owned(),
            caches: Mutex::new(Vec::new()),
            outgoing,
            subscribed,
        });
        tokio::spawn(publish(client.clone(), channel.to_owned(), receiver));
        tokio::spawn(subscribe(
            client,
            Arc::downgrade(&shared),
            subscribed_sender,
        ));
        let bus = Self { shared };
        if tokio::time::timeout(FIRST_SUBSCRIPTION, bus.subscribed())
            .await
            .is_err()
        {
            tracing::warn!(
                "credential cache invalidation: Redis is not answering; other instances' changes \
                 are seen within the cache TTL until it does"
            );
        }
        Ok(bus)
    }

    /// Waits until the subscription is (re)made after this call's view of it.
    async fn subscribed(&self) {
        let mut subscribed = self.shared.subscribed.clone();
        if *subscribed.borrow_and_update() > 0 {
            return;
        }
        let _ = subscribed.changed().await;
    }

    /// How many times the subscription was made: 0 while Redis has not been reached.
    pub fn subscriptions(&self) -> u64 {
        *self.shared.subscribed.borrow()
    }

    /// Publishes `cache`'s forgetting to the other instances, and applies theirs to it.
    pub fn attach(&self, cache: &Arc<CredentialCache>) {
        // The cache keeps the bus alive (the builder that held it is gone after `build`); the
        // bus holds its caches weakly, so there is no cycle, and its tasks end with the last
        // cache.
        let shared = Arc::clone(&self.shared);
        let announced = cache.announce_to(Arc::new(move |invalidation| {
            let message = encode(&shared.instance, invalidation);
            // Only fails once the publishing task is gone (the runtime stopped).
            let _ = shared.outgoing.send(message);
        }));
        if !announced {
            tracing::warn!("credential cache invalidation: this cache is already attached");
        }
        if let Ok(mut caches) = self.shared.caches.lock() {
            caches.retain(|cache| cache.strong_count() > 0);
            caches.push(Arc::downgrade(cache));
        }
    }
}

impl Shared {
    fn each_cache(&self, apply: impl Fn(&CredentialCache)) {
        let caches: Vec<Arc<CredentialCache>> = match self.caches.lock() {
            Ok(caches) => caches.iter().filter_map(Weak::upgrade).collect(),
            Err(_) => return,
        };
        for cache in caches {
            apply(&cache);
        }
    }
}

/// `<instance> u <id>`, `<instance> t <hex>`, `<instance> s <hex>`, `<instance> b <hex>`,
/// `<instance> j <id>:<unix seconds>` or `<instance> *`.
fn encode(instance: &str, invalidation: Invalidation) -> String {
    match invalidation {
        Invalidation::User(id) => format!("{instance} u {id}"),
        Invalidation::Token(id) => format!("{instance} t {}", hex::encode(id)),
        Invalidation::Session(id) => format!("{instance} s {}", hex::encode(id)),
        Invalidation::JwtFloor(user, floor) => format!("{instance} j {user}:{floor}"),
        Invalidation::Blacklisted(id) => format!("{instance} b {}", hex::encode(id)),
        Invalidation::All => format!("{instance} *"),
    }
}

/// The sender and what it forgot; `None` for anything else on the channel.
fn decode(message: &str) -> Option<(&str, Invalidation)> {
    let mut parts = message.split(' ');
    let instance = parts.next()?;
    let invalidation = match (parts.next()?, parts.next()) {
        ("*", None) => Invalidation::All,
        ("u", Some(id)) => Invalidation::User(id.parse().ok()?),
        ("t", Some(id)) => Invalidation::Token(fingerprint(id)?),
        ("s", Some(id)) => Invalidation::Session(fingerprint(id)?),
        ("b", Some(id)) => Invalidation::Blacklisted(fingerprint(id)?),
        ("j", Some(floor)) => {
            let (user, at) = floor.split_once(':')?;
            Invalidation::JwtFloor(user.parse().ok()?, at.parse().ok()?)
        }
        _ => return None,
    };
    parts.next().is_none().then_some((instance, invalidation))
}

fn fingerprint(text: &str) -> Option<Fingerprint> {
    let mut id = [0; 32];
    hex::decode_to_slice(text, &mut id).ok()?;
    Some(id)
}

/// Sends what the attached caches forget, in order. A message that cannot be sent is dropped:
/// the other instances then rely on their TTL.
async fn publish(
    client: redis::Client,
    channel: String,
    mut receiver: mpsc::UnboundedReceiver<String>,
) {
    let mut connection: Option<ConnectionManager> = None;
    while let Some(message) = receiver.recv().await {
        if connection.is_none() {
            connection = match tokio::time::timeout(ATTEMPT, ConnectionManager::new(client.clone()))
                .await
            {
                Ok(Ok(manager)) => Some(manager),
                Ok(Err(error)) => {
                    tracing::warn!(%error, "credential cache invalidation: cannot reach Redis to publish");
                    None
                }
                Err(_) => {
                    tracing::warn!(
                        "credential cache invalidation: Redis did not answer in time to publish"
                    );
                    None
                }
            };
        }
        let Some(manager) = connection.as_mut() else {
            continue;
        };
        let sent = tokio::time::timeout(
            ATTEMPT,
            redis::cmd("PUBLISH")
                .arg(&channel)
                .arg(&message)
                .query_async::<i64>(manager),
        )
        .await;
        match sent {
            Ok(Ok(_)) => {}
            Ok(Err(error)) => {
                tracing::warn!(%error, "credential cache invalidation: a message was not published");
            }
            Err(_) => {
                tracing::warn!(
                    "credential cache invalidation: a message was not published in time"
                );
                // Reconnect for the next one rather than wait on this connection again.
                connection = None;
            }
        }
    }
}

/// Applies the other instances' messages to the attached caches; (re)subscribes with backoff
/// and clears the caches each time a subscription is made (messages may have been missed).
/// Ends when the last handle on the bus is gone.
async fn subscribe(client: redis::Client, shared: Weak<Shared>, subscribed: watch::Sender<u64>) {
    let mut backoff = Duration::from_millis(50);
    loop {
        let Some(channel) = shared.upgrade().map(|shared| shared.channel.clone()) else {
            return;
        };
        let attempt = tokio::time::timeout(ATTEMPT, async {
            let mut pubsub = client.get_async_pubsub().await?;
            pubsub.subscribe(&channel).await?;
            Ok::<_, redis::RedisError>(pubsub)
        })
        .await;
        match attempt {
            Ok(Ok(mut pubsub)) => {
                backoff = Duration::from_millis(50);
                if let Some(shared) = shared.upgrade() {
                    shared.each_cache(|cache| cache.apply(Invalidation::All));
                }
                subscribed.send_modify(|count| *count += 1);
                let mut messages = pubsub.on_message();
                while let Some(message) = messages.next().await {
                    let Some(shared) = shared.upgrade() else {
                        return;
                    };
                    let Ok(text) = message.get_payload::<String>() else {
                        continue;
                    };
                    match decode(&text) {
                        Some((sender, invalidation)) if sender != shared.instance => {
                            shared.each_cache(|cache| cache.apply(invalidation));
                        }
                        Some(_) => {}
                        None => tracing::debug!("credential cache invalidation: ignored a message"),
                    }
                }
                tracing::warn!("credential cache invalidation: the subscription was lost");
            }
            Ok(Err(error)) => {
                tracing::debug!(%error, "credential cache invalidation: cannot subscribe");
            }
            Err(_) => {
                tracing::debug!("credential cache invalidation: Redis did not answer in time");
            }
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::user_id::UserId;

    #[test]
    fn messages_round_trip_and_nothing_else_decodes() {
        let id = [7u8; 32];
        for invalidation in [
            Invalidation::User(UserId::Int(42)),
            Invalidation::User("0f6b5c1e-8d1a-4c43-9a9e-3b5e2c7d9f10".parse().unwrap()),
            Invalidation::User(UserId::Int(-1)),
            Invalidation::Token(id),
            Invalidation::Session(id),
            Invalidation::JwtFloor(UserId::Int(42), 1_796_527_931),
            Invalidation::Blacklisted(id),
            Invalidation::All,
        ] {
            let message = encode("abc", invalidation);
            assert_eq!(decode(&message), Some(("abc", invalidation)), "{message}");
        }
        for junk in [
            "",
            "abc",
            "abc u",
            "abc u x",
            "abc t 00",
            "abc * extra",
            "abc q 1",
            "abc u 1 2",
            "abc j 42",
            "abc j 42:x",
            "abc j :1",
        ] {
            assert_eq!(decode(junk), None, "{junk:?}");
        }
    }
}
