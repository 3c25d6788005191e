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
    fn the_challenge_is_dots_with_no_space_after_commas() {
        assert_eq!(challenge(None), r#"Bearer realm="api""#);
        assert_eq!(
            challenge(Some(BearerError::Expired.attributes())),
            r#"Bearer realm="api",error="invalid_token",error_description="The access token has expired.""#
        );
    }
}
