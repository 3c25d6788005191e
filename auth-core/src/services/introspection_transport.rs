//! How the resource server reaches the authorization server's introspection endpoint: one
//! form `POST` (`token=…`, authenticated by an `Authorization` header), answered with a status
//! and a body. A trait, so the HTTP client is the application's choice; with the
//! `oauth2-introspection` feature, [`HttpIntrospection`](super::http_introspection::HttpIntrospection)
//! is the one [`AuthSettings`](crate::auth_settings::AuthSettings) starts by itself.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// What the authorization server answered.
#[derive(Clone, PartialEq, Eq)]
pub struct IntrospectionReply {
    /// The HTTP status.
    pub status: u16,
    /// The body (DOT reads it as JSON whatever its content type).
    pub body: Vec<u8>,
}

/// The body describes the presented token: not printed.
impl fmt::Debug for IntrospectionReply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IntrospectionReply")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// The request failed before an answer (no connection, TLS refused, timed out, a redirect,
/// a body over the limit). The text names the cause, never the token or the credentials.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("token introspection failed: {0}")]
pub struct IntrospectionError(pub String);

/// Boxed future of an introspection call; `Send` so the transport can live in shared services.
pub type IntrospectionFuture<'a> =
    Pin<Box<dyn Future<Output = Result<IntrospectionReply, IntrospectionError>> + Send + 'a>>;

/// One introspection `POST`, as DOT's `requests.post(url, data={"token": token},
/// headers={"Authorization": authorization})` sends it: `body` is the form, already encoded
/// (`token=` and the token as `urllib.parse.urlencode` quotes it), sent as
/// `application/x-www-form-urlencoded`. A transport must not follow redirects (the token would
/// go wherever the answer points) and must bound the time it takes.
pub trait IntrospectionTransport: Send + Sync + fmt::Debug {
    /// Posts `body` to `url` with the `Authorization` header `authorization`.
    fn post<'a>(
        &'a self,
        url: &'a str,
        authorization: &'a str,
        body: String,
    ) -> IntrospectionFuture<'a>;
}
