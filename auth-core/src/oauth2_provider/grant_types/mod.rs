//! oauthlib's grant types as DOT configures them (`oauthlib.oauth2.Server`): each validates
//! its token request in oauthlib's order and hands what it validated to
//! [`bearer_token::create_and_save`](super::bearer_token::create_and_save).

pub mod authorization_code;
pub mod client_credentials;
pub mod refresh_token;
pub mod resource_owner_password_credentials;

use crate::store::oauth2_application::Application;

use super::token_request::{TokenRequest, scope_to_list};
use crate::oauth2::OAuth2Error;
use crate::oauth2::OAuth2Settings;

/// A grant's validation: `Err` is the error to answer, with oauthlib's JSON headers.
pub type Validated<T> = Result<T, OAuth2Error>;

/// `validate_scopes`: the scopes asked (`scope`), else the default scopes; each must be one of
/// `SCOPES` (DOT's `SettingsScopes.get_available_scopes`), or `invalid_scope`.
pub(crate) fn validate_scopes(
    settings: &OAuth2Settings,
    request: &TokenRequest<'_>,
) -> Validated<Vec<String>> {
    let scopes = match request.param("scope") {
        Some(scope) => scope_to_list(scope),
        None => settings.default_scope_names(),
    };
    let available = settings.scope_names();
    if scopes.iter().all(|scope| available.contains(scope)) {
        Ok(scopes)
    } else {
        Err(OAuth2Error::invalid_scope().with_state(request.state()))
    }
}

/// DOT's `validate_grant_type`: the application's one grant type is among those the request's
/// grant needs, or `unauthorized_client`.
pub(crate) fn validate_grant_type(
    application: &Application,
    allowed: &[&str],
    request: &TokenRequest<'_>,
) -> Validated<()> {
    if application.allows_grant_type(allowed) {
        Ok(())
    } else {
        Err(OAuth2Error::unauthorized_client().with_state(request.state()))
    }
}
