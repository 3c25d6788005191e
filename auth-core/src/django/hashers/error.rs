//! What can go wrong building a hasher list or encoding a password.

use super::algorithm::Algorithm;

/// Why a hasher list could not be built or a value could not be encoded.
///
/// Messages never contain a password, a salt or a hash.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum HasherError {
    /// `PASSWORD_HASHERS` was empty: there would be no preferred hasher.
    #[error("the password hasher list must not be empty")]
    EmptyList,
    /// A PBKDF2 iteration count was 0 or above what Python's `hashlib` accepts (2^31 - 1).
    #[error("PBKDF2 iterations must be between 1 and 2147483647")]
    BadIterations,
    /// The salt was empty or contained `$` (Django's `_check_encode_args`).
    #[error("a salt must be non-empty and must not contain '$'")]
    BadSalt,
    /// Argon2 needs at least 8 bytes of salt (argon2-cffi refuses shorter ones too).
    #[error("an argon2 salt must be at least 8 bytes long")]
    SaltTooShort,
    /// The underlying hash implementation failed (out of memory, for instance).
    #[error("the {} hasher failed", .0.name())]
    Backend(Algorithm),
}
