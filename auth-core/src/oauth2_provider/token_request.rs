//! oauthlib's `Request` as DOT builds it for the token and revocation endpoints
//! (`OAuthLibCore._extract_params`): the parameters are Django's `request.POST`, the **last**
//! value of each field (`QueryDict` semantics) except `resource`, whose every value is kept
//! (RFC 8707 allows repeating it); the query string only matters in that a `POST` with one is
//! refused.

use super::client_authentication::ClientCredentials;
use crate::store::oauth2_application::Application;

/// A request to the token or revocation endpoint, as its parameters.
#[derive(Clone, Copy)]
pub struct TokenRequest<'a> {
    /// The raw query string (without `?`).
    pub query: &'a str,
    /// The `Authorization` header's bytes.
    pub authorization: Option<&'a [u8]>,
    /// Django's `request.POST`: every form field in order (none for a body that is neither
    /// form-encoded nor multipart).
    pub post: &'a [(String, String)],
    /// The `Origin` header (Latin-1 text), for the CORS answer of the refresh and
    /// authorization-code grants.
    pub origin: Option<&'a str>,
}

impl std::fmt::Debug for TokenRequest<'_> {
    /// Field names only: the values are passwords, secrets and tokens.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRequest")
            .field(
                "post",
                &self.post.iter().map(|(name, _)| name).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl<'a> TokenRequest<'a> {
    /// `request.<name>`: the field's last value, `None` when it is absent.
    pub fn param(&self, name: &str) -> Option<&'a str> {
        self.post
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The parameter when it is present and not empty (oauthlib's `if not request.<name>`).
    pub fn non_empty(&self, name: &str) -> Option<&'a str> {
        self.param(name).filter(|value| !value.is_empty())
    }

    /// Every `resource` value, in order.
    pub fn resources(&self) -> Vec<&'a str> {
        self.post
            .iter()
            .filter(|(key, _)| key == "resource")
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// The client's credentials: the `Authorization` header, the body's `client_id` and
    /// `client_secret`.
    pub fn client_credentials(&self) -> ClientCredentials<'a> {
        ClientCredentials {
            authorization: self.authorization,
            client_id: self.param("client_id"),
            client_secret: self.param("client_secret"),
        }
    }

    /// oauthlib's `_create_cors_headers`: the request's `Origin` when it is `https` and the
    /// application allows it.
    pub fn allowed_origin(&self, application: &Application) -> Option<&'a str> {
        self.origin.filter(|origin| {
            origin.to_lowercase().starts_with("https://") && application.origin_allowed(origin)
        })
    }

    /// `request.state`, which oauthlib echoes in its errors.
    pub fn state(&self) -> Option<&'a str> {
        self.param("state")
    }
}

/// oauthlib's `utils.scope_to_list`: `scope.strip().split(" ")`, so that `"a  b"` has an empty
/// scope between `a` and `b` and `""` is one empty scope (neither of which is a valid scope).
/// Python's `strip()` removes Unicode whitespace.
pub fn scope_to_list(scope: &str) -> Vec<String> {
    crate::compat::python::text::python_strip(scope)
        .split(' ')
        .map(str::to_owned)
        .collect()
}
