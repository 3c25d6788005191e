//! simplejwt's `TokenBackend` (`backends.py`): PyJWT with the settings' key, audience, issuer
//! and leeway.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::messages;
use super::settings::{Audience, SimpleJwtSettings};
use crate::jwt::{ClaimRules, JwtError, jws};

/// `TokenBackendError` and its subclass `TokenBackendExpiredToken`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    /// `TokenBackendExpiredToken("Token is expired")`.
    #[error("{}", messages::TOKEN_IS_EXPIRED)]
    Expired,
    /// `TokenBackendError("Invalid algorithm specified")`.
    #[error("{}", messages::INVALID_ALGORITHM_SPECIFIED)]
    InvalidAlgorithm,
    /// `TokenBackendError("Token is invalid")`; PyJWT's reason is kept for logs.
    #[error("{}", messages::TOKEN_IS_INVALID)]
    Invalid(JwtError),
}

/// An instant as Python's `datetime.timestamp()`: Unix seconds with the microseconds.
pub(crate) fn unix_seconds(instant: DateTime<Utc>) -> f64 {
    instant.timestamp() as f64 + f64::from(instant.timestamp_subsec_micros()) / 1e6
}

/// A `TokenBackend` over borrowed settings.
#[derive(Debug, Clone, Copy)]
pub struct TokenBackend<'a> {
    settings: &'a SimpleJwtSettings,
}

impl<'a> TokenBackend<'a> {
    /// The backend of `settings`.
    pub fn new(settings: &'a SimpleJwtSettings) -> Self {
        Self { settings }
    }

    /// `encode(payload)`: a copy of the payload with `aud` and then `iss` set when configured
    /// (appended at the end unless the payload already has them), signed. The error is PyJWT's
    /// `InvalidKeyError` for a key that cannot sign (a service given only a public key).
    pub fn encode(&self, payload: &Map<String, Value>) -> Result<String, JwtError> {
        jws::encode(
            &self.claims(payload),
            &self.settings.signing_key,
            self.settings.algorithm,
        )
    }

    /// The claims `encode` signs: `payload` with `aud` and `iss` set when configured.
    fn claims<'p>(&self, payload: &'p Map<String, Value>) -> Cow<'p, Map<String, Value>> {
        if self.settings.audience.is_none() && self.settings.issuer.is_none() {
            return Cow::Borrowed(payload);
        }
        let mut payload = payload.clone();
        if let Some(audience) = &self.settings.audience {
            let value = match audience {
                Audience::One(one) => Value::from(one.as_str()),
                Audience::Many(many) => Value::from(many.clone()),
            };
            payload.insert("aud".to_owned(), value);
        }
        if let Some(issuer) = &self.settings.issuer {
            payload.insert("iss".to_owned(), Value::from(issuer.as_str()));
        }
        Cow::Owned(payload)
    }

    /// `str(token)` of a token read from `presented` with these claims: `presented` itself when
    /// its header and payload segments are the bytes `encode` writes (then an HMAC, RSA PKCS#1
    /// or EdDSA signature is the same too; an ECDSA or PSS one differs on every encode, here as
    /// in simplejwt), else the claims encoded again. Tokens either side issues are written
    /// as `encode` writes them, so the usual case costs a serialisation, not a signature.
    pub fn text_of(
        &self,
        payload: &Map<String, Value>,
        presented: &str,
    ) -> Result<String, JwtError> {
        let claims = self.claims(payload);
        let mut parts = presented.splitn(3, '.');
        let (Some(header), Some(body), Some(signature)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return self.encode(payload);
        };
        // PyJWT accepts a correctly padded signature segment; encode writes none.
        if !signature.contains('=')
            && body == jws::payload_segment(&claims)
            && header == jws::header_segment(&self.settings.signing_key, self.settings.algorithm)
        {
            return Ok(presented.to_owned());
        }
        jws::encode(&claims, &self.settings.signing_key, self.settings.algorithm)
    }

    /// `decode(token, verify)` at `now`: PyJWT's `jwt.decode` with `algorithms=[ALGORITHM]`,
    /// then simplejwt's reduction of its errors.
    pub fn decode(
        &self,
        token: &str,
        verify: bool,
        now: DateTime<Utc>,
    ) -> Result<Map<String, Value>, BackendError> {
        let rules = self.rules();
        let decoded = if verify {
            jws::decode(
                token,
                &self.settings.verifying_keys,
                &[self.settings.algorithm],
                &rules,
                unix_seconds(now),
            )
        } else {
            jws::decode_unverified(token, &rules)
        };
        decoded.map(|decoded| decoded.payload).map_err(|error| {
            if error.is_expired() {
                BackendError::Expired
            } else if error.is_invalid_algorithm() {
                BackendError::InvalidAlgorithm
            } else {
                BackendError::Invalid(error)
            }
        })
    }

    fn rules(&self) -> ClaimRules {
        ClaimRules {
            leeway: self.settings.leeway.as_secs_f64(),
            audience: self.settings.audience.as_ref().map(Audience::accepted),
            issuer: self.settings.issuer.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simplejwt::{Token, TokenKind};
    use chrono::TimeZone as _;

    #[test]
    fn the_text_of_a_token_is_the_presented_one_only_when_encode_would_write_it() {
        let settings = SimpleJwtSettings::new("not very secret in tests").unwrap();
        let backend = TokenBackend::new(&settings);
        let now = Utc.timestamp_opt(1_796_527_631, 0).single().unwrap();
        let token = Token::new(TokenKind::Access, &settings, now);
        let canonical = token.encode().unwrap();
        let payload = token.payload();
        assert_eq!(backend.text_of(payload, &canonical).unwrap(), canonical);
        // A padded signature segment (PyJWT reads it) is written without the padding.
        let (input, signature) = canonical.rsplit_once('.').unwrap();
        // 32 bytes of HMAC-SHA256: 43 characters, one `=` of padding.
        assert_eq!(signature.len(), 43);
        let padded = format!("{input}.{signature}=");
        assert_eq!(backend.text_of(payload, &padded).unwrap(), canonical);
        // Another header order, or a payload written otherwise: encoded again.
        let (_, rest) = canonical.split_once('.').unwrap();
        let reordered = format!("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.{rest}");
        assert_eq!(backend.text_of(payload, &reordered).unwrap(), canonical);
        assert_eq!(backend.text_of(payload, "not.a-token").unwrap(), canonical);
    }
}
