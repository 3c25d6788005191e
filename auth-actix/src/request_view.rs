//! auth-core's [`RequestView`] for actix-web's `HttpRequest`.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;

use actix_web::HttpMessage;
use actix_web::HttpRequest;
use actix_web::http::header;
use auth_core::django::http::parse_cookie::cookie_value;
use auth_core::request::RequestView;
use auth_core::settings::Settings;

use crate::payload_gate::{Gate, ReadAhead};
use crate::post_data::{self, PostData};

/// The most of a `POST` body read for the CSRF check: Django's `DATA_UPLOAD_MAX_MEMORY_SIZE`
/// (2.5 MiB). A larger body is not searched for `csrfmiddlewaretoken`; the header token is then
/// required, as for any non-form body.
const READ_AHEAD_LIMIT: usize = 2_621_440;

/// A request body that the policy reads only if the CSRF check of a session user needs it,
/// through the gate that holds it back from the handler (which then gets it replayed).
pub(crate) struct LazyForm<'a> {
    request: &'a HttpRequest,
    gate: Option<&'a Gate>,
    data: OnceCell<Option<PostData>>,
}

impl<'a> LazyForm<'a> {
    pub(crate) fn new(request: &'a HttpRequest, gate: Option<&'a Gate>) -> Self {
        Self {
            request,
            gate,
            data: OnceCell::new(),
        }
    }

    async fn read(&self) {
        if self.data.get().is_some() {
            return;
        }
        let data = match self.gate {
            Some(gate) => match gate.read_ahead(READ_AHEAD_LIMIT).await {
                ReadAhead::Complete(body) => Some(post_data::parse(self.request, body).await),
                ReadAhead::TooLarge | ReadAhead::Failed => None,
            },
            None => None,
        };
        let _ = self.data.set(data);
    }

    fn get(&self) -> Option<&PostData> {
        self.data.get().and_then(Option::as_ref)
    }
}

/// Where a view finds the form body.
#[derive(Clone, Copy)]
enum Form<'a> {
    /// No body to look at.
    None,
    /// Read by the view itself.
    Read(&'a PostData),
    /// Read when the CSRF check asks.
    Lazy(&'a LazyForm<'a>),
}

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
    form: Form<'a>,
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
            form: Form::None,
        }
    }

    /// With the `POST` body the view read itself.
    pub(crate) fn with_post_data(mut self, post: &'a PostData) -> Self {
        self.form = Form::Read(post);
        self
    }

    /// With a body read only if the CSRF check needs it.
    pub(crate) fn with_lazy_form(mut self, form: &'a LazyForm<'a>) -> Self {
        self.form = Form::Lazy(form);
        self
    }
}

impl RequestView for HttpRequestView<'_> {
    fn method(&self) -> &str {
        self.request.method().as_str()
    }

    fn header(&self, name: &str) -> Option<Cow<'_, [u8]>> {
        // One line is borrowed; several are joined by `,` as gunicorn and wsgiref do, so that a
        // repeated `Authorization`, `X-Forwarded-For` or `X-CSRFToken` means what it means to
        // Django behind them.
        let mut lines = self.request.headers().get_all(name);
        let first = lines.next()?;
        let Some(second) = lines.next() else {
            return Some(Cow::Borrowed(first.as_bytes()));
        };
        let mut joined = first.as_bytes().to_vec();
        for line in std::iter::once(second).chain(lines) {
            joined.push(b',');
            joined.extend_from_slice(line.as_bytes());
        }
        Some(Cow::Owned(joined))
    }

    fn cookie(&self, name: &str) -> Option<Cow<'_, str>> {
        // Django's reading, not actix's cookie jar (first value, percent-decoded): see
        // `parse_cookie`. Over HTTP/2 and HTTP/3 a client may split its one cookie string into
        // several fields, which must be rejoined with "; " (RFC 9113 §8.2.3), as the proxy in
        // front of a WSGI server does before Django sees them; HTTP/1 lines are joined by ","
        // as gunicorn joins them.
        if self.request.version() >= actix_web::http::Version::HTTP_2 {
            let fields: Vec<&[u8]> = self
                .request
                .headers()
                .get_all(header::COOKIE)
                .map(|value| value.as_bytes())
                .collect();
            if fields.len() > 1 {
                let joined = fields.join(&b"; "[..]);
                return cookie_value(&joined, name).map(|value| Cow::Owned(value.into_owned()));
            }
        }
        match self.header("cookie")? {
            Cow::Borrowed(header) => cookie_value(header, name),
            Cow::Owned(header) => {
                cookie_value(&header, name).map(|value| Cow::Owned(value.into_owned()))
            }
        }
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

    fn read_form(&self) -> Pin<Box<dyn Future<Output = ()> + '_>> {
        match self.form {
            Form::Lazy(form) => Box::pin(form.read()),
            Form::None | Form::Read(_) => Box::pin(std::future::ready(())),
        }
    }

    fn post_field(&self, name: &str) -> Result<Option<Cow<'_, str>>, auth_core::ApiError> {
        let post = match self.form {
            Form::Read(post) => Some(post),
            Form::Lazy(form) => form.get(),
            Form::None => None,
        };
        match post {
            Some(post) => post.field(name),
            None => Ok(None),
        }
    }

    fn query_string(&self) -> &str {
        self.request.query_string()
    }

    fn path(&self) -> &str {
        self.request.path()
    }

    fn peer_addr(&self) -> Option<IpAddr> {
        self.request.peer_addr().map(|address| address.ip())
    }

    fn remote_user(&self) -> Option<Cow<'_, str>> {
        if let Some(trusted) = self.request.extensions().get::<TrustedRemoteUser>() {
            return Some(Cow::Owned(trusted.0.clone()));
        }
        // DRF's `request.META.get(header)`: Latin-1, whatever the bytes (PEP 3333).
        let name = self.settings.remote_user_header.as_deref()?;
        self.meta(name)
    }
}
