//! oauthlib's `AuthorizationCodeGrant.create_token_response` with DOT's validator: an
//! authorization code redeemed once for an access and a refresh token, with PKCE (RFC 7636).
//!
//! oauthlib's order: `code` present, the client, whether it may use the grant, the code (of
//! this client, not expired), PKCE (`plain` or `S256`; a code without a challenge refused while
//! `PKCE_REQUIRED`), the redirect URI (the one the authorization used; when absent, the
//! application's only one).
//!
//! **Safer than DOT:** the code is deleted in the transaction that issues the tokens, before
//! they are written (see [`bearer_token`](crate::oauth2_provider::bearer_token)); a verifier or challenge
//! outside ASCII is compared as bytes, where Python's `hmac.compare_digest` raises (a 500).

use base64::Engine as _;
use sha2::{Digest as _, Sha256};

use crate::environment::Environment;
use crate::error::ApiError;
use crate::oauth2::OAuth2Error;
use crate::oauth2::OAuth2Settings;
use crate::oauth2_provider::bearer_token::{RefreshMode, TokenAnswer, TokenGrant, create_and_save};
use crate::oauth2_provider::client_authentication::validate_client_authentication;
use crate::oauth2_provider::redirect_uri::default_redirect_uri;
use crate::oauth2_provider::token_request::TokenRequest;
use crate::store::oauth2_application::grant_type;
use crate::store::oauth2_grant;

use super::{Validated, validate_grant_type};

/// `validate_code_challenge(challenge, method, verifier)`; `None` for a method oauthlib does
/// not know.
fn verify_challenge(challenge: &str, method: &str, verifier: &str) -> Option<bool> {
    let expected = match method {
        "plain" => verifier.to_owned(),
        "S256" => base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(Sha256::digest(verifier.as_bytes())),
        _ => return None,
    };
    Some(crate::django::crypto::constant_time_compare(
        &expected, challenge,
    ))
}

/// `create_token_response` for `grant_type=authorization_code`.
pub async fn create_token_response(
    env: &Environment,
    settings: &OAuth2Settings,
    request: &TokenRequest<'_>,
) -> Result<Validated<TokenAnswer>, ApiError> {
    let state = request.state();
    let fail = |error: OAuth2Error| Ok(Err(error.with_state(state)));
    let Some(code) = request.param("code") else {
        return fail(OAuth2Error::invalid_request("Missing code parameter."));
    };
    let application =
        match validate_client_authentication(env, request.client_credentials()).await? {
            Ok(application) => application,
            Err(error) => return fail(error),
        };
    // DOT's `validate_grant_type` asserts the grant type is one it maps, which `openid` is not.
    if request.param("grant_type") == Some("openid") {
        return fail(OAuth2Error::unsupported_grant_type());
    }
    if let Err(error) = validate_grant_type(
        &application,
        &[grant_type::AUTHORIZATION_CODE, grant_type::OPENID_HYBRID],
        request,
    ) {
        return Ok(Err(error));
    }
    let grant = oauth2_grant::by_code(env.db(), code, application.id)
        .await
        .map_err(ApiError::store_failure)?;
    let now = env.services().clock().now();
    let Some(grant) = grant.filter(|grant| !grant.is_expired(now)) else {
        return fail(OAuth2Error::invalid_grant(""));
    };
    let verifier = request.param("code_verifier");
    if !grant.code_challenge.is_empty() {
        let Some(verifier) = verifier else {
            return fail(OAuth2Error::invalid_request("Code verifier required."));
        };
        if grant.code_challenge_method.is_empty() {
            return fail(OAuth2Error::invalid_grant("Challenge method not found"));
        }
        match verify_challenge(
            &grant.code_challenge,
            &grant.code_challenge_method,
            verifier,
        ) {
            None => {
                return fail(OAuth2Error::server_error(format!(
                    "code_challenge_method {} is not supported.",
                    grant.code_challenge_method
                )));
            }
            Some(false) => return fail(OAuth2Error::invalid_grant("")),
            Some(true) => {}
        }
    } else if settings.pkce_required {
        if verifier.is_none() {
            return fail(OAuth2Error::invalid_request("Code verifier required."));
        }
        return fail(OAuth2Error::invalid_grant("Challenge not found"));
    }
    let redirect_uri = match request.param("redirect_uri") {
        Some(uri) => uri,
        None => match default_redirect_uri(&application) {
            Some(uri) => uri,
            None => {
                return Ok(Err(
                    OAuth2Error::invalid_request("Missing redirect URI.").without_request()
                ));
            }
        },
    };
    // `confirm_redirect_uri`: exactly the URI the authorization request used.
    if redirect_uri != grant.redirect_uri {
        return fail(OAuth2Error::invalid_request("Mismatching redirect URI."));
    }
    let token_grant = TokenGrant {
        application: &application,
        user_id: Some(grant.user_id),
        // `grant.scope.split(" ")`.
        scopes: grant.scope.split(' ').map(str::to_owned).collect(),
        requested_resources: request.resources(),
        grant_resources: Some(&grant.resource),
        refresh: RefreshMode::NewPair,
        consumes: Some(grant.id),
        state,
        allow_origin: request.allowed_origin(&application),
    };
    create_and_save(env, settings, &token_grant).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges_are_rfc_7636s() {
        // base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip("=")
        let verifier = "dBjftJeZ4CVP-mJ92K9qECoaQPl4GxzM3dzixZ1lNIU";
        let challenge = "Azzq9bWk162vRXe0L_ivrKf0LBz7qQLk1Rmbx91ZvtA";
        assert_eq!(verify_challenge(challenge, "S256", verifier), Some(true));
        assert_eq!(verify_challenge(challenge, "S256", "other"), Some(false));
        assert_eq!(verify_challenge("abc", "plain", "abc"), Some(true));
        assert_eq!(verify_challenge("abc", "plain", "é"), Some(false));
        assert_eq!(verify_challenge("abc", "S512", "abc"), None);
    }
}
