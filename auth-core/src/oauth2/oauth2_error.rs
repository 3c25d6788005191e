//! oauthlib's `OAuth2Error` (`oauthlib/oauth2/rfc6749/errors.py`, 4.0.1) as the provider
//! endpoints answer it: a status, a JSON body of `error`, `error_description` (when there is
//! one) and `state` (when the request carried one), in that order, written by Python's
//! `json.dumps` (`", "` and `": "`), and for a 401 a `WWW-Authenticate: Bearer …` challenge.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::compat::python::json::dumps::dumps;

/// One error answer of the token, revocation or introspection endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuth2Error {
    /// The `error` code (`invalid_request`, `invalid_client`, …).
    pub error: &'static str,
    /// `error_description`: omitted from the body when empty, as oauthlib omits it.
    pub description: Cow<'static, str>,
    /// The HTTP status.
    pub status: u16,
    /// The request's `state` parameter, echoed as oauthlib echoes it (`request.state`).
    pub state: Option<String>,
    /// Whether oauthlib raises this error with the request (and so echoes its `state`).
    pub with_request: bool,
}

impl OAuth2Error {
    fn new(error: &'static str, description: impl Into<Cow<'static, str>>, status: u16) -> Self {
        Self {
            error,
            description: description.into(),
            status,
            state: None,
            with_request: true,
        }
    }

    /// The same error as oauthlib raises it without the request: `state` is not echoed
    /// (oauthlib's `ServerError('Discrepency…')`, DOT's `MissingRedirectURIError()`).
    #[must_use]
    pub fn without_request(mut self) -> Self {
        self.with_request = false;
        self.state = None;
        self
    }

    /// `InvalidRequestError(description=…)`: 400 `invalid_request`.
    pub fn invalid_request(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new("invalid_request", description, 400)
    }

    /// `InvalidClientError`: 401 `invalid_client`, with its Bearer challenge.
    pub fn invalid_client() -> Self {
        Self::new("invalid_client", "", 401)
    }

    /// `InvalidGrantError(description=…)`: 400 `invalid_grant`.
    pub fn invalid_grant(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new("invalid_grant", description, 400)
    }

    /// `UnauthorizedClientError`: 400 `unauthorized_client`.
    pub fn unauthorized_client() -> Self {
        Self::new("unauthorized_client", "", 400)
    }

    /// `UnsupportedGrantTypeError`: 400 `unsupported_grant_type`.
    pub fn unsupported_grant_type() -> Self {
        Self::new("unsupported_grant_type", "", 400)
    }

    /// `InvalidScopeError`: 400 `invalid_scope`.
    pub fn invalid_scope() -> Self {
        Self::new("invalid_scope", "", 400)
    }

    /// `ServerError`: 400 `server_error` (oauthlib's class keeps the default status).
    pub fn server_error(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new("server_error", description, 400)
    }

    /// `CustomOAuth2Error(error=…, description=…)`: 400 with any code (DOT's `invalid_target`).
    pub fn custom(error: &'static str, description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(error, description, 400)
    }

    /// The request's `state`, which oauthlib copies into every error it raises with the
    /// request.
    #[must_use]
    pub fn with_state(mut self, state: Option<&str>) -> Self {
        if self.with_request {
            self.state = state.filter(|state| !state.is_empty()).map(str::to_owned);
        }
        self
    }

    /// `error.twotuples`: `error`, then `error_description` and `state` when there are.
    pub fn twotuples(&self) -> Vec<(&'static str, &str)> {
        let mut pairs = vec![("error", self.error)];
        if !self.description.is_empty() {
            pairs.push(("error_description", self.description.as_ref()));
        }
        if let Some(state) = &self.state {
            pairs.push(("state", state.as_str()));
        }
        pairs
    }

    /// `error.json`: `json.dumps(dict(twotuples))`.
    pub fn json(&self) -> String {
        let body: Map<String, Value> = self
            .twotuples()
            .into_iter()
            .map(|(key, value)| (key.to_owned(), Value::from(value)))
            .collect();
        dumps(&Value::Object(body))
    }

    /// `error.headers`: for a 401, `WWW-Authenticate: Bearer error="…"` with the description
    /// when there is one (`", "` between the attributes, values not escaped, as oauthlib
    /// writes them).
    pub fn www_authenticate(&self) -> Option<String> {
        if self.status != 401 {
            return None;
        }
        let mut challenge = format!("Bearer error=\"{}\"", self.error);
        if !self.description.is_empty() {
            challenge.push_str(&format!(", error_description=\"{}\"", self.description));
        }
        Some(challenge)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_and_challenges_are_oauthlibs() {
        let error = OAuth2Error::invalid_client();
        assert_eq!(error.json(), r#"{"error": "invalid_client"}"#);
        assert_eq!(
            error.www_authenticate().as_deref(),
            Some(r#"Bearer error="invalid_client""#)
        );
        let error = OAuth2Error::invalid_grant("Invalid credentials given.").with_state(Some("s"));
        assert_eq!(
            error.json(),
            r#"{"error": "invalid_grant", "error_description": "Invalid credentials given.", "state": "s"}"#
        );
        assert_eq!(error.www_authenticate(), None);
        assert_eq!(
            OAuth2Error::unsupported_grant_type()
                .with_state(Some(""))
                .json(),
            r#"{"error": "unsupported_grant_type"}"#
        );
    }
}
