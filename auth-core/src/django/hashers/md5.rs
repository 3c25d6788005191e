//! `md5`: `md5$<salt>$<hex md5(salt + password)>`, Django's `MD5PasswordHasher`.
//!
//! Insecure: only for reading legacy data and for fast tests (Django recommends it for the
//! latter).

use md5::{Digest as _, Md5};

use super::algorithm::Algorithm;
use super::salt::is_weak_salt;
use crate::django::crypto::constant_time_compare as constant_time_eq;

/// Django's `encode(password, salt)`; the caller has checked the salt.
pub(super) fn encode(password: &str, salt: &str) -> String {
    let mut hasher = Md5::new();
    hasher.update(salt.as_bytes());
    hasher.update(password.as_bytes());
    let digest = hex::encode(hasher.finalize());
    format!("{}${salt}${digest}", Algorithm::Md5.name())
}

/// Django's `decode`: `algorithm, salt, hash = encoded.split("$", 2)`; returns the salt.
fn decode_salt(encoded: &str) -> Option<&str> {
    let mut fields = encoded.splitn(3, '$');
    let (algorithm, salt, _hash) = (fields.next()?, fields.next()?, fields.next()?);
    (algorithm == Algorithm::Md5.name()).then_some(salt)
}

/// Django's `verify`: re-encode with the stored salt, compare whole strings.
pub(super) fn verify(password: &str, encoded: &str) -> bool {
    // Django's encode() raises on an empty salt rather than hashing.
    decode_salt(encoded)
        .filter(|salt| !salt.is_empty())
        .is_some_and(|salt| constant_time_eq(&encode(password, salt), encoded))
}

/// Django's `must_update`: only a salt under 128 bits.
pub(super) fn must_update(encoded: &str) -> bool {
    decode_salt(encoded).is_none_or(is_weak_salt)
}
