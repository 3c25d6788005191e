//! `bcrypt_sha256` and `bcrypt`: the algorithm name, `$`, then a standard bcrypt hash
//! (`$2b$12$<22 salt chars><31 hash chars>`).
//!
//! Django's `BCryptSHA256PasswordHasher` feeds bcrypt the lowercase hex SHA-256 digest of the
//! password (64 ASCII bytes), so long passwords are not truncated; `BCryptPasswordHasher` feeds
//! the raw password, which bcrypt truncates at 72 bytes. pyca/bcrypt, which Django uses, is
//! built on the same `bcrypt` crate as this module.

use std::borrow::Cow;

use ::bcrypt::Version;
use base64::Engine as _;
use base64::alphabet::BCRYPT;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use sha2::{Digest as _, Sha256};

use super::algorithm::Algorithm;
use super::salt::fill_random;
use crate::compat::python::number::int as py_int;

/// Django's `rounds` (bcrypt cost) for new hashes.
const ROUNDS: u32 = 12;
/// The lowest cost bcrypt accepts.
const MIN_ROUNDS: u32 = 4;
/// `$2b$12$` plus the 22-character salt: what Django's `harden_runtime` cuts off as the salt.
const SALT_PREFIX_LEN: usize = 29;

/// bcrypt's base64 alphabet, tolerant of stray low bits in the salt's last character.
const BCRYPT_B64: GeneralPurpose = GeneralPurpose::new(
    &BCRYPT,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// Which of the two bcrypt hashers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Variant {
    /// `bcrypt_sha256`.
    Sha256,
    /// `bcrypt`.
    Plain,
}

impl Variant {
    /// The variant of a bcrypt algorithm; `None` for other algorithms.
    pub(super) const fn of(algorithm: Algorithm) -> Option<Self> {
        match algorithm {
            Algorithm::BcryptSha256 => Some(Self::Sha256),
            Algorithm::Bcrypt => Some(Self::Plain),
            _ => None,
        }
    }

    /// The stored algorithm name.
    const fn name(self) -> &'static str {
        match self {
            Self::Sha256 => Algorithm::BcryptSha256.name(),
            Self::Plain => Algorithm::Bcrypt.name(),
        }
    }

    /// The bytes bcrypt is given for `password`.
    fn input(self, password: &str) -> Cow<'_, [u8]> {
        match self {
            // Django: binascii.hexlify(sha256(password).digest()), i.e. lowercase hex.
            Self::Sha256 => Cow::Owned(hex::encode(Sha256::digest(password.as_bytes())).into()),
            Self::Plain => Cow::Borrowed(password.as_bytes()),
        }
    }
}

/// Django's `encode(password, bcrypt.gensalt(12))`: a fresh random salt, version `2b`.
pub(super) fn encode(variant: Variant, password: &str) -> Option<String> {
    let mut salt = [0u8; 16];
    fill_random(&mut salt);
    let parts = ::bcrypt::hash_with_salt(variant.input(password), ROUNDS, salt).ok()?;
    Some(format!(
        "{}${}",
        variant.name(),
        parts.format_for_version(Version::TwoB)
    ))
}

/// The bcrypt hash after `<algorithm>$`, as Django's `encoded.split("$", 1)` reads it.
fn bcrypt_part(variant: Variant, encoded: &str) -> Option<&str> {
    let (algorithm, data) = encoded.split_once('$')?;
    (algorithm == variant.name()).then_some(data)
}

/// Django's `verify`: bcrypt of the password with the stored salt and cost equals the stored
/// hash. The crate compares the 23 hash bytes in constant time; a malformed hash (wrong length,
/// cost outside 4..=31, bad base64) fails like the re-encoded string comparison in Django.
pub(super) fn verify(variant: Variant, password: &str, encoded: &str) -> bool {
    bcrypt_part(variant, encoded)
        .is_some_and(|data| ::bcrypt::verify(variant.input(password), data).unwrap_or(false))
}

/// Django's `decode(...)["work_factor"]`: `encoded.split("$", 4)`, then `int()` of the fourth
/// field.
fn work_factor(encoded: &str) -> Option<i64> {
    let mut fields = encoded.splitn(5, '$');
    let (_algorithm, _empty, _version, work_factor, _data) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    py_int(work_factor)
}

/// Django's `must_update`: another cost than 12.
pub(super) fn must_update(encoded: &str) -> bool {
    work_factor(encoded).is_none_or(|rounds| rounds != i64::from(ROUNDS))
}

/// Django's `harden_runtime`: `2^(12 - cost) - 1` more bcrypt hashes with the stored salt, so a
/// wrong password takes as long as against a cost-12 hash.
pub(super) fn harden_runtime(variant: Variant, password: &str, encoded: &str) {
    let Some(data) = bcrypt_part(variant, encoded) else {
        return;
    };
    // Django reads the cost as `data.split("$")[2]` and the salt as `data[:29]`.
    let Some(rounds) = data.split('$').nth(2).and_then(py_int) else {
        return;
    };
    let Ok(rounds) = u32::try_from(rounds) else {
        return;
    };
    // Costs under 4 make bcrypt raise in Django; costs of 12 and up need nothing.
    if !(MIN_ROUNDS..ROUNDS).contains(&rounds) {
        return;
    }
    let Some(salt) = salt_bytes(data) else {
        return;
    };
    let extra = (1u32 << (ROUNDS - rounds)) - 1;
    let input = variant.input(password);
    for _ in 0..extra {
        // black_box: the results are unused, only the time they take matters.
        let _ = std::hint::black_box(::bcrypt::hash_with_salt(&input, rounds, salt));
    }
}

/// The 16 salt bytes of a bcrypt hash (`$2b$NN$` then 22 base64 characters).
fn salt_bytes(data: &str) -> Option<[u8; 16]> {
    let prefix = data.get(..SALT_PREFIX_LEN)?;
    let encoded_salt = prefix.get(7..)?;
    BCRYPT_B64.decode(encoded_salt).ok()?.try_into().ok()
}
