//! Revoking a user's JWTs at once — "log out everywhere", a password change — without a
//! database read per request: a per-user **revocation floor** kept by the credential cache (and,
//! with Redis, by every instance that hears it). A token of the user whose `iat` is at or before
//! the floor is refused by both JWT schemes and by the refresh, verify and blacklist views.
//!
//! simplejwt has nothing like it: an access token stays valid until it expires whatever happens
//! to its user (its issues #59, #141, #744). The floors live in memory: they need the credential
//! cache (`AuthSettingsBuilder::auth_cache_ttl`), and an instance that starts after a revocation
//! does not know it — the floor only has to outlive the tokens it refuses, so the window is at
//! most `ACCESS_TOKEN_LIFETIME` (`REFRESH_TOKEN_LIFETIME` for refresh tokens) on that instance.
//! Tokens issued in the same second as the revocation are refused too (`iat` is whole seconds).

use serde_json::{Map, Value};

use crate::environment::{Environment, Services};
use crate::jwt::claims::python_int;

/// Refuses every JWT of `user_id` issued up to now, here and (with Redis) on every instance.
/// Returns whether there was a cache to keep the floor: without one, nothing is revoked.
pub fn revoke_user_tokens(env: &Environment, user_id: i32) -> bool {
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
/// the user (`USER_ID_CLAIM`); a token without a readable user or `iat` cannot be matched to a
/// floor and is left to the other checks.
pub fn is_revoked(services: &Services, user_id_claim: &str, payload: &Map<String, Value>) -> bool {
    let Some(cache) = services.credential_cache() else {
        return false;
    };
    let user = payload
        .get(user_id_claim)
        .and_then(python_int)
        .and_then(|id| i32::try_from(id).ok());
    let Some(floor) = user.and_then(|user| cache.jwt_floor(user)) else {
        return false;
    };
    match payload.get("iat").and_then(python_int) {
        Some(iat) => iat <= i128::from(floor),
        // No `iat`: it cannot be shown to be younger than the floor.
        None => true,
    }
}
