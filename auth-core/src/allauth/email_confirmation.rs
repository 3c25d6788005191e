//! allauth's `EmailConfirmationHMAC` (`ACCOUNT_EMAIL_CONFIRMATION_HMAC`, its default): the key
//! of an email-confirmation link is `signing.dumps(email_address.pk, salt="account")`, valid
//! `ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS` (3) days, no row written; and its `confirm`
//! (`flows.email_verification.verify_email`).

use serde_json::Value;

use crate::django::signing;
use crate::environment::Environment;
use crate::store::email_address::{self, EmailAddress};

/// allauth's `ACCOUNT_SALT`: the signing salt of the keys.
pub const SALT: &str = "account";

/// `ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS`' default, in seconds.
pub const EXPIRE_SECONDS: u64 = 3 * 24 * 60 * 60;

/// `ACCOUNT_EMAIL_CONFIRMATION_COOLDOWN`'s default: allauth's `confirm_email` rate limit, one
/// verification email per address per three minutes (`"1/180s/key"`).
pub const COOLDOWN_SECONDS: u64 = 180;

fn now_secs(env: &Environment) -> u64 {
    u64::try_from(env.services().clock().now().timestamp()).unwrap_or(0)
}

/// allauth's `consume_email_verification_rate_limit(request, email)`: whether a verification
/// email may go to `email` now (at most one per [`COOLDOWN_SECONDS`]), counted in the throttle
/// store (shared by every instance with Redis, which keeps only a digest of the key). When the
/// store is unavailable the email goes out only with `throttle_fail_open`.
pub async fn consume_cooldown(env: &Environment, email: &str) -> bool {
    let key = format!("allauth:confirm_email:{}", email.to_lowercase());
    let now = env.services().clock().now();
    let seconds = now.timestamp_micros() as f64 / 1e6;
    match env
        .services()
        .throttle_store()
        .hit(&key, 1, COOLDOWN_SECONDS, seconds)
        .await
    {
        Ok(hit) => hit.allowed,
        Err(error) => {
            tracing::warn!(%error, "throttle store unavailable for the confirmation cooldown");
            env.settings().throttle_fail_open
        }
    }
}

/// The confirmation key of `address` now: `signing.dumps(address.pk, salt="account")`.
pub fn key(env: &Environment, address: &EmailAddress) -> String {
    signing::dumps(
        &Value::from(address.id),
        env.settings().secret_key.expose(),
        SALT,
        false,
        now_secs(env),
    )
}

/// `EmailConfirmationHMAC.from_key(key)`: the unverified address a valid key (the secret key or
/// a fallback, at most three days old) names; `None` for any other key.
///
/// # Errors
///
/// The database's.
pub async fn from_key(
    env: &Environment,
    key: &str,
) -> Result<Option<EmailAddress>, sea_orm::DbErr> {
    let settings = env.settings();
    let fallbacks = settings.secret_key_fallback_texts();
    let Ok(value) = signing::loads(
        key,
        settings.secret_key.expose(),
        &fallbacks,
        SALT,
        Some(EXPIRE_SECONDS),
        now_secs(env),
    ) else {
        return Ok(None);
    };
    // `EmailAddress.objects.get(pk=value)`: an integer, or a string Django's `int()` reads
    // (allauth signs the integer; any other value names no row).
    let id = match &value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => crate::compat::python::number::int(text),
        _ => None,
    };
    match id {
        Some(id) => email_address::find_unverified(env.db(), id).await,
        None => Ok(None),
    }
}

/// `verify_email(request, address)`: the address becomes verified unless another verified row
/// has the same address (`UNIQUE_EMAIL`: then nothing changes and `false`), and primary when the
/// user has none (`set_as_primary(conditional=True)`, which also makes it the user's email).
///
/// # Errors
///
/// The database's.
pub async fn confirm(env: &Environment, mut address: EmailAddress) -> Result<bool, sea_orm::DbErr> {
    if email_address::is_verified(env.db(), &address.email, Some(address.id)).await? {
        return Ok(false);
    }
    address.verified = true;
    if !email_address::has_primary(env.db(), address.user_id).await? {
        address.primary = true;
        env.settings()
            .user_model
            .save_email(env.db(), address.user_id, &address.email, None)
            .await?;
    }
    email_address::save_flags(env.db(), &address).await?;
    Ok(true)
}
