//! PyJWT's algorithms by their JOSE names, and its `HMACAlgorithm` (HS256, HS384, HS512) with
//! its checks on the secret. The asymmetric algorithms sign and verify through
//! [`key`](super::key) (feature `jwt-asymmetric`).

use std::fmt;

use hmac::Hmac;
use sha2::{Sha256, Sha384, Sha512};

use super::error::JwtError;

/// A signing algorithm by its JOSE name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// HMAC with SHA-256 (simplejwt's default).
    HS256,
    /// HMAC with SHA-384.
    HS384,
    /// HMAC with SHA-512.
    HS512,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// RSASSA-PSS with SHA-256.
    PS256,
    /// RSASSA-PSS with SHA-384.
    PS384,
    /// RSASSA-PSS with SHA-512.
    PS512,
    /// ECDSA on P-256 with SHA-256.
    ES256,
    /// ECDSA on P-384 with SHA-384.
    ES384,
    /// EdDSA on Ed25519.
    EdDSA,
}

/// The kind of key an algorithm takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// A shared secret.
    Hmac,
    /// An RSA key pair.
    Rsa,
    /// An elliptic-curve key pair (P-256, P-384).
    Ec,
    /// An Edwards-curve key pair (Ed25519).
    Ed,
}

impl Algorithm {
    /// Every algorithm, in PyJWT's order.
    pub const ALL: [Self; 12] = [
        Self::HS256,
        Self::HS384,
        Self::HS512,
        Self::RS256,
        Self::RS384,
        Self::RS512,
        Self::ES256,
        Self::ES384,
        Self::PS256,
        Self::PS384,
        Self::PS512,
        Self::EdDSA,
    ];

    /// The `alg` header value.
    pub fn name(self) -> &'static str {
        match self {
            Self::HS256 => "HS256",
            Self::HS384 => "HS384",
            Self::HS512 => "HS512",
            Self::RS256 => "RS256",
            Self::RS384 => "RS384",
            Self::RS512 => "RS512",
            Self::PS256 => "PS256",
            Self::PS384 => "PS384",
            Self::PS512 => "PS512",
            Self::ES256 => "ES256",
            Self::ES384 => "ES384",
            Self::EdDSA => "EdDSA",
        }
    }

    /// The header segment PyJWT writes for this algorithm and a key without `kid`: base64url of
    /// `{"alg":"…","typ":"JWT"}`. Written out rather than computed per token — a measured
    /// speed-up of every decode and `str(token)` (a test checks each against the computed one).
    pub const fn header_segment(self) -> &'static str {
        match self {
            Self::HS256 => "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
            Self::HS384 => "eyJhbGciOiJIUzM4NCIsInR5cCI6IkpXVCJ9",
            Self::HS512 => "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9",
            Self::RS256 => "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9",
            Self::RS384 => "eyJhbGciOiJSUzM4NCIsInR5cCI6IkpXVCJ9",
            Self::RS512 => "eyJhbGciOiJSUzUxMiIsInR5cCI6IkpXVCJ9",
            Self::PS256 => "eyJhbGciOiJQUzI1NiIsInR5cCI6IkpXVCJ9",
            Self::PS384 => "eyJhbGciOiJQUzM4NCIsInR5cCI6IkpXVCJ9",
            Self::PS512 => "eyJhbGciOiJQUzUxMiIsInR5cCI6IkpXVCJ9",
            Self::ES256 => "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9",
            Self::ES384 => "eyJhbGciOiJFUzM4NCIsInR5cCI6IkpXVCJ9",
            Self::EdDSA => "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9",
        }
    }

    /// The algorithm named `name` (exact case, as PyJWT looks it up).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|algorithm| algorithm.name() == name)
    }

    /// The kind of key it takes.
    pub fn family(self) -> Family {
        match self {
            Self::HS256 | Self::HS384 | Self::HS512 => Family::Hmac,
            Self::RS256 | Self::RS384 | Self::RS512 | Self::PS256 | Self::PS384 | Self::PS512 => {
                Family::Rsa
            }
            Self::ES256 | Self::ES384 => Family::Ec,
            Self::EdDSA => Family::Ed,
        }
    }

    /// The digest's length in bytes: PyJWT's recommended minimum HMAC key length.
    pub fn digest_len(self) -> usize {
        match self {
            Self::HS384 | Self::RS384 | Self::PS384 | Self::ES384 => 48,
            Self::HS512 | Self::RS512 | Self::PS512 | Self::EdDSA => 64,
            Self::HS256 | Self::RS256 | Self::PS256 | Self::ES256 => 32,
        }
    }

    /// The HMAC of `input` with `key`; `None` for an algorithm that is not HMAC.
    pub(crate) fn sign_hmac(self, key: &HmacKey, input: &[u8]) -> Option<Vec<u8>> {
        fn mac<M: hmac::Mac + Clone>(prepared: &M, input: &[u8]) -> Vec<u8> {
            let mut mac = prepared.clone();
            mac.update(input);
            mac.finalize().into_bytes().to_vec()
        }
        match self {
            Self::HS256 => Some(mac(&key.prepared.sha256, input)),
            Self::HS384 => Some(mac(&key.prepared.sha384, input)),
            Self::HS512 => Some(mac(&key.prepared.sha512, input)),
            _ => None,
        }
    }

    /// Whether `signature` is `input`'s HMAC, compared in constant time
    /// (`hmac.compare_digest`); false for an algorithm that is not HMAC.
    pub(crate) fn verify_hmac(self, key: &HmacKey, input: &[u8], signature: &[u8]) -> bool {
        fn check<M: hmac::Mac + Clone>(prepared: &M, input: &[u8], signature: &[u8]) -> bool {
            let mut mac = prepared.clone();
            mac.update(input);
            mac.verify_slice(signature).is_ok()
        }
        match self {
            Self::HS256 => check(&key.prepared.sha256, input, signature),
            Self::HS384 => check(&key.prepared.sha384, input, signature),
            Self::HS512 => check(&key.prepared.sha512, input, signature),
            _ => false,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An HMAC secret that passed PyJWT's `HMACAlgorithm.prepare_key`. Never printed.
///
/// The HMAC states after the key (its inner and outer pads hashed) are made once, here, and
/// cloned for each token: two of the six or so SHA-256 blocks a token's HMAC costs
/// (measured: `bench/instructions.sh`, BENCHMARKS.md).
#[derive(Clone)]
pub struct HmacKey {
    secret: Vec<u8>,
    prepared: std::sync::Arc<Prepared>,
}

/// The keyed HMAC states of the three digests.
struct Prepared {
    sha256: Hmac<Sha256>,
    sha384: Hmac<Sha384>,
    sha512: Hmac<Sha512>,
}

impl PartialEq for HmacKey {
    /// Compared in constant time, as any secret.
    fn eq(&self, other: &Self) -> bool {
        use subtle::ConstantTimeEq as _;
        bool::from(self.secret.ct_eq(&other.secret))
    }
}

impl Eq for HmacKey {}

impl fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HmacKey(<redacted>)")
    }
}

/// PEM labels PyJWT treats as asymmetric material (`jwt.utils._PEMS`).
const PEM_LABELS: [&[u8]; 16] = [
    b"CERTIFICATE",
    b"TRUSTED CERTIFICATE",
    b"PRIVATE KEY",
    b"PUBLIC KEY",
    b"ENCRYPTED PRIVATE KEY",
    b"OPENSSH PRIVATE KEY",
    b"DSA PRIVATE KEY",
    b"RSA PRIVATE KEY",
    b"RSA PUBLIC KEY",
    b"EC PRIVATE KEY",
    b"DH PARAMETERS",
    b"NEW CERTIFICATE REQUEST",
    b"CERTIFICATE REQUEST",
    b"SSH2 PUBLIC KEY",
    b"SSH2 ENCRYPTED PRIVATE KEY",
    b"X509 CRL",
];

/// Prefixes of OpenSSH public keys (`jwt.utils._SSH_KEY_FORMATS`).
const SSH_PREFIXES: [&[u8]; 6] = [
    b"ssh-ed25519",
    b"ssh-rsa",
    b"ssh-dss",
    b"ecdsa-sha2-nistp256",
    b"ecdsa-sha2-nistp384",
    b"ecdsa-sha2-nistp521",
];

const ASYMMETRIC: &str = "The specified key is an asymmetric key or x509 certificate and should not be used as an HMAC secret.";
const LOOKS_LIKE_JWK: &str = "The specified key looks like a JWK and should not be used directly as an HMAC secret. Load it via PyJWK / HMACAlgorithm.from_jwk first.";

impl HmacKey {
    /// PyJWT 2.15's `HMACAlgorithm.prepare_key`: refuses an empty key, a PEM block or OpenSSH
    /// public key (so that a public key published for RS256 cannot be used to forge an HS256
    /// token), and JSON holding a `kty` member (a JWK passed raw).
    ///
    /// Divergence: PyJWT also refuses binary DER public keys and certificates, which it detects
    /// by parsing them with `cryptography`; they are accepted here.
    pub fn new(key: impl Into<Vec<u8>>) -> Result<Self, JwtError> {
        let key = key.into();
        if key.is_empty() {
            return Err(JwtError::InvalidKey("HMAC key must not be empty."));
        }
        if is_pem_format(&key) || SSH_PREFIXES.iter().any(|prefix| key.starts_with(prefix)) {
            return Err(JwtError::InvalidKey(ASYMMETRIC));
        }
        if let Ok(json) = serde_json::from_slice::<serde_json::Value>(&key)
            && contains_kty(&json)
        {
            return Err(JwtError::InvalidKey(LOOKS_LIKE_JWK));
        }
        fn keyed<M: hmac::KeyInit>(key: &[u8]) -> Result<M, JwtError> {
            <M as hmac::KeyInit>::new_from_slice(key)
                .map_err(|_| JwtError::InvalidKey("HMAC key must not be empty."))
        }
        let prepared = Prepared {
            sha256: keyed(&key)?,
            sha384: keyed(&key)?,
            sha512: keyed(&key)?,
        };
        Ok(Self {
            secret: key,
            prepared: std::sync::Arc::new(prepared),
        })
    }

    /// PyJWT's `InsecureKeyLengthWarning` text when the key is shorter than `algorithm`'s
    /// digest (a warning there too: the key is still used).
    pub fn length_warning(&self, algorithm: Algorithm) -> Option<String> {
        let minimum = algorithm.digest_len();
        (self.secret.len() < minimum).then(|| {
            format!(
                "The HMAC key is {} bytes long, which is below the minimum recommended length of \
                 {minimum} bytes for SHA{}. See RFC 7518 Section 3.2.",
                self.secret.len(),
                minimum * 8
            )
        })
    }
}

/// `jwt.utils.is_pem_format`: a `BEGIN` marker of a known label, and an `END` marker of the
/// same label after it (`----[- ](BEGIN|END) LABEL[- ]----`).
fn is_pem_format(key: &[u8]) -> bool {
    let mut begun: Vec<(&[u8], usize)> = Vec::new();
    for start in 0..key.len() {
        let Some((is_begin, label, end)) = marker_at(key, start) else {
            continue;
        };
        if is_begin {
            begun.retain(|(known, _)| *known != label);
            begun.push((label, end));
        } else if begun
            .iter()
            .any(|(known, begin_end)| *known == label && *begin_end < start)
        {
            return true;
        }
    }
    false
}

/// The PEM marker starting at `start`: whether it is a `BEGIN`, its label, and where it ends.
fn marker_at(key: &[u8], start: usize) -> Option<(bool, &'static [u8], usize)> {
    let rest = key.get(start..)?;
    let rest = rest.strip_prefix(b"----")?;
    let rest = rest
        .strip_prefix(b"-")
        .or_else(|| rest.strip_prefix(b" "))?;
    let (is_begin, rest) = match rest.strip_prefix(b"BEGIN ") {
        Some(rest) => (true, rest),
        None => (false, rest.strip_prefix(b"END ")?),
    };
    PEM_LABELS.iter().find_map(|label| {
        let after = rest.strip_prefix(*label)?;
        let after = after
            .strip_prefix(b"-")
            .or_else(|| after.strip_prefix(b" "))?;
        after.strip_prefix(b"----")?;
        Some((is_begin, *label, key.len() - after.len() + 4))
    })
}

/// Whether any object in `value` has a `kty` member.
fn contains_kty(value: &serde_json::Value) -> bool {
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            serde_json::Value::Object(map) => {
                if map.contains_key("kty") {
                    return true;
                }
                pending.extend(map.values());
            }
            serde_json::Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_out_header_segments_are_the_computed_ones() {
        use base64::Engine as _;
        for algorithm in Algorithm::ALL {
            let header = format!(r#"{{"alg":"{}","typ":"JWT"}}"#, algorithm.name());
            assert_eq!(
                algorithm.header_segment(),
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(header),
                "{algorithm}"
            );
        }
    }

    #[test]
    fn keys_pyjwt_refuses() {
        assert_eq!(
            HmacKey::new(Vec::new()),
            Err(JwtError::InvalidKey("HMAC key must not be empty."))
        );
        let pem = "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n";
        assert_eq!(HmacKey::new(pem), Err(JwtError::InvalidKey(ASYMMETRIC)));
        let spaced = "---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n---- END SSH2 PUBLIC KEY ----";
        assert_eq!(HmacKey::new(spaced), Err(JwtError::InvalidKey(ASYMMETRIC)));
        assert_eq!(
            HmacKey::new("ssh-ed25519 AAAAC3Nza"),
            Err(JwtError::InvalidKey(ASYMMETRIC))
        );
        assert_eq!(
            HmacKey::new(r#"[{"k":"abc","kty":"oct"}]"#),
            Err(JwtError::InvalidKey(LOOKS_LIKE_JWK))
        );
        // A BEGIN marker alone, an END before its BEGIN, other JSON: secrets like any other.
        assert!(HmacKey::new("-----BEGIN PUBLIC KEY-----").is_ok());
        assert!(HmacKey::new("-----END PUBLIC KEY----- -----BEGIN PUBLIC KEY-----").is_ok());
        assert!(HmacKey::new(r#"{"a":1}"#).is_ok());
        assert!(HmacKey::new("not very secret in tests").is_ok());
    }

    #[test]
    fn short_keys_are_warned_about_as_pyjwt_does() {
        let key = HmacKey::new("not very secret in tests").expect("a valid key");
        assert_eq!(
            key.length_warning(Algorithm::HS256).as_deref(),
            Some(
                "The HMAC key is 24 bytes long, which is below the minimum recommended length of \
                 32 bytes for SHA256. See RFC 7518 Section 3.2."
            )
        );
        assert_eq!(format!("{key:?}"), "HmacKey(<redacted>)");
        let long = HmacKey::new([7_u8; 64].to_vec()).expect("a valid key");
        assert_eq!(long.length_warning(Algorithm::HS512), None);
    }

    #[test]
    fn signatures_verify_only_with_their_key_and_algorithm() {
        let key = HmacKey::new("k1").expect("a valid key");
        let other = HmacKey::new("k2").expect("a valid key");
        for algorithm in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
            let signature = algorithm.sign_hmac(&key, b"input").unwrap();
            assert_eq!(signature.len(), algorithm.digest_len());
            assert!(algorithm.verify_hmac(&key, b"input", &signature));
            assert!(!algorithm.verify_hmac(&other, b"input", &signature));
            assert!(!algorithm.verify_hmac(&key, b"inpuT", &signature));
            assert!(!algorithm.verify_hmac(&key, b"input", &signature[1..]));
            assert!(!algorithm.verify_hmac(&key, b"input", b""));
        }
    }
}
