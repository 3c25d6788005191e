//! What the CSRF check reads: the request as Django's `request` shows it, and the settings.

use std::fmt;

use super::reason::DEFAULT_HEADER_NAME;

/// What [`check`](super::check) needs from a request, as Django's `request` would show it.
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

/// The settings [`check`](super::check) reads.
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
    /// [`header_name_to_http`](crate::django::http::meta::header_name_to_http) for the header
    /// to read.
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
