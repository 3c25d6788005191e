//! A cache of token → user and session → user lookups: off by default.
//!
//! DRF reads the database on every request (one query for a token, two for a session). With the
//! builder's `auth_cache_ttl` set, a successful lookup is remembered for that long, and so is an
//! unknown token (a *negative* entry), so a flood of random tokens is answered without the
//! database too.
//!
//! # The trade-off
//!
//! A change made by **this process** is seen at once: logout and every other session flush or
//! key change, a hash upgrade, and the admin commands (token revocation, password change) forget
//! the affected entries; an application that changes users itself calls
//! [`CredentialCache::forget_user`]. With Redis, every instance hears the others' forgetting
//! (publish/subscribe, [`RedisCacheInvalidation`](super::cache_invalidation)): a change made by
//! any instance of this library is seen by all within the propagation delay (milliseconds), and
//! when Redis cannot be reached, within the TTL. A change made **elsewhere** (Django's admin, a
//! `manage.py` command) is seen within the TTL: until then a revoked token, a
//! deactivated user or a session logged out elsewhere keeps working here, and a token created
//! with a key that was just refused (only chosen keys, as fixtures use; generated keys are never
//! guessed) keeps being refused. Choose the TTL as the longest such window you accept.
//!
//! # Bounds
//!
//! Both maps are bounded in entries (the builder's `auth_cache_capacity`): at most `capacity`
//! users' credentials and `capacity` refused tokens, evicted by S3-FIFO (frequently used entries
//! survive a scan of random keys). An entry holds a user row (its strings are
//! bounded by Django's column sizes, 128–254 characters) and, for tokens, the token row: about
//! 1 KiB at most, so the memory ceiling is about `capacity` KiB plus 64 bytes per refused token.
//!
//! # Secrets
//!
//! Credentials are never keys: an entry is found by the SHA-256 of the token key or session key
//! (with a tag per kind), so the map holds no presented secret and its hashing works on digests.
//! The token row kept for `request.auth` does hold the key, as the request's own `auth` does;
//! `Debug` shows neither.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use quick_cache::sync::Cache;
use sha2::{Digest, Sha256};

#[cfg(feature = "oauth2")]
use crate::store::oauth2_access_token::AccessToken;
use crate::store::token;
use crate::store::user::User;
use crate::store::user_id::UserId;

/// The SHA-256 of a tagged credential: what entries are found by.
pub type Fingerprint = [u8; 32];

fn fingerprint(kind: &[u8], credential: &str) -> Fingerprint {
    let mut hasher = Sha256::new();
    hasher.update(kind);
    hasher.update([0]);
    hasher.update(credential.as_bytes());
    hasher.finalize().into()
}

const TOKEN: &[u8] = b"authtoken";
const SESSION: &[u8] = b"session";
/// simplejwt's `jti`, for the blacklist's answers.
const JTI: &[u8] = b"simplejwt-jti";
/// DOT's access tokens, by their checksum.
#[cfg(feature = "oauth2")]
const OAUTH2: &[u8] = b"oauth2-accesstoken";

/// What is remembered of a credential that authenticated.
#[derive(Clone)]
enum Remembered {
    /// A DRF token and its user.
    Token {
        token: Arc<token::Model>,
        user: Arc<User>,
    },
    /// A session whose user, backend and password hash were verified, and when it expires.
    Session {
        user: Arc<User>,
        expires: DateTime<Utc>,
    },
    /// A DOT access token and its user (none for a client-credentials token). Its expiry is
    /// the row's and is checked on each use.
    #[cfg(feature = "oauth2")]
    OAuth2 {
        token: Arc<AccessToken>,
        user: Option<Arc<User>>,
    },
}

impl Remembered {
    fn user_id(&self) -> Option<UserId> {
        match self {
            Self::Token { user, .. } | Self::Session { user, .. } => Some(user.id),
            #[cfg(feature = "oauth2")]
            Self::OAuth2 { user, .. } => user.as_ref().map(|user| user.id),
        }
    }
}

#[derive(Clone)]
struct Entry {
    remembered: Remembered,
    /// When this entry stops being used (the TTL from when it was stored).
    until: DateTime<Utc>,
}

/// What [`CredentialCache::lookup`] found.
enum Lookup<T> {
    Known(T),
    Unknown,
    Miss,
}

/// What the cache knows about a presented DOT access token.
#[cfg(feature = "oauth2")]
#[derive(Debug, Clone)]
pub enum OAuth2Lookup {
    /// Seen recently: this row, and its user when it has one.
    Known(Arc<AccessToken>, Option<Arc<User>>),
    /// Refused recently: no such token.
    Unknown,
    /// Not in the cache: ask the database.
    Miss,
}

/// What the cache knows about a presented DRF token.
#[derive(Debug, Clone)]
pub enum TokenLookup {
    /// Seen recently with this row and user.
    Known(Arc<token::Model>, Arc<User>),
    /// Refused recently: no such token.
    Unknown,
    /// Not in the cache: ask the database.
    Miss,
}

/// The token / session → user cache (see the module documentation). Shared by the clones of
/// the settings that made it.
pub struct CredentialCache {
    ttl: TimeDelta,
    known: Cache<Fingerprint, Entry>,
    /// Refused token fingerprints and until when they stay refused.
    unknown: Cache<Fingerprint, DateTime<Utc>>,
    /// simplejwt's blacklist by `jti` fingerprint: the tokens known to be blacklisted (for good:
    /// a row goes only once its token has expired) ...
    blacklisted: Cache<Fingerprint, ()>,
    /// ... and those known not to be, until when. Kept apart so that a "not blacklisted" read
    /// racing a blacklisting can never hide it: the first map is asked first.
    not_blacklisted: Cache<Fingerprint, DateTime<Utc>>,
    /// Per-user JWT revocation floors (Unix seconds): a token of the user issued at or before
    /// the floor is refused. Not a cache: never evicted (a floor is a revocation).
    jwt_floors: std::sync::RwLock<std::collections::HashMap<UserId, i64>>,
    /// Who hears what this cache forgets (the other instances, through Redis), when set.
    peers: OnceLock<Peers>,
}

/// What one cache forgot, for the caches of the other instances: a user, or a credential by its
/// fingerprint (never the credential itself), or everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalidation {
    /// Every credential of this user.
    User(UserId),
    /// One DRF token, by fingerprint.
    Token(Fingerprint),
    /// One session, by fingerprint.
    Session(Fingerprint),
    /// Every JWT of this user issued at or before this second (Unix time) is refused.
    JwtFloor(UserId, i64),
    /// simplejwt's blacklist holds this `jti` (by fingerprint) now.
    Blacklisted(Fingerprint),
    /// Everything.
    All,
}

/// Told of every [`Invalidation`] this cache makes.
pub type Peers = Arc<dyn Fn(Invalidation) + Send + Sync>;

impl fmt::Debug for CredentialCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialCache")
            .field("ttl", &self.ttl)
            .field("known", &self.known.len())
            .field("unknown", &self.unknown.len())
            .finish()
    }
}

impl CredentialCache {
    /// A cache keeping entries for `ttl`, at most `capacity` known credentials and `capacity`
    /// refused tokens.
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            ttl: TimeDelta::from_std(ttl).unwrap_or(TimeDelta::MAX),
            known: Cache::new(capacity),
            unknown: Cache::new(capacity),
            blacklisted: Cache::new(capacity),
            not_blacklisted: Cache::new(capacity),
            jwt_floors: std::sync::RwLock::default(),
            peers: OnceLock::new(),
        }
    }

    /// Tells `peers` of every forgetting from now on (once: later calls are ignored and
    /// return `false`). [`RedisCacheInvalidation`](super::cache_invalidation) uses it.
    pub fn announce_to(&self, peers: Peers) -> bool {
        self.peers.set(peers).is_ok()
    }

    fn announce(&self, invalidation: Invalidation) {
        if let Some(peers) = self.peers.get() {
            peers(invalidation);
        }
    }

    /// Forgets what `invalidation` names, here only: what another instance forgot.
    pub fn apply(&self, invalidation: Invalidation) {
        match invalidation {
            Invalidation::User(user_id) => self
                .known
                .retain(|_, entry| entry.remembered.user_id() != Some(user_id)),
            Invalidation::Token(id) => {
                self.known.remove(&id);
                self.unknown.remove(&id);
            }
            Invalidation::Blacklisted(id) => {
                self.blacklisted.insert(id, ());
                self.not_blacklisted.remove(&id);
            }
            Invalidation::Session(id) => {
                self.known.remove(&id);
            }
            Invalidation::JwtFloor(user_id, floor) => {
                let mut floors = self
                    .jwt_floors
                    .write()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let entry = floors.entry(user_id).or_insert(floor);
                *entry = (*entry).max(floor);
            }
            // Floors are revocations, not cached answers: clearing the cache keeps them.
            Invalidation::All => {
                self.known.clear();
                self.unknown.clear();
                self.not_blacklisted.clear();
            }
        }
    }

    /// How long entries live.
    pub fn ttl(&self) -> Duration {
        self.ttl.to_std().unwrap_or(Duration::MAX)
    }

    /// Known credentials held now.
    pub fn len(&self) -> usize {
        self.known.len()
    }

    /// Whether no known credential is held.
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// Refused tokens held now.
    pub fn refused_len(&self) -> usize {
        self.unknown.len()
    }

    fn until(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now.checked_add_signed(self.ttl)
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// What is known, at `now`, about the credential with fingerprint `id` of metrics kind
    /// `kind`: its entry when `known` takes it (`None` for an entry of another kind, which is
    /// then dropped), a recent refusal, or nothing.
    fn lookup<T>(
        &self,
        kind: &'static str,
        id: Fingerprint,
        now: DateTime<Utc>,
        known: impl FnOnce(Remembered) -> Option<T>,
    ) -> Lookup<T> {
        if let Some(entry) = self.known.get(&id) {
            if now < entry.until
                && let Some(found) = known(entry.remembered)
            {
                hit(kind);
                return Lookup::Known(found);
            }
            self.known.remove(&id);
        }
        if let Some(until) = self.unknown.get(&id) {
            if now < until {
                hit(kind);
                return Lookup::Unknown;
            }
            self.unknown.remove(&id);
        }
        miss(kind);
        Lookup::Miss
    }

    /// What is known about the DRF token `key` at `now`.
    pub fn token(&self, key: &str, now: DateTime<Utc>) -> TokenLookup {
        let found = self.lookup(
            "token",
            fingerprint(TOKEN, key),
            now,
            |remembered| match remembered {
                Remembered::Token { token, user } => Some((token, user)),
                _ => None,
            },
        );
        match found {
            Lookup::Known((token, user)) => TokenLookup::Known(token, user),
            Lookup::Unknown => TokenLookup::Unknown,
            Lookup::Miss => TokenLookup::Miss,
        }
    }

    /// Remembers that `key` is `token` of `user`.
    pub fn remember_token(
        &self,
        key: &str,
        token: Arc<token::Model>,
        user: Arc<User>,
        now: DateTime<Utc>,
    ) {
        let id = fingerprint(TOKEN, key);
        self.unknown.remove(&id);
        self.known.insert(
            id,
            Entry {
                remembered: Remembered::Token { token, user },
                until: self.until(now),
            },
        );
    }

    /// Remembers that no token has the key `key`.
    pub fn remember_unknown_token(&self, key: &str, now: DateTime<Utc>) {
        self.unknown
            .insert(fingerprint(TOKEN, key), self.until(now));
    }

    /// Forgets what is known about the token `key` (it was created or deleted here), here and
    /// on the instances that hear this cache.
    pub fn forget_token(&self, key: &str) {
        self.forget(Invalidation::Token(fingerprint(TOKEN, key)));
    }

    /// Forgets the DOT access token whose checksum is `checksum` (revoked, rotated or renewed
    /// here), here and on the instances that hear this cache.
    #[cfg(feature = "oauth2")]
    pub fn forget_oauth2_token(&self, checksum: &str) {
        self.forget(Invalidation::Token(fingerprint(OAUTH2, checksum)));
    }

    /// What is known about the DOT access token whose checksum is `checksum`, at `now`.
    #[cfg(feature = "oauth2")]
    pub fn oauth2_token(&self, checksum: &str, now: DateTime<Utc>) -> OAuth2Lookup {
        let found =
            self.lookup(
                "oauth2",
                fingerprint(OAUTH2, checksum),
                now,
                |remembered| match remembered {
                    Remembered::OAuth2 { token, user } => Some((token, user)),
                    _ => None,
                },
            );
        match found {
            Lookup::Known((token, user)) => OAuth2Lookup::Known(token, user),
            Lookup::Unknown => OAuth2Lookup::Unknown,
            Lookup::Miss => OAuth2Lookup::Miss,
        }
    }

    /// Remembers the access token whose checksum is `checksum`, with its user.
    #[cfg(feature = "oauth2")]
    pub fn remember_oauth2_token(
        &self,
        checksum: &str,
        token: Arc<AccessToken>,
        user: Option<Arc<User>>,
        now: DateTime<Utc>,
    ) {
        let id = fingerprint(OAUTH2, checksum);
        self.unknown.remove(&id);
        self.known.insert(
            id,
            Entry {
                remembered: Remembered::OAuth2 { token, user },
                until: self.until(now),
            },
        );
    }

    /// Remembers that no access token has the checksum `checksum`.
    #[cfg(feature = "oauth2")]
    pub fn remember_unknown_oauth2_token(&self, checksum: &str, now: DateTime<Utc>) {
        self.unknown
            .insert(fingerprint(OAUTH2, checksum), self.until(now));
    }

    /// The verified user of the session `session_key` and when the session expires, if
    /// remembered and the entry is younger than the TTL at `now`. The caller checks the
    /// session's expiry against the clock its session store uses.
    pub fn session(
        &self,
        session_key: &str,
        now: DateTime<Utc>,
    ) -> Option<(Arc<User>, DateTime<Utc>)> {
        let id = fingerprint(SESSION, session_key);
        let Some(entry) = self.known.get(&id) else {
            miss("session");
            return None;
        };
        match entry.remembered {
            Remembered::Session { user, expires } if now < entry.until => {
                hit("session");
                Some((user, expires))
            }
            _ => {
                self.known.remove(&id);
                miss("session");
                None
            }
        }
    }

    /// Remembers that the session `session_key`, expiring at `expires`, is `user`'s.
    pub fn remember_session(
        &self,
        session_key: &str,
        user: Arc<User>,
        expires: DateTime<Utc>,
        now: DateTime<Utc>,
    ) {
        self.known.insert(
            fingerprint(SESSION, session_key),
            Entry {
                remembered: Remembered::Session { user, expires },
                until: self.until(now),
            },
        );
    }

    /// Forgets the session `session_key` (flushed, or its key changed), here and on the
    /// instances that hear this cache.
    pub fn forget_session(&self, session_key: &str) {
        self.forget(Invalidation::Session(fingerprint(SESSION, session_key)));
    }

    /// Forgets every credential of the user `user_id`, here and on the instances that hear
    /// this cache: call it after changing the user's password, active flag or tokens outside
    /// this library's own paths.
    pub fn forget_user(&self, user_id: UserId) {
        self.forget(Invalidation::User(user_id));
    }

    /// Whether simplejwt's blacklist holds the token `jti`, if known at `now`.
    pub fn blacklisted(&self, jti: &str, now: DateTime<Utc>) -> Option<bool> {
        let id = fingerprint(JTI, jti);
        if self.blacklisted.get(&id).is_some() {
            hit("jwt_blacklist");
            return Some(true);
        }
        match self.not_blacklisted.get(&id) {
            Some(until) if now < until => {
                hit("jwt_blacklist");
                Some(false)
            }
            _ => {
                miss("jwt_blacklist");
                None
            }
        }
    }

    /// Remembers the blacklist's answer for the token `jti`: a blacklisting for good (the row
    /// goes only once the token has expired), a "not blacklisted" for the TTL.
    pub fn remember_blacklisted(&self, jti: &str, blacklisted: bool, now: DateTime<Utc>) {
        let id = fingerprint(JTI, jti);
        if blacklisted {
            self.blacklisted.insert(id, ());
        } else {
            self.not_blacklisted.insert(id, self.until(now));
        }
    }

    /// The token `jti` was just blacklisted here: remembered as such, here and on the
    /// instances that hear this cache.
    pub fn blacklisted_now(&self, jti: &str) {
        self.forget(Invalidation::Blacklisted(fingerprint(JTI, jti)));
    }

    /// Refuses, here and on the instances that hear this cache, every JWT of the user issued at
    /// or before `at` (its `iat`, whole seconds): "log out everywhere" for stateless tokens.
    pub fn revoke_jwts(&self, user_id: UserId, at: DateTime<Utc>) {
        self.forget(Invalidation::JwtFloor(user_id, at.timestamp()));
    }

    /// The user's JWT revocation floor, if one was set (Unix seconds).
    pub fn jwt_floor(&self, user_id: UserId) -> Option<i64> {
        self.jwt_floors
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&user_id)
            .copied()
    }

    /// Forgets everything, here and on the instances that hear this cache.
    pub fn clear(&self) {
        self.forget(Invalidation::All);
    }

    fn forget(&self, invalidation: Invalidation) {
        self.apply(invalidation);
        self.announce(invalidation);
    }
}

fn hit(kind: &'static str) {
    metrics::counter!("auth_cache_lookups_total", "kind" => kind, "result" => "hit").increment(1);
}

fn miss(kind: &'static str) {
    metrics::counter!("auth_cache_lookups_total", "kind" => kind, "result" => "miss").increment(1);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_900_000_000 + seconds, 0)
            .single()
            .unwrap_or_default()
    }

    fn user(id: i32) -> Arc<User> {
        Arc::new(User {
            id: UserId::from(id),
            password: "pbkdf2_sha256$1$salt$hash".to_owned(),
            last_login: None,
            is_superuser: false,
            username: format!("user{id}"),
            first_name: String::new(),
            last_name: String::new(),
            email: String::new(),
            is_staff: false,
            is_active: true,
            date_joined: at(0),
        })
    }

    fn token_row(key: &str, user_id: i32) -> Arc<token::Model> {
        Arc::new(token::Model {
            key: key.to_owned(),
            created: at(0),
            user_id: UserId::from(user_id),
        })
    }

    #[test]
    fn entries_live_for_the_ttl() {
        let cache = CredentialCache::new(Duration::from_secs(30), 10);
        cache.remember_token("abcd", token_row("abcd", 1), user(1), at(0));
        assert!(matches!(cache.token("abcd", at(29)), TokenLookup::Known(_, u) if u.id == 1));
        assert!(matches!(cache.token("abcd", at(30)), TokenLookup::Miss));
        // An expired entry is dropped, not kept around.
        assert_eq!(cache.len(), 0);

        cache.remember_unknown_token("nope", at(0));
        assert!(matches!(cache.token("nope", at(10)), TokenLookup::Unknown));
        assert!(matches!(cache.token("nope", at(31)), TokenLookup::Miss));
        assert_eq!(cache.refused_len(), 0);
    }

    #[test]
    fn a_session_entry_carries_the_session_expiry_and_lives_for_the_ttl() {
        let cache = CredentialCache::new(Duration::from_secs(300), 10);
        cache.remember_session("s1", user(1), at(60), at(0));
        let (found, expires) = cache.session("s1", at(59)).unwrap();
        assert_eq!((found.id, expires), (UserId::Int(1), at(60)));
        assert!(cache.session("s1", at(300)).is_none(), "the entry expired");
        assert!(cache.session("s1", at(1)).is_none(), "and is gone");
    }

    #[test]
    fn forgetting_a_user_forgets_all_their_credentials_and_only_theirs() {
        let cache = CredentialCache::new(Duration::from_secs(300), 10);
        cache.remember_token("k1", token_row("k1", 1), user(1), at(0));
        cache.remember_session("s1", user(1), at(600), at(0));
        cache.remember_session("s2", user(2), at(600), at(0));
        cache.forget_user(UserId::Int(1));
        assert!(matches!(cache.token("k1", at(1)), TokenLookup::Miss));
        assert!(cache.session("s1", at(1)).is_none());
        assert_eq!(
            cache.session("s2", at(1)).map(|(u, _)| u.id),
            Some(UserId::Int(2))
        );
    }

    #[test]
    fn a_token_and_a_session_with_the_same_text_are_different_entries() {
        let cache = CredentialCache::new(Duration::from_secs(300), 10);
        cache.remember_session("same", user(2), at(600), at(0));
        assert!(matches!(cache.token("same", at(1)), TokenLookup::Miss));
        cache.remember_unknown_token("same", at(0));
        assert_eq!(
            cache.session("same", at(1)).map(|(u, _)| u.id),
            Some(UserId::Int(2))
        );
    }

    #[test]
    fn random_tokens_cannot_grow_it_past_its_capacity() {
        let cache = CredentialCache::new(Duration::from_secs(300), 1000);
        for n in 0..50_000 {
            cache.remember_unknown_token(&format!("{n:040x}"), at(0));
        }
        assert!(cache.refused_len() <= 1000, "{}", cache.refused_len());
        for n in 0..5_000 {
            cache.remember_session(&format!("s{n}"), user(n), at(600), at(0));
        }
        assert!(cache.len() <= 1000, "{}", cache.len());
    }

    #[test]
    fn forgetting_is_announced_and_applying_is_not() {
        let cache = CredentialCache::new(Duration::from_secs(60), 10);
        let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = Arc::clone(&heard);
        assert!(cache.announce_to(Arc::new(move |invalidation| {
            if let Ok(mut heard) = sink.lock() {
                heard.push(invalidation);
            }
        })));
        cache.remember_token("k", token_row("k", 1), user(1), at(0));
        cache.forget_user(UserId::Int(1));
        cache.forget_session("s");
        cache.forget_token("k");
        cache.clear();
        // What another instance forgot is applied here and not echoed back.
        cache.remember_token("k", token_row("k", 2), user(2), at(0));
        cache.apply(Invalidation::User(UserId::Int(2)));
        assert!(matches!(cache.token("k", at(1)), TokenLookup::Miss));
        let heard = heard.lock().map(|heard| heard.clone()).unwrap_or_default();
        assert_eq!(
            heard,
            [
                Invalidation::User(UserId::Int(1)),
                Invalidation::Session(fingerprint(SESSION, "s")),
                Invalidation::Token(fingerprint(TOKEN, "k")),
                Invalidation::All,
            ]
        );
    }

    #[test]
    fn jwt_floors_only_rise_are_announced_and_survive_a_clear() {
        let cache = CredentialCache::new(Duration::from_secs(60), 10);
        let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = heard.clone();
        cache.announce_to(Arc::new(move |invalidation| {
            log.lock().unwrap().push(invalidation);
        }));
        assert_eq!(cache.jwt_floor(UserId::Int(7)), None);
        cache.revoke_jwts(UserId::Int(7), at(100));
        assert_eq!(cache.jwt_floor(UserId::Int(7)), Some(at(100).timestamp()));
        // An older floor heard from another instance does not lower it.
        cache.apply(Invalidation::JwtFloor(UserId::Int(7), at(50).timestamp()));
        assert_eq!(cache.jwt_floor(UserId::Int(7)), Some(at(100).timestamp()));
        cache.apply(Invalidation::JwtFloor(UserId::Int(7), at(150).timestamp()));
        assert_eq!(cache.jwt_floor(UserId::Int(7)), Some(at(150).timestamp()));
        cache.clear();
        assert_eq!(cache.jwt_floor(UserId::Int(7)), Some(at(150).timestamp()));
        assert_eq!(cache.jwt_floor(UserId::Int(8)), None);
        assert_eq!(
            heard.lock().unwrap().first(),
            Some(&Invalidation::JwtFloor(UserId::Int(7), at(100).timestamp()))
        );
    }

    #[test]
    fn debug_shows_counts_only() {
        let cache = CredentialCache::new(Duration::from_secs(5), 10);
        cache.remember_token("secretkey", token_row("secretkey", 1), user(1), at(0));
        let shown = format!("{cache:?}");
        assert!(!shown.contains("secretkey"), "{shown}");
        assert!(shown.contains("known: 1"), "{shown}");
    }
}
