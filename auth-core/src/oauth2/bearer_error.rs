//! DOT's `request.oauth2_error`: why `OAuth2Authentication` did not authenticate a request that
//! presented a token, reported only in the `WWW-Authenticate` challenge (the body stays DRF's
//! "Authentication credentials were not provided.").

use super::messages;

/// The error attributes `_set_oauth2_error_on_request` (and the RFC 8707 check) record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BearerError {
    /// No such token.
    Invalid,
    /// The token expired.
    Expired,
    /// The token is restricted to other resources (RFC 8707).
    NotForResource,
}

impl BearerError {
    /// The `error_description`.
    pub fn description(self) -> &'static str {
        match self {
            Self::Invalid => messages::TOKEN_INVALID,
            Self::Expired => messages::TOKEN_EXPIRED,
            Self::NotForResource => messages::TOKEN_NOT_FOR_RESOURCE,
        }
    }

    /// The attributes after `realm`, as `_dict_to_string` joins them: `k="v"` pairs separated
    /// by `,` with no space, in the order DOT's `OrderedDict` has them.
    pub fn attributes(self) -> &'static str {
        match self {
            Self::Invalid => {
                r#"error="invalid_token",error_description="The access token is invalid.""#
            }
            Self::Expired => {
                r#"error="invalid_token",error_description="The access token has expired.""#
            }
            Self::NotForResource => {
                r#"error="invalid_token",error_description="The access token is not valid for this resource.""#
            }
        }
    }
}

/// `OAuth2Authentication.authenticate_header`: `Bearer realm="api"`, then the request's error
/// attributes ([`BearerError::attributes`]) when it presented a token that was refused.
pub fn challenge(attributes: Option<&str>) -> String {
    match attributes {
        None => format!("Bearer realm=\"{}\"", messages::REALM),
        Some(attributes) => format!("Bearer realm=\"{}\",{attributes}", messages::REALM),
    }
}

/// DOT's `build_bearer_challenge` with a `resource_metadata` URL, as
/// `OAuth2ProtectedResourceAuthentication.authenticate_header` calls it (RFC 9728 §5.1): the
/// same attributes, then `resource_metadata`, each value a quoted-string with `\\` and `"`
/// escaped and CR/LF removed (`_quote`; the error attributes need no escaping).
pub fn challenge_with_resource_metadata(attributes: Option<&str>, url: &str) -> String {
    let url = url.replace(['\r', '\n'], "");
    let url = url.replace('\\', "\\\\").replace('"', "\\\"");
    format!("{},resource_metadata=\"{url}\"", challenge(attributes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_spell_the_error_and_its_description() {
        for error in [
            BearerError::Invalid,
            BearerError::Expired,
            BearerError::NotForResource,
        ] {
            assert_eq!(
                error.attributes(),
                format!(
                    "error=\"{}\",error_description=\"{}\"",
                    messages::INVALID_TOKEN,
                    error.description()
                )
            );
        }
    }

    #[test]
    fn the_resource_metadata_is_last_and_quoted() {
        // DOT 3.4.1's test_rest_framework.py, test_protected_resource_authentication_*.
        assert_eq!(
            challenge_with_resource_metadata(
                Some(BearerError::Invalid.attributes()),
                "http://testserver/oauth2/.well-known/oauth-protected-resource"
            ),
            r#"Bearer realm="api",error="invalid_token",error_description="The access token is invalid.",resource_metadata="http://testserver/oauth2/.well-known/oauth-protected-resource""#
        );
        assert_eq!(
            challenge_with_resource_metadata(None, "https://a/\"x\\\r\n"),
            r#"Bearer realm="api",resource_metadata="https://a/\"x\\""#
        );
    }

    #[test]
    fn the_challenge_is_dots_with_no_space_after_commas() {
        assert_eq!(challenge(None), r#"Bearer realm="api""#);
        assert_eq!(
            challenge(Some(BearerError::Expired.attributes())),
            r#"Bearer realm="api",error="invalid_token",error_description="The access token has expired.""#
        );
    }
}
