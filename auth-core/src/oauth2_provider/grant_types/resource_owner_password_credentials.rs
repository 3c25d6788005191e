//! oauthlib's `ResourceOwnerPasswordCredentialsGrant`: the user's username and password
//! exchanged for an access and a refresh token.
//!
//! oauthlib's order: the three parameters present (`Request is missing username parameter.`),
//! the client, the user's credentials (`invalid_grant`, `Invalid credentials given.`), then
//! only whether the client may use this grant, then the scopes. **Here** whether the client may
//! use the grant comes before the credentials (see
//! [`OAuth2Settings::check_user_before_grant_type`], which restores DOT's order). Users are checked as Django's
//! `authenticate()` checks them ([`accounts::authenticate`](crate::accounts::authenticate):
//! one password hash whether or not the user exists, inactive users refused).

use crate::environment::Environment;
use crate::error::ApiError;
use crate::oauth2::OAuth2Error;
use crate::oauth2::OAuth2Settings;
use crate::oauth2_provider::bearer_token::{RefreshMode, TokenAnswer, TokenGrant, create_and_save};
use crate::oauth2_provider::client_authentication::validate_client_authentication;
use crate::oauth2_provider::token_request::TokenRequest;
use crate::store::oauth2_application::grant_type;

use super::{Validated, validate_grant_type, validate_scopes};

/// `create_token_response` for `grant_type=password`.
pub async fn create_token_response(
    env: &Environment,
    settings: &OAuth2Settings,
    request: &TokenRequest<'_>,
) -> Result<Validated<TokenAnswer>, ApiError> {
    let state = request.state();
    let mut present = Vec::with_capacity(3);
    for name in ["grant_type", "username", "password"] {
        match request.non_empty(name) {
            Some(value) => present.push(value),
            None => {
                return Ok(Err(OAuth2Error::invalid_request(format!(
                    "Request is missing {name} parameter."
                ))
                .with_state(state)));
            }
        }
    }
    let (username, password) = (present[1], present[2]);
    let application =
        match validate_client_authentication(env, request.client_credentials()).await? {
            Ok(application) => application,
            Err(error) => return Ok(Err(error.with_state(state))),
        };
    // DOT's `validate_grant_type`, with the RFC 9700 gate consulted only for a client that may
    // otherwise use the grant.
    let grant_type_allowed = validate_grant_type(&application, &[grant_type::PASSWORD], request)
        .and_then(|()| {
            if settings.compliant_bcp_rfc9700_password_grant {
                Err(OAuth2Error::unauthorized_client().with_state(state))
            } else {
                Ok(())
            }
        });
    if !settings.check_user_before_grant_type
        && let Err(error) = grant_type_allowed.clone()
    {
        return Ok(Err(error));
    }
    let Some(user) = crate::accounts::authenticate(env, username, password).await? else {
        return Ok(Err(OAuth2Error::invalid_grant(
            "Invalid credentials given.",
        )
        .with_state(state)));
    };
    if let Err(error) = grant_type_allowed {
        return Ok(Err(error));
    }
    let scopes = match validate_scopes(settings, request) {
        Ok(scopes) => scopes,
        Err(error) => return Ok(Err(error)),
    };
    let grant = TokenGrant {
        application: &application,
        user_id: Some(user.id),
        scopes,
        requested_resources: request.resources(),
        grant_resources: None,
        refresh: RefreshMode::NewPair,
        consumes: None,
        state,
        allow_origin: None,
    };
    create_and_save(env, settings, &grant).await
}
