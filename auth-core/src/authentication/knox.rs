//! django-rest-knox's `TokenAuthentication` (spec §6): tokens shown once, stored as SHA-512
//! digests, many per user, with expiry and optional auto-refresh.

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha512};

use super::authorization_header::Fields;
use super::{AuthContext, AuthInfo, Authenticated, Authentication, Outcome};
use crate::backends::store_failure;
use crate::error::ApiError;
use crate::messages;
use crate::settings::AuthSettings;
use crate::store::knox_token::{self, Model as KnoxToken};

/// knox's `TOKEN_KEY_LENGTH`: the lookup key is the token's first 15 characters.
pub const TOKEN_KEY_LENGTH: usize = 15;

/// knox token authentication: `Authorization: Token <token>` (the header prefix is a setting),
/// challenge = the prefix. `request.auth` is the token row.
#[derive(Debug, Default, Clone, Copy)]
pub struct KnoxTokenAuthentication;

/// knox's `hash_token`: lowercase hex SHA-512 of the whole token (prefix included).
pub fn digest(token: &str) -> String {
    hex::encode(Sha512::digest(token.as_bytes()))
}

/// The first [`TOKEN_KEY_LENGTH`] characters of a token.
pub fn token_key(token: &str) -> &str {
    match token.char_indices().nth(TOKEN_KEY_LENGTH) {
        Some((end, _)) => &token[..end],
        None => token,
    }
}

/// `request.auth` of a knox-authenticated request: the row and its user's name (knox's
/// `str(token)` is `"<digest> : <username>"`).
#[derive(Clone)]
pub struct KnoxAuth {
    /// The token row.
    pub row: KnoxToken,
    /// The owner's username.
    pub username: String,
}

impl fmt::Debug for KnoxAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KnoxAuth")
            .field("row", &self.row)
            .finish_non_exhaustive()
    }
}

/// A token as created: the row and the plaintext, which is shown once and never stored.
#[derive(Clone)]
pub struct CreatedToken {
    /// The stored row.
    pub row: KnoxToken,
    /// The token string for the client.
    pub token: String,
}

impl fmt::Debug for CreatedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedToken")
            .field("row", &self.row)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// knox's `AuthToken.objects.create(user, expiry, prefix)`: `prefix` + hex of random bytes,
/// its digest and lookup key stored, expiry = now + TTL (or none).
pub async fn create_token(
    db: &sea_orm::DatabaseConnection,
    settings: &AuthSettings,
    user_id: i32,
) -> Result<CreatedToken, sea_orm::DbErr> {
    let knox = settings.knox();
    let mut bytes = vec![0u8; knox.token_character_length / 2];
    rand::fill(bytes.as_mut_slice());
    let token = format!("{}{}", knox.token_prefix, hex::encode(&bytes));
    let now = crate::store::datetime::truncate(settings.clock().now());
    let row = knox_token::insert(
        db,
        KnoxToken {
            digest: digest(&token),
            created: now,
            user_id,
            expiry: knox.token_ttl.map(|ttl| now + ttl),
            token_key: token_key(&token).to_owned(),
        },
    )
    .await?;
    Ok(CreatedToken { row, token })
}

/// DRF's `DATETIME_FORMAT` (ISO 8601) as knox renders `expiry`: `+00:00` written as `Z`,
/// microseconds only when non-zero (Python's `isoformat`).
pub fn format_expiry(instant: DateTime<Utc>) -> String {
    if instant.timestamp_subsec_micros() == 0 {
        instant.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        instant.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
    }
}

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
    let knox = cx.settings.knox();
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
        knox_token::set_expiry(cx.db, &token.digest, new_expiry)
            .await
            .map_err(store_failure)?;
    }
    Ok(())
}

impl Authentication for KnoxTokenAuthentication {
    const NAME: &'static str = "KnoxTokenAuthentication";

    async fn authenticate(cx: &AuthContext<'_>) -> Outcome {
        let header = cx.request.header("authorization").unwrap_or_default();
        let Some(fields) = Fields::parse(header) else {
            return Outcome::NotAttempted;
        };
        if !fields.scheme_is(&cx.settings.knox().auth_header_prefix) {
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
        let candidates =
            match knox_token::candidates(cx.db, cx.settings.user_model(), token_key(token)).await {
                Ok(candidates) => candidates,
                Err(error) => return Outcome::Failed(store_failure(error)),
            };
        let presented = digest(token);
        let now = cx.settings.clock().now();
        for (mut row, user) in candidates {
            // knox's `_cleanup_token`: the user's other expired tokens go, then this one if
            // expired.
            match knox_token::delete_expired_siblings(cx.db, user.id, &row.digest, now).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(
                    user_id = user.id,
                    count,
                    source = "other_token",
                    "token_expired"
                ),
                Err(error) => return Outcome::Failed(store_failure(error)),
            }
            if row.expiry.is_some_and(|expiry| expiry < now) {
                if let Err(error) = knox_token::delete(cx.db, &row.digest).await {
                    return Outcome::Failed(store_failure(error));
                }
                tracing::info!(user_id = user.id, source = "auth_token", "token_expired");
                continue;
            }
            if !crate::django::crypto::constant_time_compare(&presented, &row.digest) {
                continue;
            }
            if cx.settings.knox().auto_refresh
                && let Err(error) = renew(cx, &mut row, now).await
            {
                return Outcome::Failed(error);
            }
            if !user.is_active {
                return failed(messages::USER_INACTIVE);
            }
            let username = user.username.clone();
            return Outcome::Authenticated(Authenticated {
                user,
                auth: AuthInfo::Knox(Arc::new(KnoxAuth { row, username })),
            });
        }
        failed(messages::INVALID_TOKEN)
    }

    fn challenge(cx: &AuthContext<'_>) -> Option<String> {
        Some(cx.settings.knox().auth_header_prefix.clone())
    }

    fn security_requirement(settings: &AuthSettings, _method: &str) -> super::SecurityRequirement {
        vec![super::SecurityScheme::authorization_keyword(
            Self::NAME,
            &settings.knox().auth_header_prefix,
            "a knox token",
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn digest_vector() {
        assert_eq!(
            digest("abc123"),
            "c70b5dd9ebfb6f51d09d4132b7170c9d20750a7852f00680f65658f0310e810056e6763c34c9a00b0e940076f54495c169fc2302cceb312039271c43469507dc"
        );
    }

    #[test]
    fn token_key_is_the_first_fifteen_characters_prefix_included() {
        let token = format!("pfx_{}", "79958bf7280".to_owned() + &"a".repeat(53));
        assert_eq!(token.len(), 68);
        assert_eq!(token_key(&token), "pfx_79958bf7280");
        assert_eq!(token_key("short"), "short");
    }

    #[test]
    fn expiry_renders_like_drf() {
        let whole = Utc
            .with_ymd_and_hms(2026, 1, 2, 3, 4, 5)
            .single()
            .unwrap_or_default();
        assert_eq!(format_expiry(whole), "2026-01-02T03:04:05Z");
        let fractional = whole + chrono::TimeDelta::microseconds(120);
        assert_eq!(format_expiry(fractional), "2026-01-02T03:04:05.000120Z");
    }
}
