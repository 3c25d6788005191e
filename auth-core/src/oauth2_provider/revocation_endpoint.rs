//! DOT's `RevokeTokenView` over oauthlib's `RevocationEndpoint` (RFC 7009) and DOT's
//! `revoke_token`.
//!
//! The request must have no query string, a `token`, and a client (authenticated, or a public
//! client naming itself); its errors carry oauthlib's JSON headers. Then the token is looked
//! up **among the client's own tokens**, first as the type `token_type_hint` names
//! (`access_token` by default), then as the other: an access token is revoked with the
//! refresh token holding it (both go: RFC 7009 §2.1 allows it, and a refresh token left behind
//! could mint a new access token), a refresh token is revoked with its access token. Known
//! token or not, the answer is an empty 200 (`text/html`, as DOT's `HttpResponse`).

use sea_orm::TransactionTrait as _;

use crate::environment::Environment;
use crate::error::ApiError;
use crate::store::oauth2_access_token::{self, checksum};
use crate::store::oauth2_refresh_token;

use super::bearer_token::forget_access_tokens;
use super::client_authentication::raise_on_invalid_client;
use super::token_endpoint::EndpointResponse;
use super::token_request::TokenRequest;
use crate::oauth2::OAuth2Error;

/// `POST` to the revocation endpoint.
pub async fn create_revocation_response(
    env: &Environment,
    request: &TokenRequest<'_>,
) -> Result<EndpointResponse, ApiError> {
    let state = request.state();
    let refuse =
        |error: OAuth2Error| Ok(EndpointResponse::from_grant(Err(error.with_state(state))));
    if !request.query.is_empty() {
        return refuse(OAuth2Error::invalid_request(
            "URL query parameters are not allowed",
        ));
    }
    let Some(token) = request.non_empty("token") else {
        return refuse(OAuth2Error::invalid_request("Missing token parameter."));
    };
    let application = match raise_on_invalid_client(env, request.client_credentials()).await? {
        Ok(application) => application,
        Err(error) => return refuse(error),
    };
    let refresh_first = request.param("token_type_hint") == Some("refresh_token");
    let deleted = revoke_token(env, &checksum(token), application.id, refresh_first)
        .await
        .map_err(ApiError::store_failure)?;
    forget_access_tokens(env, deleted);
    Ok(EndpointResponse {
        status: 200,
        body: String::new(),
        json_headers: false,
        www_authenticate: None,
        allow_origin: None,
    })
}

/// DOT's `revoke_token` for the client `application_id`: the checksums of the access tokens
/// deleted. The lookups run outside any transaction; each revocation is a transaction whose
/// first statement writes (`claim`, or the `SET_NULL` of a lone access token), so that SQLite
/// takes its write lock at once, and that a concurrent revocation or rotation of the same token
/// makes this one do nothing.
async fn revoke_token(
    env: &Environment,
    checksum: &str,
    application_id: i64,
    refresh_first: bool,
) -> Result<Vec<String>, sea_orm::DbErr> {
    let now = crate::store::datetime::truncate(env.services().clock().now());
    let db = env.db();
    // The hinted type first; the other only when the first finds nothing.
    let (access_id, refresh_rows) = if refresh_first {
        let rows = oauth2_refresh_token::for_client(db, checksum, application_id).await?;
        let access_id = if rows.is_empty() {
            oauth2_access_token::id_for_client(db, checksum, application_id).await?
        } else {
            None
        };
        (access_id, rows)
    } else {
        match oauth2_access_token::id_for_client(db, checksum, application_id).await? {
            Some(id) => (Some(id), Vec::new()),
            None => (
                None,
                oauth2_refresh_token::for_client(db, checksum, application_id).await?,
            ),
        }
    };
    let mut deleted = Vec::new();
    if let Some(access_id) = access_id {
        // `revoke_access_token`: through the refresh token holding it, else alone.
        let holder = oauth2_refresh_token::holder(db, access_id).await?;
        let txn = db.begin().await?;
        match holder {
            Some(held) => deleted.extend(oauth2_refresh_token::revoke_held(&txn, held, now).await?),
            None => {
                deleted.extend(oauth2_refresh_token::delete_access_token(&txn, access_id).await?)
            }
        }
        txn.commit().await?;
    }
    for held in refresh_rows {
        let txn = db.begin().await?;
        deleted.extend(oauth2_refresh_token::revoke_held(&txn, held, now).await?);
        txn.commit().await?;
    }
    Ok(deleted)
}
