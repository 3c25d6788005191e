//! Django's password hasher algorithms, named as Django stores them.

/// Django's hasher algorithms, by the name stored before the first `$`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// `pbkdf2_sha256`: PBKDF2-HMAC-SHA256 (Django's default).
    Pbkdf2Sha256,
    /// `pbkdf2_sha1`: PBKDF2-HMAC-SHA1.
    Pbkdf2Sha1,
    /// `argon2`: Argon2 in argon2-cffi's encoding (argon2id for new hashes).
    #[cfg(feature = "argon2")]
    #[cfg_attr(docsrs, doc(cfg(feature = "argon2")))]
    Argon2,
    /// `bcrypt_sha256`: bcrypt over the hex SHA-256 digest of the password.
    #[cfg(feature = "bcrypt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "bcrypt")))]
    BcryptSha256,
    /// `bcrypt`: bcrypt over the raw password (truncated at 72 bytes).
    #[cfg(feature = "bcrypt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "bcrypt")))]
    Bcrypt,
    /// `scrypt`: scrypt with Django's N, r, p.
    #[cfg(feature = "scrypt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "scrypt")))]
    Scrypt,
    /// `md5`: salted MD5 (insecure; only for legacy data and fast tests).
    Md5,
}

impl Algorithm {
    /// Every algorithm compiled in, in the order of the enum.
    pub(super) const ALL: &[Self] = &[
        Self::Pbkdf2Sha256,
        Self::Pbkdf2Sha1,
        #[cfg(feature = "argon2")]
        Self::Argon2,
        #[cfg(feature = "bcrypt")]
        Self::BcryptSha256,
        #[cfg(feature = "bcrypt")]
        Self::Bcrypt,
        #[cfg(feature = "scrypt")]
        Self::Scrypt,
        Self::Md5,
    ];

    /// The name Django stores before the first `$` (its hasher's `algorithm` attribute).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Pbkdf2Sha256 => "pbkdf2_sha256",
            Self::Pbkdf2Sha1 => "pbkdf2_sha1",
            #[cfg(feature = "argon2")]
            Self::Argon2 => "argon2",
            #[cfg(feature = "bcrypt")]
            Self::BcryptSha256 => "bcrypt_sha256",
            #[cfg(feature = "bcrypt")]
            Self::Bcrypt => "bcrypt",
            #[cfg(feature = "scrypt")]
            Self::Scrypt => "scrypt",
            Self::Md5 => "md5",
        }
    }

    /// The algorithm of a `PASSWORD_HASHERS` entry (Django's dotted class path), or why not:
    /// a Django hasher whose feature this build lacks, or a class this library does not have.
    pub fn from_hasher_path(path: &str) -> Result<Self, String> {
        let (name, feature) = match path.strip_prefix("django.contrib.auth.hashers.") {
            Some("PBKDF2PasswordHasher") => ("pbkdf2_sha256", None),
            Some("PBKDF2SHA1PasswordHasher") => ("pbkdf2_sha1", None),
            Some("Argon2PasswordHasher") => ("argon2", Some("argon2")),
            Some("BCryptSHA256PasswordHasher") => ("bcrypt_sha256", Some("bcrypt")),
            Some("BCryptPasswordHasher") => ("bcrypt", Some("bcrypt")),
            Some("ScryptPasswordHasher") => ("scrypt", Some("scrypt")),
            Some("MD5PasswordHasher") => ("md5", None),
            _ => return Err(format!("'{path}' is not one of Django's password hashers")),
        };
        Self::from_name(name).ok_or_else(|| {
            format!(
                "'{path}' needs this library's `{}` feature",
                feature.unwrap_or(name)
            )
        })
    }

    /// The algorithm stored under `name`, if it is one of these (names are case-sensitive).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|algorithm| algorithm.name() == name)
    }
}
