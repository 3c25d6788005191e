//! Django 6.1's password hashers (`django.contrib.auth.hashers`), byte for byte.
//!
//! A Django password column holds `<algorithm>$<algorithm-specific fields>`. This module makes
//! such values ([`PasswordHashers::make_password`], [`PasswordHashers::encode`]) and checks
//! passwords against them ([`PasswordHashers::verify_password`]) exactly as Django does, so one
//! `auth_user` table can be shared by a Django site and this crate.
//!
//! Encoded values come from a database, so nothing here trusts them: a malformed value fails
//! verification and never panics, and work factors that would allocate or compute absurd amounts
//! are refused (see each algorithm's module).

mod algorithm;
#[cfg(feature = "argon2")]
mod argon2;
#[cfg(feature = "bcrypt")]
mod bcrypt;
mod error;
mod md5;
mod password_hashers;
mod pbkdf2;
#[doc(hidden)]
pub mod pbkdf2_sha256;
pub(crate) mod salt;
#[cfg(feature = "scrypt")]
mod scrypt;
mod unusable;

pub use algorithm::Algorithm;
pub use error::HasherError;
pub use password_hashers::{
    DEFAULT_PBKDF2_ITERATIONS, DJANGO_DEFAULT_HASHERS, PasswordHashers, Verification,
};
pub use salt::generate_salt;
pub use unusable::{is_password_usable, make_unusable_password};
