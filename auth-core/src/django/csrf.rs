//! Django's CSRF protection (`django.middleware.csrf`) as Django REST framework's
//! `SessionAuthentication.enforce_csrf` runs it: the cookie secret and its masked tokens, the
//! `Origin`/`Referer` checks, and the token check, with Django's exact rejection reasons.
//!
//! [`check`] is `CsrfViewMiddleware.process_view` (after `process_request`) over a plain
//! [`CsrfRequest`]; its [`Reason`] displays as Django's reason string (DRF's 403 detail is
//! [`DRF_FAILURE_PREFIX`] followed by it). Host validation is Django's `get_host()`
//! (`ALLOWED_HOSTS`) and URLs are split as Python's `urllib.parse.urlsplit` does, because
//! Django compares the raw `netloc` (case, port and userinfo included), which a WHATWG URL
//! parser would normalise.
//!
//! Differences from Django, none of which turns a rejection into an acceptance for the URLs
//! browsers send:
//! - `urlsplit` also refuses a non-ASCII netloc whose NFKC normalisation contains `/?#@:`;
//!   that needs Unicode tables and is not done here. Such a netloc matches no ASCII trusted
//!   origin or host anyway; only the reason can differ (`does not match` instead of
//!   `Referer is malformed`).
//! - A `CSRF_TRUSTED_ORIGINS` entry that Python cannot parse makes Django fail every request
//!   with a server error; here the entry is ignored.
//! - With `CSRF_USE_SESSIONS`, pass the session's `_csrftoken` value as the cookie (Django
//!   does not format-check the session value, but it only ever holds a valid secret).

use std::fmt;
use std::net::Ipv6Addr;

use super::signing::get_random_string;

pub use super::session_data::CSRF_SESSION_KEY;

/// Length of a CSRF secret (the cookie value).
pub const CSRF_SECRET_LENGTH: usize = 32;
/// Length of a masked CSRF token (mask + cipher).
pub const CSRF_TOKEN_LENGTH: usize = 2 * CSRF_SECRET_LENGTH;
/// `CSRF_ALLOWED_CHARS` (`string.ascii_letters + string.digits`), in index order.
pub const CSRF_ALLOWED_CHARS: &str =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
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

/// Why a CSRF cookie or token is not well formed (`InvalidTokenFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenFormatError {
    /// Neither 32 nor 64 characters.
    #[error("has incorrect length")]
    IncorrectLength,
    /// A character outside [`CSRF_ALLOWED_CHARS`].
    #[error("has invalid characters")]
    InvalidCharacters,
}

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

/// Why [`check`] rejected a request. `Display` is Django's reason string.
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

/// What [`check`] needs from a request, as Django's `request` would show it.
///
/// `Debug` leaves out the cookie and tokens.
#[derive(Clone, Copy, Default)]
pub struct CsrfRequest<'a> {
    /// The request method (compared upper-cased, as `WSGIRequest` stores it).
    pub method: &'a str,
    /// The `Origin` header, if sent (even empty).
    pub origin: Option<&'a str>,
    /// The `Referer` header, if sent (even empty).
    pub referer: Option<&'a str>,
    /// `request._get_raw_host()`: the `Host` header as sent, port included (or
    /// `X-Forwarded-Host` when trusted, or `SERVER_NAME[:port]` without a `Host`). `None`
    /// counts as a host not in `ALLOWED_HOSTS`.
    pub host: Option<&'a str>,
    /// `request.is_secure()`.
    pub is_secure: bool,
    /// `request.get_port()`; only used with a cookie domain. `None` is treated like 80/443.
    pub server_port: Option<u16>,
    /// The CSRF cookie's value, if the cookie was sent (even empty).
    pub cookie: Option<&'a str>,
    /// The `csrfmiddlewaretoken` field of a POSTed form (`request.POST`, which DRF fills only
    /// for form and multipart bodies). Ignored unless the method is POST.
    pub form_token: Option<&'a str>,
    /// The CSRF header's value, if sent (even empty).
    pub header_token: Option<&'a str>,
}

impl fmt::Debug for CsrfRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redact = |value: Option<&str>| value.map(|_| "<redacted>");
        f.debug_struct("CsrfRequest")
            .field("method", &self.method)
            .field("origin", &self.origin)
            .field("referer", &self.referer)
            .field("host", &self.host)
            .field("is_secure", &self.is_secure)
            .field("server_port", &self.server_port)
            .field("cookie", &redact(self.cookie))
            .field("form_token", &redact(self.form_token))
            .field("header_token", &redact(self.header_token))
            .finish()
    }
}

/// The settings [`check`] reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsrfConfig {
    /// `CSRF_TRUSTED_ORIGINS`, e.g. `https://app.example.com` or `https://*.example.com`.
    pub trusted_origins: Vec<String>,
    /// `ALLOWED_HOSTS`. Django with `DEBUG = False` and an empty list allows no host at all
    /// (with `DEBUG = True` it allows `.localhost`, `127.0.0.1` and `[::1]`); pass the list
    /// Django would use.
    pub allowed_hosts: Vec<String>,
    /// `CSRF_COOKIE_DOMAIN` (`SESSION_COOKIE_DOMAIN` with `CSRF_USE_SESSIONS`).
    pub cookie_domain: Option<String>,
    /// `CSRF_HEADER_NAME` as a WSGI `META` key, e.g. [`DEFAULT_HEADER_NAME`]; see
    /// [`header_name_to_http`] for the header to read.
    pub header_name: String,
}

impl Default for CsrfConfig {
    fn default() -> Self {
        Self {
            trusted_origins: Vec::new(),
            allowed_hosts: Vec::new(),
            cookie_domain: None,
            header_name: DEFAULT_HEADER_NAME.to_owned(),
        }
    }
}

/// The methods the CSRF check lets through unchecked (RFC 9110 safe methods, as Django's
/// `CsrfViewMiddleware`; unlike the permissions' list, `TRACE` is one), in any case.
pub fn is_safe_method(method: &str) -> bool {
    ["GET", "HEAD", "OPTIONS", "TRACE"]
        .iter()
        .any(|safe| safe.eq_ignore_ascii_case(method))
}

/// `CsrfViewMiddleware.process_view` for a view that is not `csrf_exempt`, as DRF's
/// `SessionAuthentication.enforce_csrf` runs it.
pub fn check(request: &CsrfRequest<'_>, config: &CsrfConfig) -> Result<(), Reason> {
    if is_safe_method(request.method) {
        return Ok(());
    }
    if let Some(origin) = request.origin {
        if !origin_verified(origin, request, config) {
            return Err(Reason::BadOrigin(origin.to_owned()));
        }
    } else if request.is_secure {
        check_referer(request, config)?;
    }
    check_token(&request.method.to_uppercase(), request, config)
}

/// `_origin_verified`.
fn origin_verified(origin: &str, request: &CsrfRequest<'_>, config: &CsrfConfig) -> bool {
    if let Some(host) = allowed_host(request, config) {
        let scheme = if request.is_secure { "https" } else { "http" };
        if origin == format!("{scheme}://{host}") {
            return true;
        }
    }
    if config
        .trusted_origins
        .iter()
        .any(|trusted| !trusted.contains('*') && trusted == origin)
    {
        return true;
    }
    let Some(parsed) = urlsplit(origin) else {
        return false;
    };
    config
        .trusted_origins
        .iter()
        .filter(|trusted| trusted.contains('*'))
        .filter_map(|trusted| urlsplit(trusted))
        .filter(|trusted| trusted.scheme == parsed.scheme)
        .any(|trusted| is_same_domain(&parsed.netloc, trusted.netloc.trim_start_matches('*')))
}

/// `_check_referer`.
fn check_referer(request: &CsrfRequest<'_>, config: &CsrfConfig) -> Result<(), Reason> {
    let referer = request.referer.ok_or(Reason::NoReferer)?;
    let parsed = urlsplit(referer).ok_or(Reason::MalformedReferer)?;
    if parsed.scheme.is_empty() || parsed.netloc.is_empty() {
        return Err(Reason::MalformedReferer);
    }
    if parsed.scheme != "https" {
        return Err(Reason::InsecureReferer);
    }
    let trusted = config
        .trusted_origins
        .iter()
        .filter_map(|origin| urlsplit(origin))
        .any(|origin| is_same_domain(&parsed.netloc, origin.netloc.trim_start_matches('*')));
    if trusted {
        return Ok(());
    }
    let good_referer = match &config.cookie_domain {
        Some(domain) => match request.server_port {
            Some(port) if port != 443 && port != 80 => format!("{domain}:{port}"),
            _ => domain.clone(),
        },
        None => match allowed_host(request, config) {
            Some(host) => host.to_owned(),
            None => return Err(Reason::BadReferer(parsed.geturl())),
        },
    };
    if is_same_domain(&parsed.netloc, &good_referer) {
        Ok(())
    } else {
        Err(Reason::BadReferer(parsed.geturl()))
    }
}

/// `_check_token`, with the method already upper-cased.
fn check_token(method: &str, request: &CsrfRequest<'_>, config: &CsrfConfig) -> Result<(), Reason> {
    let secret = match request.cookie {
        Some(cookie) => secret_from_cookie(cookie).map_err(Reason::BadCookie)?,
        None => return Err(Reason::NoCookie),
    };
    let form_token = if method == "POST" {
        request.form_token.unwrap_or_default()
    } else {
        ""
    };
    // A non-empty form token wins even when wrong; an empty one falls back to the header.
    let (token, token_source) = if form_token.is_empty() {
        let token = request.header_token.ok_or(Reason::TokenMissing)?;
        (
            token,
            TokenSource::Header(header_label(&config.header_name)),
        )
    } else {
        (form_token, TokenSource::Post)
    };
    if let Err(error) = check_token_format(token) {
        return Err(Reason::BadToken {
            token_source,
            error,
        });
    }
    if does_token_match(token, &secret) {
        Ok(())
    } else {
        Err(Reason::IncorrectToken { token_source })
    }
}

/// `request.get_host()` when it does not raise `DisallowedHost`.
fn allowed_host<'a>(request: &CsrfRequest<'a>, config: &CsrfConfig) -> Option<&'a str> {
    request
        .host
        .filter(|host| validate_host(host, &config.allowed_hosts))
}

/// `_check_token_format`: 32 or 64 characters (Python counts code points), all in
/// [`CSRF_ALLOWED_CHARS`]. Applies to cookie values and presented tokens alike.
pub fn check_token_format(token: &str) -> Result<(), TokenFormatError> {
    let length = token.chars().count();
    if length != CSRF_SECRET_LENGTH && length != CSRF_TOKEN_LENGTH {
        return Err(TokenFormatError::IncorrectLength);
    }
    if token.bytes().all(|byte| char_index(byte).is_some()) {
        Ok(())
    } else {
        Err(TokenFormatError::InvalidCharacters)
    }
}

/// `_get_secret` for a cookie value: format-checked, and a 64-character value (a masked token
/// that Django < 4.0 stored) unmasked to its 32-character secret.
///
/// On an error Django's `process_request` also rotates the secret (a new cookie goes out
/// with the response, see [`generate_secret`]); the check itself still fails with
/// [`Reason::BadCookie`].
pub fn secret_from_cookie(cookie: &str) -> Result<String, TokenFormatError> {
    check_token_format(cookie)?;
    if cookie.len() == CSRF_TOKEN_LENGTH {
        unmask_cipher_token(cookie).ok_or(TokenFormatError::InvalidCharacters)
    } else {
        Ok(cookie.to_owned())
    }
}

/// `_does_token_match`: unmask a 64-character token, then compare with the secret in constant
/// time. A token that is not well formed never matches.
pub fn does_token_match(token: &str, secret: &str) -> bool {
    if check_token_format(token).is_err() {
        return false;
    }
    let unmasked = if token.len() == CSRF_TOKEN_LENGTH {
        match unmask_cipher_token(token) {
            Some(unmasked) => unmasked,
            None => return false,
        }
    } else {
        token.to_owned()
    };
    super::crypto::constant_time_compare(&unmasked, secret)
}

/// `_get_new_csrf_string`: a new 32-character secret from a CSPRNG (what `rotate_token` and a
/// missing or malformed cookie get).
pub fn generate_secret() -> String {
    get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS.as_bytes())
}

/// `_mask_cipher_secret` with a given mask: `mask + cipher`, where each cipher character is
/// the sum of the secret's and the mask's indices modulo 62. `None` unless both are 32
/// allowed characters.
pub fn mask_secret(secret: &str, mask: &str) -> Option<String> {
    let (secret, mask) = (indices(secret)?, indices(mask)?);
    let cipher = secret.iter().zip(&mask).map(|(s, m)| (s + m) % 62);
    Some(
        mask.iter()
            .copied()
            .chain(cipher)
            .filter_map(index_char)
            .collect(),
    )
}

/// `_mask_cipher_secret` (what `get_token` returns): the secret masked with a fresh random
/// mask, so the token in each response differs. `None` unless the secret is 32 allowed
/// characters.
pub fn mask_cipher_secret(secret: &str) -> Option<String> {
    mask_secret(secret, &generate_secret())
}

/// `_unmask_cipher_token`: the secret hidden in a 64-character token. `None` unless the token
/// is 64 allowed characters.
pub fn unmask_cipher_token(token: &str) -> Option<String> {
    if token.len() != CSRF_TOKEN_LENGTH {
        return None;
    }
    let (mask, cipher) = token.split_at_checked(CSRF_SECRET_LENGTH)?;
    let (mask, cipher) = (indices(mask)?, indices(cipher)?);
    Some(
        cipher
            .iter()
            .zip(&mask)
            .map(|(c, m)| (c + 62 - m) % 62)
            .filter_map(index_char)
            .collect(),
    )
}

/// The indices of a 32-character string of allowed characters.
fn indices(text: &str) -> Option<Vec<usize>> {
    if text.len() != CSRF_SECRET_LENGTH {
        return None;
    }
    text.bytes().map(char_index).collect()
}

/// A character's index in [`CSRF_ALLOWED_CHARS`].
fn char_index(byte: u8) -> Option<usize> {
    let index = match byte {
        b'a'..=b'z' => byte - b'a',
        b'A'..=b'Z' => byte - b'A' + 26,
        b'0'..=b'9' => byte - b'0' + 52,
        _ => return None,
    };
    Some(usize::from(index))
}

fn index_char(index: usize) -> Option<char> {
    CSRF_ALLOWED_CHARS
        .as_bytes()
        .get(index)
        .map(|&byte| char::from(byte))
}

/// `django.utils.http.is_same_domain`: the pattern (lower-cased; the host is compared as
/// given) equals the host, or starts with `.` and the host is that domain or a subdomain of
/// it. An empty pattern matches nothing.
pub fn is_same_domain(host: &str, pattern: &str) -> bool {
    if pattern.is_empty() {
        return false;
    }
    let pattern = pattern.to_lowercase();
    match pattern.strip_prefix('.') {
        Some(domain) if host.ends_with(&pattern) || host == domain => true,
        _ => pattern == host,
    }
}

/// `django.http.request.split_domain_port`: the lower-cased domain (without one trailing
/// `.`) and port of a `Host` value, or two empty strings when it does not match Django's
/// `host_validation_re` (`[a-z0-9.-]+` or a bracketed IPv6 address, then `:digits`).
pub fn split_domain_port(host: &str) -> (String, String) {
    let host = host.to_lowercase();
    let invalid = || (String::new(), String::new());
    let (domain, rest) = if host.starts_with('[') {
        let Some((domain, rest)) = host
            .find(']')
            .and_then(|close| host.split_at_checked(close + 1))
        else {
            return invalid();
        };
        let inner = domain
            .strip_prefix('[')
            .and_then(|inner| inner.strip_suffix(']'))
            .unwrap_or_default();
        if !is_bracketed_ipv6_like(inner) {
            return invalid();
        }
        (domain, rest)
    } else {
        let end = host
            .find(|c: char| !matches!(c, 'a'..='z' | '0'..='9' | '.' | '-'))
            .unwrap_or(host.len());
        host.split_at_checked(end).unwrap_or((&host, ""))
    };
    if domain.is_empty() {
        return invalid();
    }
    let port = match rest.strip_prefix(':') {
        None if rest.is_empty() => "",
        Some(port) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => port,
        _ => return invalid(),
    };
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    (domain.to_owned(), port.to_owned())
}

/// The inside of `\[[a-f0-9]*:[a-f0-9.:]+\]`: hex digits, a colon, then at least one of hex
/// digits, dots and colons.
fn is_bracketed_ipv6_like(inner: &str) -> bool {
    let hex_end = inner
        .find(|c: char| !matches!(c, 'a'..='f' | '0'..='9'))
        .unwrap_or(inner.len());
    match inner.get(hex_end..).and_then(|rest| rest.strip_prefix(':')) {
        Some(rest) => {
            !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| matches!(c, 'a'..='f' | '0'..='9' | '.' | ':'))
        }
        None => false,
    }
}

/// Whether `request.get_host()` accepts this raw host (the `Host` header, port included):
/// `split_domain_port`, then Django's `validate_host(domain, ALLOWED_HOSTS)`, where `*`
/// matches anything, `.example.com` matches `example.com` and its subdomains, and any other
/// pattern (lower-cased) must equal the domain. The domain loses a trailing dot; patterns keep
/// theirs, so `example.com.` in `ALLOWED_HOSTS` matches nothing, as in Django.
///
/// Django's own `validate_host` takes the already split domain; this is the whole check.
/// With `DEBUG = False` an empty `allowed_hosts` allows nothing.
pub fn validate_host(host: &str, allowed_hosts: &[String]) -> bool {
    let (domain, _port) = split_domain_port(host);
    !domain.is_empty()
        && allowed_hosts
            .iter()
            .any(|pattern| pattern == "*" || is_same_domain(&domain, pattern))
}

/// The HTTP header (lower-case) that becomes `header_name` in Django's `request.META`:
/// `HTTP_X_CSRFTOKEN` → `x-csrftoken`, `HTTP_X_XSRF_TOKEN` → `x-xsrf-token`,
/// `CONTENT_TYPE` → `content-type`. `None` for a key no header produces.
pub fn header_name_to_http(header_name: &str) -> Option<String> {
    let name = match header_name.strip_prefix("HTTP_") {
        Some(name) => name,
        None if matches!(header_name, "CONTENT_TYPE" | "CONTENT_LENGTH") => header_name,
        None => return None,
    };
    Some(name.replace('_', "-").to_lowercase())
}

/// `HttpHeaders.parse_header_name`: the header's display name (`HTTP_X_CSRFTOKEN` →
/// `X-Csrftoken`, by Python's `str.title()`), `None` for a key no header produces.
pub fn parse_header_name(header_name: &str) -> Option<String> {
    let name = match header_name.strip_prefix("HTTP_") {
        Some(name) => name,
        None if matches!(header_name, "CONTENT_TYPE" | "CONTENT_LENGTH") => header_name,
        None => return None,
    };
    Some(python_title(&name.replace('_', "-")))
}

/// `repr(HttpHeaders.parse_header_name(header_name))`, as the token error messages show it.
fn header_label(header_name: &str) -> String {
    parse_header_name(header_name).map_or_else(|| "None".to_owned(), |name| python_repr(&name))
}

/// Python's `str.title()`: a cased character after a cased one is lower-cased, any other
/// upper-cased.
fn python_title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous_cased = false;
    for ch in text.chars() {
        if previous_cased {
            out.extend(ch.to_lowercase());
        } else {
            out.extend(ch.to_uppercase());
        }
        previous_cased = ch.is_lowercase() || ch.is_uppercase();
    }
    out
}

/// Python's `repr(str)`: single quotes unless the text has a `'` and no `"`; backslash, the
/// quote, `\t \n \r` and other control characters escaped (exact for ASCII text).
fn python_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ if ch == quote => {
                out.push('\\');
                out.push(ch);
            }
            _ if ch.is_control() || (!ch.is_ascii() && ch.is_whitespace()) => {
                let code = u32::from(ch);
                let escaped = match code {
                    0..=0xff => format!("\\x{code:02x}"),
                    0x100..=0xffff => format!("\\u{code:04x}"),
                    _ => format!("\\U{code:08x}"),
                };
                out.push_str(&escaped);
            }
            _ => out.push(ch),
        }
    }
    out.push(quote);
    out
}

/// The parts of Python's `urllib.parse.urlsplit` result that the checks use.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SplitUrl {
    scheme: String,
    netloc: String,
    path: String,
    query: String,
    fragment: String,
}

/// Python 3.12's `urllib.parse.urlsplit(url)`; `None` where it raises `ValueError` (unbalanced
/// or invalid bracketed hosts). See the module docs for the NFKC check it leaves out.
fn urlsplit(url: &str) -> Option<SplitUrl> {
    // WHATWG-style: leading C0 controls and spaces go, and tabs and newlines anywhere.
    let url: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
        .collect();
    let mut scheme = String::new();
    let mut rest = url.as_str();
    if let Some(colon) = url.find(':') {
        let candidate = url.get(..colon).unwrap_or_default();
        let starts_alpha = candidate.starts_with(|c: char| c.is_ascii_alphabetic());
        let scheme_chars = candidate
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if starts_alpha && scheme_chars {
            scheme = candidate.to_ascii_lowercase();
            rest = url.get(colon + 1..).unwrap_or_default();
        }
    }
    let mut netloc = "";
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        (netloc, rest) = after.split_at_checked(end).unwrap_or((after, ""));
        let (open, close) = (netloc.contains('['), netloc.contains(']'));
        if open != close {
            return None;
        }
        if open {
            let bracketed = netloc.split_once('[').map_or("", |(_, after)| after);
            let host = bracketed
                .split_once(']')
                .map_or(bracketed, |(host, _)| host);
            if !is_valid_bracketed_host(host) {
                return None;
            }
        }
    }
    let (rest, fragment) = rest.split_once('#').unwrap_or((rest, ""));
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    Some(SplitUrl {
        scheme,
        netloc: netloc.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        fragment: fragment.to_owned(),
    })
}

/// `_check_bracketed_host`: an IPvFuture (`v1.x`) or an IPv6 address (optionally with a
/// `%scope`); IPv4 and anything else is refused.
fn is_valid_bracketed_host(host: &str) -> bool {
    if let Some(future) = host.strip_prefix('v') {
        let hex_end = future
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(future.len());
        return hex_end > 0
            && future
                .get(hex_end..)
                .and_then(|rest| rest.strip_prefix('.'))
                .is_some_and(|rest| !rest.is_empty());
    }
    let address = match host.split_once('%') {
        Some((address, scope)) if !scope.is_empty() && !scope.contains('%') => address,
        Some(_) => return false,
        None => host,
    };
    address.parse::<Ipv6Addr>().is_ok()
}

/// Schemes that `urlunsplit` writes with `//` even without a netloc.
const USES_NETLOC: [&str; 27] = [
    "",
    "ftp",
    "http",
    "gopher",
    "nntp",
    "telnet",
    "imap",
    "wais",
    "file",
    "mms",
    "https",
    "shttp",
    "snews",
    "prospero",
    "rtsp",
    "rtsps",
    "rtspu",
    "rsync",
    "svn",
    "svn+ssh",
    "sftp",
    "nfs",
    "git",
    "git+ssh",
    "ws",
    "wss",
    "itms-services",
];

impl SplitUrl {
    /// Python 3.12's `SplitResult.geturl()` (`urlunsplit`): drops an empty `?` or `#`.
    fn geturl(&self) -> String {
        let mut url = self.path.clone();
        let scheme_uses_netloc =
            !self.scheme.is_empty() && USES_NETLOC.contains(&self.scheme.as_str());
        if !self.netloc.is_empty() || (scheme_uses_netloc && !url.starts_with("//")) {
            if !url.is_empty() && !url.starts_with('/') {
                url.insert(0, '/');
            }
            url = format!("//{}{url}", self.netloc);
        }
        if !self.scheme.is_empty() {
            url = format!("{}:{url}", self.scheme);
        }
        if !self.query.is_empty() {
            url = format!("{url}?{}", self.query);
        }
        if !self.fragment.is_empty() {
            url = format!("{url}#{}", self.fragment);
        }
        url
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;

    const SECRET: &str = "abcdefghijklmnopqrstuvwxyzABCDEF";
    const MASK: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
    const MASKED: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUV02468acegiKMOQSUWY02468acegikmoq";

    fn config() -> CsrfConfig {
        CsrfConfig {
            allowed_hosts: vec!["testserver".into()],
            ..CsrfConfig::default()
        }
    }

    fn post<'a>() -> CsrfRequest<'a> {
        CsrfRequest {
            method: "POST",
            host: Some("testserver"),
            server_port: Some(80),
            cookie: Some(SECRET),
            ..CsrfRequest::default()
        }
    }

    fn secure_post<'a>() -> CsrfRequest<'a> {
        CsrfRequest {
            is_secure: true,
            server_port: Some(443),
            header_token: Some(SECRET),
            ..post()
        }
    }

    fn reason(request: &CsrfRequest<'_>) -> String {
        check(request, &config()).unwrap_err().to_string()
    }

    #[test]
    fn mask_vector() {
        assert_eq!(mask_secret(SECRET, MASK).unwrap(), MASKED);
        assert_eq!(unmask_cipher_token(MASKED).unwrap(), SECRET);
        let token = mask_cipher_secret(SECRET).unwrap();
        assert_eq!(token.len(), CSRF_TOKEN_LENGTH);
        assert_eq!(unmask_cipher_token(&token).unwrap(), SECRET);
        assert_ne!(token, mask_cipher_secret(SECRET).unwrap());
        assert!(does_token_match(&token, SECRET));
        assert!(does_token_match(SECRET, SECRET));
        assert!(!does_token_match(&"a".repeat(64), SECRET));
        assert!(mask_secret("short", MASK).is_none());
        assert!(mask_secret(SECRET, &"!".repeat(32)).is_none());
        assert!(unmask_cipher_token(&"é".repeat(32)).is_none());
        assert!(unmask_cipher_token(SECRET).is_none());
    }

    #[test]
    fn generated_secrets() {
        let secret = generate_secret();
        assert_eq!(secret.len(), 32);
        assert!(check_token_format(&secret).is_ok());
        assert_ne!(secret, generate_secret());
    }

    #[test]
    fn token_format() {
        assert_eq!(check_token_format(SECRET), Ok(()));
        assert_eq!(check_token_format(MASKED), Ok(()));
        assert_eq!(
            check_token_format(""),
            Err(TokenFormatError::IncorrectLength)
        );
        assert_eq!(
            check_token_format(&"a".repeat(33)),
            Err(TokenFormatError::IncorrectLength)
        );
        assert_eq!(
            check_token_format(&"!".repeat(32)),
            Err(TokenFormatError::InvalidCharacters)
        );
        // Python counts code points: 32 non-ASCII characters have the right length.
        assert_eq!(
            check_token_format(&"é".repeat(32)),
            Err(TokenFormatError::InvalidCharacters)
        );
        assert_eq!(
            check_token_format(&"é".repeat(16)),
            Err(TokenFormatError::IncorrectLength)
        );
        assert_eq!(secret_from_cookie(MASKED).unwrap(), SECRET);
        assert_eq!(secret_from_cookie(SECRET).unwrap(), SECRET);
    }

    #[test]
    fn reason_table() {
        assert_eq!(
            reason(&CsrfRequest {
                cookie: None,
                ..post()
            }),
            "CSRF cookie not set."
        );
        assert_eq!(reason(&post()), "CSRF token missing.");
        fn header(token: &str) -> CsrfRequest<'_> {
            CsrfRequest {
                header_token: Some(token),
                ..post()
            }
        }
        assert_eq!(
            reason(&header("abc")),
            "CSRF token from the 'X-Csrftoken' HTTP header has incorrect length."
        );
        assert_eq!(
            reason(&header("")),
            "CSRF token from the 'X-Csrftoken' HTTP header has incorrect length."
        );
        assert_eq!(
            reason(&header(&"!".repeat(32))),
            "CSRF token from the 'X-Csrftoken' HTTP header has invalid characters."
        );
        for wrong in ["a".repeat(32), "a".repeat(64)] {
            assert_eq!(
                reason(&header(&wrong)),
                "CSRF token from the 'X-Csrftoken' HTTP header incorrect."
            );
        }
        fn form(token: &str) -> CsrfRequest<'_> {
            CsrfRequest {
                form_token: Some(token),
                ..post()
            }
        }
        assert_eq!(
            reason(&form(&"b".repeat(64))),
            "CSRF token from POST incorrect."
        );
        assert_eq!(
            reason(&form(&"b".repeat(10))),
            "CSRF token from POST has incorrect length."
        );
        assert_eq!(
            reason(&form(&"!".repeat(64))),
            "CSRF token from POST has invalid characters."
        );
        // A wrong, non-empty form token wins over a correct header.
        assert_eq!(
            reason(&CsrfRequest {
                form_token: Some(&"b".repeat(64)),
                header_token: Some(SECRET),
                ..post()
            }),
            "CSRF token from POST incorrect."
        );
        fn cookie(cookie: &str) -> CsrfRequest<'_> {
            CsrfRequest {
                cookie: Some(cookie),
                header_token: Some(SECRET),
                ..post()
            }
        }
        assert_eq!(
            reason(&cookie("short")),
            "CSRF cookie has incorrect length."
        );
        assert_eq!(reason(&cookie("")), "CSRF cookie has incorrect length.");
        assert_eq!(
            reason(&cookie(&"!".repeat(32))),
            "CSRF cookie has invalid characters."
        );
        fn origin(origin: &str) -> CsrfRequest<'_> {
            CsrfRequest {
                origin: Some(origin),
                header_token: Some(SECRET),
                ..post()
            }
        }
        assert_eq!(
            reason(&origin("http://evil.com")),
            "Origin checking failed - http://evil.com does not match any trusted origins."
        );
        assert_eq!(
            reason(&origin("null")),
            "Origin checking failed - null does not match any trusted origins."
        );
        assert_eq!(
            reason(&CsrfRequest {
                origin: Some("http://testserver"),
                ..secure_post()
            }),
            "Origin checking failed - http://testserver does not match any trusted origins."
        );
        assert_eq!(
            reason(&secure_post()),
            "Referer checking failed - no Referer."
        );
        fn referer(referer: &str) -> CsrfRequest<'_> {
            CsrfRequest {
                referer: Some(referer),
                ..secure_post()
            }
        }
        assert_eq!(
            reason(&referer("http://testserver/")),
            "Referer checking failed - Referer is insecure while host is secure."
        );
        for malformed in [
            "https://",
            "not a url",
            "",
            "https://[::1/",
            "//testserver/",
        ] {
            assert_eq!(
                reason(&referer(malformed)),
                "Referer checking failed - Referer is malformed.",
                "{malformed}"
            );
        }
        assert_eq!(
            reason(&referer("https://evil.com/path?q=1")),
            "Referer checking failed - https://evil.com/path?q=1 does not match any trusted origins."
        );
    }

    #[test]
    fn accepted_requests() {
        let cfg = config();
        let ok = |request: CsrfRequest<'_>| check(&request, &cfg);
        let token = mask_cipher_secret(SECRET).unwrap();
        assert_eq!(
            ok(CsrfRequest {
                header_token: Some(SECRET),
                ..post()
            }),
            Ok(())
        );
        assert_eq!(
            ok(CsrfRequest {
                header_token: Some(&token),
                ..post()
            }),
            Ok(())
        );
        assert_eq!(
            ok(CsrfRequest {
                form_token: Some(&token),
                ..post()
            }),
            Ok(())
        );
        // An empty form field falls back to the header.
        assert_eq!(
            ok(CsrfRequest {
                form_token: Some(""),
                header_token: Some(&token),
                ..post()
            }),
            Ok(())
        );
        // The form field only counts for POST.
        assert_eq!(
            check(
                &CsrfRequest {
                    method: "PUT",
                    form_token: Some(&token),
                    ..post()
                },
                &cfg
            )
            .unwrap_err(),
            Reason::TokenMissing
        );
        assert_eq!(
            ok(CsrfRequest {
                origin: Some("http://testserver"),
                header_token: Some(SECRET),
                ..post()
            }),
            Ok(())
        );
        assert_eq!(
            ok(CsrfRequest {
                referer: Some("https://testserver/page"),
                ..secure_post()
            }),
            Ok(())
        );
        assert_eq!(
            ok(CsrfRequest {
                origin: Some("https://testserver"),
                ..secure_post()
            }),
            Ok(())
        );
        // Legacy (Django < 4.0) cookie holding a masked token, and that same token presented.
        assert_eq!(
            ok(CsrfRequest {
                cookie: Some(&token),
                form_token: Some(&token),
                ..post()
            }),
            Ok(())
        );
        for method in ["GET", "HEAD", "OPTIONS", "TRACE", "get"] {
            assert_eq!(
                ok(CsrfRequest {
                    method,
                    ..CsrfRequest::default()
                }),
                Ok(())
            );
        }
        // Plain HTTP without Origin skips the Referer check.
        assert_eq!(
            ok(CsrfRequest {
                referer: Some("https://evil.com/"),
                header_token: Some(SECRET),
                ..post()
            }),
            Ok(())
        );
    }

    #[test]
    fn trusted_origins() {
        let cfg = CsrfConfig {
            trusted_origins: vec![
                "https://app.example.com".into(),
                "https://*.example.org".into(),
                "http://*.EXAMPLE.net:8000".into(),
            ],
            ..config()
        };
        let with_origin = |origin| CsrfRequest {
            origin: Some(origin),
            ..secure_post()
        };
        for origin in [
            "https://app.example.com",
            "https://example.org",
            "https://a.b.example.org",
            "http://x.example.net:8000",
            // Only the pattern is lower-cased, but a suffix match ignores the host's case.
            "https://X.example.org",
        ] {
            assert_eq!(check(&with_origin(origin), &cfg), Ok(()), "{origin}");
        }
        for origin in [
            "https://App.example.com",
            "https://app.example.com/",
            "http://a.example.org",
            "https://example.org:444",
            "https://badexample.org",
            "http://x.example.net",
        ] {
            assert_eq!(
                check(&with_origin(origin), &cfg),
                Err(Reason::BadOrigin(origin.into())),
                "{origin}"
            );
        }
        let with_referer = |referer| CsrfRequest {
            referer: Some(referer),
            ..secure_post()
        };
        for referer in [
            "https://app.example.com/x",
            "https://sub.example.org/",
            "https://example.org",
            // Referer matching ignores the trusted entry's scheme (only the netloc counts).
            "https://x.example.net:8000/",
        ] {
            assert_eq!(check(&with_referer(referer), &cfg), Ok(()), "{referer}");
        }
        assert_eq!(
            check(&with_referer("https://evil.example.com/"), &cfg)
                .unwrap_err()
                .to_string(),
            "Referer checking failed - https://evil.example.com/ does not match any trusted origins."
        );
    }

    #[test]
    fn referer_details() {
        let with = |referer| CsrfRequest {
            referer: Some(referer),
            ..secure_post()
        };
        // Compared as urlsplit's raw netloc: case, port and userinfo all count.
        for referer in [
            "https://TestServer/",
            "https://testserver:443/",
            "https://u@testserver/",
        ] {
            assert!(matches!(
                check(&with(referer), &config()),
                Err(Reason::BadReferer(_))
            ));
        }
        // The message shows geturl(): scheme lower-cased, empty ? and # dropped, tabs removed.
        assert_eq!(
            check(&with(" HTTPS://Evil.com:8443/a?#"), &config())
                .unwrap_err()
                .to_string(),
            "Referer checking failed - https://Evil.com:8443/a does not match any trusted origins."
        );
        assert_eq!(
            check(&with("https://ev\til.com/x#frag"), &config()).unwrap_err(),
            Reason::BadReferer("https://evil.com/x#frag".into())
        );
        // A host outside ALLOWED_HOSTS has no good referer.
        let disallowed = CsrfRequest {
            host: Some("other.com"),
            referer: Some("https://other.com/"),
            ..secure_post()
        };
        assert!(matches!(
            check(&disallowed, &config()),
            Err(Reason::BadReferer(_))
        ));
        // The cookie domain replaces the host, with the port unless it is 80 or 443.
        let cfg = CsrfConfig {
            cookie_domain: Some(".example.com".into()),
            ..config()
        };
        let sub = |port| CsrfRequest {
            referer: Some("https://www.example.com/"),
            server_port: port,
            ..secure_post()
        };
        assert_eq!(check(&sub(Some(443)), &cfg), Ok(()));
        assert_eq!(check(&sub(None), &cfg), Ok(()));
        assert!(check(&sub(Some(8443)), &cfg).is_err());
        let sub_port = CsrfRequest {
            referer: Some("https://www.example.com:8443/"),
            server_port: Some(8443),
            ..secure_post()
        };
        assert_eq!(check(&sub_port, &cfg), Ok(()));
        // With a cookie domain, the request's own host is no longer enough.
        let own = CsrfRequest {
            referer: Some("https://testserver/"),
            ..secure_post()
        };
        assert!(check(&own, &cfg).is_err());
    }

    #[test]
    fn origin_needs_allowed_host() {
        let request = CsrfRequest {
            host: Some("evil.com"),
            origin: Some("http://evil.com"),
            header_token: Some(SECRET),
            ..post()
        };
        assert_eq!(
            check(&request, &config()),
            Err(Reason::BadOrigin("http://evil.com".into()))
        );
        let star = CsrfConfig {
            allowed_hosts: vec!["*".into()],
            ..config()
        };
        assert_eq!(check(&request, &star), Ok(()));
        // The host is compared as sent, port included.
        let port = CsrfRequest {
            host: Some("testserver:8000"),
            origin: Some("http://testserver:8000"),
            ..request
        };
        assert_eq!(check(&port, &config()), Ok(()));
        let no_port = CsrfRequest {
            origin: Some("http://testserver"),
            ..port
        };
        assert!(check(&no_port, &config()).is_err());
        let empty = CsrfRequest {
            origin: Some(""),
            ..port
        };
        assert_eq!(
            check(&empty, &config()).unwrap_err().to_string(),
            "Origin checking failed -  does not match any trusted origins."
        );
    }

    #[test]
    fn same_domain() {
        assert!(is_same_domain("example.com", "example.com"));
        assert!(is_same_domain("example.com", "EXAMPLE.com"));
        assert!(!is_same_domain("EXAMPLE.com", "example.com"));
        assert!(is_same_domain("example.com", ".example.com"));
        assert!(is_same_domain("a.example.com", ".example.com"));
        assert!(is_same_domain("a.example.com:8000", ".example.com:8000"));
        assert!(!is_same_domain("badexample.com", ".example.com"));
        assert!(!is_same_domain("example.com", ""));
        assert!(!is_same_domain("", ""));
        assert!(is_same_domain("", "."));
    }

    #[test]
    fn hosts() {
        let split = |host| split_domain_port(host);
        assert_eq!(
            split("TestServer:8000"),
            ("testserver".into(), "8000".into())
        );
        assert_eq!(split("example.com."), ("example.com".into(), String::new()));
        assert_eq!(split("[::1]:8000"), ("[::1]".into(), "8000".into()));
        assert_eq!(split("[::1]"), ("[::1]".into(), String::new()));
        assert_eq!(split("[::]"), ("[::]".into(), String::new()));
        assert_eq!(
            split("[2001:DB8::1]"),
            ("[2001:db8::1]".into(), String::new())
        );
        for invalid in [
            "",
            ":80",
            "a:",
            "a:b",
            "a b",
            "[::1",
            "[1]",
            "[g::1]",
            "a_b.com",
            "host\n",
            "ex@mple.com",
            "[::1]x",
        ] {
            assert_eq!(
                split(invalid),
                (String::new(), String::new()),
                "{invalid:?}"
            );
        }
        let allowed =
            |patterns: &[&str]| patterns.iter().map(|p| (*p).to_owned()).collect::<Vec<_>>();
        assert!(validate_host("testserver", &allowed(&["testserver"])));
        assert!(validate_host("TESTSERVER:80", &allowed(&["testserver"])));
        assert!(validate_host("testserver.", &allowed(&["testserver"])));
        assert!(validate_host("a.example.com", &allowed(&[".example.com"])));
        assert!(validate_host("example.com", &allowed(&[".Example.com"])));
        assert!(validate_host("anything.org:1", &allowed(&["*"])));
        assert!(validate_host("[::1]:8000", &allowed(&["[::1]"])));
        assert!(!validate_host("example.com", &allowed(&["example.com."])));
        assert!(!validate_host("evil.com", &allowed(&["testserver"])));
        assert!(!validate_host("testserver", &[]));
        assert!(!validate_host("bad host", &allowed(&["*"])));
        assert!(!validate_host("", &allowed(&["*"])));
    }

    #[test]
    fn header_names() {
        assert_eq!(
            header_name_to_http("HTTP_X_CSRFTOKEN").unwrap(),
            "x-csrftoken"
        );
        assert_eq!(
            header_name_to_http("HTTP_X_XSRF_TOKEN").unwrap(),
            "x-xsrf-token"
        );
        assert_eq!(header_name_to_http("CONTENT_TYPE").unwrap(), "content-type");
        assert_eq!(header_name_to_http("REMOTE_USER"), None);
        assert_eq!(
            parse_header_name("HTTP_X_CSRFTOKEN").unwrap(),
            "X-Csrftoken"
        );
        assert_eq!(
            parse_header_name("HTTP_X_XSRF_TOKEN").unwrap(),
            "X-Xsrf-Token"
        );
        assert_eq!(parse_header_name("HTTP_X_2FA1B").unwrap(), "X-2Fa1B");
        assert_eq!(header_label("HTTP_X_CSRFTOKEN"), "'X-Csrftoken'");
        assert_eq!(header_label("WEIRD"), "None");
        assert_eq!(header_label("HTTP_IT'S"), "\"It'S\"");
        let cfg = CsrfConfig {
            header_name: "HTTP_X_XSRF_TOKEN".into(),
            ..config()
        };
        let request = CsrfRequest {
            header_token: Some("abc"),
            ..post()
        };
        assert_eq!(
            check(&request, &cfg).unwrap_err().to_string(),
            "CSRF token from the 'X-Xsrf-Token' HTTP header has incorrect length."
        );
    }

    #[test]
    fn urlsplit_matches_python() {
        let split = |url| urlsplit(url).unwrap();
        let parts = |url| {
            let s = split(url);
            (s.scheme, s.netloc, s.path, s.query, s.fragment)
        };
        let owned = |a: &str, b: &str, c: &str, d: &str, e: &str| {
            (
                a.to_owned(),
                b.to_owned(),
                c.to_owned(),
                d.to_owned(),
                e.to_owned(),
            )
        };
        assert_eq!(
            parts("https://evil.com/path?q=1"),
            owned("https", "evil.com", "/path", "q=1", "")
        );
        assert_eq!(
            parts("HTTPS://Evil.com:443/a?#"),
            owned("https", "Evil.com:443", "/a", "", "")
        );
        assert_eq!(parts("https://"), owned("https", "", "", "", ""));
        assert_eq!(parts("not a url"), owned("", "", "not a url", "", ""));
        assert_eq!(
            parts("  https://a\tb.com/x#f"),
            owned("https", "ab.com", "/x", "", "f")
        );
        assert_eq!(
            parts("https://[::1]:8000/"),
            owned("https", "[::1]:8000", "/", "", "")
        );
        assert_eq!(parts("//x.com/"), owned("", "x.com", "/", "", ""));
        assert_eq!(parts("https:x.com"), owned("https", "", "x.com", "", ""));
        assert_eq!(
            parts("https://u:p@host/"),
            owned("https", "u:p@host", "/", "", "")
        );
        assert_eq!(parts("1http://x"), owned("", "", "1http://x", "", ""));
        assert_eq!(
            parts("https://a?b#c?d"),
            owned("https", "a", "", "b", "c?d")
        );
        assert_eq!(split("https:x.com").geturl(), "https:///x.com");
        assert_eq!(split("//x.com/").geturl(), "//x.com/");
        assert!(urlsplit("https://[::1/").is_none());
        assert!(urlsplit("https://::1]/").is_none());
        assert!(urlsplit("https://[1.2.3.4]/").is_none());
        assert!(urlsplit("https://[v1.x]/").is_some());
        assert!(urlsplit("https://[v1.]/").is_none());
        assert!(urlsplit("https://[fe80::1%eth0]/").is_some());
        assert!(urlsplit("https://[fe80::1%]/").is_none());
    }

    #[test]
    fn debug_redacts_secrets() {
        let request = CsrfRequest {
            form_token: Some(MASKED),
            header_token: Some("headersecret"),
            ..post()
        };
        let debug = format!("{request:?}");
        assert!(!debug.contains(SECRET));
        assert!(!debug.contains(MASKED));
        assert!(!debug.contains("headersecret"));
        assert!(debug.contains("<redacted>"));
    }
}
