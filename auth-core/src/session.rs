//! Django's database session store (spec §7.3) and the authentication state it holds: resolving
//! the session's user (§7.5), logging in and out (§7.6).

use std::fmt;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbErr};
use serde_json::{Map, Value};

use crate::authentication::AuthContext;
use crate::backends::store_failure;
use crate::django::session_data::{self, HashMatch};
use crate::error::ApiError;
use crate::response_effects::{ResponseEffects, SessionCookie};
use crate::settings::AuthSettings;
use crate::store;
use crate::user::User;

/// One session: its key (none until saved) and its data, in insertion order.
#[derive(Clone, Default, PartialEq)]
pub struct Session {
    key: Option<String>,
    data: Map<String, Value>,
    /// When the stored row expires (`None` for a session not loaded from the store).
    expires: Option<DateTime<Utc>>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("key", &self.key.as_ref().map(|_| "<redacted>"))
            .field("entries", &self.data.len())
            .finish()
    }
}

impl Session {
    /// The session key (the cookie's value), once the session exists in the store.
    pub fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    /// The data.
    pub fn data(&self) -> &Map<String, Value> {
        &self.data
    }

    /// Mutable data.
    pub fn data_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.data
    }

    /// Django's `is_empty`: no key and no data.
    pub fn is_empty(&self) -> bool {
        self.key.is_none() && self.data.is_empty()
    }

    fn text(&self, name: &str) -> Option<&str> {
        self.data.get(name).and_then(Value::as_str)
    }
}

/// Django's `db` session engine on sea-orm.
#[derive(Debug, Clone, Copy)]
pub struct SessionStore<'a> {
    db: &'a DatabaseConnection,
    settings: &'a AuthSettings,
}

impl<'a> SessionStore<'a> {
    /// The store of `db`, signing with the settings' secret key.
    pub fn new(db: &'a DatabaseConnection, settings: &'a AuthSettings) -> Self {
        Self { db, settings }
    }

    /// Django's `SessionStore(key).load()`: a key shorter than 8 characters, a missing or expired
    /// row give an empty session without a key; data that fails to verify or decode gives an
    /// empty session that keeps its key (and logs `Session data corrupted`).
    pub async fn load(&self, key: &str) -> Result<Session, DbErr> {
        if !session_data::is_valid_session_key(key) {
            return Ok(Session::default());
        }
        let now = Utc::now();
        let row = match store::sqlite_reader::live_session(self.db, key, now) {
            Some(row) => row,
            None => store::session::load(self.db, key, now).await?,
        };
        let Some(row) = row else {
            return Ok(Session::default());
        };
        let fallbacks: Vec<&str> = self
            .settings
            .secret_key_fallbacks()
            .iter()
            .map(|key| key.expose())
            .collect();
        let data = match session_data::decode(
            &row.session_data,
            self.settings.secret_key().expose(),
            &fallbacks,
        ) {
            Ok(data) => data,
            Err(corrupted) => {
                if corrupted.is_suspicious() {
                    tracing::warn!(target: "django.security.SuspiciousSession", "Session data corrupted");
                }
                Map::new()
            }
        };
        Ok(Session {
            key: Some(row.session_key),
            data,
            expires: Some(row.expire_date),
        })
    }

    /// Django's `save()`: writes the data with its expiry; a session without a key gets a new
    /// one from the CSPRNG, regenerated until no row has it.
    pub async fn save(&self, session: &mut Session) -> Result<(), DbErr> {
        let now = Utc::now();
        let age = u64::try_from(self.settings.session_cookie().age).unwrap_or(0);
        // An unreadable custom `_session_expiry` falls back to the cookie age.
        let expire_date = session_data::expiry_date(&session.data, age, now)
            .unwrap_or_else(|_| self.settings.session_cookie().expires_after(now));
        let now_secs = u64::try_from(now.timestamp()).unwrap_or(0);
        let encoded =
            session_data::encode(&session.data, self.settings.secret_key().expose(), now_secs);
        if let Some(key) = &session.key
            && store::session::update(self.db, key, encoded.clone(), expire_date).await? > 0
        {
            return Ok(());
        }
        loop {
            let key = session_data::generate_session_key();
            if store::session::exists(self.db, &key).await? {
                continue;
            }
            match store::session::insert(self.db, key.clone(), encoded.clone(), expire_date).await {
                Ok(()) => {
                    session.key = Some(key);
                    return Ok(());
                }
                // Lost a race for this key: try another.
                Err(error) if store::session::exists(self.db, &key).await? => {
                    tracing::debug!(%error, "session key collision");
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// Django's `cycle_key()`: the same data under a new key; the old row is deleted.
    pub async fn cycle_key(&self, session: &mut Session) -> Result<(), DbErr> {
        let old = session.key.take();
        self.save(session).await?;
        if let Some(old) = old {
            store::session::delete(self.db, &old).await?;
            forget_cached(self.settings, &old);
        }
        Ok(())
    }

    /// Django's `flush()`: deletes the row and empties the session.
    pub async fn flush(&self, session: &mut Session) -> Result<(), DbErr> {
        if let Some(key) = session.key.take() {
            store::session::delete(self.db, &key).await?;
            forget_cached(self.settings, &key);
        }
        session.data.clear();
        Ok(())
    }
}

/// A session row deleted or re-keyed by this process is forgotten by its cache at once.
fn forget_cached(settings: &AuthSettings, key: &str) {
    if let Some(cache) = settings.auth_cache() {
        cache.forget_session(key);
    }
}

fn session_hash(user: &User, settings: &AuthSettings) -> String {
    session_data::session_auth_hash(&user.password, settings.secret_key().expose())
}

/// Django's `get_user(request)` for the session in the request's cookie (spec §7.5): the user
/// whose id, backend and password hash the session holds, if all still match.
///
/// A hash made with a fallback secret re-keys the session and stores the current hash; any other
/// mismatch flushes it. A request whose cookie names no live session gets its cookie deleted.
pub async fn session_user(cx: &AuthContext<'_>) -> Result<Option<User>, ApiError> {
    // Django's `request.user` reads the session whether or not a cookie came, so the response
    // varies on `Cookie` either way.
    cx.effects.mark_session_accessed();
    let cookie_name = &cx.settings.session_cookie().name;
    let Some(cookie) = cx.request.cookie(cookie_name) else {
        return Ok(None);
    };
    let cache = cx.settings.auth_cache();
    let cache_now = cx.settings.clock().now();
    if let Some((user, expires)) = cache.and_then(|cache| cache.session(&cookie, cache_now)) {
        // The session's expiry is compared on the clock `SessionStore::load` uses.
        if Utc::now() < expires {
            return Ok(Some(User::clone(&user)));
        }
    }
    let sessions = SessionStore::new(cx.db, cx.settings);
    let mut session = sessions.load(&cookie).await.map_err(store_failure)?;
    if session.key.is_none() {
        cx.effects.set_session_cookie(SessionCookie::Delete);
        return Ok(None);
    }
    let user_id = match session.data.get(session_data::SESSION_KEY) {
        Some(Value::String(text)) => text.parse::<i32>().ok(),
        Some(Value::Number(number)) => number.as_i64().and_then(|id| i32::try_from(id).ok()),
        _ => None,
    };
    let backend = session.text(session_data::BACKEND_SESSION_KEY);
    let (Some(user_id), Some(backend)) = (user_id, backend) else {
        return Ok(None);
    };
    if !cx
        .settings
        .authentication_backends()
        .iter()
        .any(|allowed| allowed == backend)
    {
        return Ok(None);
    }
    let users = cx.settings.user_model();
    let user = match store::sqlite_reader::user_by_id(cx.db, users, user_id) {
        Some(user) => user,
        None => users
            .find_by_id(cx.db, user_id)
            .await
            .map_err(store_failure)?,
    };
    let Some(user) = user else {
        return Ok(None);
    };
    if !user.is_active {
        return Ok(None);
    }
    let stored_hash = session
        .text(session_data::HASH_SESSION_KEY)
        .unwrap_or_default()
        .to_owned();
    let fallbacks: Vec<&str> = cx
        .settings
        .secret_key_fallbacks()
        .iter()
        .map(|key| key.expose())
        .collect();
    match session_data::verify_session_auth_hash(
        &stored_hash,
        &user.password,
        cx.settings.secret_key().expose(),
        &fallbacks,
    ) {
        HashMatch::Current => {
            if let (Some(cache), Some(key), Some(expires)) = (cache, session.key(), session.expires)
            {
                cache.remember_session(key, Arc::new(user.clone()), expires, cache_now);
            }
            Ok(Some(user))
        }
        HashMatch::Fallback => {
            session.data.insert(
                session_data::HASH_SESSION_KEY.to_owned(),
                Value::String(session_hash(&user, cx.settings)),
            );
            sessions
                .cycle_key(&mut session)
                .await
                .map_err(store_failure)?;
            if let Some(key) = session.key() {
                cx.effects
                    .set_session_cookie(SessionCookie::Set(key.to_owned()));
            }
            Ok(Some(user))
        }
        HashMatch::None => {
            sessions.flush(&mut session).await.map_err(store_failure)?;
            cx.effects.set_session_cookie(SessionCookie::Delete);
            Ok(None)
        }
    }
}

/// Django's `login(request, user, backend)` (spec §7.6) on the session in `cookie` (if any):
/// flushes a session of another user (or of a stale hash), otherwise cycles the key so a
/// pre-login session id is never reused; stores id, backend and hash in Django's order; rotates
/// the CSRF secret; updates `last_login`. Returns the saved session.
pub async fn login(
    db: &DatabaseConnection,
    settings: &AuthSettings,
    effects: &ResponseEffects,
    cookie: Option<&str>,
    user: &User,
    backend: &str,
) -> Result<(Session, User), DbErr> {
    let sessions = SessionStore::new(db, settings);
    let mut session = match cookie {
        Some(cookie) => sessions.load(cookie).await?,
        None => Session::default(),
    };
    let hash = session_hash(user, settings);
    if session.data.contains_key(session_data::SESSION_KEY) {
        let same_user =
            session.text(session_data::SESSION_KEY) == Some(user.id.to_string().as_str());
        let fallbacks: Vec<&str> = settings
            .secret_key_fallbacks()
            .iter()
            .map(|key| key.expose())
            .collect();
        let same_hash = session_data::verify_session_auth_hash(
            session
                .text(session_data::HASH_SESSION_KEY)
                .unwrap_or_default(),
            &user.password,
            settings.secret_key().expose(),
            &fallbacks,
        ) == HashMatch::Current;
        if !same_user || !same_hash {
            sessions.flush(&mut session).await?;
        }
    } else {
        // No fixation: an anonymous session keeps its data under a new key.
        let old = session.key.take();
        if let Some(old) = old {
            store::session::delete(db, &old).await?;
            forget_cached(settings, &old);
        }
    }
    session.data.insert(
        session_data::SESSION_KEY.to_owned(),
        Value::String(user.id.to_string()),
    );
    session.data.insert(
        session_data::BACKEND_SESSION_KEY.to_owned(),
        Value::String(backend.to_owned()),
    );
    session.data.insert(
        session_data::HASH_SESSION_KEY.to_owned(),
        Value::String(hash),
    );
    sessions.save(&mut session).await?;
    if let Some(key) = session.key() {
        effects.set_session_cookie(SessionCookie::Set(key.to_owned()));
    }
    effects.set_csrf_secret(crate::django::csrf::generate_secret());
    let user = settings
        .user_model()
        .touch_last_login(db, user.clone())
        .await?;
    Ok((session, user))
}

/// Django's `logout(request)`: flushes the session in `cookie` and deletes the cookie.
pub async fn logout(
    db: &DatabaseConnection,
    settings: &AuthSettings,
    effects: &ResponseEffects,
    cookie: Option<&str>,
) -> Result<(), DbErr> {
    let Some(cookie) = cookie else {
        return Ok(());
    };
    let sessions = SessionStore::new(db, settings);
    let mut session = sessions.load(cookie).await?;
    sessions.flush(&mut session).await?;
    effects.set_session_cookie(SessionCookie::Delete);
    Ok(())
}
