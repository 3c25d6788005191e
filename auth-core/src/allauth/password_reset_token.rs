//! allauth's `EmailAwarePasswordResetTokenGenerator` (`allauth/account/forms.py`), the token of
//! dj-rest-auth's reset links when allauth is installed: Django's token, whose hashed state
//! also ends with the user's email addresses — `"|".join(sorted(addresses))`, the model's email
//! (lower-cased) and every `account_emailaddress` row of the user. Adding or removing an
//! address invalidates the user's links.
//!
//! As in allauth, computing that state first makes sure the model's email has its row
//! (`sync_user_email_address`): making a token, and checking any well-formed one, may insert
//! an unverified, non-primary `account_emailaddress` row.

use chrono::{DateTime, Utc};

use crate::django::password_reset_token::{
    PasswordResetTokenGenerator, UserState, token_timestamp,
};
use crate::environment::Environment;
use crate::error::ApiError;
use crate::store::email_address;
use crate::user::User;

use super::userkit::user_email;

/// `_make_hash_value`'s addition: the user's addresses, sorted, joined by `|`, after the model's
/// email got its row.
async fn email_suffix(env: &Environment, user: &User) -> Result<String, ApiError> {
    let own = user_email(user);
    if !own.is_empty() {
        email_address::sync(env.db(), user.id, &own)
            .await
            .map_err(ApiError::store_failure)?;
    }
    let mut emails = email_address::emails_of_user(env.db(), user.id)
        .await
        .map_err(ApiError::store_failure)?;
    if !own.is_empty() {
        emails.push(own);
    }
    // Python's `sorted` of a set: by code point, which is UTF-8's byte order.
    emails.sort_unstable();
    emails.dedup();
    Ok(emails.join("|"))
}

/// The generator's view of `user`: Django's state with the addresses after the email (the
/// hashed value is one concatenation, so this is the same bytes).
fn state<'a>(user: &'a User, pk: &'a str, email_then_suffix: &'a str) -> UserState<'a> {
    UserState {
        pk,
        password: &user.password,
        last_login: user.last_login,
        email: email_then_suffix,
    }
}

/// Django's generator (the settings' keys, timeout and `TIME_ZONE`), and the email part of the
/// hashed state: the model's email, then the addresses.
async fn generator_and_email(
    env: &Environment,
    user: &User,
) -> Result<(PasswordResetTokenGenerator, String), ApiError> {
    let generator = env
        .settings()
        .password_reset_token_generator()
        .map_err(|error| ApiError::store_failure(error.to_string()))?;
    let value = format!("{}{}", user.email, email_suffix(env, user).await?);
    Ok((generator, value))
}

/// `make_token(user)` at `now`.
///
/// # Errors
///
/// The database's, an unknown `TIME_ZONE`, or a clock before 2001.
pub async fn make_token(
    env: &Environment,
    user: &User,
    now: DateTime<Utc>,
) -> Result<String, ApiError> {
    let (generator, value) = generator_and_email(env, user).await?;
    let pk = user.id.to_string();
    generator
        .make_token(&state(user, &pk, &value), now)
        .ok_or_else(|| ApiError::store_failure("the clock is before 2001"))
}

/// `check_token(user, token)` at `now`.
///
/// # Errors
///
/// The database's, or an unknown `TIME_ZONE`.
pub async fn check_token(
    env: &Environment,
    user: &User,
    token: &str,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    // Django returns before hashing anything for a malformed token: no row is synced then.
    if token_timestamp(token).is_none() {
        return Ok(false);
    }
    let (generator, value) = generator_and_email(env, user).await?;
    let pk = user.id.to_string();
    Ok(generator.check_token(&state(user, &pk, &value), token, now))
}
