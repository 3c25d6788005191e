//! Writes what authentication recorded ([`ResponseEffects`]) onto a response, as Django's
//! session and CSRF middleware do after the view: `Set-Cookie` for the session and CSRF cookies,
//! and `Cookie` added to `Vary`.

use actix_web::http::header::{self, HeaderMap, HeaderValue};
use auth_core::django::http::cookie;
use auth_core::response_effects::{ResponseEffects, SessionCookie};
use auth_core::settings::Settings;

use crate::default_response_headers::patch_vary_headers;

/// Applies the recorded effects to `headers` (the effects are taken, so applying twice is a
/// no-op).
pub(crate) fn apply(headers: &mut HeaderMap, effects: &ResponseEffects, settings: &Settings) {
    let now = chrono::Utc::now();
    let mut vary_cookie = effects.session_accessed();
    if let Some(change) = effects.take_session_cookie() {
        let value = match change {
            SessionCookie::Set(key) if settings.session_expire_at_browser_close => {
                cookie::set_browser_session_cookie(&settings.session_cookie, &key)
            }
            SessionCookie::Set(key) => cookie::set_cookie(&settings.session_cookie, &key, now),
            SessionCookie::Delete => cookie::delete_cookie(&settings.session_cookie),
        };
        append_cookie(headers, &value);
        vary_cookie = true;
    }
    if let Some(secret) = effects.take_csrf_secret() {
        append_cookie(
            headers,
            &cookie::set_cookie(&settings.csrf_cookie, &secret, now),
        );
        vary_cookie = true;
    }
    if vary_cookie {
        patch_vary_headers(headers, "Cookie");
    }
}

fn append_cookie(headers: &mut HeaderMap, value: &str) {
    // Cookie names and values come from settings and from alphanumeric keys; a value that is
    // not a valid header (a misconfigured name) is dropped rather than breaking the response.
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.append(header::SET_COOKIE, value);
    }
}
