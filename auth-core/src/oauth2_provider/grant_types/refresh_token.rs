//! oauthlib's `RefreshTokenGrant` with DOT's `validate_refresh_token` and
//! `get_original_scopes`: a refresh token exchanged for a new access token (and, rotating, a
//! new refresh token).
//!
//! A refresh token is accepted when it is live, still holds its access token, and (under
//! `REFRESH_TOKEN_EXPIRE_SECONDS`) that access token expired less than that long ago; or when
//! it was rotated less than `REFRESH_TOKEN_GRACE_PERIOD_SECONDS` ago and the access token its
//! rotation issued still exists. Any other revoked token presented again, under
//! `REFRESH_TOKEN_REUSE_PROTECTION`, revokes its family. It must belong to the authenticating
//! client. The scopes asked must be among the original ones.
//!
//! **Safer than DOT:** a refresh token of an inactive user is refused (`invalid_grant`) unless
//! `authenticate_inactive_users` is set, as `OAuth2Authentication` refuses that user's access
//! tokens; DOT issues new tokens to a deactivated user.

use chrono::{DateTime, TimeDelta, Utc};

use crate::environment::Environment;
use crate::error::ApiError;
use crate::oauth2::OAuth2Error;
use crate::oauth2::OAuth2Settings;
use crate::oauth2_provider::bearer_token::{
    RefreshMode, TokenAnswer, TokenGrant, create_and_save, forget_access_tokens,
};
use crate::oauth2_provider::client_authentication::validate_client_authentication;
use crate::oauth2_provider::token_request::{TokenRequest, scope_to_list};
use crate::store::oauth2_access_token::checksum;
use crate::store::oauth2_application::{Application, grant_type};
use crate::store::oauth2_refresh_token::{self, RefreshToken};

use super::{Validated, validate_grant_type};

/// The application grant types a refresh is allowed for (DOT's `GRANT_TYPE_MAPPING`).
const REFRESHABLE: [&str; 5] = [
    grant_type::AUTHORIZATION_CODE,
    grant_type::DEVICE_CODE,
    grant_type::PASSWORD,
    grant_type::CLIENT_CREDENTIALS,
    grant_type::OPENID_HYBRID,
];

/// `now - age`, or `None` when that is before the calendar (nothing is that old).
fn before(now: DateTime<Utc>, age: std::time::Duration) -> Option<DateTime<Utc>> {
    TimeDelta::from_std(age)
        .ok()
        .and_then(|age| now.checked_sub_signed(age))
}

/// DOT's `validate_refresh_token`: the row when the token may be used by `application`.
async fn validate_refresh_token(
    env: &Environment,
    settings: &OAuth2Settings,
    presented: &str,
    application: &Application,
) -> Result<Option<RefreshToken>, ApiError> {
    let db = env.db();
    let Some(token) = oauth2_refresh_token::by_checksum(db, &checksum(presented))
        .await
        .map_err(ApiError::store_failure)?
    else {
        return Ok(None);
    };
    let now = env.services().clock().now();
    if let Some(revoked) = token.revoked {
        let grace_expired =
            before(now, settings.refresh_token_grace_period).is_none_or(|limit| revoked <= limit);
        let superseded = !grace_expired
            && oauth2_refresh_token::is_superseded(db, token.id)
                .await
                .map_err(ApiError::store_failure)?;
        if grace_expired || !superseded {
            if settings.refresh_token_reuse_protection
                && let Some(family) = token.token_family
            {
                // The family's statements together, as DOT's `revoke_family` runs them.
                use sea_orm::TransactionTrait as _;
                let txn = db.begin().await.map_err(ApiError::store_failure)?;
                let deleted = oauth2_refresh_token::revoke_family(&txn, family, now)
                    .await
                    .map_err(ApiError::store_failure)?;
                txn.commit().await.map_err(ApiError::store_failure)?;
                forget_access_tokens(env, deleted);
            }
            return Ok(None);
        }
    } else {
        let Some((expires, _)) = &token.access_token else {
            return Ok(None);
        };
        // `access_token.expires + REFRESH_TOKEN_EXPIRE_SECONDS <= now`; a deadline past the
        // calendar never comes.
        let deadline = settings.refresh_token_expire.and_then(|lifetime| {
            TimeDelta::from_std(lifetime)
                .ok()
                .and_then(|lifetime| expires.checked_add_signed(lifetime))
        });
        if deadline.is_some_and(|deadline| deadline <= now) {
            return Ok(None);
        }
    }
    if !settings.authenticate_inactive_users {
        let user = env
            .settings()
            .user_model
            .find_by_id(db, token.user_id)
            .await
            .map_err(ApiError::store_failure)?;
        if !user.is_some_and(|user| user.is_active) {
            return Ok(None);
        }
    }
    Ok((token.application_id == application.id).then_some(token))
}

/// `get_original_scopes`: the scopes of the token's access token, or of the access token its
/// rotation issued (inside the grace period), or none.
async fn original_scopes(env: &Environment, token: &RefreshToken) -> Result<Vec<String>, ApiError> {
    if let Some((_, scope)) = &token.access_token {
        return Ok(scope_to_list(scope));
    }
    let issued = crate::store::oauth2_access_token::issued_from(env.db(), token.id)
        .await
        .map_err(ApiError::store_failure)?;
    Ok(issued.map_or_else(Vec::new, |(_, _, scope)| scope_to_list(&scope)))
}

/// `create_token_response` for `grant_type=refresh_token`.
pub async fn create_token_response(
    env: &Environment,
    settings: &OAuth2Settings,
    request: &TokenRequest<'_>,
) -> Result<Validated<TokenAnswer>, ApiError> {
    let state = request.state();
    let Some(presented) = request.param("refresh_token") else {
        return Ok(Err(OAuth2Error::invalid_request(
            "Missing refresh token parameter.",
        )
        .with_state(state)));
    };
    let application =
        match validate_client_authentication(env, request.client_credentials()).await? {
            Ok(application) => application,
            Err(error) => return Ok(Err(error.with_state(state))),
        };
    if let Err(error) = validate_grant_type(&application, &REFRESHABLE, request) {
        return Ok(Err(error));
    }
    let Some(token) = validate_refresh_token(env, settings, presented, &application).await? else {
        return Ok(Err(OAuth2Error::invalid_grant("").with_state(state)));
    };
    let original = original_scopes(env, &token).await?;
    let scopes = match request.non_empty("scope") {
        Some(scope) => {
            let asked = scope_to_list(scope);
            // `is_within_original_scope` is oauthlib's default (false) in DOT.
            if !asked.iter().all(|scope| original.contains(scope)) {
                return Ok(Err(OAuth2Error::invalid_scope().with_state(state)));
            }
            asked
        }
        None => original,
    };
    let grant = TokenGrant {
        application: &application,
        user_id: Some(token.user_id),
        scopes,
        requested_resources: request.resources(),
        grant_resources: None,
        refresh: RefreshMode::Refresh {
            token: &token,
            presented,
        },
        consumes: None,
        state,
        allow_origin: request.allowed_origin(&application),
    };
    create_and_save(env, settings, &grant).await
}
