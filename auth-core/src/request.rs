//! The view of an HTTP request that authentication needs, independent of any web framework.

use std::borrow::Cow;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;

/// What the pipeline reads from a request. `auth-actix` implements it for actix-web's request;
/// another framework needs only this trait to reuse every scheme, permission and throttle.
///
/// Header values are raw bytes: the reference decodes them as ISO-8859-1 (WSGI) and re-encodes
/// them (DRF's `HTTP_HEADER_ENCODING`), so each scheme works on the bytes and applies its own
/// text decoding.
pub trait RequestView {
    /// The method, upper-case as sent (`GET`, `POST`, …).
    fn method(&self) -> &str;

    /// A header by case-insensitive name, as raw bytes; a header sent on several lines is their
    /// values joined by `,`, as WSGI servers (gunicorn, wsgiref) join them into the one `META`
    /// value Django sees.
    fn header(&self, name: &str) -> Option<Cow<'_, [u8]>>;

    /// A header as text, as Django's `request.META` holds it: the lines joined by `,`, then
    /// decoded as Latin-1 (PEP 3333), so the UTF-8 bytes of `jöhn` read `jÃ¶hn`. For the values
    /// the reference reads as text: `REMOTE_USER` from a header, `Origin`, `Referer`, the CSRF
    /// token header.
    fn meta(&self, name: &str) -> Option<Cow<'_, str>> {
        self.header(name).map(|bytes| match bytes {
            Cow::Borrowed(bytes) => crate::compat::python::text::latin1(bytes),
            Cow::Owned(bytes) => {
                Cow::Owned(crate::compat::python::text::latin1(&bytes).into_owned())
            }
        })
    }

    /// A cookie's value by exact name, as Django reads it behind gunicorn: the `Cookie` lines
    /// joined by `,` (HTTP/2 fields by `; `), the last value of a repeated name, nothing
    /// percent-decoded
    /// ([`parse_cookie`](crate::django::http::parse_cookie)).
    fn cookie(&self, name: &str) -> Option<Cow<'_, str>>;

    /// The request host including any port as sent (`Host`; an implementation may take a
    /// forwarded host it is configured to trust, as Django's `USE_X_FORWARDED_HOST`).
    fn host(&self) -> Option<&str>;

    /// Whether the request came over HTTPS, directly or as told by the configured proxy header.
    fn is_secure(&self) -> bool;

    /// The peer's address (`REMOTE_ADDR`).
    fn peer_addr(&self) -> Option<IpAddr>;

    /// The user name that a trusted front-end server authenticated (`REMOTE_USER`). Never taken
    /// from a client-controlled header unless the settings name that header explicitly.
    fn remote_user(&self) -> Option<Cow<'_, str>>;

    /// The path as sent (percent-encoded, without the query); empty when unknown.
    fn path(&self) -> &str {
        ""
    }

    /// The raw query string (after `?`, undecoded); empty when there is none.
    fn query_string(&self) -> &str {
        ""
    }

    /// The port the server received the request on (`SERVER_PORT`), if known.
    fn server_port(&self) -> Option<u16> {
        None
    }

    /// Reads the form body, when the framework can, so that [`post_field`](Self::post_field)
    /// answers from it. Session authentication calls it for a `POST` of a session user, just
    /// before the CSRF check needs `csrfmiddlewaretoken`: the body is never read for a request
    /// without a session user. The framework bounds the read in size; the pipeline's timeout
    /// bounds it in time. The default reads nothing.
    fn read_form(&self) -> Pin<Box<dyn Future<Output = ()> + '_>> {
        Box::pin(std::future::ready(()))
    }

    /// A field of a form-encoded or multipart `POST` body (Django's `request.POST[name]`), when
    /// the framework read the body (see [`read_form`](Self::read_form)). `Ok(None)` when there is no such field
    /// or no form body; `Err` when the body could not be parsed by the view's parsers (DRF
    /// raises it at the point the CSRF check reads the body: 400 or 415).
    fn post_field(&self, name: &str) -> Result<Option<Cow<'_, str>>, crate::error::ApiError> {
        let _ = name;
        Ok(None)
    }

    /// Whether the method is one of the permissions' safe methods: `GET`, `HEAD`, `OPTIONS`
    /// (DRF's `SAFE_METHODS`; no `TRACE` here, unlike the CSRF check's list).
    fn is_safe_method(&self) -> bool {
        matches!(self.method(), "GET" | "HEAD" | "OPTIONS")
    }
}

/// A request that has only a method: no header, cookie, host, peer or remote user. What
/// [`operation_security`](crate::operation_security) shows a view's permissions to find out
/// whether an anonymous request passes; also handy when testing a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodOnly<'a>(pub &'a str);

impl RequestView for MethodOnly<'_> {
    fn method(&self) -> &str {
        self.0
    }

    fn header(&self, _name: &str) -> Option<Cow<'_, [u8]>> {
        None
    }

    fn cookie(&self, _name: &str) -> Option<Cow<'_, str>> {
        None
    }

    fn host(&self) -> Option<&str> {
        None
    }

    fn is_secure(&self) -> bool {
        false
    }

    fn peer_addr(&self) -> Option<IpAddr> {
        None
    }

    fn remote_user(&self) -> Option<Cow<'_, str>> {
        None
    }
}
