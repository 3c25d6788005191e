//! Where Django keeps the CSRF secret, and `get_token`: the `csrftoken` cookie by default, the
//! session's `_csrftoken` with `CSRF_USE_SESSIONS` (`CsrfViewMiddleware._get_secret` and
//! `_set_csrf_cookie`, `django.middleware.csrf.get_token`).
//!
//! The check itself ([`crate::django::csrf::check`]) is the same either way: it is given the
//! stored value as its "cookie". Django does not format-check a session's value (only a cookie
//! is client-supplied); here it is checked like a cookie, which changes nothing for the
//! 32-character secrets Django and this library write, and refuses anything else.

use crate::django::csrf::{self, CSRF_SESSION_KEY, CSRF_TOKEN_LENGTH};
use crate::environment::Environment;
use crate::error::ApiError;
use crate::request::RequestView;
use crate::response_effects::{ResponseEffects, SessionCookie};
use crate::session_store::{Session, SessionStore};

/// The stored value the CSRF check compares tokens with: the CSRF cookie, or with
/// `CSRF_USE_SESSIONS` the `_csrftoken` of the session the request's cookie names (one session
/// read; only unsafe methods get this far). `None`: Django's "CSRF cookie not set.".
///
/// A session value that is not a string is `None` (Django fails with a server error on it).
pub async fn stored(
    env: &Environment,
    request: &dyn RequestView,
) -> Result<Option<String>, ApiError> {
    let settings = env.settings();
    if !settings.csrf_use_sessions {
        return Ok(request
            .cookie(&settings.csrf_cookie.name)
            .map(|cookie| cookie.into_owned()));
    }
    let Some(key) = request.cookie(&settings.session_cookie.name) else {
        return Ok(None);
    };
    let session = SessionStore::new(env)
        .load(&key)
        .await
        .map_err(ApiError::store_failure)?;
    Ok(session.text(CSRF_SESSION_KEY).map(str::to_owned))
}

/// `_set_csrf_cookie` with `CSRF_USE_SESSIONS`: `secret` becomes the session's `_csrftoken`
/// unless it is that already. Whether the session changed (and so must be saved).
pub fn keep_in_session(session: &mut Session, secret: &str) -> bool {
    if session.text(CSRF_SESSION_KEY) == Some(secret) {
        return false;
    }
    session
        .data_mut()
        .insert(CSRF_SESSION_KEY.to_owned(), secret.into());
    true
}

/// Django's `rotate_token` (at login): a new secret, into `session` (which the caller then saves)
/// with `CSRF_USE_SESSIONS`, otherwise as the CSRF cookie of the response.
pub fn rotate(env: &Environment, session: &mut Session, effects: &ResponseEffects) {
    let secret = csrf::generate_secret();
    if env.settings().csrf_use_sessions {
        keep_in_session(session, &secret);
    } else {
        effects.set_csrf_secret(secret);
    }
}

/// The secret a session holds, as `_get_secret` reads it (a 64-character value, a masked token
/// Django < 4.0 stored, unmasked), when it is one this library can mask.
fn secret_in_session(session: &Session) -> Option<String> {
    let value = session.text(CSRF_SESSION_KEY)?;
    let secret = if value.len() == CSRF_TOKEN_LENGTH {
        csrf::unmask_cipher_token(value)?
    } else {
        value.to_owned()
    };
    csrf::check_token_format(&secret).ok().map(|()| secret)
}

/// Django's `get_token(request)`: the request's secret (a valid cookie's, or the session's) or
/// a new one, recorded for the response — the CSRF cookie sent again (its expiry renewed), or
/// with `CSRF_USE_SESSIONS` stored in the session, which is saved (created, with its cookie,
/// when the request had none) if that changed it — and returned freshly masked, for the
/// `X-CSRFToken` header or a form's `csrfmiddlewaretoken`.
pub async fn get_token(
    env: &Environment,
    request: &dyn RequestView,
    effects: &ResponseEffects,
) -> Result<String, ApiError> {
    let settings = env.settings();
    let secret = if settings.csrf_use_sessions {
        // Django's CSRF middleware reads `request.session` on every request in this mode.
        effects.mark_session_accessed();
        let sessions = SessionStore::new(env);
        let mut session = match request.cookie(&settings.session_cookie.name) {
            Some(key) => sessions.load(&key).await.map_err(ApiError::store_failure)?,
            None => Session::default(),
        };
        let secret = secret_in_session(&session).unwrap_or_else(csrf::generate_secret);
        if keep_in_session(&mut session, &secret) {
            sessions
                .save(&mut session)
                .await
                .map_err(ApiError::store_failure)?;
            if let Some(key) = session.key() {
                effects.set_session_cookie(SessionCookie::Set(key.to_owned()));
            }
        }
        secret
    } else {
        let secret = request
            .cookie(&settings.csrf_cookie.name)
            .and_then(|cookie| csrf::secret_from_cookie(&cookie).ok())
            .unwrap_or_else(csrf::generate_secret);
        effects.set_csrf_secret(secret.clone());
        secret
    };
    // Masking fails only on a malformed secret, which neither source yields.
    csrf::mask_cipher_secret(&secret)
        .ok_or_else(|| ApiError::new(crate::error::ErrorKind::ServerError))
}
