//! `SIMPLE_JWT`: the settings simplejwt's tokens read, by their Django names, with simplejwt
//! 5.5.1's defaults (`rest_framework_simplejwt/settings.py`).

use std::time::Duration;

use super::token_kind::TokenKind;
use crate::jwt::{Algorithm, HmacKey, JwtError};

/// `AUDIENCE`: one audience or several, written into the `aud` claim as configured (a string or
/// a list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// `AUDIENCE = "api"`.
    One(String),
    /// `AUDIENCE = ["api", "admin"]`.
    Many(Vec<String>),
}

impl Audience {
    /// The audiences a token may name.
    pub fn accepted(&self) -> Vec<String> {
        match self {
            Self::One(one) => vec![one.clone()],
            Self::Many(many) => many.clone(),
        }
    }
}

/// The `SIMPLE_JWT` settings the tokens use.
#[derive(Debug, Clone)]
pub struct SimpleJwtSettings {
    /// `ACCESS_TOKEN_LIFETIME` (5 minutes).
    pub access_token_lifetime: Duration,
    /// `REFRESH_TOKEN_LIFETIME` (1 day).
    pub refresh_token_lifetime: Duration,
    /// `SLIDING_TOKEN_LIFETIME` (5 minutes).
    pub sliding_token_lifetime: Duration,
    /// `SLIDING_TOKEN_REFRESH_LIFETIME` (1 day).
    pub sliding_token_refresh_lifetime: Duration,
    /// `ALGORITHM` (`HS256`).
    pub algorithm: Algorithm,
    /// `SIGNING_KEY` (Django's `SECRET_KEY` by default).
    pub signing_key: HmacKey,
    /// `AUDIENCE` (none).
    pub audience: Option<Audience>,
    /// `ISSUER` (none).
    pub issuer: Option<String>,
    /// `LEEWAY` (0): clock skew allowed on `exp`, `iat` and `nbf`.
    pub leeway: Duration,
    /// `USER_ID_CLAIM` (`user_id`).
    pub user_id_claim: String,
    /// `TOKEN_TYPE_CLAIM` (`token_type`); `None` turns the type check off.
    pub token_type_claim: Option<String>,
    /// `JTI_CLAIM` (`jti`); `None` issues tokens without an id.
    pub jti_claim: Option<String>,
    /// `SLIDING_TOKEN_REFRESH_EXP_CLAIM` (`refresh_exp`).
    pub sliding_token_refresh_exp_claim: String,
    /// `CHECK_REVOKE_TOKEN` (false): tokens carry a hash of the user's stored password hash, so
    /// that a password change revokes them.
    pub check_revoke_token: bool,
    /// `REVOKE_TOKEN_CLAIM` (`hash_password`).
    pub revoke_token_claim: String,
    /// `CHECK_USER_IS_ACTIVE` (true).
    pub check_user_is_active: bool,
    /// `AUTH_HEADER_TYPES` (`Bearer`): the `Authorization` schemes read, compared as exact bytes
    /// (`bearer` is not `Bearer`); the first names the challenge.
    pub auth_header_types: Vec<String>,
    /// `AUTH_TOKEN_CLASSES` (`AccessToken`): the classes a presented token is tried as, in order.
    pub auth_token_classes: Vec<TokenKind>,
}

impl SimpleJwtSettings {
    /// simplejwt's defaults, signing with `signing_key` (a project's `SECRET_KEY` unless
    /// `SIGNING_KEY` is set). A key PyJWT refuses as an HMAC secret is refused here too.
    pub fn new(signing_key: impl Into<Vec<u8>>) -> Result<Self, JwtError> {
        Ok(Self {
            access_token_lifetime: Duration::from_secs(5 * 60),
            refresh_token_lifetime: Duration::from_secs(24 * 60 * 60),
            sliding_token_lifetime: Duration::from_secs(5 * 60),
            sliding_token_refresh_lifetime: Duration::from_secs(24 * 60 * 60),
            algorithm: Algorithm::HS256,
            signing_key: HmacKey::new(signing_key)?,
            audience: None,
            issuer: None,
            leeway: Duration::ZERO,
            user_id_claim: "user_id".to_owned(),
            token_type_claim: Some("token_type".to_owned()),
            jti_claim: Some("jti".to_owned()),
            sliding_token_refresh_exp_claim: "refresh_exp".to_owned(),
            check_revoke_token: false,
            revoke_token_claim: "hash_password".to_owned(),
            check_user_is_active: true,
            auth_header_types: vec!["Bearer".to_owned()],
            auth_token_classes: vec![TokenKind::Access],
        })
    }
}
