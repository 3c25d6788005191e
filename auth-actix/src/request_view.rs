//! auth-core's [`RequestView`] for actix-web's `HttpRequest`.

use std::borrow::Cow;
use std::net::IpAddr;

use actix_web::HttpMessage;
use actix_web::HttpRequest;
use actix_web::http::header;
use auth_core::request::RequestView;
use auth_core::settings::Settings;

use crate::post_data::PostData;

/// The user name a trusted front-end layer authenticated, put into the request's extensions by
/// the application's own middleware (the port's `REMOTE_USER`, the server variable DRF's
/// `RemoteUserAuthentication` reads). Read by `RemoteUserAuthentication`; a client cannot set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedRemoteUser(pub String);

/// An actix-web request seen through [`RequestView`], with the settings that decide how far
/// proxy headers are trusted.
///
/// `Debug` shows the method and the path only: headers (the CSRF header), the query string
/// (credentials a derived scheme reads there) and the body's fields may hold secrets.
#[derive(Clone, Copy)]
pub struct HttpRequestView<'a> {
    request: &'a HttpRequest,
    settings: &'a Settings,
    post: Option<&'a PostData>,
}

impl std::fmt::Debug for HttpRequestView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpRequestView")
            .field("method", self.request.method())
            .field("path", &self.request.path())
            .finish_non_exhaustive()
    }
}

impl<'a> HttpRequestView<'a> {
    /// Views `request` under `settings`.
    pub fn new(request: &'a HttpRequest, settings: &'a Settings) -> Self {
        Self {
            request,
            settings,
            post: None,
        }
    }

    /// With the `POST` body read ahead for the CSRF check.
    pub(crate) fn with_post_data(mut self, post: Option<&'a PostData>) -> Self {
        self.post = post;
        self
    }
}

/// Header bytes as text the way the reference gets `META` values: UTF-8 when valid, otherwise
/// Latin-1 (every byte one code point).
fn header_text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(bytes.iter().map(|&byte| char::from(byte)).collect()),
    }
}

impl RequestView for HttpRequestView<'_> {
    fn method(&self) -> &str {
        self.request.method().as_str()
    }

    fn header(&self, name: &str) -> Option<&[u8]> {
        self.request
            .headers()
            .get(name)
            .map(header::HeaderValue::as_bytes)
    }

    fn cookie(&self, name: &str) -> Option<Cow<'_, str>> {
        self.request
            .cookie(name)
            .map(|cookie| Cow::Owned(cookie.value().to_owned()))
    }

    fn host(&self) -> Option<&str> {
        self.request
            .headers()
            .get(header::HOST)
            .and_then(|value| value.to_str().ok())
            .or_else(|| {
                self.request
                    .uri()
                    .authority()
                    .map(|authority| authority.as_str())
            })
    }

    fn is_secure(&self) -> bool {
        // Only the proxy header the settings name is trusted (Django's SECURE_PROXY_SSL_HEADER:
        // the first comma-separated item, stripped); actix's connection info would trust any
        // client's `X-Forwarded-Proto`.
        if let Some((name, expected)) = &self.settings.secure_proxy_ssl_header
            && let Some(value) = self.request.headers().get(name)
        {
            let first = value.as_bytes().split(|&byte| byte == b',').next();
            return first.is_some_and(|item| item.trim_ascii() == expected.as_bytes());
        }
        self.request.app_config().secure()
    }

    fn server_port(&self) -> Option<u16> {
        Some(self.request.app_config().local_addr().port())
    }

    fn post_field(&self, name: &str) -> Result<Option<Cow<'_, str>>, auth_core::ApiError> {
        match self.post {
            Some(post) => post.field(name),
            None => Ok(None),
        }
    }

    fn query_string(&self) -> &str {
        self.request.query_string()
    }

    fn peer_addr(&self) -> Option<IpAddr> {
        self.request.peer_addr().map(|address| address.ip())
    }

    fn remote_user(&self) -> Option<Cow<'_, str>> {
        if let Some(trusted) = self.request.extensions().get::<TrustedRemoteUser>() {
            return Some(Cow::Owned(trusted.0.clone()));
        }
        let name = self.settings.remote_user_header.as_deref()?;
        self.header(name).map(header_text)
    }
}
