//! simplejwt's `TokenBackend` (`backends.py`): PyJWT with the settings' key, audience, issuer
//! and leeway.

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
        jws::encode(
            &payload,
            &self.settings.signing_key,
            self.settings.algorithm,
        )
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
