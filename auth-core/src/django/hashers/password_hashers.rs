//! Django's `PASSWORD_HASHERS` as one value: makes passwords with the preferred hasher and
//! verifies them with any configured one, as `make_password` and `check_password` do.

use std::fmt;
use std::sync::{Arc, OnceLock};

use super::algorithm::Algorithm;
#[cfg(feature = "argon2")]
use super::argon2;
#[cfg(feature = "bcrypt")]
use super::bcrypt;
use super::error::HasherError;
use super::salt::{generate_salt, is_valid_salt, random_string};
#[cfg(feature = "scrypt")]
use super::scrypt;
use super::unusable::{
    UNUSABLE_PASSWORD_SUFFIX_LENGTH, is_password_usable, make_unusable_password,
};
use super::{md5, pbkdf2};

/// Django 6.1's default `PASSWORD_HASHERS`, in order, less those whose feature is off
/// (`argon2`, `bcrypt`, `scrypt`): a value of a hasher not compiled in fails verification, as
/// in a Django project without that hasher installed.
pub const DJANGO_DEFAULT_HASHERS: &[Algorithm] = &[
    Algorithm::Pbkdf2Sha256,
    Algorithm::Pbkdf2Sha1,
    #[cfg(feature = "argon2")]
    Algorithm::Argon2,
    #[cfg(feature = "bcrypt")]
    Algorithm::BcryptSha256,
    #[cfg(feature = "scrypt")]
    Algorithm::Scrypt,
];

/// Django 6.1's `PBKDF2PasswordHasher.iterations`.
pub const DEFAULT_PBKDF2_ITERATIONS: u32 = 1_500_000;

/// Result of `verify_password`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verification {
    /// The password matches the encoded value.
    pub correct: bool,
    /// The encoded value should be replaced by a fresh [`PasswordHashers::make_password`]
    /// (another algorithm, other work factors or a short salt); act on it only when `correct`.
    pub must_update: bool,
}

impl Verification {
    /// Django's `(False, False)`.
    const REJECTED: Self = Self {
        correct: false,
        must_update: false,
    };
}

/// The configured hasher list (Django's `PASSWORD_HASHERS`): the first is preferred for new
/// hashes, all are accepted for checking.
#[derive(Clone)]
pub struct PasswordHashers {
    /// Never empty: [`PasswordHashers::new`] refuses an empty list.
    algorithms: Vec<Algorithm>,
    /// Django's `PBKDF2PasswordHasher.iterations`, shared by both PBKDF2 hashers.
    pbkdf2_iterations: u32,
    /// A value made once with these settings for a random password: what an unknown user's
    /// password is verified against (see [`dummy`](Self::dummy)).
    dummy: Arc<OnceLock<String>>,
}

impl fmt::Debug for PasswordHashers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordHashers")
            .field("algorithms", &self.algorithms)
            .field("pbkdf2_iterations", &self.pbkdf2_iterations)
            .finish_non_exhaustive()
    }
}

impl PartialEq for PasswordHashers {
    fn eq(&self, other: &Self) -> bool {
        self.algorithms == other.algorithms && self.pbkdf2_iterations == other.pbkdf2_iterations
    }
}

impl Eq for PasswordHashers {}

impl PasswordHashers {
    /// A hasher list; `algorithms[0]` is preferred. Fails on an empty list and on an iteration
    /// count of 0 or above 2^31 - 1 (Python's `hashlib.pbkdf2_hmac` limit).
    ///
    /// # Errors
    /// [`HasherError::EmptyList`] or [`HasherError::BadIterations`].
    pub fn new(algorithms: Vec<Algorithm>, pbkdf2_iterations: u32) -> Result<Self, HasherError> {
        if algorithms.is_empty() {
            return Err(HasherError::EmptyList);
        }
        if !(1..=pbkdf2::MAX_ITERATIONS).contains(&pbkdf2_iterations) {
            return Err(HasherError::BadIterations);
        }
        Ok(Self {
            algorithms,
            pbkdf2_iterations,
            dummy: Arc::default(),
        })
    }

    /// Django 6.1's defaults: [`DJANGO_DEFAULT_HASHERS`] with [`DEFAULT_PBKDF2_ITERATIONS`].
    #[must_use]
    pub fn django_default() -> Self {
        Self {
            algorithms: DJANGO_DEFAULT_HASHERS.to_vec(),
            pbkdf2_iterations: DEFAULT_PBKDF2_ITERATIONS,
            dummy: Arc::default(),
        }
    }

    /// The hasher used for new passwords (the first of the list).
    #[must_use]
    pub fn preferred(&self) -> Algorithm {
        // `new` guarantees a first element; the fallback only keeps this free of panics.
        self.algorithms
            .first()
            .copied()
            .unwrap_or(Algorithm::Pbkdf2Sha256)
    }

    /// All accepted hashers, preferred first.
    #[must_use]
    pub fn algorithms(&self) -> &[Algorithm] {
        &self.algorithms
    }

    /// The PBKDF2 iteration count for new hashes (older counts still verify, then need update).
    #[must_use]
    pub const fn pbkdf2_iterations(&self) -> u32 {
        self.pbkdf2_iterations
    }

    /// How long one new hash with the preferred hasher takes on this machine and build, when it
    /// is a PBKDF2 one (`None` otherwise): a run of at most 10 000 iterations, scaled to the
    /// configured count. What start-up warns about (a debug build without the hashing crates
    /// optimised takes seconds per login).
    #[must_use]
    pub fn estimated_hash_time(&self) -> Option<std::time::Duration> {
        let prf = pbkdf2::Prf::of(self.preferred())?;
        let sample = self.pbkdf2_iterations.clamp(1, 10_000);
        let started = std::time::Instant::now();
        std::hint::black_box(pbkdf2::encode(prf, "password", "estimate-salt", sample));
        let scale = f64::from(self.pbkdf2_iterations) / f64::from(sample);
        Some(started.elapsed().mul_f64(scale))
    }

    /// A value of the preferred hasher that no password given here matches, made once (on first
    /// use, for a random password) with these settings: what an unknown user's password is
    /// verified against. Django's `ModelBackend` hashes the password with `set_password` for that;
    /// verifying instead runs exactly the steps a wrong password of an existing user runs (parse,
    /// derive with the stored salt and count, compare in constant time), with no salt drawn from
    /// the OS, so the two take the same time on the same thread.
    pub fn dummy(&self) -> &str {
        self.dummy
            .get_or_init(|| self.make_password(&random_string(UNUSABLE_PASSWORD_SUFFIX_LENGTH)))
    }

    /// `make_password`: hash with the preferred hasher and a fresh 22-char salt.
    ///
    /// Should the preferred hasher's backend fail (argon2 out of memory, for instance), the
    /// value is made with `pbkdf2_sha256` instead, which cannot fail: it verifies while that
    /// hasher is configured, and is upgraded to the preferred one at the next successful login.
    #[must_use]
    pub fn make_password(&self, password: &str) -> String {
        let salt = generate_salt();
        if let Ok(encoded) = self.encode(self.preferred(), password, &salt, None) {
            return encoded;
        }
        pbkdf2::encode(pbkdf2::Prf::Sha256, password, &salt, self.pbkdf2_iterations)
            // Only a broken HMAC could get here; a value no password matches is the safe outcome.
            .unwrap_or_else(make_unusable_password)
    }

    /// `encode` with a given algorithm and salt (tests, migrations of data); iterations only
    /// apply to pbkdf2 (`None` = configured count).
    ///
    /// Works for any [`Algorithm`], configured or not. As in Django, `Some(0)` iterations also
    /// means the configured count. The salt is used as text (its UTF-8 bytes), except that the
    /// bcrypt kinds ignore it: bcrypt salts are 16 random bytes in bcrypt's own base64, which
    /// [`generate_salt`]'s alphabet cannot express, so a fresh one is drawn from the OS.
    ///
    /// # Errors
    /// [`HasherError::BadSalt`] for an empty salt or one containing `$` (for every algorithm),
    /// [`HasherError::SaltTooShort`] for an argon2 salt under 8 bytes,
    /// [`HasherError::BadIterations`] above 2^31 - 1 iterations, and
    /// [`HasherError::Backend`] if the hash implementation fails.
    pub fn encode(
        &self,
        algorithm: Algorithm,
        password: &str,
        salt: &str,
        iterations: Option<u32>,
    ) -> Result<String, HasherError> {
        if !is_valid_salt(salt) {
            return Err(HasherError::BadSalt);
        }
        match algorithm {
            Algorithm::Pbkdf2Sha256 | Algorithm::Pbkdf2Sha1 => {
                // Django: `iterations = iterations or self.iterations`.
                let iterations = match iterations {
                    None | Some(0) => self.pbkdf2_iterations,
                    Some(count) if count > pbkdf2::MAX_ITERATIONS => {
                        return Err(HasherError::BadIterations);
                    }
                    Some(count) => count,
                };
                let prf = pbkdf2::Prf::of(algorithm).ok_or(HasherError::Backend(algorithm))?;
                pbkdf2::encode(prf, password, salt, iterations)
                    .ok_or(HasherError::Backend(algorithm))
            }
            #[cfg(feature = "argon2")]
            Algorithm::Argon2 => argon2::encode(password, salt),
            #[cfg(feature = "bcrypt")]
            Algorithm::BcryptSha256 | Algorithm::Bcrypt => {
                let variant =
                    bcrypt::Variant::of(algorithm).ok_or(HasherError::Backend(algorithm))?;
                bcrypt::encode(variant, password).ok_or(HasherError::Backend(algorithm))
            }
            #[cfg(feature = "scrypt")]
            Algorithm::Scrypt => scrypt::encode(
                password,
                salt,
                u64::from(scrypt::WORK_FACTOR),
                u64::from(scrypt::BLOCK_SIZE),
                u64::from(scrypt::PARALLELISM),
            )
            .ok_or(HasherError::Backend(algorithm)),
            Algorithm::Md5 => Ok(md5::encode(password, salt)),
        }
    }

    /// Django's `verify_password(password, encoded) -> (is_correct, must_update)`.
    ///
    /// * No password, an unusable value (`!…`), no value, or a value whose algorithm is unknown,
    ///   legacy unsalted (`md5$$…`, 32 hex digits, `sha1$$…`) or not configured: the preferred
    ///   hasher hashes a random password once, so that such accounts take as long as real ones,
    ///   and the answer is `(false, false)`.
    /// * Otherwise `must_update` is true when the value's algorithm is not the preferred one or
    ///   the preferred hasher wants new parameters (or cannot parse the value), and `correct`
    ///   is that algorithm's check. A wrong password against an outdated value of the preferred
    ///   algorithm also runs the missing work (PBKDF2 iterations, bcrypt rounds) so that the
    ///   answer takes as long as with current parameters (Django's `harden_runtime`).
    #[must_use]
    pub fn verify_password(&self, password: Option<&str>, encoded: Option<&str>) -> Verification {
        let identified = encoded
            .filter(|encoded| is_password_usable(Some(encoded)))
            .and_then(|encoded| Some((encoded, self.identify(encoded)?)));
        let (Some(password), Some((encoded, algorithm))) = (password, identified) else {
            // black_box: the hash is computed only for its duration, so keep it from being
            // optimised away.
            std::hint::black_box(
                self.make_password(&random_string(UNUSABLE_PASSWORD_SUFFIX_LENGTH)),
            );
            return Verification::REJECTED;
        };

        let preferred = self.preferred();
        let hasher_changed = algorithm != preferred;
        // Short-circuits like Django's `or`: the preferred hasher only parses its own values.
        let must_update = hasher_changed || self.must_update(preferred, encoded);
        let correct = self.verify(algorithm, password, encoded);
        if !correct && !hasher_changed && must_update {
            self.harden_runtime(algorithm, password, encoded);
        }
        Verification {
            correct,
            must_update,
        }
    }

    /// Whether Django's `identify_hasher(encoded)` names a configured hasher (it raises
    /// `ValueError` otherwise): DOT checks a client secret that is a hash with `check_password`
    /// and compares any other stored value as the plain secret.
    pub fn identifies(&self, encoded: &str) -> bool {
        self.identify(encoded).is_some()
    }

    /// Django's `identify_hasher`, limited to configured hashers: `None` means "not installed".
    fn identify(&self, encoded: &str) -> Option<Algorithm> {
        // Django maps 32-char `$`-less values and 37-char `md5$$…` to unsalted_md5 and 46-char
        // `sha1$$…` to unsalted_sha1, neither of which exists here. Any other `md5$$…` has an
        // empty salt, which Django's md5 hasher cannot check either, so it goes the same way.
        // A 32-char value or `sha1$$…` already names no algorithm below.
        if encoded.starts_with("md5$$") {
            return None;
        }
        let name = encoded.split('$').next().unwrap_or(encoded);
        Algorithm::from_name(name).filter(|algorithm| self.algorithms.contains(algorithm))
    }

    /// The hasher's own check of a value identified as `algorithm`.
    fn verify(&self, algorithm: Algorithm, password: &str, encoded: &str) -> bool {
        match algorithm {
            Algorithm::Pbkdf2Sha256 | Algorithm::Pbkdf2Sha1 => pbkdf2::Prf::of(algorithm)
                .is_some_and(|prf| pbkdf2::verify(prf, password, encoded, self.pbkdf2_iterations)),
            #[cfg(feature = "argon2")]
            Algorithm::Argon2 => argon2::verify(password, encoded),
            #[cfg(feature = "bcrypt")]
            Algorithm::BcryptSha256 | Algorithm::Bcrypt => bcrypt::Variant::of(algorithm)
                .is_some_and(|variant| bcrypt::verify(variant, password, encoded)),
            #[cfg(feature = "scrypt")]
            Algorithm::Scrypt => scrypt::verify(password, encoded),
            Algorithm::Md5 => md5::verify(password, encoded),
        }
    }

    /// The preferred hasher's `must_update(encoded)`; a value it cannot parse needs update.
    fn must_update(&self, preferred: Algorithm, encoded: &str) -> bool {
        match preferred {
            Algorithm::Pbkdf2Sha256 | Algorithm::Pbkdf2Sha1 => pbkdf2::Prf::of(preferred)
                .is_none_or(|prf| pbkdf2::must_update(prf, encoded, self.pbkdf2_iterations)),
            #[cfg(feature = "argon2")]
            Algorithm::Argon2 => argon2::must_update(encoded),
            #[cfg(feature = "bcrypt")]
            Algorithm::BcryptSha256 | Algorithm::Bcrypt => bcrypt::must_update(encoded),
            #[cfg(feature = "scrypt")]
            Algorithm::Scrypt => scrypt::must_update(encoded),
            Algorithm::Md5 => md5::must_update(encoded),
        }
    }

    /// Django's `harden_runtime`: spend the work an up-to-date value would have cost.
    fn harden_runtime(&self, algorithm: Algorithm, password: &str, encoded: &str) {
        match algorithm {
            Algorithm::Pbkdf2Sha256 | Algorithm::Pbkdf2Sha1 => {
                if let Some(prf) = pbkdf2::Prf::of(algorithm) {
                    pbkdf2::harden_runtime(prf, password, encoded, self.pbkdf2_iterations);
                }
            }
            #[cfg(feature = "bcrypt")]
            Algorithm::BcryptSha256 | Algorithm::Bcrypt => {
                if let Some(variant) = bcrypt::Variant::of(algorithm) {
                    bcrypt::harden_runtime(variant, password, encoded);
                }
            }
            // Django: "too complicated to implement a sensible hardening algorithm" (argon2,
            // scrypt) or nothing to harden (md5).
            #[cfg(feature = "argon2")]
            Algorithm::Argon2 => {}
            #[cfg(feature = "scrypt")]
            Algorithm::Scrypt => {}
            Algorithm::Md5 => {}
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::django::hashers::salt::RANDOM_STRING_CHARS;

    /// Django 6.1.3 values (computed with its hashers and argon2-cffi / pyca-bcrypt).
    const PBKDF2_SHA256_1000: &str =
        "pbkdf2_sha256$1000$seasalt$YIWkt6M1JFXrHg5s0jZjBSc7C2Cz6QvchSJ0h8Y+i7c=";
    const MD5_SEASALT: &str = "md5$seasalt$1e9bf2bf5606aa5c39852cc30f0f6f22";
    #[cfg(feature = "scrypt")]
    const SCRYPT_SEASALT: &str = "scrypt$16384$seasalt$8$5$3vqv8bhuV70T8qE/sm/1JgaaAVCPji0UBOiBZ08T4YJshNUkRkzId6sCqfxxDbPrlelp7VLgYKxUQHS0Cqv4lw==";
    #[cfg(feature = "argon2")]
    const ARGON2_DJANGO: &str = "argon2$argon2id$v=19$m=102400,t=2,p=8$c2Vhc2FsdHNlYXNhbHRzZWFzYWx0MQ$cTc/rTMpASJqIo2gHSCjiHTpvyUMxM90K6oFQMLtXJs";
    #[cfg(feature = "bcrypt")]
    const BCRYPT_SHA256_COST4: &str =
        "bcrypt_sha256$$2b$04$abcdefghijklmnopqrstuuavYyybW8SwBYgHrVfEOHIljvgCGgHr2";
    /// Cheap argon2d value (m=64, t=1) for the malformed-input sweeps.
    #[cfg(feature = "argon2")]
    const ARGON2D_SMALL: &str = "argon2$argon2d$v=19$m=64,t=1,p=1$c2Vhc2FsdHNlYXNhbHQ$PtTX2UxXTbubC38e7NAedwmKQorvd4btRH9qtpAtwi4";
    /// Cheap scrypt value (N=1024, p=1).
    #[cfg(feature = "scrypt")]
    const SCRYPT_SMALL: &str = "scrypt$1024$seasaltseasaltseasalt1$8$1$DFjJbqLO+Mp1RyZMwfLjCe8exKmIYtDKI4JKPYA/CgfONOHru1wbrb/WVaiZYBM4zjP4cj7pBnoBIk6tY88pHg==";
    #[cfg(feature = "bcrypt")]
    const BCRYPT_COST4: &str =
        "bcrypt$$2b$04$abcdefghijklmnopqrstuughE8Ev8uGFaUgY2cNEySvxngrb/Jzdm";

    fn hashers(algorithms: &[Algorithm], iterations: u32) -> PasswordHashers {
        PasswordHashers::new(algorithms.to_vec(), iterations).unwrap()
    }

    /// Every algorithm installed, md5 preferred: fake runs and updates stay cheap.
    fn all_md5_first() -> PasswordHashers {
        let mut algorithms = vec![Algorithm::Md5];
        algorithms.extend(
            Algorithm::ALL
                .iter()
                .copied()
                .filter(|a| *a != Algorithm::Md5),
        );
        hashers(&algorithms, 1000)
    }

    fn check(hashers: &PasswordHashers, password: &str, encoded: &str) -> (bool, bool) {
        let verification = hashers.verify_password(Some(password), Some(encoded));
        (verification.correct, verification.must_update)
    }

    #[test]
    fn pbkdf2_sha256_django_default_vector() {
        let django = PasswordHashers::django_default();
        let encoded = django
            .encode(
                Algorithm::Pbkdf2Sha256,
                "password",
                "seasaltseasaltseasalt1",
                None,
            )
            .unwrap();
        assert_eq!(
            encoded,
            "pbkdf2_sha256$1500000$seasaltseasaltseasalt1$TEMLqAa9eWQjdqgNSOH6EoaemZ2c984hqIsRe4jxPxM="
        );
        assert_eq!(check(&django, "password", &encoded), (true, false));
    }

    #[test]
    fn pbkdf2_sha256_1000_iterations_vector() {
        let django = PasswordHashers::django_default();
        let encoded = django
            .encode(Algorithm::Pbkdf2Sha256, "password", "seasalt", Some(1000))
            .unwrap();
        assert_eq!(encoded, PBKDF2_SHA256_1000);
        // Fewer iterations than configured and a short salt: correct, needs update.
        assert_eq!(check(&django, "password", &encoded), (true, true));
    }

    #[test]
    fn pbkdf2_low_iteration_vectors() {
        let h = hashers(&[Algorithm::Pbkdf2Sha256, Algorithm::Pbkdf2Sha1], 1000);
        let vectors = [
            (
                Algorithm::Pbkdf2Sha256,
                "seasalt",
                999,
                "pbkdf2_sha256$999$seasalt$XUnwiWcc9BJUzuR2MftgMNcnz2zW21Fe7jCL20Y2gWQ=",
            ),
            (
                Algorithm::Pbkdf2Sha256,
                "seasalt",
                1,
                "pbkdf2_sha256$1$seasalt$YQUqaoGGIdcjQtCPUVvu1oIcyb7WgPW9b7k/hvRudOk=",
            ),
            (
                Algorithm::Pbkdf2Sha1,
                "seasaltseasaltseasalt1",
                3,
                "pbkdf2_sha1$3$seasaltseasaltseasalt1$5B9sSJJM42S773aMXmFtbRSOhGw=",
            ),
        ];
        for (algorithm, salt, iterations, expected) in vectors {
            let encoded = h
                .encode(algorithm, "password", salt, Some(iterations))
                .unwrap();
            assert_eq!(encoded, expected);
            assert!(check(&h, "password", expected).0, "{expected}");
            // Wrong password with fewer iterations: hardened with the missing ones.
            assert_eq!(check(&h, "wrong", expected), (false, true), "{expected}");
        }
    }

    #[test]
    fn pbkdf2_sha1_vector() {
        let h = hashers(&[Algorithm::Pbkdf2Sha1], 1000);
        let encoded = h
            .encode(Algorithm::Pbkdf2Sha1, "password", "seasalt", Some(1000))
            .unwrap();
        assert_eq!(
            encoded,
            "pbkdf2_sha1$1000$seasalt$C8KvRfPW529R7JpDHEDOP35Xr0g="
        );
        assert_eq!(check(&h, "password", &encoded), (true, true));
        assert_eq!(check(&h, "wrong", &encoded), (false, true));
    }

    #[test]
    fn md5_vector() {
        let h = hashers(&[Algorithm::Md5], 1000);
        let encoded = h
            .encode(Algorithm::Md5, "password", "seasalt", None)
            .unwrap();
        assert_eq!(encoded, MD5_SEASALT);
        // Django: (True, True), the salt is short.
        assert_eq!(check(&h, "password", &encoded), (true, true));
        assert_eq!(check(&h, "wrong", &encoded), (false, true));
        let long_salt = "md5$seasaltseasaltseasalt1$c256a2192eeff48a5a55045227da1a37";
        assert_eq!(check(&h, "password", long_salt), (true, false));
    }

    #[cfg(feature = "scrypt")]
    #[test]
    fn scrypt_vector() {
        let h = hashers(&[Algorithm::Scrypt], 1000);
        let encoded = h
            .encode(Algorithm::Scrypt, "password", "seasalt", None)
            .unwrap();
        assert_eq!(encoded, SCRYPT_SEASALT);
        // Django's scrypt hasher ignores the salt length: (True, False).
        assert_eq!(check(&h, "password", &encoded), (true, false));
        assert_eq!(check(&h, "wrong", &encoded), (false, false));
        // Non-preferred: correct but to be upgraded.
        let django = hashers(DJANGO_DEFAULT_HASHERS, 1000);
        assert_eq!(check(&django, "password", &encoded), (true, true));
    }

    #[cfg(feature = "scrypt")]
    #[test]
    fn scrypt_other_parameters_need_update() {
        let h = hashers(&[Algorithm::Scrypt], 1000);
        assert_eq!(check(&h, "password", SCRYPT_SMALL), (true, true));
        assert_eq!(check(&h, "wrong", SCRYPT_SMALL), (false, true));
    }

    #[cfg(all(feature = "argon2", feature = "scrypt"))]
    #[test]
    fn non_ascii_vectors() {
        let h = all_md5_first();
        assert_eq!(
            h.encode(Algorithm::Pbkdf2Sha256, "lètmein", "sält", Some(1000))
                .unwrap(),
            "pbkdf2_sha256$1000$sält$DKtWTOgcEhIp1FZ3TL28liH0QpTQEAAsUFqgoNEBT+w="
        );
        assert_eq!(
            h.encode(Algorithm::Md5, "lètmein", "sält", None).unwrap(),
            "md5$sält$11ceccda715bc20d3720b6c47443aa4a"
        );
        assert_eq!(
            h.encode(Algorithm::Scrypt, "lètmein", "sält", None)
                .unwrap(),
            "scrypt$16384$sält$8$5$OmFfFINEygA/Ckx7iKr6WmtNMeuJAoM5JZtOg4qV4AXR5SMBQk/JtCCFd8pHbbM8X4PM3anpqKOqwBM3CwoFIw=="
        );
        let argon2 = h
            .encode(Algorithm::Argon2, "lètmein", "ŝalt-ŝalt", None)
            .unwrap();
        assert_eq!(
            argon2,
            "argon2$argon2id$v=19$m=102400,t=2,p=8$xZ1hbHQtxZ1hbHQ$Dyopwtjv6USMXFQqyt+2C+JBQ6biUOw30EEYdIeqksc"
        );
        let argon2_first = hashers(&[Algorithm::Argon2], 1000);
        // 11 salt bytes: correct, and the salt is too short.
        assert_eq!(check(&argon2_first, "lètmein", &argon2), (true, true));
    }

    #[cfg(feature = "argon2")]
    #[test]
    fn argon2_django_vector() {
        let h = hashers(&[Algorithm::Argon2], 1000);
        let encoded = h
            .encode(
                Algorithm::Argon2,
                "password",
                "seasaltseasaltseasalt1",
                None,
            )
            .unwrap();
        assert_eq!(encoded, ARGON2_DJANGO);
        assert_eq!(check(&h, "password", &encoded), (true, false));
        assert_eq!(check(&h, "wrong", &encoded), (false, false));
    }

    #[cfg(feature = "argon2")]
    #[test]
    fn argon2_round_trip() {
        let h = hashers(&[Algorithm::Argon2, Algorithm::Pbkdf2Sha256], 1000);
        let encoded = h.make_password("correct horse");
        assert!(encoded.starts_with("argon2$argon2id$v=19$m=102400,t=2,p=8$"));
        assert_eq!(check(&h, "correct horse", &encoded), (true, false));
        assert_eq!(check(&h, "wrong horse", &encoded), (false, false));
    }

    #[cfg(feature = "argon2")]
    #[test]
    fn argon2_older_formats_verify_and_need_update() {
        let h = hashers(&[Algorithm::Argon2], 1000);
        // Django < 3.2's argon2i with a 16-byte hash, argon2d, version 1.0 and a hash from
        // before the version field existed: all made by argon2-cffi.
        let old = [
            "argon2$argon2i$v=19$m=512,t=2,p=2$c2Vhc2FsdHNlYXNhbHQ$yYWoVLb5qHnW53PNflyX7w",
            ARGON2D_SMALL,
            "argon2$argon2id$v=16$m=64,t=1,p=1$c2Vhc2FsdHNlYXNhbHQ$5cMrrJEN83EAmx1y4aI5Urvn8q6WMCXHVnXyhcuG6bc",
            "argon2$argon2id$m=64,t=1,p=1$c2Vhc2FsdHNlYXNhbHQ$5cMrrJEN83EAmx1y4aI5Urvn8q6WMCXHVnXyhcuG6bc",
        ];
        for encoded in old {
            assert_eq!(check(&h, "password", encoded), (true, true), "{encoded}");
            assert_eq!(check(&h, "wrong", encoded), (false, true), "{encoded}");
        }
        // Current parameters except m: only m triggers the update.
        let small = "argon2$argon2id$v=19$m=64,t=2,p=8$c2Vhc2FsdHNlYXNhbHRzZWFzYWx0MQ$HaRVoXpQq3gy5C/CBiquAjnrg/0azAUuvL+DgJaNsY0";
        assert_eq!(check(&h, "lètmein", small), (true, true));
    }

    #[cfg(feature = "argon2")]
    #[test]
    fn argon2_short_salt_needs_update() {
        let h = hashers(&[Algorithm::Argon2], 1000);
        let encoded = h
            .encode(Algorithm::Argon2, "password", "seasaltseasaltseasalt", None)
            .unwrap();
        assert_eq!(check(&h, "password", &encoded), (true, true));
    }

    #[cfg(feature = "bcrypt")]
    #[test]
    fn bcrypt_sha256_django_vectors() {
        let h = hashers(&[Algorithm::BcryptSha256], 1000);
        assert_eq!(check(&h, "password", BCRYPT_SHA256_COST4), (true, true));
        // Wrong password: hardened with 255 more cost-4 hashes.
        assert_eq!(check(&h, "wrong", BCRYPT_SHA256_COST4), (false, true));
        let two_y = "bcrypt_sha256$$2y$04$abcdefghijklmnopqrstuuavYyybW8SwBYgHrVfEOHIljvgCGgHr2";
        assert_eq!(check(&h, "password", two_y), (true, true));
        // The SHA-256 pre-hash means no truncation at 72 bytes.
        let long = "bcrypt_sha256$$2b$04$abcdefghijklmnopqrstuut2SshH6UbGkn9RXLOv/njlCqQS.IYXK";
        assert_eq!(check(&h, &"x".repeat(100), long), (true, true));
        assert_eq!(check(&h, &"x".repeat(72), long), (false, true));
    }

    #[cfg(feature = "bcrypt")]
    #[test]
    fn bcrypt_sha256_round_trip() {
        let h = hashers(&[Algorithm::BcryptSha256], 1000);
        let encoded = h
            .encode(Algorithm::BcryptSha256, "lètmein", "ignored", None)
            .unwrap();
        assert!(encoded.starts_with("bcrypt_sha256$$2b$12$"), "{encoded}");
        assert_eq!(encoded.len(), "bcrypt_sha256$".len() + 60);
        assert_eq!(check(&h, "lètmein", &encoded), (true, false));
        assert_eq!(check(&h, "letmein", &encoded), (false, false));
    }

    #[cfg(feature = "bcrypt")]
    #[test]
    fn bcrypt_plain_vector_and_truncation() {
        let h = hashers(&[Algorithm::Bcrypt], 1000);
        assert_eq!(check(&h, "password", BCRYPT_COST4), (true, true));
        let long = "y".repeat(80);
        let encoded = h.encode(Algorithm::Bcrypt, &long, "ignored", None).unwrap();
        assert!(encoded.starts_with("bcrypt$$2b$12$"), "{encoded}");
        assert_eq!(check(&h, &long, &encoded), (true, false));
        // bcrypt only reads 72 bytes.
        let truncated_twin = format!("{}zzzz", "y".repeat(72));
        assert_eq!(check(&h, &truncated_twin, &encoded), (true, false));
    }

    #[test]
    fn must_update_rules() {
        // Fewer iterations than configured (salt long enough).
        let h = hashers(&[Algorithm::Pbkdf2Sha256], 2000);
        let encoded = h
            .encode(
                Algorithm::Pbkdf2Sha256,
                "pw",
                "seasaltseasaltseasalt1",
                Some(1000),
            )
            .unwrap();
        assert_eq!(check(&h, "pw", &encoded), (true, true));
        assert_eq!(check(&h, "nope", &encoded), (false, true));
        // More iterations than configured also need update (Django compares with !=).
        let more = h
            .encode(
                Algorithm::Pbkdf2Sha256,
                "pw",
                "seasaltseasaltseasalt1",
                Some(3000),
            )
            .unwrap();
        assert_eq!(check(&h, "pw", &more), (true, true));
        // Configured count: the salt decides (22 characters are enough, 21 are not).
        let current = h
            .encode(
                Algorithm::Pbkdf2Sha256,
                "pw",
                "seasaltseasaltseasalt1",
                None,
            )
            .unwrap();
        assert_eq!(check(&h, "pw", &current), (true, false));
        assert_eq!(check(&h, "nope", &current), (false, false));
        let short = h
            .encode(Algorithm::Pbkdf2Sha256, "pw", "seasaltseasaltseasalt", None)
            .unwrap();
        assert_eq!(check(&h, "pw", &short), (true, true));
        // Non-preferred algorithm.
        let with_md5 = hashers(&[Algorithm::Pbkdf2Sha256, Algorithm::Md5], 1000);
        let md5 = with_md5
            .encode(Algorithm::Md5, "pw", "seasaltseasaltseasalt1", None)
            .unwrap();
        assert_eq!(check(&with_md5, "pw", &md5), (true, true));
        assert_eq!(check(&with_md5, "nope", &md5), (false, true));
        // The other PBKDF2 digest is another algorithm too.
        let sha1 = hashers(&[Algorithm::Pbkdf2Sha256, Algorithm::Pbkdf2Sha1], 1000);
        let encoded = sha1
            .encode(Algorithm::Pbkdf2Sha1, "pw", "seasaltseasaltseasalt1", None)
            .unwrap();
        assert_eq!(check(&sha1, "pw", &encoded), (true, true));
    }

    #[cfg(feature = "scrypt")]
    #[test]
    fn make_password_uses_preferred_and_fresh_salts() {
        let h = hashers(&[Algorithm::Pbkdf2Sha256, Algorithm::Md5], 1000);
        let first = h.make_password("pw");
        let second = h.make_password("pw");
        assert_ne!(first, second);
        let fields: Vec<&str> = first.split('$').collect();
        assert_eq!(fields.len(), 4);
        assert_eq!(fields[0], "pbkdf2_sha256");
        assert_eq!(fields[1], "1000");
        assert_eq!(fields[2].len(), 22);
        assert_eq!(check(&h, "pw", &first), (true, false));
        assert_eq!(check(&h, "pw", &second), (true, false));
        let scrypt = hashers(&[Algorithm::Scrypt], 1000);
        let encoded = scrypt.make_password("pw");
        assert!(encoded.starts_with("scrypt$16384$"));
        assert_eq!(check(&scrypt, "pw", &encoded), (true, false));
        let md5 = hashers(&[Algorithm::Md5], 1000);
        assert_eq!(check(&md5, "pw", &md5.make_password("pw")), (true, false));
    }

    #[cfg(all(feature = "argon2", feature = "bcrypt", feature = "scrypt"))]
    #[test]
    fn fake_runtime_cases_reject_without_update() {
        let h = hashers(&[Algorithm::Pbkdf2Sha256, Algorithm::Md5], 1000);
        let rejected = Verification {
            correct: false,
            must_update: false,
        };
        assert_eq!(h.verify_password(None, Some(MD5_SEASALT)), rejected);
        assert_eq!(h.verify_password(Some("password"), None), rejected);
        assert_eq!(h.verify_password(None, None), rejected);
        let fake = [
            "!xyz".to_owned(),
            make_unusable_password(),
            "foo$bar".to_owned(),
            // Unsalted MD5 of "password", bare and as `md5$$`, and unsalted SHA-1.
            "5f4dcc3b5aa765d61d8327deb882cf99".to_owned(),
            "md5$$5f4dcc3b5aa765d61d8327deb882cf99".to_owned(),
            "md5$$abc".to_owned(),
            "sha1$$5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8".to_owned(),
            // Valid values of algorithms that are not configured.
            SCRYPT_SEASALT.to_owned(),
            ARGON2_DJANGO.to_owned(),
            BCRYPT_SHA256_COST4.to_owned(),
            // Names are case-sensitive.
            MD5_SEASALT.replace("md5", "MD5"),
            String::new(),
        ];
        for encoded in &fake {
            assert_eq!(
                h.verify_password(Some("password"), Some(encoded)),
                rejected,
                "{encoded}"
            );
        }
        // Installed, it verifies.
        assert_eq!(check(&h, "password", MD5_SEASALT), (true, true));
    }

    #[test]
    fn malformed_values_never_verify() {
        let malformed = [
            "pbkdf2_sha256$",
            "pbkdf2_sha256$abc$salt$hash",
            "pbkdf2_sha256$1000$salt",
            "pbkdf2_sha256$0$salt$x",
            "pbkdf2_sha256$-5$salt$x",
            "pbkdf2_sha256$99999999999$salt$x",
            "pbkdf2_sha256$1000$$x",
            "pbkdf2_sha1$1_000$seasalt$C8KvRfPW529R7JpDHEDOP35Xr0g=",
            "pbkdf2_sha1$+1000$seasalt$C8KvRfPW529R7JpDHEDOP35Xr0g=",
            "scrypt$99999999999$s$8$5$x",
            "scrypt$32768$seasalt$8$5$x",
            "scrypt$16384$seasalt$8$16383$x",
            "scrypt$65536$s$1$1$x",
            "scrypt$16384$seasalt$8$5",
            "scrypt$16384$seasalt$8$5$x$y",
            "scrypt$16384$$8$5$x",
            "scrypt$-16384$s$8$5$x",
            "scrypt$16383$s$8$5$x",
            "argon2$garbage",
            "argon2$",
            "argon2$argon2id$v=19$m=102400,t=2,p=8$c2Vhc2FsdA$x",
            "argon2$argon2id$v=19$m=4294967295,t=2,p=8$c2Vhc2FsdHNlYXNhbHQ$5cMrrJEN83EAmx1y4aI5Urvn8q6WMCXHVnXyhcuG6bc",
            "argon2$argon2id$v=19$m=65536,t=4294967295,p=8$c2Vhc2FsdHNlYXNhbHQ$5cMrrJEN83EAmx1y4aI5Urvn8q6WMCXHVnXyhcuG6bc",
            "argon2$argon2id$v=19$m=64,t=1,p=16777216$c2Vhc2FsdHNlYXNhbHQ$5cMrrJEN83EAmx1y4aI5Urvn8q6WMCXHVnXyhcuG6bc",
            "argon2$argon2id$v=19$m=64,t=0,p=1$c2Vhc2FsdHNlYXNhbHQ$5cMrrJEN83EAmx1y4aI5Urvn8q6WMCXHVnXyhcuG6bc",
            "argon2$argon2id$v=18$m=64,t=1,p=1$c2Vhc2FsdHNlYXNhbHQ$5cMrrJEN83EAmx1y4aI5Urvn8q6WMCXHVnXyhcuG6bc",
            "argon2$argon2id$v=19$m=064,t=1,p=1$c2Vhc2FsdHNlYXNhbHQ$5cMrrJEN83EAmx1y4aI5Urvn8q6WMCXHVnXyhcuG6bc",
            "argon2$argon2x$v=19$m=64,t=1,p=1$c2Vhc2FsdHNlYXNhbHQ$5cMrrJEN83EAmx1y4aI5Urvn8q6WMCXHVnXyhcuG6bc",
            "argon2$argon2id$v=19$m=64,t=1,p=1$c2Vhc2FsdHNlYXNhbHQ$5cMrrJEN83EAmx1y4aI5Urvn8q6WMCXHVnXyhcuG6bc$",
            "argon2$argon2id$v=19$m=64,t=1,p=1$c2Vhc2FsdHNlYXNhbHQ$ab",
            "bcrypt_sha256$$2b$zz",
            "bcrypt_sha256$",
            "bcrypt_sha256$$2b$03$abcdefghijklmnopqrstuuavYyybW8SwBYgHrVfEOHIljvgCGgHr2",
            "bcrypt_sha256$$2b$32$abcdefghijklmnopqrstuuavYyybW8SwBYgHrVfEOHIljvgCGgHr2",
            "bcrypt_sha256$$2c$04$abcdefghijklmnopqrstuuavYyybW8SwBYgHrVfEOHIljvgCGgHr2",
            "bcrypt_sha256$$2b$04$abcdefghijklmnopqrstuuavYyybW8SwBYgHrVfEOHIljvgCGgHr",
            "bcrypt_sha256$$2b$04$abcdefghijklmnopqrstuuavYyybW8SwBYgHrVfEOHIljvgCGgHr2x",
            "bcrypt_sha256$$2b$04$abcdefghijklmnopqrstuéavYyybW8SwBYgHrVfEOHIljvgCGgHr2",
            "bcrypt$$2b$04$short",
            "md5$abc",
            "md5$",
            "",
            "$",
            "$$$$$$$$",
            "ü€$\u{0}junk",
            "pbkdf2_sha256$1000$sält$ü",
            "argon2$argon2id$v=19$m=é",
            "scrypt$1024$é$8$1$€",
            "bcrypt$ü",
        ];
        // Every algorithm installed, each preferred in turn for the values of its own kind
        // (exercising its must_update and harden_runtime), md5 preferred for the rest.
        let cheap = all_md5_first();
        for encoded in malformed {
            let verification = cheap.verify_password(Some("password"), Some(encoded));
            assert!(!verification.correct, "{encoded}");
            let own = encoded.split('$').next().and_then(Algorithm::from_name);
            if let Some(own) = own.filter(|a| *a != Algorithm::Md5) {
                let mut algorithms = vec![own];
                algorithms.extend(Algorithm::ALL.iter().copied().filter(|a| *a != own));
                let preferred = hashers(&algorithms, 1000);
                let verification = preferred.verify_password(Some("password"), Some(encoded));
                assert!(!verification.correct, "{encoded}");
            }
        }
    }

    #[cfg(all(feature = "argon2", feature = "bcrypt", feature = "scrypt"))]
    #[test]
    fn truncated_and_mangled_values_never_panic() {
        let h = all_md5_first();
        let valid = [
            PBKDF2_SHA256_1000,
            "pbkdf2_sha1$1000$seasalt$C8KvRfPW529R7JpDHEDOP35Xr0g=",
            MD5_SEASALT,
            SCRYPT_SMALL,
            ARGON2D_SMALL,
            BCRYPT_SHA256_COST4,
            BCRYPT_COST4,
        ];
        for encoded in valid {
            assert!(check(&h, "password", encoded).0, "{encoded}");
            for (index, _) in encoded.char_indices().skip(1) {
                let truncated = &encoded[..index];
                assert!(!check(&h, "password", truncated).0, "{truncated}");
                let mut mangled = encoded.to_owned();
                mangled.replace_range(index..=index, "é");
                assert!(!check(&h, "password", &mangled).0, "{mangled}");
                let mut dollar = encoded.to_owned();
                dollar.replace_range(index..=index, "$");
                let _ = check(&h, "password", &dollar);
            }
        }
    }

    #[cfg(feature = "scrypt")]
    #[test]
    fn scrypt_limits_follow_openssl() {
        let ok = |n: u64, r: u64, p: u64| scrypt::params(n, r, p).is_some();
        // Django's hashlib.scrypt(maxmem=0): at most 32 MiB for B plus V (the boundaries below
        // were checked against Python/OpenSSL), p * r < 2^30 and N < 2^(16 r).
        assert!(ok(16384, 8, 5));
        assert!(ok(2, 1, 262_140));
        assert!(!ok(2, 1, 262_141));
        assert!(ok(65536, 2, 1));
        assert!(!ok(131_072, 2, 1));
        assert!(!ok(32768, 8, 1));
        assert!(ok(32768, 1, 1));
        assert!(!ok(65536, 1, 1));
        assert!(!ok(1, 8, 1));
        assert!(!ok(3, 8, 1));
        assert!(!ok(1024, 0, 1));
        assert!(!ok(1024, 8, 0));
        assert!(!ok(1 << 40, 1 << 30, 1 << 30));
        assert!(!ok(u64::MAX, u64::MAX, u64::MAX));
        // Within OpenSSL's limits (Django would compute it for minutes) but over the work cap.
        assert!(ok(16384, 8, 128));
        assert!(!ok(16384, 8, 129));
        assert!(!ok(16384, 8, 16382));
        let h = hashers(&[Algorithm::Scrypt], 1000);
        let slow = "scrypt$16384$seasalt$8$16382$x";
        assert_eq!(check(&h, "password", slow), (false, true));
    }

    #[cfg(feature = "scrypt")]
    #[test]
    fn new_rejects_bad_lists() {
        assert_eq!(
            PasswordHashers::new(vec![], 1000),
            Err(HasherError::EmptyList)
        );
        assert_eq!(
            PasswordHashers::new(vec![Algorithm::Md5], 0),
            Err(HasherError::BadIterations)
        );
        assert_eq!(
            PasswordHashers::new(vec![Algorithm::Md5], 0x8000_0000),
            Err(HasherError::BadIterations)
        );
        let h = PasswordHashers::new(vec![Algorithm::Scrypt, Algorithm::Md5], 7).unwrap();
        assert_eq!(h.preferred(), Algorithm::Scrypt);
        assert_eq!(h.algorithms(), &[Algorithm::Scrypt, Algorithm::Md5]);
        assert_eq!(h.pbkdf2_iterations(), 7);
        let django = PasswordHashers::django_default();
        assert_eq!(django.preferred(), Algorithm::Pbkdf2Sha256);
        assert_eq!(django.algorithms(), DJANGO_DEFAULT_HASHERS);
        assert_eq!(django.pbkdf2_iterations(), DEFAULT_PBKDF2_ITERATIONS);
    }

    #[cfg(feature = "argon2")]
    #[test]
    fn encode_rejects_bad_arguments() {
        let h = all_md5_first();
        for &algorithm in Algorithm::ALL {
            assert_eq!(
                h.encode(algorithm, "pw", "", None),
                Err(HasherError::BadSalt)
            );
            assert_eq!(
                h.encode(algorithm, "pw", "a$b", None),
                Err(HasherError::BadSalt)
            );
        }
        assert_eq!(
            h.encode(Algorithm::Argon2, "pw", "seasalt", None),
            Err(HasherError::SaltTooShort)
        );
        assert_eq!(
            h.encode(Algorithm::Pbkdf2Sha256, "pw", "salt", Some(0x8000_0000)),
            Err(HasherError::BadIterations)
        );
        // Django's `iterations or self.iterations`.
        assert_eq!(
            h.encode(Algorithm::Pbkdf2Sha256, "password", "seasalt", Some(0)),
            Ok(PBKDF2_SHA256_1000.to_owned())
        );
        // Error messages carry no secrets.
        assert_eq!(
            HasherError::BadSalt.to_string(),
            "a salt must be non-empty and must not contain '$'"
        );
        assert_eq!(
            HasherError::Backend(Algorithm::Argon2).to_string(),
            "the argon2 hasher failed"
        );
    }

    #[cfg(feature = "bcrypt")]
    #[test]
    fn algorithm_names_round_trip() {
        for &algorithm in Algorithm::ALL {
            assert_eq!(Algorithm::from_name(algorithm.name()), Some(algorithm));
        }
        assert_eq!(Algorithm::Pbkdf2Sha256.name(), "pbkdf2_sha256");
        assert_eq!(Algorithm::BcryptSha256.name(), "bcrypt_sha256");
        assert_eq!(Algorithm::from_name("unsalted_md5"), None);
        assert_eq!(Algorithm::from_name("PBKDF2_SHA256"), None);
        assert_eq!(Algorithm::from_name(""), None);
    }

    #[test]
    fn salts_and_unusable_passwords() {
        let salt = generate_salt();
        assert_eq!(salt.len(), 22);
        assert!(salt.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(salt, generate_salt());
        let unusable = make_unusable_password();
        assert_eq!(unusable.len(), 41);
        assert!(unusable.starts_with('!'));
        assert!(unusable[1..].bytes().all(|b| b.is_ascii_alphanumeric()));
        assert!(!is_password_usable(Some(&unusable)));
        assert!(!is_password_usable(Some("!")));
        assert!(is_password_usable(None));
        assert!(is_password_usable(Some("")));
        assert!(is_password_usable(Some(MD5_SEASALT)));
        // Every character of the alphabet shows up: the draw is not stuck on a subset.
        let many = random_string(5000);
        for &character in RANDOM_STRING_CHARS {
            assert!(many.contains(char::from(character)));
        }
    }

    #[test]
    fn the_dummy_is_made_once_with_these_settings_and_verifies_no_given_password() {
        let h = hashers(&[Algorithm::Pbkdf2Sha256, Algorithm::Md5], 1000);
        let dummy = h.dummy().to_owned();
        assert!(dummy.starts_with("pbkdf2_sha256$1000$"), "{dummy}");
        // Made once, and shared by the clones (the settings' copies).
        assert_eq!(h.clone().dummy(), dummy);
        // Neither outdated nor matched: exactly a wrong password's verification.
        for password in ["", "password", "dummy"] {
            assert_eq!(check(&h, password, &dummy), (false, false), "{password:?}");
        }
        // Other settings, another value.
        let other = hashers(&[Algorithm::Pbkdf2Sha256], 2000);
        assert!(other.dummy().starts_with("pbkdf2_sha256$2000$"));
    }
}
