//! Why Django's CSRF check rejects a request: its reason strings, exactly.

use std::fmt;

use super::token::TokenFormatError;
use crate::compat::python::repr::repr_str;
use crate::django::http::meta::parse_header_name;

/// Django's default `CSRF_COOKIE_NAME`.
pub const DEFAULT_COOKIE_NAME: &str = "csrftoken";
/// Django's default `CSRF_HEADER_NAME` (a WSGI `META` key, for the `X-CSRFToken` header).
pub const DEFAULT_HEADER_NAME: &str = "HTTP_X_CSRFTOKEN";
/// The form field holding the token in POSTed forms.
pub const FORM_FIELD_NAME: &str = "csrfmiddlewaretoken";
/// DRF's prefix of the `PermissionDenied` detail: `"CSRF Failed: " + reason`.
pub const DRF_FAILURE_PREFIX: &str = "CSRF Failed: ";

/// `REASON_BAD_ORIGIN`; `%s` is the `Origin` header.
pub const REASON_BAD_ORIGIN: &str =
    "Origin checking failed - %s does not match any trusted origins.";
/// `REASON_NO_REFERER`.
pub const REASON_NO_REFERER: &str = "Referer checking failed - no Referer.";
/// `REASON_BAD_REFERER`; `%s` is the `Referer` as `urlsplit(referer).geturl()`.
pub const REASON_BAD_REFERER: &str =
    "Referer checking failed - %s does not match any trusted origins.";
/// `REASON_NO_CSRF_COOKIE`.
pub const REASON_NO_CSRF_COOKIE: &str = "CSRF cookie not set.";
/// `REASON_CSRF_TOKEN_MISSING`.
pub const REASON_CSRF_TOKEN_MISSING: &str = "CSRF token missing.";
/// `REASON_MALFORMED_REFERER`.
pub const REASON_MALFORMED_REFERER: &str = "Referer checking failed - Referer is malformed.";
/// `REASON_INSECURE_REFERER`.
pub const REASON_INSECURE_REFERER: &str =
    "Referer checking failed - Referer is insecure while host is secure.";
/// `REASON_INCORRECT_LENGTH`: a token format error, completed by a subject.
pub const REASON_INCORRECT_LENGTH: &str = "has incorrect length";
/// `REASON_INVALID_CHARACTERS`: a token format error, completed by a subject.
pub const REASON_INVALID_CHARACTERS: &str = "has invalid characters";
/// The reason for a well-formed token that does not match the secret.
pub const REASON_INCORRECT: &str = "incorrect";
/// `f"CSRF cookie {exc.reason}."`; `%s` is a format error.
pub const REASON_BAD_COOKIE: &str = "CSRF cookie %s.";
/// `f"CSRF token from {token_source} {reason}."`; the first `%s` is the [`TokenSource`], the
/// second a format error or [`REASON_INCORRECT`].
pub const REASON_BAD_TOKEN: &str = "CSRF token from %s %s.";
/// The form-token source, `"POST"`.
pub const TOKEN_SOURCE_POST: &str = "POST";
/// `f"the {header_name!r} HTTP header"`; `%s` is the Python `repr` of the header's name.
pub const TOKEN_SOURCE_HEADER: &str = "the %s HTTP header";

/// Where the checked token came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// The `csrfmiddlewaretoken` form field.
    Post,
    /// The header: its name as Django displays it, the `repr` of
    /// `HttpHeaders.parse_header_name(CSRF_HEADER_NAME)` (`'X-Csrftoken'`, or `None`).
    Header(String),
}

impl fmt::Display for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Post => f.write_str(TOKEN_SOURCE_POST),
            Self::Header(name) => f.write_str(&TOKEN_SOURCE_HEADER.replacen("%s", name, 1)),
        }
    }
}

/// Why [`check`](super::check) rejected a request. `Display` is Django's reason string.
///
/// No variant holds the cookie, a token or the secret; the `Origin` and `Referer` values are
/// the client's own headers, as in Django's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Reason {
    /// The `Origin` header (carried) matches neither the request's origin nor a trusted one.
    #[error("{}", REASON_BAD_ORIGIN.replacen("%s", .0, 1))]
    BadOrigin(String),
    /// Secure request without `Origin` or `Referer`.
    #[error("{}", REASON_NO_REFERER)]
    NoReferer,
    /// The `Referer` has no scheme or no host.
    #[error("{}", REASON_MALFORMED_REFERER)]
    MalformedReferer,
    /// Secure request with a non-`https` `Referer`.
    #[error("{}", REASON_INSECURE_REFERER)]
    InsecureReferer,
    /// The `Referer` (carried, as `geturl()` rebuilds it) matches no trusted host.
    #[error("{}", REASON_BAD_REFERER.replacen("%s", .0, 1))]
    BadReferer(String),
    /// The CSRF cookie is not a well-formed secret or token.
    #[error("{}", REASON_BAD_COOKIE.replacen("%s", &.0.to_string(), 1))]
    BadCookie(TokenFormatError),
    /// No CSRF cookie.
    #[error("{}", REASON_NO_CSRF_COOKIE)]
    NoCookie,
    /// Neither a form token nor the header.
    #[error("{}", REASON_CSRF_TOKEN_MISSING)]
    TokenMissing,
    /// The presented token is not well formed.
    #[error("CSRF token from {token_source} {error}.")]
    BadToken {
        /// Where the token came from.
        token_source: TokenSource,
        /// What is wrong with it.
        error: TokenFormatError,
    },
    /// The presented token does not match the cookie's secret.
    #[error("CSRF token from {token_source} incorrect.")]
    IncorrectToken {
        /// Where the token came from.
        token_source: TokenSource,
    },
}

/// `repr(HttpHeaders.parse_header_name(header_name))`, as the token error messages show it.
pub(super) fn header_label(header_name: &str) -> String {
    parse_header_name(header_name).map_or_else(|| "None".to_owned(), |name| repr_str(&name))
}
