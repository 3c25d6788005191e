//! The keys a JWS is signed and verified with: an HMAC secret (PyJWT's `HMACAlgorithm`), or —
//! with the `jwt-asymmetric` feature — an RSA, EC (P-256, P-384) or Ed25519 key pair
//! (PyJWT's `RSAAlgorithm`, `RSAPSSAlgorithm`, `ECAlgorithm`, `OKPAlgorithm`), through the
//! `jsonwebtoken` crate's RustCrypto backend. The header and payload bytes stay this module's
//! (PyJWT's order and escaping); `jsonwebtoken` only signs and verifies them.

use std::fmt;

use super::algorithm::{Algorithm, Family, HmacKey};
use super::error::JwtError;

/// The key tokens are signed with (`SIGNING_KEY`).
#[derive(Clone)]
pub enum SigningKey {
    /// An HMAC secret, for HS256/384/512.
    Hmac(HmacKey),
    /// A private key, for the RSA, EC and EdDSA algorithms.
    #[cfg(feature = "jwt-asymmetric")]
    Private(Box<PrivateKey>),
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Hmac(key) => key.fmt(f),
            #[cfg(feature = "jwt-asymmetric")]
            Self::Private(key) => key.fmt(f),
        }
    }
}

/// A key tokens are verified with (`VERIFYING_KEY`, or one of a JWK set).
#[derive(Clone)]
pub enum VerifyingKey {
    /// An HMAC secret (the signing key itself, for HS256/384/512).
    Hmac(HmacKey),
    /// A public key.
    #[cfg(feature = "jwt-asymmetric")]
    Public(Box<PublicKey>),
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Hmac(key) => key.fmt(f),
            #[cfg(feature = "jwt-asymmetric")]
            Self::Public(key) => key.fmt(f),
        }
    }
}

impl SigningKey {
    /// The key that verifies what this one signs: the same secret, or the public half.
    pub fn verifying_key(&self) -> VerifyingKey {
        match self {
            Self::Hmac(key) => VerifyingKey::Hmac(key.clone()),
            #[cfg(feature = "jwt-asymmetric")]
            Self::Private(key) => VerifyingKey::Public(Box::new(key.public.clone())),
        }
    }

    /// The `kid` put in the header of the tokens it signs, if any.
    pub fn kid(&self) -> Option<&str> {
        match self {
            Self::Hmac(_) => None,
            #[cfg(feature = "jwt-asymmetric")]
            Self::Private(key) => key.public.kid.as_deref(),
        }
    }

    /// Whether the key can sign with `algorithm` (PyJWT's `prepare_key` of its class).
    pub fn fits(&self, algorithm: Algorithm) -> bool {
        match self {
            Self::Hmac(_) => algorithm.family() == Family::Hmac,
            #[cfg(feature = "jwt-asymmetric")]
            Self::Private(key) => key.family == algorithm.family(),
        }
    }

    /// The signature of `input`, or why there is none (a key of another family).
    pub fn sign(&self, algorithm: Algorithm, input: &[u8]) -> Result<Vec<u8>, JwtError> {
        match self {
            Self::Hmac(key) if algorithm.family() == Family::Hmac => {
                algorithm.sign_hmac(key, input).ok_or(JwtError::InvalidKey(
                    "the key cannot sign with this algorithm",
                ))
            }
            #[cfg(feature = "jwt-asymmetric")]
            Self::Private(key) if key.family == algorithm.family() => {
                use base64::Engine as _;
                let signature =
                    jsonwebtoken::crypto::sign(input, &key.encoding, asymmetric::jose(algorithm)?)
                        .map_err(|_| {
                            JwtError::InvalidKey("the key cannot sign with this algorithm")
                        })?;
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(signature)
                    .map_err(|_| JwtError::InvalidKey("the key cannot sign with this algorithm"))
            }
            _ => Err(JwtError::InvalidKey(
                "the key cannot sign with this algorithm",
            )),
        }
    }
}

impl VerifyingKey {
    /// The key's `kid`, if it has one.
    pub fn kid(&self) -> Option<&str> {
        match self {
            Self::Hmac(_) => None,
            #[cfg(feature = "jwt-asymmetric")]
            Self::Public(key) => key.kid.as_deref(),
        }
    }

    /// The public JWK a JWKS endpoint publishes for this key: `None` for an HMAC secret, which
    /// is never published.
    pub fn public_jwk(&self) -> Option<serde_json::Value> {
        match self {
            Self::Hmac(_) => None,
            #[cfg(feature = "jwt-asymmetric")]
            Self::Public(key) => Some(key.jwk()),
        }
    }

    /// Whether `signature` is `input`'s under `algorithm` with this key; a key of another
    /// family verifies nothing.
    pub fn verify(&self, algorithm: Algorithm, input: &[u8], signature: &[u8]) -> bool {
        match self {
            Self::Hmac(key) => {
                algorithm.family() == Family::Hmac && algorithm.verify_hmac(key, input, signature)
            }
            #[cfg(feature = "jwt-asymmetric")]
            Self::Public(key) => {
                use base64::Engine as _;
                if key.family != algorithm.family() {
                    return false;
                }
                let Ok(jose) = asymmetric::jose(algorithm) else {
                    return false;
                };
                let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(signature);
                jsonwebtoken::crypto::verify(&signature, input, &key.decoding, jose)
                    .unwrap_or(false)
            }
        }
    }
}

#[cfg(feature = "jwt-asymmetric")]
pub use asymmetric::{PrivateKey, PublicKey};

#[cfg(feature = "jwt-asymmetric")]
mod asymmetric {
    use std::fmt;

    use jsonwebtoken::jwk::{Jwk, PublicKeyUse};
    use jsonwebtoken::{DecodingKey, EncodingKey};

    use super::super::algorithm::{Algorithm, Family};
    use super::super::error::JwtError;

    const NOT_A_KEY: &str = "not a PEM key of the algorithm's type";

    fn family_of(family: jsonwebtoken::AlgorithmFamily) -> Family {
        match family {
            jsonwebtoken::AlgorithmFamily::Hmac => Family::Hmac,
            jsonwebtoken::AlgorithmFamily::Rsa => Family::Rsa,
            jsonwebtoken::AlgorithmFamily::Ec => Family::Ec,
            jsonwebtoken::AlgorithmFamily::Ed => Family::Ed,
        }
    }

    /// The `jsonwebtoken` name of an asymmetric algorithm.
    pub(super) fn jose(algorithm: Algorithm) -> Result<jsonwebtoken::Algorithm, JwtError> {
        use jsonwebtoken::Algorithm as J;
        Ok(match algorithm {
            Algorithm::RS256 => J::RS256,
            Algorithm::RS384 => J::RS384,
            Algorithm::RS512 => J::RS512,
            Algorithm::PS256 => J::PS256,
            Algorithm::PS384 => J::PS384,
            Algorithm::PS512 => J::PS512,
            Algorithm::ES256 => J::ES256,
            Algorithm::ES384 => J::ES384,
            Algorithm::EdDSA => J::EdDSA,
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => {
                return Err(JwtError::InvalidKey("an HMAC algorithm takes a secret"));
            }
        })
    }

    /// A private key and its public half. Never printed.
    #[derive(Clone)]
    pub struct PrivateKey {
        pub(super) family: Family,
        pub(super) encoding: EncodingKey,
        pub(super) public: PublicKey,
    }

    impl fmt::Debug for PrivateKey {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("PrivateKey")
                .field("family", &self.family)
                .field("kid", &self.public.kid)
                .finish_non_exhaustive()
        }
    }

    impl PrivateKey {
        /// A PEM private key (PKCS#1 or PKCS#8 for RSA, PKCS#8 for EC and Ed25519) for
        /// `algorithm`, as simplejwt's `SIGNING_KEY` holds it; checked by signing once.
        pub fn from_pem(algorithm: Algorithm, pem: &[u8]) -> Result<Self, JwtError> {
            let family = algorithm.family();
            let encoding = match family {
                Family::Rsa => EncodingKey::from_rsa_pem(pem),
                Family::Ec => EncodingKey::from_ec_pem(pem),
                Family::Ed => EncodingKey::from_ed_pem(pem),
                Family::Hmac => {
                    return Err(JwtError::InvalidKey("an HMAC algorithm takes a secret"));
                }
            }
            .map_err(|_| JwtError::InvalidKey(NOT_A_KEY))?;
            let jose = jose(algorithm)?;
            let jwk = Jwk::from_encoding_key(&encoding, jose)
                .map_err(|_| JwtError::InvalidKey(NOT_A_KEY))?;
            let decoding =
                DecodingKey::from_jwk(&jwk).map_err(|_| JwtError::InvalidKey(NOT_A_KEY))?;
            jsonwebtoken::crypto::sign(b"probe", &encoding, jose)
                .map_err(|_| JwtError::InvalidKey(NOT_A_KEY))?;
            Ok(Self {
                family,
                encoding,
                public: PublicKey {
                    family,
                    decoding,
                    jwk,
                    kid: None,
                },
            })
        }

        /// This key with a `kid`: written in the header of the tokens it signs, and published
        /// with its public half.
        #[must_use]
        pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
            self.public = self.public.with_kid(kid);
            self
        }

        /// The public half.
        pub fn public_key(&self) -> &PublicKey {
            &self.public
        }
    }

    /// A public key, with its JWK and optional `kid`.
    #[derive(Clone)]
    pub struct PublicKey {
        pub(super) family: Family,
        pub(super) decoding: DecodingKey,
        pub(super) jwk: Jwk,
        pub(super) kid: Option<String>,
    }

    impl fmt::Debug for PublicKey {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("PublicKey")
                .field("family", &self.family)
                .field("kid", &self.kid)
                .finish_non_exhaustive()
        }
    }

    impl PublicKey {
        /// A PEM public key (SubjectPublicKeyInfo, or PKCS#1 for RSA) for `algorithm`, as
        /// simplejwt's `VERIFYING_KEY` holds it.
        pub fn from_pem(algorithm: Algorithm, pem: &[u8]) -> Result<Self, JwtError> {
            let family = algorithm.family();
            let decoding = match family {
                Family::Rsa => DecodingKey::from_rsa_pem(pem),
                Family::Ec => DecodingKey::from_ec_pem(pem),
                Family::Ed => DecodingKey::from_ed_pem(pem),
                Family::Hmac => {
                    return Err(JwtError::InvalidKey("an HMAC algorithm takes a secret"));
                }
            }
            .map_err(|_| JwtError::InvalidKey(NOT_A_KEY))?;
            let jwk = Jwk::from_decoding_key(&decoding, Some(jose(algorithm)?))
                .map_err(|_| JwtError::InvalidKey(NOT_A_KEY))?;
            Ok(Self {
                family,
                decoding,
                jwk,
                kid: None,
            })
        }

        /// The keys of a JWK set (`{"keys":[…]}`) that can verify `algorithm`, each with its
        /// `kid` (what `JWK_URL` serves); keys of other types are skipped.
        pub fn from_jwk_set(algorithm: Algorithm, json: &str) -> Result<Vec<Self>, JwtError> {
            let set: jsonwebtoken::jwk::JwkSet =
                serde_json::from_str(json).map_err(|_| JwtError::InvalidKey("not a JWK set"))?;
            let family = algorithm.family();
            let mut keys = Vec::new();
            for jwk in set.keys {
                let Ok(decoding) = DecodingKey::from_jwk(&jwk) else {
                    continue;
                };
                // A secret (`oct`) in a set of public keys is never taken: it would be
                // published by the JWKS view.
                if family == Family::Hmac || family_of(decoding.family()) != family {
                    continue;
                }
                keys.push(Self {
                    family,
                    kid: jwk.common.key_id.clone(),
                    decoding,
                    jwk,
                });
            }
            Ok(keys)
        }

        /// This key with a `kid`.
        #[must_use]
        pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
            let kid = kid.into();
            self.jwk.common.key_id = Some(kid.clone());
            self.kid = Some(kid);
            self
        }

        /// The public JWK, as a JWKS endpoint publishes it (`"use":"sig"`).
        pub fn jwk(&self) -> serde_json::Value {
            let mut jwk = self.jwk.clone();
            jwk.common.public_key_use = Some(PublicKeyUse::Signature);
            serde_json::to_value(jwk).unwrap_or(serde_json::Value::Null)
        }
    }
}

#[cfg(test)]
#[cfg(feature = "jwt-asymmetric")]
mod tests {
    use serde_json::{Map, Value, json};

    use super::*;
    use crate::jwt::claims::ClaimRules;
    use crate::jwt::jws;

    fn pem(name: &str) -> &'static str {
        match name {
            "rsa" => include_str!("../../tests/fixtures/jwt/rsa.pem"),
            "rsa.pub" => include_str!("../../tests/fixtures/jwt/rsa.pub.pem"),
            "rsa-other" => include_str!("../../tests/fixtures/jwt/rsa-other.pem"),
            "ec256" => include_str!("../../tests/fixtures/jwt/ec256.pem"),
            "ec256.pub" => include_str!("../../tests/fixtures/jwt/ec256.pub.pem"),
            "ec384" => include_str!("../../tests/fixtures/jwt/ec384.pem"),
            "ed25519" => include_str!("../../tests/fixtures/jwt/ed25519.pem"),
            _ => "",
        }
    }

    /// Tokens PyJWT 2.15.1 signed with the fixtures' keys (see the fixtures' README).
    fn vectors() -> Map<String, Value> {
        let text = include_str!("../../tests/fixtures/jwt/pyjwt-vectors.json");
        match serde_json::from_str(text) {
            Ok(Value::Object(vectors)) => vectors,
            _ => Map::new(),
        }
    }

    fn payload() -> Map<String, Value> {
        match json!({
            "token_type": "access", "exp": 1_796_527_931, "iat": 1_796_527_631,
            "jti": "7d50b58f2e734278aa342d6ef0b26956", "user_id": "1",
        }) {
            Value::Object(payload) => payload,
            _ => Map::new(),
        }
    }

    const NOW: f64 = 1_796_527_700.0;

    #[test]
    fn pyjwts_asymmetric_tokens_verify_and_the_deterministic_ones_are_the_same_bytes() {
        let vectors = vectors();
        assert_eq!(vectors.len(), 10);
        for (name, vector) in &vectors {
            let algorithm = Algorithm::from_name(name.trim_end_matches("-kid")).unwrap();
            let key_name = vector["key"].as_str().unwrap();
            let token = vector["token"].as_str().unwrap();
            let mut private = PrivateKey::from_pem(algorithm, pem(key_name).as_bytes()).unwrap();
            if name.ends_with("-kid") {
                private = private.with_kid("2026-12");
            }
            let signing = SigningKey::Private(Box::new(private));
            let keys = [signing.verifying_key()];
            let decoded = jws::decode(token, &keys, &[algorithm], &ClaimRules::default(), NOW)
                .unwrap_or_else(|error| panic!("{name}: {error}"));
            assert_eq!(decoded.payload, payload(), "{name}");
            let ours = jws::encode(&payload(), &signing, algorithm).unwrap();
            if vector["deterministic"] == json!(true) {
                assert_eq!(ours, token, "{name}: PyJWT's bytes");
            } else {
                // ECDSA and PSS sign with fresh randomness: same header and payload bytes.
                assert_eq!(
                    ours.rsplit_once('.').unwrap().0,
                    token.rsplit_once('.').unwrap().0
                );
            }
            assert!(jws::decode(&ours, &keys, &[algorithm], &ClaimRules::default(), NOW).is_ok());
        }
    }

    #[test]
    fn a_public_pem_verifies_and_another_key_or_family_does_not() {
        let token = vectors()["RS256"]["token"].as_str().unwrap().to_owned();
        let rules = ClaimRules::default();
        let public = PublicKey::from_pem(Algorithm::RS256, pem("rsa.pub").as_bytes()).unwrap();
        let keys = [VerifyingKey::Public(Box::new(public.clone()))];
        assert!(jws::decode(&token, &keys, &[Algorithm::RS256], &rules, NOW).is_ok());
        let other = PrivateKey::from_pem(Algorithm::RS256, pem("rsa-other").as_bytes()).unwrap();
        let wrong = [VerifyingKey::Public(Box::new(other.public_key().clone()))];
        assert_eq!(
            jws::decode(&token, &wrong, &[Algorithm::RS256], &rules, NOW).map(|_| ()),
            Err(JwtError::InvalidSignature)
        );
        // An HS256 token signed with the public key's PEM text (the classic confusion attack) is
        // refused: the PEM is not an HMAC key, and an RSA key verifies no HMAC.
        assert!(HmacKey::new(pem("rsa.pub")).is_err());
        let header_swapped = jws::encode(
            &payload(),
            &SigningKey::Hmac(HmacKey::new("x").unwrap()),
            Algorithm::HS256,
        )
        .unwrap();
        assert!(jws::decode(&header_swapped, &keys, &[Algorithm::HS256], &rules, NOW).is_err());
        // A key of another family for the algorithm.
        assert!(PrivateKey::from_pem(Algorithm::ES256, pem("rsa").as_bytes()).is_err());
        assert!(PrivateKey::from_pem(Algorithm::RS256, pem("ec256").as_bytes()).is_err());
        assert!(PublicKey::from_pem(Algorithm::ES256, pem("rsa.pub").as_bytes()).is_err());
        assert!(PrivateKey::from_pem(Algorithm::RS256, b"not a pem").is_err());
        let ec = SigningKey::Private(Box::new(
            PrivateKey::from_pem(Algorithm::ES256, pem("ec256").as_bytes()).unwrap(),
        ));
        assert!(!ec.fits(Algorithm::RS256));
        assert!(jws::encode(&payload(), &ec, Algorithm::RS256).is_err());
    }

    #[test]
    fn a_jwk_set_is_searched_by_kid_and_publishes_the_public_halves() {
        let current = PrivateKey::from_pem(Algorithm::RS256, pem("rsa").as_bytes())
            .unwrap()
            .with_kid("current");
        let previous = PrivateKey::from_pem(Algorithm::RS256, pem("rsa-other").as_bytes())
            .unwrap()
            .with_kid("previous");
        let set = json!({"keys": [current.public_key().jwk(), previous.public_key().jwk(),
                                  {"kty": "oct", "k": "c2VjcmV0", "kid": "hmac"}]});
        let published = current.public_key().jwk();
        assert_eq!(published["kid"], "current");
        assert_eq!(published["use"], "sig");
        assert_eq!(published["alg"], "RS256");
        assert!(published.get("d").is_none(), "no private member");
        let keys: Vec<VerifyingKey> = PublicKey::from_jwk_set(Algorithm::RS256, &set.to_string())
            .unwrap()
            .into_iter()
            .map(|key| VerifyingKey::Public(Box::new(key)))
            .collect();
        assert_eq!(keys.len(), 2, "the HMAC key is skipped");
        let rules = ClaimRules::default();
        for signer in [current, previous] {
            let kid = signer.public_key().kid.clone().unwrap();
            let signing = SigningKey::Private(Box::new(signer));
            let token = jws::encode(&payload(), &signing, Algorithm::RS256).unwrap();
            let decoded = jws::decode(&token, &keys, &[Algorithm::RS256], &rules, NOW).unwrap();
            assert_eq!(decoded.header["kid"], json!(kid));
        }
        // A kid no key has is refused, even when another key would verify it.
        let unknown = PrivateKey::from_pem(Algorithm::RS256, pem("rsa").as_bytes())
            .unwrap()
            .with_kid("unknown");
        let token = jws::encode(
            &payload(),
            &SigningKey::Private(Box::new(unknown)),
            Algorithm::RS256,
        )
        .unwrap();
        assert_eq!(
            jws::decode(&token, &keys, &[Algorithm::RS256], &rules, NOW).map(|_| ()),
            Err(JwtError::InvalidSignature)
        );
    }
}
