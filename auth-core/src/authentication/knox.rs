//! django-rest-knox's `TokenAuthentication`: tokens shown once, stored as SHA-512 digests,
//! many per user, with expiry and optional auto-refresh (its formats are in [`crate::knox`]).

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::authorization_header::Fields;
use super::scheme::{AuthContext, Authenticated, Authentication, Outcome};
use super::security_scheme::{SecurityRequirement, SecurityScheme};
use crate::django::crypto::constant_time_compare;
use crate::error::ApiError;
use crate::knox::{digest, token_key};
use crate::messages;
use crate::settings::Settings;
use crate::store::knox_token::{self, Model as KnoxToken};
use crate::user::{AuthInfo, KnoxAuth};

/// knox token authentication: `Authorization: Token <token>` (the header prefix is a setting),
/// challenge = the prefix. `request.auth` is the token row.
#[derive(Debug, Default, Clone, Copy)]
pub struct KnoxTokenAuthentication;

fn failed(message: &'static str) -> Outcome {
    Outcome::Failed(ApiError::authentication_failed(message))
}

/// knox's `renew_token`: now + TTL, capped at created + `AUTO_REFRESH_MAX_TTL`, written only
/// when it moves the expiry by more than `MIN_REFRESH_INTERVAL`.
async fn renew(
    cx: &AuthContext<'_>,
    token: &mut KnoxToken,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let knox = &cx.settings().knox;
    let (Some(current), Some(ttl)) = (token.expiry, knox.token_ttl) else {
        return Ok(());
    };
    let mut new_expiry = now + ttl;
    if let Some(max_ttl) = knox.auto_refresh_max_ttl {
        let max_expiry = token.created + max_ttl;
        if new_expiry > max_expiry {
            new_expiry = max_expiry;
            tracing::info!("Token renewal truncated due to AUTO_REFRESH_MAX_TTL.");
        }
    }
    token.expiry = Some(new_expiry);
    if (new_expiry - current).num_milliseconds() > knox.min_refresh_interval * 1000 {
        knox_token::set_expiry(cx.db(), &token.digest, new_expiry)
            .await
            .map_err(ApiError::store_failure)?;
    }
    Ok(())
}

impl Authentication for KnoxTokenAuthentication {
    const NAME: &'static str = "KnoxTokenAuthentication";

    async fn authenticate(cx: &AuthContext<'_>) -> Outcome {
        let header = cx.request.header("authorization").unwrap_or_default();
        let Some(fields) = Fields::parse(&header) else {
            return Outcome::NotAttempted;
        };
        if !fields.scheme_is(&cx.settings().knox.auth_header_prefix) {
            return Outcome::NotAttempted;
        }
        let Some(token) = fields.credentials else {
            return failed(messages::TOKEN_NO_CREDENTIALS);
        };
        if fields.has_extra {
            return failed(messages::TOKEN_CONTAINS_SPACES);
        }
        // knox crashes (500) on invalid UTF-8; such a token can match no digest, so it is
        // simply invalid here.
        let Ok(token) = std::str::from_utf8(token) else {
            return failed(messages::INVALID_TOKEN);
        };
        if token.contains('\0') {
            return failed(messages::INVALID_TOKEN);
        }
        let users = &cx.settings().user_model;
        let candidates = match knox_token::candidates(cx.db(), users, token_key(token)).await {
            Ok(candidates) => candidates,
            Err(error) => return Outcome::Failed(ApiError::store_failure(error)),
        };
        let presented = digest(token);
        let now = cx.services().clock().now();
        for (mut row, user) in candidates {
            // knox's `_cleanup_token`: the user's other expired tokens go, then this one if
            // expired.
            match knox_token::delete_expired_siblings(cx.db(), user.id, &row.digest, now).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(
                    user_id = %user.id,
                    count,
                    source = "other_token",
                    "token_expired"
                ),
                Err(error) => return Outcome::Failed(ApiError::store_failure(error)),
            }
            if row.expiry.is_some_and(|expiry| expiry < now) {
                if let Err(error) = knox_token::delete(cx.db(), &row.digest).await {
                    return Outcome::Failed(ApiError::store_failure(error));
                }
                tracing::info!(user_id = %user.id, source = "auth_token", "token_expired");
                continue;
            }
            if !constant_time_compare(&presented, &row.digest) {
                continue;
            }
            if cx.settings().knox.auto_refresh
                && let Err(error) = renew(cx, &mut row, now).await
            {
                return Outcome::Failed(error);
            }
            if !user.is_active {
                return failed(messages::USER_INACTIVE);
            }
            let username = user.username.clone();
            return Outcome::Authenticated(Authenticated {
                user: user.into(),
                auth: AuthInfo::Knox(Arc::new(KnoxAuth { row, username })),
            });
        }
        failed(messages::INVALID_TOKEN)
    }

    fn challenge(cx: &AuthContext<'_>) -> Option<String> {
        Some(cx.settings().knox.auth_header_prefix.clone())
    }

    fn security_requirement(settings: &Settings, _method: &str) -> SecurityRequirement {
        vec![SecurityScheme::authorization_keyword(
            Self::NAME,
            &settings.knox.auth_header_prefix,
            "a knox token",
        )]
    }
}
