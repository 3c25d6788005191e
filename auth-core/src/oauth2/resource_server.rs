//! DOT's remote resource-server settings: `RESOURCE_SERVER_INTROSPECTION_URL` with
//! `RESOURCE_SERVER_AUTH_TOKEN` or `RESOURCE_SERVER_INTROSPECTION_CREDENTIALS`, and
//! `RESOURCE_SERVER_TOKEN_CACHING_SECONDS`. With them, a token this database does not hold (or
//! holds expired) is asked about at the authorization server's RFC 7662 introspection endpoint,
//! and an active one is written into `oauth2_provider_accesstoken` as DOT writes it.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;

/// How this resource server authenticates to the introspection endpoint. DOT sends the token
/// when both are set.
#[derive(Clone, PartialEq, Eq)]
pub enum IntrospectionCredentials {
    /// `RESOURCE_SERVER_AUTH_TOKEN`: `Authorization: Bearer <token>` (an access token of the
    /// authorization server with its introspection scope).
    Token(String),
    /// `RESOURCE_SERVER_INTROSPECTION_CREDENTIALS` (`client_id`, `client_secret`): HTTP Basic.
    Client {
        /// The client id.
        client_id: String,
        /// The client secret.
        client_secret: String,
    },
}

impl IntrospectionCredentials {
    /// The `Authorization` header DOT sends: `Bearer {token}`, or `Basic ` and the standard
    /// base64 of the UTF-8 `client_id:client_secret`.
    pub fn authorization(&self) -> String {
        match self {
            Self::Token(token) => format!("Bearer {token}"),
            Self::Client {
                client_id,
                client_secret,
            } => format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD
                    .encode(format!("{client_id}:{client_secret}"))
            ),
        }
    }
}

/// Secrets are not printed: the kind and the client id only.
impl fmt::Debug for IntrospectionCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Token(_) => f.write_str("Token(<redacted>)"),
            Self::Client { client_id, .. } => f
                .debug_struct("Client")
                .field("client_id", client_id)
                .field("client_secret", &"<redacted>")
                .finish(),
        }
    }
}

/// Remote introspection, on when `RESOURCE_SERVER_INTROSPECTION_URL` and credentials are set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteIntrospection {
    /// `RESOURCE_SERVER_INTROSPECTION_URL`: where tokens are `POST`ed (`token=…`).
    pub url: String,
    /// How the `POST` is authenticated.
    pub credentials: IntrospectionCredentials,
    /// `RESOURCE_SERVER_TOKEN_CACHING_SECONDS` (default 36000): the longest an introspected
    /// token's row is trusted before it is asked about again (its `exp`, when sooner, wins).
    pub caching_seconds: i64,
    /// How long the introspection request may take before the token is treated as not
    /// active (default 5 s; this library's own `RESOURCE_SERVER_INTROSPECTION_TIMEOUT_SECONDS`).
    /// DOT's `requests.post` has no timeout: an authorization server that stops answering holds
    /// DOT's worker for ever.
    pub timeout: Duration,
    /// Certificates (a PEM file) trusted for an `https` URL instead of the bundled Web PKI
    /// roots (this library's own `RESOURCE_SERVER_INTROSPECTION_CA_CERTIFICATES`; `requests`
    /// reads `REQUESTS_CA_BUNDLE` for the same purpose): an authorization server on a private
    /// certificate authority.
    pub ca_certificates: Option<PathBuf>,
}

impl RemoteIntrospection {
    /// DOT's default `RESOURCE_SERVER_TOKEN_CACHING_SECONDS`.
    pub const DEFAULT_CACHING_SECONDS: i64 = 36_000;
    /// The default [`timeout`](Self::timeout).
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

    /// Introspection at `url` with `credentials` and the defaults.
    pub fn new(url: impl Into<String>, credentials: IntrospectionCredentials) -> Self {
        Self {
            url: url.into(),
            credentials,
            caching_seconds: Self::DEFAULT_CACHING_SECONDS,
            timeout: Self::DEFAULT_TIMEOUT,
            ca_certificates: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authorization_header_is_dots() {
        assert_eq!(
            IntrospectionCredentials::Token("abc".into()).authorization(),
            "Bearer abc"
        );
        // base64.b64encode("clïent:s3cret".encode("utf-8"))
        let client = IntrospectionCredentials::Client {
            client_id: "cl\u{ef}ent".into(),
            client_secret: "s3cret".into(),
        };
        assert_eq!(client.authorization(), "Basic Y2zDr2VudDpzM2NyZXQ=");
    }

    #[test]
    fn debug_shows_no_secret() {
        let shown = format!(
            "{:?} {:?}",
            IntrospectionCredentials::Token("tok-secret".into()),
            IntrospectionCredentials::Client {
                client_id: "id".into(),
                client_secret: "client-secret".into(),
            }
        );
        assert!(!shown.contains("tok-secret") && !shown.contains("client-secret"));
    }
}
