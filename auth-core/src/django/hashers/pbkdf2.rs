//! `pbkdf2_sha256` and `pbkdf2_sha1`: `<algorithm>$<iterations>$<salt>$<base64 hash>`.
//!
//! Django's `PBKDF2PasswordHasher`: PBKDF2-HMAC over the UTF-8 password and salt, with the
//! digest's own output length (32 or 20 bytes), in standard padded base64.

use ::pbkdf2::pbkdf2;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::Hmac;
use sha1::Sha1;

use super::algorithm::Algorithm;
use super::pbkdf2_sha256;
use super::salt::is_weak_salt;
use crate::compat::python::number::int as py_int;
use crate::django::crypto::constant_time_compare as constant_time_eq;

/// The largest iteration count Python's `hashlib.pbkdf2_hmac` accepts (a C `int`): above it
/// Django raises, so such values never verify.
pub(super) const MAX_ITERATIONS: u32 = 0x7FFF_FFFF;

/// The HMAC digest, i.e. which of the two PBKDF2 hashers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Prf {
    /// `pbkdf2_sha256`.
    Sha256,
    /// `pbkdf2_sha1`.
    Sha1,
}

impl Prf {
    /// The PRF of a PBKDF2 algorithm; `None` for other algorithms.
    pub(super) const fn of(algorithm: Algorithm) -> Option<Self> {
        match algorithm {
            Algorithm::Pbkdf2Sha256 => Some(Self::Sha256),
            Algorithm::Pbkdf2Sha1 => Some(Self::Sha1),
            _ => None,
        }
    }

    /// The stored algorithm name.
    const fn name(self) -> &'static str {
        match self {
            Self::Sha256 => Algorithm::Pbkdf2Sha256.name(),
            Self::Sha1 => Algorithm::Pbkdf2Sha1.name(),
        }
    }
}

/// The fields Django's `decode` reads.
struct Decoded<'a> {
    /// `int(iterations)`, possibly 0 or negative as Python would read it.
    iterations: i64,
    /// The salt text.
    salt: &'a str,
}

/// PBKDF2 of `password` and `salt` in standard padded base64; `None` only if HMAC-SHA1 refused
/// the key, which it never does.
///
/// SHA-256, Django's default at 1 500 000 iterations, runs on the compression function with the
/// HMAC key states computed once ([`pbkdf2_sha256`]); SHA-1 stays on the `pbkdf2` crate.
fn derive_b64(prf: Prf, password: &[u8], salt: &[u8], iterations: u32) -> Option<String> {
    match prf {
        Prf::Sha256 => {
            let mut out = [0u8; 32];
            pbkdf2_sha256::derive(password, salt, iterations, &mut out);
            Some(STANDARD.encode(out))
        }
        Prf::Sha1 => {
            let mut out = [0u8; 20];
            pbkdf2::<Hmac<Sha1>>(password, salt, iterations, &mut out).ok()?;
            Some(STANDARD.encode(out))
        }
    }
}

/// Django's `encode(password, salt, iterations)`; the caller has checked salt and count.
pub(super) fn encode(prf: Prf, password: &str, salt: &str, iterations: u32) -> Option<String> {
    let hash = derive_b64(prf, password.as_bytes(), salt.as_bytes(), iterations)?;
    Some(format!("{}${iterations}${salt}${hash}", prf.name()))
}

/// Django's `decode`: `algorithm, iterations, salt, hash = encoded.split("$", 3)`.
fn decode(prf: Prf, encoded: &str) -> Option<Decoded<'_>> {
    let mut fields = encoded.splitn(4, '$');
    let (algorithm, iterations, salt, _hash) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    if algorithm != prf.name() {
        return None;
    }
    Some(Decoded {
        iterations: py_int(iterations)?,
        salt,
    })
}

/// Django's `verify`: re-encode with the stored salt and count, compare whole strings.
pub(super) fn verify(prf: Prf, password: &str, encoded: &str, configured: u32) -> bool {
    let Some(decoded) = decode(prf, encoded) else {
        return false;
    };
    // Django's encode() reads a stored 0 as "the configured count" (`iterations or
    // self.iterations`); the re-encoded value then differs from the stored one.
    let iterations = if decoded.iterations == 0 {
        i64::from(configured)
    } else {
        decoded.iterations
    };
    // Python refuses negative, zero and over-`int` counts, and empty salts, by raising.
    let Ok(iterations) = u32::try_from(iterations) else {
        return false;
    };
    if iterations > MAX_ITERATIONS || decoded.salt.is_empty() {
        return false;
    }
    encode(prf, password, decoded.salt, iterations)
        .is_some_and(|recomputed| constant_time_eq(&recomputed, encoded))
}

/// Django's `must_update`: another iteration count or a salt under 128 bits.
pub(super) fn must_update(prf: Prf, encoded: &str, configured: u32) -> bool {
    decode(prf, encoded).is_none_or(|decoded| {
        decoded.iterations != i64::from(configured) || is_weak_salt(decoded.salt)
    })
}

/// Django's `harden_runtime`: run the iterations the stored value is short of.
pub(super) fn harden_runtime(prf: Prf, password: &str, encoded: &str, configured: u32) {
    let Some(decoded) = decode(prf, encoded) else {
        return;
    };
    let extra = i64::from(configured).saturating_sub(decoded.iterations);
    let Ok(extra) = u32::try_from(extra) else {
        return;
    };
    // Django's encode() would raise on an empty salt before hashing anything.
    if extra == 0 || extra > MAX_ITERATIONS || decoded.salt.is_empty() {
        return;
    }
    // black_box: the result is unused, only the time it takes matters.
    std::hint::black_box(derive_b64(
        prf,
        password.as_bytes(),
        decoded.salt.as_bytes(),
        extra,
    ));
}
