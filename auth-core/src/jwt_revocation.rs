//! How simplejwt's tokens stop working before they expire: simplejwt's **blacklist** (refresh
//! and sliding tokens, by `jti`, in its `token_blacklist` tables; answered by the credential
//! cache when it is on), and this library's per-user **revocation floors**.
//!
//! Revoking a user's JWTs at once — "log out everywhere", a password change — without a
//! database read per request: a per-user revocation floor kept by the credential cache (and,
//! with Redis, by every instance that hears it). A token of the user whose `iat` is at or before
//! the floor is refused by the three JWT schemes and by the refresh, verify and blacklist views.
//!
//! simplejwt has nothing like it: an access token stays valid until it expires whatever happens
//! to its user (its issues #59, #141, #744). The floors live in memory: they need the credential
//! cache (`AuthSettingsBuilder::auth_cache_ttl`), and an instance that starts after a
//! revocation, or missed its announcement while Redis was unreachable, does not know it — the
//! floor only has to outlive the tokens it refuses, so the window is at most
//! `ACCESS_TOKEN_LIFETIME` (`REFRESH_TOKEN_LIFETIME` for refresh tokens) on that instance.
//! Tokens issued in the same second as the revocation are refused too (`iat` is whole seconds).

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::environment::{Environment, Services};
use crate::error::ApiError;
use crate::jwt::claims::{python_int, python_str};
use crate::simplejwt::{SimpleJwtSettings, Token, TokenError, TokenKind, messages};
use crate::store::token_blacklist::{self, OutstandingToken};
use crate::store::user_id::{UserId, UserIdKind};

/// simplejwt's `<Class>(text)` with this library's floors: PyJWT's decode, the user's revocation
/// floor, then — for a refresh or sliding token with the blacklist app — simplejwt's blacklist
/// (`BlacklistMixin.verify` checks it before the class's own checks), then the class's
/// `verify()`. The outer error is a store failure, the inner one the token's refusal.
pub async fn read_token<'s>(
    env: &Environment,
    settings: &'s SimpleJwtSettings,
    kind: TokenKind,
    text: &str,
    now: DateTime<Utc>,
) -> Result<Result<Token<'s>, TokenError>, ApiError> {
    let token = match Token::decode_signed(kind, text, settings, now) {
        Ok(token) => token,
        Err(error) => return Ok(Err(error)),
    };
    if is_revoked(
        env.services(),
        env.settings().user_model.id_kind(),
        &settings.user_id_claim,
        token.payload(),
    ) {
        return Ok(Err(TokenError::new(messages::TOKEN_IS_BLACKLISTED)));
    }
    if settings.token_blacklist && matches!(kind, TokenKind::Refresh | TokenKind::Sliding) {
        // simplejwt reads `payload[JTI_CLAIM]` here and crashes without one (500).
        let Some(jti) = jti_of(settings, token.payload()) else {
            return Ok(Err(TokenError::new(messages::TOKEN_HAS_NO_ID)));
        };
        if is_blacklisted(env, &jti).await? {
            return Ok(Err(TokenError::new(messages::TOKEN_IS_BLACKLISTED)));
        }
    }
    Ok(token.verify().map(|()| token))
}

/// Refuses every JWT of `user_id` issued up to now, here and (with Redis) on every instance.
/// Returns whether there was a cache to keep the floor: without one, nothing is revoked.
pub fn revoke_user_tokens(env: &Environment, user_id: UserId) -> bool {
    match env.services().credential_cache() {
        Some(cache) => {
            cache.revoke_jwts(user_id, env.services().clock().now());
            true
        }
        None => {
            tracing::warn!(
                "revoke_user_tokens needs the credential cache (auth_cache_ttl): nothing revoked"
            );
            false
        }
    }
}

/// Whether the token with these claims was revoked by its user's floor. `user_id_claim` names
/// the user (`USER_ID_CLAIM`), a key of kind `id_kind`; a token without a readable user cannot be matched to a floor and
/// is left to the other checks, and one of a user with a floor but without `iat` is refused (it
/// cannot be shown to be younger than the floor).
pub fn is_revoked(
    services: &Services,
    id_kind: UserIdKind,
    user_id_claim: &str,
    payload: &Map<String, Value>,
) -> bool {
    let Some(cache) = services.credential_cache() else {
        return false;
    };
    // The claim as the model's key reads it; failing that, as any key's text, so that a
    // misconfigured key kind cannot switch revocation off.
    let user = payload.get(user_id_claim).and_then(|claim| {
        id_kind
            .from_json(claim)
            .or_else(|| python_str(claim).parse().ok())
    });
    let Some(floor) = user.and_then(|user| cache.jwt_floor(user)) else {
        return false;
    };
    match payload.get("iat").and_then(python_int) {
        Some(iat) => iat <= i128::from(floor),
        // No `iat`: it cannot be shown to be younger than the floor.
        None => true,
    }
}

/// `BlacklistedToken.objects.filter(token__jti=jti).exists()`, answered by the credential cache
/// when it is on: "blacklisted" for good, "not blacklisted" for its TTL — which is how long a
/// blacklisting made by another service (simplejwt itself) can go unseen here; one made by an
/// instance of this library reaches the others at once through the cache's invalidation.
pub async fn is_blacklisted(env: &Environment, jti: &str) -> Result<bool, ApiError> {
    let cache = env.services().credential_cache();
    let now = env.services().clock().now();
    if let Some(known) = cache.and_then(|cache| cache.blacklisted(jti, now)) {
        return Ok(known);
    }
    let blacklisted = token_blacklist::is_blacklisted(env.db(), jti)
        .await
        .map_err(ApiError::store_failure)?;
    if let Some(cache) = cache {
        cache.remember_blacklisted(jti, blacklisted, now);
    }
    Ok(blacklisted)
}

/// `token.blacklist()`, and the cache told (here, and the instances that hear it). Returns
/// whether this call blacklisted it (`false`: it already was; see
/// [`token_blacklist::blacklist`]).
pub async fn blacklist(
    env: &Environment,
    row: &OutstandingToken,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let written = token_blacklist::blacklist(env.db(), row, now)
        .await
        .map_err(ApiError::store_failure)?;
    if let Some(cache) = env.services().credential_cache() {
        cache.blacklisted_now(&row.jti);
    }
    Ok(written)
}

/// Django's `str()` of a claim used as a `CharField` lookup value (the `jti`): text as it is,
/// integers and booleans as Python writes them. Anything else (a list, an object, a float) has
/// no row to match and cannot be stored by this library: `None`.
pub fn lookup_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Bool(true) => Some("True".to_owned()),
        Value::Bool(false) => Some("False".to_owned()),
        Value::Number(number) if number.is_i64() || number.is_u64() => Some(number.to_string()),
        _ => None,
    }
}

/// The `jti` of a token's claims as the blacklist stores it (`JTI_CLAIM`, through
/// [`lookup_text`]); `None` when it has none the blacklist could hold.
pub fn jti_of(settings: &SimpleJwtSettings, payload: &Map<String, Value>) -> Option<String> {
    settings
        .jti_claim
        .as_deref()
        .and_then(|claim| payload.get(claim))
        .and_then(lookup_text)
}
