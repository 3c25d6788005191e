//! oauthlib's `BearerToken.create_token` and DOT's `save_bearer_token`: the token response a
//! successful grant answers, and the rows behind it.
//!
//! The response is oauthlib's dictionary in its order, `access_token`, `expires_in`,
//! `token_type` (`Bearer`), `scope`, then `refresh_token` for the grants that issue one. Tokens
//! are oauthlib's `generate_token()`: 30 characters drawn uniformly from `[a-zA-Z0-9]` by the
//! operating system's generator.
//!
//! **Rotation is one statement.** DOT locks the refresh token (`select_for_update`, which
//! SQLite ignores) and then revokes it, so two requests refreshing the same token at once can
//! both pass validation, and its issue tracker has a long line of `IntegrityError`,
//! `DoesNotExist` and double-issuance reports about this path. Here the old refresh token is
//! revoked by `UPDATE … WHERE id = ? AND revoked IS NULL` as the transaction's first statement:
//! exactly one request wins it and issues the new pair. A loser (it validated the token while it
//! was live) is answered the pair the winner issued, as DOT answers the requests that validated
//! before its rotation committed; `invalid_grant` when that pair is gone or cannot be read again
//! (hashed storage).
//!
//! **Divergences from DOT**, each safer:
//! * Outside the refresh grant a `refresh_token` field of the request is ignored. DOT, with
//!   `ROTATE_REFRESH_TOKEN` off, stores and returns that client-chosen value as the new refresh
//!   token of a password or authorization-code grant.
//! * An authorization code is deleted before its tokens are written, in their transaction: two
//!   requests redeeming it at once get one pair between them. DOT deletes it after issuing,
//!   so both can be issued tokens (one of them then answered `invalid_grant`).
//! * Under `COMPLIANT_BCP_RFC9700_TOKEN_STORAGE` a reuse inside the grace period cannot answer
//!   the pair already issued (only its checksum is stored; DOT answers empty strings): it is
//!   `invalid_grant`.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{ConnectionTrait, DbErr, TransactionTrait};
use serde_json::{Map, Value};

use crate::compat::python::json::dumps::dumps;
use crate::compat::python::uuid::uuid4;
use crate::django::signing::get_random_string;
use crate::environment::Environment;
use crate::error::ApiError;
use crate::store::oauth2_access_token::{self, NewAccessToken, Resource};
use crate::store::oauth2_application::Application;
use crate::store::oauth2_refresh_token::{self, NewRefreshToken, RefreshToken};
use crate::store::user_id::UserId;

use crate::oauth2::OAuth2Error;
use crate::oauth2::OAuth2Settings;
use crate::oauth2::resource_validator::is_valid_resource_uri;

/// oauthlib's `UNICODE_ASCII_CHARACTER_SET`.
const TOKEN_CHARACTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// oauthlib's `generate_token()`: 30 characters of [`TOKEN_CHARACTERS`], uniformly (Django's
/// `get_random_string`, the operating system's generator, as Python's `SystemRandom`).
pub fn generate_token() -> String {
    get_random_string(30, TOKEN_CHARACTERS)
}

/// How the grant's request relates to refresh tokens. `Debug` never shows the presented token.
pub enum RefreshMode<'a> {
    /// The client-credentials grant: an access token only.
    None,
    /// The password and authorization-code grants: a new pair, of a new family.
    NewPair,
    /// The refresh grant: the presented refresh token, found and validated.
    Refresh {
        /// Its row.
        token: &'a RefreshToken,
        /// The string presented (the new refresh token when not rotating).
        presented: &'a str,
    },
}

impl std::fmt::Debug for RefreshMode<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::NewPair => f.write_str("NewPair"),
            Self::Refresh { token, .. } => f
                .debug_struct("Refresh")
                .field("token", token)
                .finish_non_exhaustive(),
        }
    }
}

/// What a grant validated: who gets which token.
#[derive(Debug)]
pub struct TokenGrant<'a> {
    /// The client.
    pub application: &'a Application,
    /// The resource owner (none for the client-credentials grant).
    pub user_id: Option<UserId>,
    /// `request.scopes`.
    pub scopes: Vec<String>,
    /// The request's `resource` values.
    pub requested_resources: Vec<&'a str>,
    /// The resources of the authorization code (the authorization-code grant).
    pub grant_resources: Option<&'a Resource>,
    /// Refresh tokens.
    pub refresh: RefreshMode<'a>,
    /// The authorization code redeemed (the authorization-code grant): deleted in the
    /// transaction that issues the tokens, before anything is written, so that exactly one
    /// request redeems it.
    pub consumes: Option<i64>,
    /// The request's `state` (echoed in errors).
    pub state: Option<&'a str>,
    /// The origin to answer in `Access-Control-Allow-Origin` (the refresh and
    /// authorization-code grants, for an allowed `https` origin).
    pub allow_origin: Option<&'a str>,
}

/// The answer of the token endpoint to a grant that validated. `Debug` never shows the tokens.
#[derive(Clone, PartialEq, Eq)]
pub enum TokenAnswer {
    /// 200 with the token dictionary, and the CORS origin to allow.
    Issued(String, Option<String>),
    /// An error raised while saving (`save_token`), which oauthlib does not turn into a
    /// response with its JSON headers: DOT answers it with only the error's own headers.
    Refused(OAuth2Error),
}

impl std::fmt::Debug for TokenAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Issued(_, origin) => f
                .debug_tuple("Issued")
                .field(origin)
                .finish_non_exhaustive(),
            Self::Refused(error) => f.debug_tuple("Refused").field(error).finish(),
        }
    }
}

/// The token dictionary's JSON.
fn token_json(
    access_token: &str,
    expires_in: i64,
    scope: &str,
    refresh_token: Option<&str>,
) -> String {
    let mut token = Map::new();
    token.insert("access_token".to_owned(), Value::from(access_token));
    token.insert("expires_in".to_owned(), Value::from(expires_in));
    token.insert("token_type".to_owned(), Value::from("Bearer"));
    token.insert("scope".to_owned(), Value::from(scope));
    if let Some(refresh_token) = refresh_token {
        token.insert("refresh_token".to_owned(), Value::from(refresh_token));
    }
    dumps(&Value::Object(token))
}

fn invalid_target(description: String, state: Option<&str>) -> OAuth2Error {
    OAuth2Error::custom("invalid_target", description).with_state(state)
}

fn check_uris(uris: &[String], state: Option<&str>) -> Result<(), OAuth2Error> {
    match uris.iter().find(|uri| !is_valid_resource_uri(uri)) {
        Some(uri) => Err(invalid_target(
            format!(
                "The resource '{uri}' is not a valid resource indicator: it must be an absolute \
                 URI with a scheme and host."
            ),
            state,
        )),
        None => Ok(()),
    }
}

/// DOT's `_check_and_set_request_resource`: the RFC 8707 resources the tokens are restricted
/// to, or `invalid_target`.
fn resources(grant: &TokenGrant<'_>) -> Result<Vec<String>, OAuth2Error> {
    let state = grant.state;
    // One value: kept when it is not blank. Several: all of them, as given.
    let mut resource: Vec<String> = match grant.requested_resources.as_slice() {
        [] => Vec::new(),
        [one] if crate::compat::python::text::python_strip(one).is_empty() => Vec::new(),
        values => values.iter().map(|value| (*value).to_owned()).collect(),
    };
    check_uris(&resource, state)?;
    // A stored restriction that is not a list of strings is never inherited (DOT's validation
    // of inherited values refuses it; reading it as "none" would widen the token).
    let unreadable = grant
        .grant_resources
        .is_some_and(|granted| granted.unreadable)
        || matches!(&grant.refresh, RefreshMode::Refresh { token, .. } if token.resource.unreadable);
    if unreadable {
        return Err(invalid_target(
            "The resource '' is not a valid resource indicator: it must be an absolute URI with a \
             scheme and host."
                .to_owned(),
            state,
        ));
    }
    if let Some(granted) = grant.grant_resources.map(|granted| granted.uris.as_slice()) {
        if !resource.is_empty() && !granted.is_empty() {
            if let Some(uri) = resource.iter().find(|uri| !granted.contains(uri)) {
                return Err(invalid_target(
                    format!(
                        "The requested resource '{uri}' is not allowed. Token request cannot \
                         escalate resource permissions beyond the original authorization grant"
                    ),
                    state,
                ));
            }
        } else if !granted.is_empty() {
            check_uris(granted, state)?;
            resource = granted.to_vec();
        }
    }
    if let RefreshMode::Refresh { token, .. } = &grant.refresh
        && token.resource.restricted
    {
        let inherited = &token.resource.uris;
        if resource.is_empty() {
            check_uris(inherited, state)?;
            resource.clone_from(inherited);
        } else if &resource != inherited
            && let Some(uri) = resource.iter().find(|uri| !inherited.contains(uri))
        {
            return Err(invalid_target(
                format!(
                    "The requested resource '{uri}' is not allowed. Token refresh cannot \
                     request resources beyond the original refresh token scope"
                ),
                state,
            ));
        }
    }
    Ok(resource)
}

/// `create_token` then `save_token`: the tokens generated, the rows written, the answer.
pub async fn create_and_save(
    env: &Environment,
    settings: &OAuth2Settings,
    grant: &TokenGrant<'_>,
) -> Result<Result<TokenAnswer, OAuth2Error>, ApiError> {
    let resource = match resources(grant) {
        Ok(resource) => resource,
        Err(error) => return Ok(Ok(TokenAnswer::Refused(error))),
    };
    let now = crate::store::datetime::truncate(env.services().clock().now());
    // oauthlib's `BearerToken`: `expires_in or 3600`.
    let expires_in = match settings.access_token_expire_seconds {
        0 => 3600,
        seconds => seconds,
    };
    let expires = TimeDelta::try_seconds(expires_in)
        .and_then(|lifetime| now.checked_add_signed(lifetime))
        .ok_or_else(|| {
            ApiError::store_failure(format_args!(
                "ACCESS_TOKEN_EXPIRE_SECONDS out of range: {expires_in}"
            ))
        })?;
    let scope = grant.scopes.join(" ");
    let access_token = generate_token();
    let hashed_only = settings.compliant_bcp_rfc9700_token_storage;
    let new_access = NewAccessToken {
        token: &access_token,
        hashed_only,
        user_id: grant.user_id,
        application_id: Some(grant.application.id),
        expires,
        scope: &scope,
        source_refresh_token_id: None,
        resource: &resource,
    };
    let db = env.db();
    let answer = match &grant.refresh {
        RefreshMode::None => {
            oauth2_access_token::insert(db, &new_access, now)
                .await
                .map_err(ApiError::store_failure)?;
            token_json(&access_token, expires_in, &scope, None)
        }
        RefreshMode::NewPair => {
            let refresh_token = generate_token();
            let Some(user_id) = grant.user_id else {
                return Err(ApiError::store_failure("a refresh token needs a user"));
            };
            let new_refresh = NewRefreshToken {
                token: &refresh_token,
                hashed_only,
                access_token_id: 0,
                application_id: grant.application.id,
                user_id,
                token_family: Some(uuid4()),
                resource: &resource,
            };
            let txn = db.begin().await.map_err(ApiError::store_failure)?;
            if let Some(grant_id) = grant.consumes {
                let consumed = crate::store::oauth2_grant::consume(&txn, grant_id)
                    .await
                    .map_err(ApiError::store_failure)?;
                if !consumed {
                    // Redeemed by a concurrent request: DOT's `invalidate_authorization_code`
                    // error, here before any token exists.
                    return Ok(Ok(TokenAnswer::Refused(
                        OAuth2Error::invalid_grant("").with_state(grant.state),
                    )));
                }
            }
            issue_pair(&txn, &new_access, new_refresh, now)
                .await
                .map_err(ApiError::store_failure)?;
            txn.commit().await.map_err(ApiError::store_failure)?;
            token_json(&access_token, expires_in, &scope, Some(&refresh_token))
        }
        RefreshMode::Refresh { token, presented } => {
            match (settings.rotate_refresh_token, token.access_token_id) {
                // Not rotating: the access token renewed in place, the refresh token kept.
                (false, Some(access_token_id)) => {
                    let renewed = oauth2_access_token::renew(db, access_token_id, &new_access, now)
                        .await
                        .map_err(ApiError::store_failure)?;
                    // Gone meanwhile (revoked): answered as a refresh token that is not valid.
                    let Some(old) = renewed else {
                        return Ok(Err(OAuth2Error::invalid_grant("").with_state(grant.state)));
                    };
                    forget_access_tokens(env, [old]);
                    token_json(&access_token, expires_in, &scope, Some(presented))
                }
                _ => match rotate(env, grant, token, &new_access, &resource, now).await? {
                    Rotation::Issued {
                        refresh_token,
                        deleted,
                    } => {
                        forget_access_tokens(env, deleted);
                        token_json(&access_token, expires_in, &scope, Some(&refresh_token))
                    }
                    Rotation::Reissued {
                        access_token,
                        refresh_token,
                        scope,
                    } => token_json(&access_token, expires_in, &scope, Some(&refresh_token)),
                    Rotation::Lost => {
                        return Ok(Err(OAuth2Error::invalid_grant("").with_state(grant.state)));
                    }
                },
            }
        }
    };
    Ok(Ok(TokenAnswer::Issued(
        answer,
        grant.allow_origin.map(str::to_owned),
    )))
}

/// What rotating a refresh token came to.
enum Rotation {
    /// This request revoked it and issued a new pair.
    Issued {
        /// The new refresh token.
        refresh_token: String,
        /// The checksum of the access token the old one held, now deleted.
        deleted: Option<String>,
    },
    /// It had been rotated already, inside the grace period: the pair that rotation issued.
    Reissued {
        access_token: String,
        refresh_token: String,
        scope: String,
    },
    /// It is revoked and there is nothing to answer again.
    Lost,
}

/// The rotating refresh (see the module docs).
async fn rotate(
    env: &Environment,
    grant: &TokenGrant<'_>,
    token: &RefreshToken,
    new_access: &NewAccessToken<'_>,
    resource: &[String],
    now: DateTime<Utc>,
) -> Result<Rotation, ApiError> {
    let refresh_token = generate_token();
    let txn = env.db().begin().await.map_err(ApiError::store_failure)?;
    let rotation = rotate_in(
        &txn,
        grant,
        token,
        new_access,
        resource,
        &refresh_token,
        now,
    )
    .await
    .map_err(ApiError::store_failure)?;
    txn.commit().await.map_err(ApiError::store_failure)?;
    Ok(rotation)
}

/// Tells the credential cache that these access tokens are gone.
pub(crate) fn forget_access_tokens(env: &Environment, checksums: impl IntoIterator<Item = String>) {
    if let Some(cache) = env.services().credential_cache() {
        for checksum in checksums {
            cache.forget_oauth2_token(&checksum);
        }
    }
}

/// A new access token and the refresh token issued with it.
async fn issue_pair<C: ConnectionTrait>(
    txn: &C,
    new_access: &NewAccessToken<'_>,
    new_refresh: NewRefreshToken<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let access_token_id = oauth2_access_token::insert(txn, new_access, now).await?;
    let new_refresh = NewRefreshToken {
        access_token_id,
        ..new_refresh
    };
    oauth2_refresh_token::insert(txn, &new_refresh, now).await
}

/// The rotation's statements, in its transaction: the claim first (see the module docs).
async fn rotate_in<C: ConnectionTrait>(
    txn: &C,
    grant: &TokenGrant<'_>,
    token: &RefreshToken,
    new_access: &NewAccessToken<'_>,
    resource: &[String],
    refresh_token: &str,
    now: DateTime<Utc>,
) -> Result<Rotation, DbErr> {
    let new_refresh = |access_token_id| NewRefreshToken {
        token: refresh_token,
        hashed_only: new_access.hashed_only,
        access_token_id,
        application_id: grant.application.id,
        user_id: token.user_id,
        token_family: token.token_family,
        resource,
    };
    if oauth2_refresh_token::claim(txn, token.id, now).await? {
        let deleted = match token.access_token_id {
            Some(old) => oauth2_refresh_token::delete_access_token(txn, old).await?,
            None => None,
        };
        let new_access = NewAccessToken {
            source_refresh_token_id: Some(token.id),
            ..*new_access
        };
        issue_pair(txn, &new_access, new_refresh(0), now).await?;
        return Ok(Rotation::Issued {
            refresh_token: refresh_token.to_owned(),
            deleted,
        });
    }
    // Already revoked: by the rotation that validation saw inside the grace period, or by a
    // request that won the race. Answer what that rotation issued.
    let Some((previous_id, previous_token, previous_scope)) =
        oauth2_access_token::issued_from(txn, token.id).await?
    else {
        return Ok(Rotation::Lost);
    };
    // Under hashed storage the pair cannot be answered again (see the module docs).
    if previous_token.is_empty() {
        return Ok(Rotation::Lost);
    }
    let successor = match oauth2_refresh_token::holding(txn, previous_id).await? {
        Some(stored) => stored,
        None => {
            // Its refresh token went (cleared, or revoked) while the access token stayed: a
            // new one for it, as DOT does since its #1687.
            oauth2_refresh_token::insert(txn, &new_refresh(previous_id), now).await?;
            refresh_token.to_owned()
        }
    };
    if successor.is_empty() {
        return Ok(Rotation::Lost);
    }
    Ok(Rotation::Reissued {
        access_token: previous_token,
        refresh_token: successor,
        scope: previous_scope,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_oauthlibs_shape() {
        let token = generate_token();
        assert_eq!(token.len(), 30);
        assert!(token.bytes().all(|byte| byte.is_ascii_alphanumeric()));
        assert_ne!(token, generate_token());
    }

    #[test]
    fn the_dictionary_is_oauthlibs() {
        assert_eq!(
            token_json("a", 36000, "read write", Some("r")),
            r#"{"access_token": "a", "expires_in": 36000, "token_type": "Bearer", "scope": "read write", "refresh_token": "r"}"#
        );
        assert_eq!(
            token_json("a", 5, "", None),
            r#"{"access_token": "a", "expires_in": 5, "token_type": "Bearer", "scope": ""}"#
        );
    }
}
