//! `django.contrib.auth`'s `login()`, `logout()` and `get_user()` on a database session: the
//! authentication state a session holds (the user's id, backend and session auth hash).

use std::sync::Arc;

use chrono::Utc;
use sea_orm::DbErr;
use serde_json::Value;

use crate::csrf_secret;
use crate::django::session_data::{self, HashMatch};
use crate::environment::Environment;
use crate::error::ApiError;
use crate::request::RequestView;
use crate::response_effects::{ResponseEffects, SessionCookie};
use crate::session_store::{Session, SessionStore};
use crate::store::user_id::UserId;
use crate::user::User;

/// `get_session_auth_hash()` of `user` with the current secret key.
fn session_hash(env: &Environment, user: &User) -> String {
    session_data::session_auth_hash(&user.password, env.settings().secret_key.expose())
}

/// Whether `stored` is `user`'s session auth hash, with the current key or a fallback.
fn verify_hash(env: &Environment, stored: &str, user: &User) -> HashMatch {
    let settings = env.settings();
    session_data::verify_session_auth_hash(
        stored,
        &user.password,
        settings.secret_key.expose(),
        &settings.secret_key_fallback_texts(),
    )
}

/// The user id a session names (Django's `pk.to_python(session[SESSION_KEY])`), when it also
/// names one of the allowed backends (Django's `get_user` returns no user otherwise).
fn session_user_id(env: &Environment, session: &Session) -> Option<UserId> {
    let user_id = env
        .settings()
        .user_model
        .id_kind()
        .from_json(session.data().get(session_data::SESSION_KEY)?)?;
    let backend = session.text(session_data::BACKEND_SESSION_KEY)?;
    env.settings()
        .authentication_backends
        .iter()
        .any(|allowed| allowed == backend)
        .then_some(user_id)
}

/// Django's `get_user(request)` for the session in the request's cookie: the user whose id,
/// backend and password hash the session holds, if all still match.
///
/// A hash made with a fallback secret re-keys the session and stores the current hash; any other
/// mismatch flushes it. A request whose cookie names no live session gets its cookie deleted.
pub async fn get_user(
    env: &Environment,
    request: &dyn RequestView,
    effects: &ResponseEffects,
) -> Result<Option<User>, ApiError> {
    // Django's `request.user` reads the session whether or not a cookie came, so the response
    // varies on `Cookie` either way.
    effects.mark_session_accessed();
    let settings = env.settings();
    let Some(cookie) = request.cookie(&settings.session_cookie.name) else {
        return Ok(None);
    };
    let cache = env.services().credential_cache();
    let cache_now = env.services().clock().now();
    if let Some((user, expires)) = cache.and_then(|cache| cache.session(&cookie, cache_now)) {
        // The session's expiry is compared on the clock `SessionStore::load` uses.
        if Utc::now() < expires {
            return Ok(Some(User::clone(&user)));
        }
    }
    let sessions = SessionStore::new(env);
    let users = &settings.user_model;
    // Both rows in one read transaction when this thread reads the SQLite file itself.
    let on_this_thread = crate::store::sqlite_reader::in_one_read(env.db(), || {
        let session = sessions.load_on_this_thread(&cookie)?;
        let user = match session_user_id(env, &session) {
            Some(id) => crate::store::sqlite_reader::user_by_id(env.db(), users, id)?,
            None => None,
        };
        Some((session, user))
    });
    let (mut session, user) = match on_this_thread {
        Some(found) => found,
        None => {
            let session = sessions
                .load(&cookie)
                .await
                .map_err(ApiError::store_failure)?;
            let user = match session_user_id(env, &session) {
                Some(id) => users
                    .find_by_id(env.db(), id)
                    .await
                    .map_err(ApiError::store_failure)?,
                None => None,
            };
            (session, user)
        }
    };
    if session.key().is_none() {
        effects.set_session_cookie(SessionCookie::Delete);
        return Ok(None);
    }
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
    match verify_hash(env, &stored_hash, &user) {
        HashMatch::Current => {
            if let (Some(cache), Some(key), Some(expires)) =
                (cache, session.key(), session.expires())
            {
                cache.remember_session(key, Arc::new(user.clone()), expires, cache_now);
            }
            Ok(Some(user))
        }
        HashMatch::Fallback => {
            session.data_mut().insert(
                session_data::HASH_SESSION_KEY.to_owned(),
                Value::String(session_hash(env, &user)),
            );
            sessions
                .cycle_key(&mut session)
                .await
                .map_err(ApiError::store_failure)?;
            if let Some(key) = session.key() {
                effects.set_session_cookie(SessionCookie::Set(key.to_owned()));
            }
            Ok(Some(user))
        }
        HashMatch::None => {
            sessions
                .flush(&mut session)
                .await
                .map_err(ApiError::store_failure)?;
            effects.set_session_cookie(SessionCookie::Delete);
            Ok(None)
        }
    }
}

/// Django's `login(request, user, backend)` on the session in `cookie` (if any): flushes a
/// session of another user (or of a stale hash), otherwise cycles the key so a pre-login session
/// id is never reused; stores id, backend and hash in Django's order; rotates the CSRF secret;
/// updates `last_login`. Returns the saved session and the user with its new `last_login`.
pub async fn login(
    env: &Environment,
    effects: &ResponseEffects,
    cookie: Option<&str>,
    user: &User,
    backend: &str,
) -> Result<(Session, User), DbErr> {
    let sessions = SessionStore::new(env);
    let mut session = match cookie {
        Some(cookie) => sessions.load(cookie).await?,
        None => Session::default(),
    };
    let hash = session_hash(env, user);
    if session.data().contains_key(session_data::SESSION_KEY) {
        // Django's `_get_user_session_key(request) != user.pk`: the stored key as the model's
        // `to_python` reads it.
        let same_user = session
            .data()
            .get(session_data::SESSION_KEY)
            .and_then(|stored| env.settings().user_model.id_kind().from_json(stored))
            == Some(user.id);
        let stored = session
            .text(session_data::HASH_SESSION_KEY)
            .unwrap_or_default();
        let same_hash = verify_hash(env, stored, user) == HashMatch::Current;
        if !same_user || !same_hash {
            sessions.flush(&mut session).await?;
        }
    } else if let Some(old) = session.take_key() {
        // No fixation: an anonymous session keeps its data under a new key.
        sessions.delete(&old).await?;
    }
    let data = session.data_mut();
    data.insert(
        session_data::SESSION_KEY.to_owned(),
        Value::String(user.id.to_string()),
    );
    data.insert(
        session_data::BACKEND_SESSION_KEY.to_owned(),
        Value::String(backend.to_owned()),
    );
    data.insert(
        session_data::HASH_SESSION_KEY.to_owned(),
        Value::String(hash),
    );
    csrf_secret::rotate(env, &mut session, effects);
    sessions.save(&mut session).await?;
    if let Some(key) = session.key() {
        effects.set_session_cookie(SessionCookie::Set(key.to_owned()));
    }
    let user = env
        .settings()
        .user_model
        .touch_last_login(env.db(), user.clone())
        .await?;
    Ok((session, user))
}

/// Django's `update_session_auth_hash(request, user)` after a password change: the session
/// moves to a new key (a new row even when it was empty, as with Basic or token authentication)
/// and holds `user`'s new hash, so the session that changed the password stays logged in and
/// every other session of the user is logged out. The caller saves it (the session middleware,
/// which sends the cookie).
pub async fn update_session_auth_hash(
    env: &Environment,
    session: &mut Session,
    user: &User,
) -> Result<(), DbErr> {
    SessionStore::new(env).cycle_key(session).await?;
    session.data_mut().insert(
        session_data::HASH_SESSION_KEY.to_owned(),
        Value::String(session_hash(env, user)),
    );
    Ok(())
}

/// Django's `logout(request)`: flushes the session in `cookie` and deletes the cookie.
pub async fn logout(
    env: &Environment,
    effects: &ResponseEffects,
    cookie: Option<&str>,
) -> Result<(), DbErr> {
    let Some(cookie) = cookie else {
        return Ok(());
    };
    let sessions = SessionStore::new(env);
    let mut session = sessions.load(cookie).await?;
    sessions.flush(&mut session).await?;
    effects.set_session_cookie(SessionCookie::Delete);
    Ok(())
}
