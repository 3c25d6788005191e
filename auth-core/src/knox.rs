//! django-rest-knox's formats: its `REST_KNOX` settings, how a token string is made, its
//! lookup key and stored digest, and how it renders an expiry.
//!
//! Its table is [`crate::store::knox_token`], its scheme
//! [`crate::authentication::KnoxTokenAuthentication`].

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha512};

/// django-rest-knox's `REST_KNOX` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnoxSettings {
    /// `TOKEN_TTL` (default 10 hours); `None` issues tokens that never expire.
    pub token_ttl: Option<chrono::TimeDelta>,
    /// `AUTO_REFRESH` (default false): each use pushes the expiry to now + TTL.
    pub auto_refresh: bool,
    /// `AUTO_REFRESH_MAX_TTL` (default none): refreshes never go past `created` + this.
    pub auto_refresh_max_ttl: Option<chrono::TimeDelta>,
    /// `MIN_REFRESH_INTERVAL` in seconds (default 60): smaller pushes are not written.
    pub min_refresh_interval: i64,
    /// `TOKEN_LIMIT_PER_USER` (default none).
    pub token_limit_per_user: Option<u64>,
    /// `TOKEN_PREFIX` (default empty; at most 10 characters).
    pub token_prefix: String,
    /// `AUTH_HEADER_PREFIX` (default `Token`).
    pub auth_header_prefix: String,
    /// `AUTH_TOKEN_CHARACTER_LENGTH` (default 64 hex characters).
    pub token_character_length: usize,
}

impl Default for KnoxSettings {
    fn default() -> Self {
        Self {
            token_ttl: Some(chrono::TimeDelta::hours(10)),
            auto_refresh: false,
            auto_refresh_max_ttl: None,
            min_refresh_interval: 60,
            token_limit_per_user: None,
            token_prefix: String::new(),
            auth_header_prefix: "Token".to_owned(),
            token_character_length: 64,
        }
    }
}

/// knox's `MAXIMUM_TOKEN_PREFIX_LENGTH`.
pub const MAXIMUM_TOKEN_PREFIX_LENGTH: usize = 10;

/// knox's `TOKEN_KEY_LENGTH`: the lookup key is the token's first 15 characters.
pub const TOKEN_KEY_LENGTH: usize = 15;

/// knox's `hash_token`: lowercase hex SHA-512 of the whole token (prefix included).
pub fn digest(token: &str) -> String {
    hex::encode(Sha512::digest(token.as_bytes()))
}

/// A new token string, as knox's `create_token_string` makes it: `prefix` followed by the hex
/// of `character_length / 2` bytes from a CSPRNG.
pub fn generate_token(prefix: &str, character_length: usize) -> String {
    let mut bytes = vec![0u8; character_length / 2];
    rand::fill(bytes.as_mut_slice());
    format!("{prefix}{}", hex::encode(&bytes))
}

/// The first [`TOKEN_KEY_LENGTH`] characters of a token.
pub fn token_key(token: &str) -> &str {
    match token.char_indices().nth(TOKEN_KEY_LENGTH) {
        Some((end, _)) => &token[..end],
        None => token,
    }
}

/// DRF's `DATETIME_FORMAT` (ISO 8601) as knox renders `expiry`: `+00:00` written as `Z`,
/// microseconds only when non-zero (Python's `isoformat`).
pub fn format_expiry(instant: DateTime<Utc>) -> String {
    crate::date_time_field::date_time_field(instant)
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
