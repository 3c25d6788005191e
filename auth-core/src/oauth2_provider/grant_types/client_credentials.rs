//! oauthlib's `ClientCredentialsGrant`: a confidential client obtains an access token for
//! itself (no user, no refresh token).

use crate::environment::Environment;
use crate::error::ApiError;
use crate::oauth2::OAuth2Error;
use crate::oauth2::OAuth2Settings;
use crate::oauth2_provider::bearer_token::{RefreshMode, TokenAnswer, TokenGrant, create_and_save};
use crate::oauth2_provider::client_authentication::validate_client_confidential;
use crate::oauth2_provider::token_request::TokenRequest;
use crate::store::oauth2_application::{ClientType, grant_type};

use super::{Validated, validate_grant_type, validate_scopes};

/// `create_token_response` for `grant_type=client_credentials`.
pub async fn create_token_response(
    env: &Environment,
    settings: &OAuth2Settings,
    request: &TokenRequest<'_>,
) -> Result<Validated<TokenAnswer>, ApiError> {
    let state = request.state();
    // `validate_client_confidential`: this grant always authenticates the client.
    let application = match validate_client_confidential(env, request.client_credentials()).await? {
        Ok(application) => application,
        Err(error) => return Ok(Err(error.with_state(state))),
    };
    if let Err(error) =
        validate_grant_type(&application, &[grant_type::CLIENT_CREDENTIALS], request)
    {
        return Ok(Err(error));
    }
    // RFC 6749 §4.4: confidential clients only (DOT lets a public client whose stored secret
    // is the hash of `""` through; `accept_empty_client_secrets` restores that).
    if application.client_type == ClientType::Public && !settings.accept_empty_client_secrets {
        return Ok(Err(OAuth2Error::unauthorized_client().with_state(state)));
    }
    let scopes = match validate_scopes(settings, request) {
        Ok(scopes) => scopes,
        Err(error) => return Ok(Err(error)),
    };
    let grant = TokenGrant {
        application: &application,
        user_id: None,
        scopes,
        requested_resources: request.resources(),
        grant_resources: None,
        refresh: RefreshMode::None,
        consumes: None,
        state,
        allow_origin: None,
    };
    create_and_save(env, settings, &grant).await
}
