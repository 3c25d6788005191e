//! Django's CSRF protection (`django.middleware.csrf`) as Django REST framework's
//! `SessionAuthentication.enforce_csrf` runs it: the cookie secret and its masked tokens, the
//! `Origin`/`Referer` checks, and the token check, with Django's exact rejection reasons.
//!
//! [`check`] is `CsrfViewMiddleware.process_view` (after `process_request`) over a plain
//! [`CsrfRequest`]; its [`Reason`] displays as Django's reason string (DRF's 403 detail is
//! [`DRF_FAILURE_PREFIX`] followed by it). Host validation is Django's `get_host()`
//! ([`crate::django::http::host`]) and URLs are split by Python's `urlsplit`
//! ([`crate::compat::python::urlsplit`]).
//!
//! Differences from Django, none of which turns a rejection into an acceptance for the URLs
//! browsers send:
//! - A `CSRF_TRUSTED_ORIGINS` entry that Python cannot parse makes Django fail every request
//!   with a server error; here the entry is ignored.
//! - With `CSRF_USE_SESSIONS`, the session's `_csrftoken` value is passed as the cookie
//!   ([`crate::csrf_secret::stored`]); Django does not format-check the session value, but it
//!   only ever holds a valid secret.

mod check;
mod origin;
mod reason;
mod request;
mod token;

pub use super::session_data::CSRF_SESSION_KEY;
pub use check::check;
pub use reason::{
    DEFAULT_COOKIE_NAME, DEFAULT_HEADER_NAME, DRF_FAILURE_PREFIX, FORM_FIELD_NAME,
    REASON_BAD_COOKIE, REASON_BAD_ORIGIN, REASON_BAD_REFERER, REASON_BAD_TOKEN,
    REASON_CSRF_TOKEN_MISSING, REASON_INCORRECT, REASON_INCORRECT_LENGTH, REASON_INSECURE_REFERER,
    REASON_INVALID_CHARACTERS, REASON_MALFORMED_REFERER, REASON_NO_CSRF_COOKIE, REASON_NO_REFERER,
    Reason, TOKEN_SOURCE_HEADER, TOKEN_SOURCE_POST, TokenSource,
};
pub use request::{CsrfConfig, CsrfRequest, is_safe_method};
pub use token::{
    CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH, TokenFormatError,
    check_token_format, does_token_match, generate_secret, mask_cipher_secret, mask_secret,
    secret_from_cookie, unmask_cipher_token,
};
