//! Django's database session engine (`django.contrib.sessions.backends.db.SessionStore`): a
//! session's data, loaded from and saved to `django_session` in Django's signed format.

use std::fmt;

use chrono::{DateTime, Utc};
use sea_orm::DbErr;
use serde_json::{Map, Value};

use crate::django::session_data;
use crate::environment::Environment;
use crate::store;

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

    /// Takes the key away: the next save stores the data under a new key.
    pub fn take_key(&mut self) -> Option<String> {
        self.key.take()
    }

    /// Django's `is_empty`: no key and no data.
    pub fn is_empty(&self) -> bool {
        self.key.is_none() && self.data.is_empty()
    }

    /// When the stored row expires (`None` for a session not loaded from the store).
    pub fn expires(&self) -> Option<DateTime<Utc>> {
        self.expires
    }

    /// A text value of the data.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.data.get(name).and_then(Value::as_str)
    }
}

/// Django's `db` session engine on sea-orm.
#[derive(Debug, Clone, Copy)]
pub struct SessionStore<'a> {
    env: &'a Environment,
}

impl<'a> SessionStore<'a> {
    /// The store of the environment's database, signing with its secret key.
    pub fn new(env: &'a Environment) -> Self {
        Self { env }
    }

    /// Django's `SessionStore(key).load()`: a key shorter than 8 characters, a missing or expired
    /// row give an empty session without a key; data that fails to verify or decode gives an
    /// empty session that keeps its key (and logs `Session data corrupted`).
    pub async fn load(&self, key: &str) -> Result<Session, DbErr> {
        if let Some(session) = self.load_on_this_thread(key) {
            return Ok(session);
        }
        let row = store::session::load(self.env.db(), key, Utc::now()).await?;
        Ok(self.session_of(row))
    }

    /// [`load`](Self::load) through the synchronous SQLite reader (`store::sqlite_reader`), so
    /// that it can share a read transaction with the user's row; `None` when that reader cannot
    /// answer (not a SQLite file, the file busy) and sea-orm must.
    pub(crate) fn load_on_this_thread(&self, key: &str) -> Option<Session> {
        if !session_data::is_valid_session_key(key) {
            return Some(Session::default());
        }
        let row = store::sqlite_reader::live_session(self.env.db(), key, Utc::now())?;
        Some(self.session_of(row))
    }

    /// The session a loaded row (or its absence) gives.
    fn session_of(&self, row: Option<store::session::Model>) -> Session {
        let Some(row) = row else {
            return Session::default();
        };
        let settings = self.env.settings();
        let data = match session_data::decode(
            &row.session_data,
            settings.secret_key.expose(),
            &settings.secret_key_fallback_texts(),
        ) {
            Ok(data) => data,
            Err(corrupted) => {
                if corrupted.is_suspicious() {
                    tracing::warn!(target: "django.security.SuspiciousSession", "Session data corrupted");
                }
                Map::new()
            }
        };
        Session {
            key: Some(row.session_key),
            data,
            expires: Some(row.expire_date),
        }
    }

    /// Django's `save()`: writes the data with its expiry; a session without a key gets a new
    /// one from the CSPRNG, regenerated until no row has it.
    pub async fn save(&self, session: &mut Session) -> Result<(), DbErr> {
        let now = Utc::now();
        let settings = self.env.settings();
        let age = u64::try_from(settings.session_cookie.age).unwrap_or(0);
        // An unreadable custom `_session_expiry` falls back to the cookie age.
        let expire_date = session_data::expiry_date(&session.data, age, now)
            .unwrap_or_else(|_| settings.session_cookie.expires_after(now));
        let now_secs = u64::try_from(now.timestamp()).unwrap_or(0);
        let encoded = session_data::encode(&session.data, settings.secret_key.expose(), now_secs);
        if let Some(key) = &session.key
            && store::session::update(self.env.db(), key, encoded.clone(), expire_date).await? > 0
        {
            return Ok(());
        }
        loop {
            let key = session_data::generate_session_key();
            if store::session::exists(self.env.db(), &key).await? {
                continue;
            }
            match store::session::insert(self.env.db(), key.clone(), encoded.clone(), expire_date)
                .await
            {
                Ok(()) => {
                    session.key = Some(key);
                    return Ok(());
                }
                // Lost a race for this key: try another.
                Err(error) if store::session::exists(self.env.db(), &key).await? => {
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
            store::session::delete(self.env.db(), &old).await?;
            self.forget_cached(&old);
        }
        Ok(())
    }

    /// Django's `flush()`: deletes the row and empties the session.
    pub async fn flush(&self, session: &mut Session) -> Result<(), DbErr> {
        if let Some(key) = session.key.take() {
            store::session::delete(self.env.db(), &key).await?;
            self.forget_cached(&key);
        }
        session.data.clear();
        Ok(())
    }

    /// Deletes the row of `key`, as a new login does with an anonymous session's old key.
    pub async fn delete(&self, key: &str) -> Result<(), DbErr> {
        store::session::delete(self.env.db(), key).await?;
        self.forget_cached(key);
        Ok(())
    }

    /// A session row deleted or re-keyed by this process is forgotten by its cache at once.
    fn forget_cached(&self, key: &str) {
        if let Some(cache) = self.env.services().credential_cache() {
            cache.forget_session(key);
        }
    }
}
