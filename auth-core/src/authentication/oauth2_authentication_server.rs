//! DOT 3.4.1's remote resource-server mode (`OAuth2Validator._get_token_from_authentication_server`):
//! a token this database does not hold, or holds expired (or, for DOT's protected views,
//! without the scopes asked), is `POST`ed to the authorization server's introspection
//! endpoint; an active answer is written into `oauth2_provider_accesstoken` (its user got or
//! created by username, no application, `expires` = `exp` capped at now +
//! `RESOURCE_SERVER_TOKEN_CACHING_SECONDS`), and the request goes on with that row. Later
//! requests find the row here until it expires, then ask again.
//!
//! A failed exchange (no answer, a status other than 200, a body that is not JSON) makes the
//! token invalid, as in DOT, with a warning in the log (never the token). Unlike DOT, which asks
//! on every request for a token it does not know, a token the authorization server called
//! inactive is remembered as refused by the credential cache when one is configured, so a
//! client repeating a dead token does not reach the authorization server each time.

use std::sync::Arc;

use super::scheme::AuthContext;
use crate::compat::python::parse::urlencode;
use crate::error::ApiError;
use crate::oauth2::introspection_response::{self, NotActive};
use crate::oauth2::resource_server::RemoteIntrospection;
use crate::store::oauth2_access_token::{self, AccessToken, NewAccessToken};
use crate::user::User;

/// The row of an introspected token and its user.
pub(super) type Found = (Arc<AccessToken>, Option<Arc<User>>);

/// Asks `remote` about `token`; the stored row when the answer is active. `remember_refusal`:
/// whether an inactive answer may be remembered as a refused token (false when a live local row
/// was asked about only for scopes it lacks, which ordinary views do not need).
pub(super) async fn introspect(
    cx: &AuthContext<'_>,
    remote: &RemoteIntrospection,
    token: &str,
    remember_refusal: bool,
) -> Result<Option<Found>, ApiError> {
    let Some(transport) = cx.services().introspection_transport() else {
        // `AuthSettings` starts a transport whenever the settings name a URL; services built
        // by hand without one refuse the token rather than skip the check.
        tracing::error!(
            "RESOURCE_SERVER_INTROSPECTION_URL is set but no introspection transport is \
             configured: the token is refused"
        );
        return Ok(None);
    };
    let now = cx.services().clock().now();
    let checksum = oauth2_access_token::checksum(token);
    let reply = match transport
        .post(
            &remote.url,
            &remote.credentials.authorization(),
            urlencode([("token", token)]),
        )
        .await
    {
        Ok(reply) => reply,
        Err(error) => {
            tracing::warn!(url = %remote.url, "{error}");
            return Ok(None);
        }
    };
    let introspected = match introspection_response::read(
        reply.status,
        &reply.body,
        now,
        remote.caching_seconds,
    ) {
        Ok(introspected) => introspected,
        Err(NotActive::Inactive) => {
            // The refusal replaces any remembered (expired) row, which would otherwise be found
            // first and sent back here on every request.
            if let Some(cache) = cx.services().credential_cache()
                && remember_refusal
            {
                cache.forget_oauth2_token(&checksum);
                cache.remember_unknown_oauth2_token(&checksum, now);
            }
            return Ok(None);
        }
        Err(NotActive::NotObject) => {
            tracing::warn!(url = %remote.url, "token introspection: the answer is not a JSON object");
            return Ok(None);
        }
        Err(NotActive::Status(status)) => {
            tracing::warn!(
                url = %remote.url,
                status,
                "token introspection: the authorization server did not answer 200"
            );
            return Ok(None);
        }
        Err(NotActive::NotJson) => {
            tracing::warn!(url = %remote.url, "token introspection: the answer is not JSON");
            return Ok(None);
        }
        Err(NotActive::Unusable(claim)) => {
            tracing::warn!(
                url = %remote.url,
                claim,
                "token introspection: the answer's claim cannot be stored; token refused"
            );
            return Ok(None);
        }
    };
    let settings = cx.settings();
    let users = &settings.user_model;
    let user_id = match &introspected.username {
        None => None,
        Some(username) => match users
            .get_or_create_by_username(cx.db(), username)
            .await
            .map_err(ApiError::store_failure)?
        {
            Some(user) => Some(user.id),
            None => return Ok(None),
        },
    };
    oauth2_access_token::upsert_introspected(
        cx.db(),
        &NewAccessToken {
            token,
            hashed_only: settings.oauth2.compliant_bcp_rfc9700_token_storage,
            user_id,
            application_id: None,
            expires: introspected.expires,
            scope: &introspected.scope,
            source_refresh_token_id: None,
            resource: &introspected.resource,
        },
        now,
    )
    .await
    .map_err(ApiError::store_failure)?;
    let Some((token, user)) = oauth2_access_token::by_checksum(cx.db(), users, &checksum)
        .await
        .map_err(ApiError::store_failure)?
    else {
        return Ok(None);
    };
    let (token, user) = (Arc::new(token), user.map(Arc::new));
    if let Some(cache) = cx.services().credential_cache() {
        cache.remember_oauth2_token(&checksum, Arc::clone(&token), user.clone(), now);
    }
    Ok(Some((token, user)))
}
