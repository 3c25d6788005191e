//! `argon2`: `argon2` followed by argon2-cffi's encoded hash,
//! `argon2$argon2id$v=19$m=102400,t=2,p=8$<salt>$<hash>` (unpadded standard base64).
//!
//! Django's `Argon2PasswordHasher`: the salt given to Argon2 is the UTF-8 text salt itself.
//! Checking follows libargon2's own parser (`argon2.PasswordHasher().verify`), which also
//! accepts older variants, versions and parameters (e.g. `argon2i` from Django < 3.2, or
//! hashes without `v=`). Memory and time costs beyond [`MAX_MEMORY_COST`] and [`MAX_WORK`] are
//! refused instead of computed: Django would try them, but a stored value must not be able to
//! make a login allocate gigabytes or run for minutes.

use ::argon2::{Algorithm as Variant, Argon2, Params, Version};
use base64::Engine as _;
use base64::alphabet::STANDARD;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use subtle::ConstantTimeEq as _;

use super::algorithm::Algorithm;
use super::error::HasherError;
use super::salt::SALT_CHARS;
use crate::compat::python::number::int as py_int;

/// Django's `time_cost`.
const TIME_COST: u32 = 2;
/// Django's `memory_cost`, in KiB.
const MEMORY_COST: u32 = 102_400;
/// Django's `parallelism`.
const PARALLELISM: u32 = 8;
/// argon2-cffi's `DEFAULT_HASH_LENGTH`.
const HASH_LEN: usize = 32;
/// Argon2 version 1.3, written `v=19`.
const VERSION: u32 = 0x13;
/// libargon2's (and argon2-cffi's) minimum salt length in bytes.
const MIN_SALT_LEN: usize = 8;
/// libargon2's minimum hash length in bytes.
const MIN_HASH_LEN: usize = 4;

/// Largest memory cost verified: 1 GiB, ten times Django's.
const MAX_MEMORY_COST: u64 = 1 << 20;
/// Largest memory cost times passes verified: about 80 times Django's 102400 * 2.
const MAX_WORK: u64 = 1 << 24;

/// Python's `base64.b64decode(..., validate=True)` after Django re-pads the salt: padding is
/// optional and stray low bits in the last character are ignored.
const PYTHON_B64: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Argon2 variant names as libargon2 writes them after the first `$`.
const VARIANTS: [(&str, Variant); 3] = [
    ("argon2id", Variant::Argon2id),
    ("argon2i", Variant::Argon2i),
    ("argon2d", Variant::Argon2d),
];

/// Django's `encode(password, salt)`: argon2id, v=19, m=102400, t=2, p=8, 32-byte hash.
pub(super) fn encode(password: &str, salt: &str) -> Result<String, HasherError> {
    if salt.len() < MIN_SALT_LEN {
        return Err(HasherError::SaltTooShort);
    }
    let backend = HasherError::Backend(Algorithm::Argon2);
    let params = Params::new(MEMORY_COST, TIME_COST, PARALLELISM, Some(HASH_LEN))
        .map_err(|_| backend.clone())?;
    let mut hash = [0u8; HASH_LEN];
    Argon2::new(Variant::Argon2id, Version::V0x13, params)
        .hash_password_into(password.as_bytes(), salt.as_bytes(), &mut hash)
        .map_err(|_| backend)?;
    Ok(format!(
        "{}$argon2id$v={VERSION}$m={MEMORY_COST},t={TIME_COST},p={PARALLELISM}${}${}",
        Algorithm::Argon2.name(),
        STANDARD_NO_PAD.encode(salt.as_bytes()),
        STANDARD_NO_PAD.encode(hash)
    ))
}

/// An Argon2 hash as libargon2's `decode_string` reads it.
struct Encoded {
    /// argon2id, argon2i or argon2d.
    variant: Variant,
    /// 0x10 when the hash has no `v=` field.
    version: Version,
    /// `m`, in KiB.
    memory_cost: u32,
    /// `t`.
    time_cost: u32,
    /// `p`.
    parallelism: u32,
    /// Decoded salt bytes.
    salt: Vec<u8>,
    /// Decoded hash bytes.
    hash: Vec<u8>,
}

/// libargon2's `decode_decimal` for a `u32`: ASCII digits, no sign, no leading zero.
fn c_decimal(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    if text.len() > 1 && text.starts_with('0') {
        return None;
    }
    text.parse().ok()
}

/// libargon2's `decode_string` of `$<variant>[$v=<version>]$m=<m>,t=<t>,p=<p>$<salt>$<hash>`.
fn parse(phc: &str) -> Option<Encoded> {
    let mut fields = phc.split('$');
    if !fields.next()?.is_empty() {
        return None;
    }
    let name = fields.next()?;
    let (_, variant) = VARIANTS.into_iter().find(|(known, _)| *known == name)?;
    let mut field = fields.next()?;
    let version = match field.strip_prefix("v=") {
        Some(version) => {
            field = fields.next()?;
            c_decimal(version)?
        }
        None => 0x10,
    };
    let version = Version::try_from(version).ok()?;
    let costs = field.strip_prefix("m=")?;
    let (memory_cost, costs) = costs.split_once(",t=")?;
    let (time_cost, parallelism) = costs.split_once(",p=")?;
    // libargon2's base64 is standard, unpadded and rejects stray low bits, like this engine.
    let salt = STANDARD_NO_PAD.decode(fields.next()?).ok()?;
    let hash = STANDARD_NO_PAD.decode(fields.next()?).ok()?;
    if fields.next().is_some() {
        return None;
    }
    Some(Encoded {
        variant,
        version,
        memory_cost: c_decimal(memory_cost)?,
        time_cost: c_decimal(time_cost)?,
        parallelism: c_decimal(parallelism)?,
        salt,
        hash,
    })
}

/// Django's `verify` (argon2-cffi's `verify`): recompute with the stored variant, version,
/// parameters, salt and hash length, and compare in constant time.
pub(super) fn verify(password: &str, encoded: &str) -> bool {
    // Django: `algorithm, rest = encoded.split("$", 1)` and checks "$" + rest.
    let Some(phc) = encoded.strip_prefix(Algorithm::Argon2.name()) else {
        return false;
    };
    let Some(stored) = parse(phc) else {
        return false;
    };
    if stored.salt.len() < MIN_SALT_LEN || stored.hash.len() < MIN_HASH_LEN {
        return false;
    }
    let memory = u64::from(stored.memory_cost);
    if memory > MAX_MEMORY_COST || memory * u64::from(stored.time_cost) > MAX_WORK {
        return false;
    }
    let Ok(params) = Params::new(
        stored.memory_cost,
        stored.time_cost,
        stored.parallelism,
        Some(stored.hash.len()),
    ) else {
        return false;
    };
    let mut recomputed = vec![0u8; stored.hash.len()];
    if Argon2::new(stored.variant, stored.version, params)
        .hash_password_into(password.as_bytes(), &stored.salt, &mut recomputed)
        .is_err()
    {
        return false;
    }
    recomputed.ct_eq(&stored.hash).into()
}

/// Django's `must_update`: argon2-cffi's `extract_parameters` differ from the current ones
/// (variant, version, m, t, p, hash length), or the salt has under 128 bits (22 bytes).
pub(super) fn must_update(encoded: &str) -> bool {
    needs_update(encoded).unwrap_or(true)
}

/// [`must_update`], or `None` where Django's `decode` would raise.
fn needs_update(encoded: &str) -> Option<bool> {
    let (_, rest) = encoded.split_once('$')?;
    // extract_parameters("$" + rest): the leading empty field is implied here.
    let mut parts: Vec<&str> = rest.split('$').collect();
    // Backwards compatibility for Argon2 v1.2 hashes, which have no version field.
    if parts.len() == 4 {
        parts.insert(1, "v=18");
    }
    let [variant, version, costs, b64_salt, b64_hash] = parts.as_slice() else {
        return None;
    };
    let (_, variant) = VARIANTS.into_iter().find(|(name, _)| name == variant)?;
    // Python builds a dict: every `k=v` needs exactly one `=`, later keys win, and the keys
    // must be exactly m, p, t and v.
    let (mut m, mut t, mut p, mut v) = (None, None, None, None);
    for pair in std::iter::once(*version).chain(costs.split(',')) {
        let mut kv = pair.split('=');
        let (key, value) = (kv.next()?, kv.next()?);
        if kv.next().is_some() {
            return None;
        }
        let value = py_int(value)?;
        match key {
            "m" => m = Some(value),
            "t" => t = Some(value),
            "p" => p = Some(value),
            "v" => v = Some(value),
            _ => return None,
        }
    }
    let (m, t, p, v) = (m?, t?, p?, v?);
    // argon2-cffi's `_decoded_str_len` of the hash field (Python counts code points).
    let hash_len = decoded_len(b64_hash.chars().count());
    // Django: base64.b64decode(salt + padding, validate=True).
    let salt_len = PYTHON_B64.decode(b64_salt).ok()?.len();
    Some(
        variant != Variant::Argon2id
            || v != i64::from(VERSION)
            || m != i64::from(MEMORY_COST)
            || t != i64::from(TIME_COST)
            || p != i64::from(PARALLELISM)
            || hash_len != HASH_LEN
            || salt_len < SALT_CHARS,
    )
}

/// argon2-cffi's `_decoded_str_len`: bytes encoded by `length` unpadded base64 characters.
const fn decoded_len(length: usize) -> usize {
    let last_group = match length % 4 {
        3 => 2,
        2 => 1,
        _ => 0,
    };
    length / 4 * 3 + last_group
}
