//! Salts and random strings as Django makes them (`get_random_string`), and its salt checks.

use rand::Rng as _;
use rand::TryRng as _;
use rand::rngs::SysRng;

/// Characters of Django's `RANDOM_STRING_CHARS`, used for salts and unusable passwords.
pub(super) const RANDOM_STRING_CHARS: &[u8; 62] =
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// Django's salt length: `ceil(128 / log2(62))` characters for 128 bits of entropy.
pub(super) const SALT_CHARS: usize = 22;

/// 22 random characters from `a-zA-Z0-9` (OS CSPRNG).
#[must_use]
pub fn generate_salt() -> String {
    random_string(SALT_CHARS)
}

/// `length` characters drawn uniformly from [`RANDOM_STRING_CHARS`] (Django's
/// `get_random_string`).
pub(super) fn random_string(length: usize) -> String {
    // 248 = 4 * 62: rejecting bytes at or above it keeps `byte % 62` uniform.
    const ACCEPT_BELOW: u8 = 248;
    let mut out = String::with_capacity(length);
    let mut buffer = [0u8; 64];
    while out.len() < length {
        fill_random(&mut buffer);
        for &byte in &buffer {
            if out.len() == length {
                break;
            }
            if byte < ACCEPT_BELOW {
                let index = usize::from(byte % 62);
                if let Some(&character) = RANDOM_STRING_CHARS.get(index) {
                    out.push(char::from(character));
                }
            }
        }
    }
    out
}

/// Fills `buffer` from the operating system's CSPRNG.
pub(super) fn fill_random(buffer: &mut [u8]) {
    // The OS generator practically never fails; if it does, the thread-local generator (a
    // CSPRNG seeded from the OS) is used rather than panicking or returning weak bytes.
    if SysRng.try_fill_bytes(buffer).is_err() {
        rand::rng().fill_bytes(buffer);
    }
}

/// Django's `_check_encode_args` for the salt: non-empty and without `$`.
pub(super) fn is_valid_salt(salt: &str) -> bool {
    !salt.is_empty() && !salt.contains('$')
}

/// Django's `must_update_salt(salt, 128)`: `len(salt) * log2(62) < 128`, i.e. fewer than 22
/// characters (Python counts code points).
pub(super) fn is_weak_salt(salt: &str) -> bool {
    salt.chars().count() < SALT_CHARS
}
