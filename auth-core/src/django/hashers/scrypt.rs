//! `scrypt`: `scrypt$<n>$<salt>$<r>$<p>$<base64 hash>`, Django's `ScryptPasswordHasher`.
//!
//! A 64-byte scrypt key of the UTF-8 password and salt, in standard padded base64. Django calls
//! Python's `hashlib.scrypt` with `maxmem=0`, so OpenSSL's parameter checks and its default
//! 32 MiB memory ceiling apply: values beyond them make Django raise, and fail verification
//! here without being computed. That ceiling is also what keeps a stored value from allocating
//! gigabytes. Within it, a large p could still cost minutes of CPU, so N * r * p is also capped
//! at [`MAX_WORK`] (about 25 times Django's parameters), a limit Django does not have.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::algorithm::Algorithm;
use crate::compat::python::number::int as py_int;
use crate::django::crypto::constant_time_compare as constant_time_eq;

/// Django's `work_factor` (N).
pub(super) const WORK_FACTOR: u32 = 1 << 14;
/// Django's `block_size` (r).
pub(super) const BLOCK_SIZE: u32 = 8;
/// Django's `parallelism` (p).
pub(super) const PARALLELISM: u32 = 5;

/// Django's `dklen`.
const KEY_LEN: usize = 64;
/// OpenSSL's `SCRYPT_MAX_MEM`, used when `maxmem` is 0 as in Django.
const MAX_MEMORY: u64 = 32 * 1024 * 1024;
/// OpenSSL's `SCRYPT_PR_MAX`: p * r must stay below 2^30.
const MAX_P_TIMES_R: u64 = (1 << 30) - 1;
/// Largest N * r * p computed (Django's is 16384 * 8 * 5 = 655360): beyond this a single check
/// would block a worker for many seconds.
const MAX_WORK: u64 = 1 << 24;

/// scrypt parameters after OpenSSL's checks in `EVP_PBE_scrypt_ex`, or `None` where OpenSSL
/// (and so Django) refuses them, or where the work exceeds [`MAX_WORK`].
pub(super) fn params(n: u64, r: u64, p: u64) -> Option<::scrypt::Params> {
    if r == 0 || p == 0 || n < 2 || !n.is_power_of_two() {
        return None;
    }
    if p > MAX_P_TIMES_R / r {
        return None;
    }
    // RFC 7914's N < 2^(128 * r / 8), as OpenSSL enforces it.
    if 16 * r <= 63 && n >= 1u64 << (16 * r) {
        return None;
    }
    // OpenSSL's memory estimate: B (p * 128 * r) plus V, X and T (128 * r * (N + 2)).
    let b_len = p.checked_mul(128)?.checked_mul(r)?;
    let v_len = r.checked_mul(128)?.checked_mul(n.checked_add(2)?)?;
    if b_len.checked_add(v_len)? > MAX_MEMORY {
        return None;
    }
    if n.checked_mul(r)?.checked_mul(p)? > MAX_WORK {
        return None;
    }
    let log_n = u8::try_from(n.trailing_zeros()).ok()?;
    ::scrypt::Params::new(log_n, u32::try_from(r).ok()?, u32::try_from(p).ok()?).ok()
}

/// Django's `encode(password, salt, n, r, p)`; `None` where `hashlib.scrypt` would raise.
pub(super) fn encode(password: &str, salt: &str, n: u64, r: u64, p: u64) -> Option<String> {
    let params = params(n, r, p)?;
    let mut key = [0u8; KEY_LEN];
    ::scrypt::scrypt(password.as_bytes(), salt.as_bytes(), &params, &mut key).ok()?;
    Some(format!(
        "{}${n}${salt}${r}${p}${}",
        Algorithm::Scrypt.name(),
        STANDARD.encode(key)
    ))
}

/// The fields Django's `decode` reads.
struct Decoded<'a> {
    /// `int(work_factor)`.
    n: i64,
    /// The salt text.
    salt: &'a str,
    /// `int(block_size)`.
    r: i64,
    /// `int(parallelism)`.
    p: i64,
}

/// Django's `decode`: `algorithm, n, salt, r, p, hash = encoded.split("$", 6)`, so exactly six
/// fields.
fn decode(encoded: &str) -> Option<Decoded<'_>> {
    let mut fields = encoded.splitn(7, '$');
    let (algorithm, n, salt, r, p, _hash) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    if fields.next().is_some() || algorithm != Algorithm::Scrypt.name() {
        return None;
    }
    Some(Decoded {
        n: py_int(n)?,
        salt,
        r: py_int(r)?,
        p: py_int(p)?,
    })
}

/// Django's `n or default`: a stored 0 means the current parameter.
fn or_default(value: i64, default: u32) -> Option<u64> {
    if value == 0 {
        Some(u64::from(default))
    } else {
        u64::try_from(value).ok()
    }
}

/// Django's `verify`: re-encode with the stored salt and parameters, compare whole strings.
pub(super) fn verify(password: &str, encoded: &str) -> bool {
    let Some(decoded) = decode(encoded) else {
        return false;
    };
    // Django's encode() raises on an empty salt rather than hashing.
    if decoded.salt.is_empty() {
        return false;
    }
    let (Some(n), Some(r), Some(p)) = (
        or_default(decoded.n, WORK_FACTOR),
        or_default(decoded.r, BLOCK_SIZE),
        or_default(decoded.p, PARALLELISM),
    ) else {
        return false;
    };
    encode(password, decoded.salt, n, r, p)
        .is_some_and(|recomputed| constant_time_eq(&recomputed, encoded))
}

/// Django's `must_update`: N, r or p differ from the current ones. Unlike the PBKDF2, argon2
/// and md5 hashers, Django's scrypt hasher does not look at the salt length.
pub(super) fn must_update(encoded: &str) -> bool {
    decode(encoded).is_none_or(|decoded| {
        decoded.n != i64::from(WORK_FACTOR)
            || decoded.r != i64::from(BLOCK_SIZE)
            || decoded.p != i64::from(PARALLELISM)
    })
}
