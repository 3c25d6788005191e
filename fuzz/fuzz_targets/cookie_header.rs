//! The `Cookie` request header as auth-actix receives it, and what auth-core does with the two
//! cookies it reads: the session key check and the CSRF secret taken from the cookie; then the
//! `Set-Cookie` values auth-core renders for them.
//!
//! The request header itself is split by actix-web (`HttpRequest::cookies`: UTF-8, `;`,
//! trimmed, `Cookie::parse_encoded`); that loop is reproduced here with the same `cookie` crate
//! so that auth-core sees the values a real request would give it.
#![no_main]

use auth_core::django::csrf::{
    CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, TokenFormatError, check_token_format,
    secret_from_cookie,
};
use auth_core::django::http::cookie::{CookieSettings, delete_cookie, set_cookie};
use auth_core::django::session_data::{MIN_SESSION_KEY_LENGTH, is_valid_session_key};
use chrono::{DateTime, Utc};
use cookie::Cookie;
use libfuzzer_sys::fuzz_target;

/// actix-web 4's `HttpRequest::cookies` for one header value.
fn request_cookies(header: &[u8]) -> Vec<Cookie<'static>> {
    let Ok(text) = std::str::from_utf8(header) else {
        return Vec::new();
    };
    text.split(';')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .filter_map(|part| Cookie::parse_encoded(part).ok())
        .map(Cookie::into_owned)
        .collect()
}

/// `HttpRequest::cookie(name)`: the first cookie of that name.
fn cookie_value<'a>(cookies: &'a [Cookie<'static>], name: &str) -> Option<&'a str> {
    cookies
        .iter()
        .find(|cookie| cookie.name() == name)
        .map(Cookie::value)
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default()
}

fuzz_target!(|data: &[u8]| {
    let cookies = request_cookies(data);
    assert_eq!(cookies, request_cookies(data));
    let session = CookieSettings::django_session();
    let csrf = CookieSettings::django_csrf();

    if let Some(key) = cookie_value(&cookies, &session.name) {
        let valid = is_valid_session_key(key);
        assert_eq!(valid, key.chars().count() >= MIN_SESSION_KEY_LENGTH);
        check_rendering(&session, key);
    }
    if let Some(value) = cookie_value(&cookies, &csrf.name) {
        check_csrf_cookie(value);
        check_rendering(&csrf, value);
    }
    // Any piece of the header, taken as a cookie value directly.
    if let Ok(text) = std::str::from_utf8(data) {
        for piece in text.split(['=', ';']) {
            check_csrf_cookie(piece);
            let _ = is_valid_session_key(piece);
        }
    }
});

fn check_csrf_cookie(value: &str) {
    let secret = secret_from_cookie(value);
    assert_eq!(secret, secret_from_cookie(value));
    match &secret {
        Ok(secret) => {
            assert!(check_token_format(value).is_ok());
            assert_eq!(secret.len(), CSRF_SECRET_LENGTH);
            assert!(
                secret
                    .bytes()
                    .all(|b| CSRF_ALLOWED_CHARS.as_bytes().contains(&b))
            );
            if value.len() == CSRF_SECRET_LENGTH {
                assert_eq!(secret, value);
            }
        }
        Err(error) => assert_eq!(check_token_format(value), Err(*error)),
    }
    let expected = match value.chars().count() {
        32 | 64 if value.bytes().all(|b| b.is_ascii_alphanumeric()) => Ok(()),
        32 | 64 => Err(TokenFormatError::InvalidCharacters),
        _ => Err(TokenFormatError::IncorrectLength),
    };
    assert_eq!(check_token_format(value), expected);
}

/// Rendering a cookie value auth-core would write (keys and secrets are alphanumeric) gives a
/// `Set-Cookie` that parses back to the same cookie; any value renders without panicking.
fn check_rendering(settings: &CookieSettings, value: &str) {
    let header = set_cookie(settings, value, now());
    assert!(header.starts_with(&format!("{}={value}; ", settings.name)));
    let deleted = delete_cookie(settings);
    assert!(deleted.starts_with(&format!("{}=\"\"; ", settings.name)));
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return;
    }
    let Ok(parsed) = Cookie::parse(header.as_str()) else {
        panic!("rendered cookie does not parse: {header}");
    };
    assert_eq!(parsed.name(), settings.name);
    assert_eq!(parsed.value(), value);
    assert_eq!(parsed.path(), Some(settings.path.as_str()));
    assert_eq!(
        parsed.http_only(),
        Some(settings.http_only).filter(|&on| on)
    );
    assert_eq!(
        parsed.max_age().map(|age| age.whole_seconds()),
        Some(settings.age)
    );
}
