//! Django 6.1's `PasswordResetTokenGenerator` (`django/contrib/auth/tokens.py`): the token of
//! Django's password-reset links, djoser's activation and reset links and dj-rest-auth's reset
//! links — `<base36 timestamp>-<32 hex>`, valid for `PASSWORD_RESET_TIMEOUT` seconds and until
//! the user's password, last login or email changes.
//!
//! The timestamp is seconds since 2001-01-01 on the **naive local clock of `TIME_ZONE`**
//! (`datetime.now()`, which Django sets to `TIME_ZONE` at start-up), not UTC: a service that
//! counted in UTC would shift every token's expiry by the zone's offset when Django checks it,
//! and the reverse.
//!
//! One divergence, secure rather than a crash: a token whose timestamp reads negative (`-1-…`)
//! makes Django's `check_token` raise `ValueError` from `int_to_base36` (a 500 in the view); here
//! it is simply not valid.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::base36::{base36_to_int, int_to_base36};
use super::crypto::constant_time_compare;
use super::signing::salted_hmac;

/// `PasswordResetTokenGenerator.key_salt`.
pub const KEY_SALT: &str = "django.contrib.auth.tokens.PasswordResetTokenGenerator";

/// Django's default `PASSWORD_RESET_TIMEOUT`: three days.
pub const DEFAULT_TIMEOUT_SECONDS: i64 = 259_200;

/// What `_make_hash_value` reads of the user: the state a token is bound to.
#[derive(Clone, PartialEq, Eq)]
pub struct UserState<'a> {
    /// `str(user.pk)`.
    pub pk: &'a str,
    /// The encoded password: a change invalidates the token.
    pub password: &'a str,
    /// `last_login` (a login invalidates the token).
    pub last_login: Option<DateTime<Utc>>,
    /// The value of the user's email field (`get_email_field_name()`), `""` when none.
    pub email: &'a str,
}

/// The password is not printed.
impl std::fmt::Debug for UserState<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserState")
            .field("pk", &self.pk)
            .field("last_login", &self.last_login)
            .finish_non_exhaustive()
    }
}

/// `PasswordResetTokenGenerator` with `SECRET_KEY`, `SECRET_KEY_FALLBACKS`,
/// `PASSWORD_RESET_TIMEOUT` and `TIME_ZONE`.
#[derive(Clone)]
pub struct PasswordResetTokenGenerator {
    secret: String,
    fallbacks: Vec<String>,
    timeout_seconds: i64,
    time_zone: Tz,
}

/// The keys are not printed.
impl std::fmt::Debug for PasswordResetTokenGenerator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordResetTokenGenerator")
            .field("fallbacks", &self.fallbacks.len())
            .field("timeout_seconds", &self.timeout_seconds)
            .field("time_zone", &self.time_zone)
            .finish_non_exhaustive()
    }
}

/// `TIME_ZONE` names no zone of the IANA database.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("TIME_ZONE {0:?} is not a time zone of the IANA database")]
pub struct UnknownTimeZone(pub String);

/// The timestamp of `token` when `check_token` would go on to hash the user's state: a
/// non-empty token of exactly one `-`, its first part base36 for a non-negative number. `None`
/// where Django returns `False` first (or raises: a negative timestamp).
pub fn token_timestamp(token: &str) -> Option<u128> {
    if token.is_empty() {
        return None;
    }
    // `ts_b36, _ = token.split("-")`: exactly one `-`.
    let mut parts = token.split('-');
    let (Some(ts_b36), Some(_), None) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    u128::try_from(base36_to_int(ts_b36)?).ok()
}

impl PasswordResetTokenGenerator {
    /// A generator signing with `secret` (and accepting `fallbacks`), tokens valid for
    /// `timeout_seconds`, its clock in `time_zone` (Django's `TIME_ZONE`, such as `"UTC"` or
    /// `"America/Chicago"`).
    pub fn new(
        secret: impl Into<String>,
        fallbacks: Vec<String>,
        timeout_seconds: i64,
        time_zone: &str,
    ) -> Result<Self, UnknownTimeZone> {
        let time_zone = time_zone
            .parse::<Tz>()
            .map_err(|_| UnknownTimeZone(time_zone.to_owned()))?;
        Ok(Self {
            secret: secret.into(),
            fallbacks,
            timeout_seconds,
            time_zone,
        })
    }

    /// `_num_seconds(_now())`: whole seconds from 2001-01-01 to `now` as `TIME_ZONE`'s wall
    /// clock shows it (truncated, as `int(total_seconds())`).
    pub fn num_seconds(&self, now: DateTime<Utc>) -> i64 {
        let local = now.with_timezone(&self.time_zone).naive_local();
        let epoch = NaiveDate::from_ymd_opt(2001, 1, 1)
            .and_then(|date| date.and_hms_opt(0, 0, 0))
            .unwrap_or_default();
        (local - epoch).num_seconds()
    }

    /// `make_token(user)` at `now`; `None` on a clock before 2001-01-01 in `TIME_ZONE` (Django
    /// raises `ValueError`: a negative timestamp has no base36).
    pub fn make_token(&self, user: &UserState<'_>, now: DateTime<Utc>) -> Option<String> {
        let timestamp = u128::try_from(self.num_seconds(now)).ok()?;
        Some(make_token_with_timestamp(user, timestamp, &self.secret))
    }

    /// `check_token(user, token)` at `now`: made for this user's current password, last login
    /// and email with the secret key or a fallback, and not older than the timeout.
    pub fn check_token(&self, user: &UserState<'_>, token: &str, now: DateTime<Utc>) -> bool {
        let Some(unsigned) = token_timestamp(token) else {
            return false;
        };
        let timestamp = i128::try_from(unsigned).unwrap_or(i128::MAX);
        let signed = std::iter::once(&self.secret)
            .chain(&self.fallbacks)
            .any(|secret| {
                constant_time_compare(&make_token_with_timestamp(user, unsigned, secret), token)
            });
        signed && i128::from(self.num_seconds(now)) - timestamp <= i128::from(self.timeout_seconds)
    }
}

/// `_make_token_with_timestamp(user, timestamp, secret)`.
fn make_token_with_timestamp(user: &UserState<'_>, timestamp: u128, secret: &str) -> String {
    let digest = salted_hmac(
        KEY_SALT,
        make_hash_value(user, timestamp).as_bytes(),
        secret,
    );
    // `hexdigest()[::2]`: every other hex digit, the high nibble of each byte.
    let half: String = hex::encode(digest).chars().step_by(2).collect();
    format!("{}-{half}", int_to_base36(timestamp))
}

/// `_make_hash_value(user, timestamp)`: the pk, the password, the last login to the second as
/// `str()` of the naive UTC datetime (`""` without one), the timestamp and the email.
fn make_hash_value(user: &UserState<'_>, timestamp: u128) -> String {
    let login = user
        .last_login
        .map(|login| login.naive_utc().format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default();
    format!(
        "{}{}{login}{timestamp}{}",
        user.pk, user.password, user.email
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(last_login: Option<DateTime<Utc>>) -> UserState<'static> {
        UserState {
            pk: "1",
            password: "pbkdf2_sha256$1500000$salt$hash=",
            last_login,
            email: "alice@example.com",
        }
    }

    #[test]
    fn the_hash_value_and_tokens_are_the_specs_vectors() {
        // shared/spec/third-party.md, Appendix C: SECRET_KEY of the parity project, ts 820000000.
        let login = DateTime::parse_from_rfc3339("2026-12-06T03:27:59.123456Z")
            .map(|at| at.with_timezone(&Utc))
            .ok();
        assert_eq!(
            make_hash_value(&user(login), 820_000_000),
            "1pbkdf2_sha256$1500000$salt$hash=2026-12-06 03:27:59820000000alice@example.com"
        );
    }
}
