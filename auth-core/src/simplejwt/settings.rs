//! `SIMPLE_JWT`: the settings simplejwt's tokens read, by their Django names, with simplejwt
//! 5.5.1's defaults (`rest_framework_simplejwt/settings.py`).

use std::time::Duration;

use super::token_kind::TokenKind;
use crate::jwt::algorithm::Family;
use crate::jwt::{Algorithm, HmacKey, JwtError, SigningKey, VerifyingKey};

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
    /// `SIGNING_KEY` (Django's `SECRET_KEY` by default): an HMAC secret, or a private key for
    /// the asymmetric algorithms (feature `jwt-asymmetric`).
    pub signing_key: SigningKey,
    /// What tokens are verified with: the signing key itself for HMAC, `VERIFYING_KEY` (or the
    /// signing key's public half) otherwise. More than one key — a key being rotated out, the
    /// keys of a JWK set — is tried in order, by `kid` when the token names one.
    pub verifying_keys: Vec<VerifyingKey>,
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
    /// `AUTH_HEADER_NAME` (`HTTP_AUTHORIZATION`), as the HTTP header's name (`authorization`).
    pub auth_header_name: String,
    /// `AUTH_TOKEN_CLASSES` (`AccessToken`): the classes a presented token is tried as, in order.
    pub auth_token_classes: Vec<TokenKind>,
    /// `ROTATE_REFRESH_TOKENS` (false): a refresh also answers a new refresh token.
    pub rotate_refresh_tokens: bool,
    /// `BLACKLIST_AFTER_ROTATION` (false): a rotated refresh token is blacklisted, and the verify
    /// view refuses blacklisted tokens.
    pub blacklist_after_rotation: bool,
    /// `UPDATE_LAST_LOGIN` (false): obtaining a token writes the user's `last_login`.
    pub update_last_login: bool,
    /// Whether `rest_framework_simplejwt.token_blacklist` is in `INSTALLED_APPS`: refresh and
    /// sliding tokens are recorded when issued and checked against the blacklist when used, and
    /// the blacklist view blacklists. On by default here (simplejwt's app is opt-in, and
    /// without it its blacklist view answers `200 {}` and blacklists nothing); turn it off for a
    /// Django deployment that does not install the app.
    pub token_blacklist: bool,
}

impl SimpleJwtSettings {
    /// simplejwt's defaults, signing with `signing_key` (a project's `SECRET_KEY` unless
    /// `SIGNING_KEY` is set). A key PyJWT refuses as an HMAC secret is refused here too.
    pub fn new(signing_key: impl Into<Vec<u8>>) -> Result<Self, JwtError> {
        let secret = HmacKey::new(signing_key)?;
        Ok(Self {
            access_token_lifetime: Duration::from_secs(5 * 60),
            refresh_token_lifetime: Duration::from_secs(24 * 60 * 60),
            sliding_token_lifetime: Duration::from_secs(5 * 60),
            sliding_token_refresh_lifetime: Duration::from_secs(24 * 60 * 60),
            algorithm: Algorithm::HS256,
            verifying_keys: vec![VerifyingKey::Hmac(secret.clone())],
            signing_key: SigningKey::Hmac(secret),
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
            auth_header_name: "authorization".to_owned(),
            auth_token_classes: vec![TokenKind::Access],
            rotate_refresh_tokens: false,
            blacklist_after_rotation: false,
            update_last_login: false,
            token_blacklist: true,
        })
    }

    /// `WWW-Authenticate` of simplejwt's schemes and views: `<first AUTH_HEADER_TYPES>
    /// realm="api"` (`TokenViewBase.get_authenticate_header`); none without a header type.
    pub fn authenticate_header(&self) -> Option<String> {
        let first = self.auth_header_types.first()?;
        Some(format!("{first} realm=\"api\""))
    }

    /// These settings signing with `key` under `algorithm` (`ALGORITHM`, `SIGNING_KEY`), and
    /// verifying with the key's own verifying half; refused when the key does not fit the
    /// algorithm (PyJWT's `InvalidKeyError`, which simplejwt raises on the first token).
    pub fn with_signing_key(
        mut self,
        algorithm: Algorithm,
        key: SigningKey,
    ) -> Result<Self, JwtError> {
        if !key.fits(algorithm) {
            return Err(JwtError::InvalidKey(
                "the signing key does not fit ALGORITHM",
            ));
        }
        self.algorithm = algorithm;
        self.verifying_keys = vec![key.verifying_key()];
        self.signing_key = key;
        Ok(self)
    }

    /// These settings verifying with `keys` instead (`VERIFYING_KEY`; several for a rotation or
    /// a JWK set). Tokens are still signed with the signing key only.
    #[must_use]
    pub fn with_verifying_keys(mut self, keys: Vec<VerifyingKey>) -> Self {
        self.verifying_keys = keys;
        self
    }
}

/// A `SIMPLE_JWT` that cannot be used, with what is wrong in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("SIMPLE_JWT: {0}")]
pub struct SimpleJwtSettingsError(String);

/// The settings simplejwt 5.5.1 removed: naming one is an error at start-up, as there.
pub const REMOVED_SETTINGS: [&str; 4] = [
    "AUTH_HEADER_TYPE",
    "AUTH_TOKEN_CLASS",
    "SECRET_KEY",
    "TOKEN_BACKEND_CLASS",
];

/// simplejwt's settings page, which its removed-setting error points to.
const SETTINGS_DOC: &str =
    "https://django-rest-framework-simplejwt.readthedocs.io/en/latest/settings.html";

/// Settings that name Python code (classes, functions, encoders): meaningless here, refused
/// rather than silently ignored.
const PYTHON_ONLY_SETTINGS: [&str; 11] = [
    "JSON_ENCODER",
    "TOKEN_USER_CLASS",
    "USER_AUTHENTICATION_RULE",
    "TOKEN_OBTAIN_SERIALIZER",
    "TOKEN_REFRESH_SERIALIZER",
    "TOKEN_VERIFY_SERIALIZER",
    "TOKEN_BLACKLIST_SERIALIZER",
    "SLIDING_TOKEN_OBTAIN_SERIALIZER",
    "SLIDING_TOKEN_REFRESH_SERIALIZER",
    "ON_LOGIN_SUCCESS",
    "ON_LOGIN_FAILED",
];

impl SimpleJwtSettings {
    /// `ALGORITHM`, `SIGNING_KEY` and `VERIFYING_KEY` of a `SIMPLE_JWT` object (and this
    /// library's `VERIFYING_JWKS` and `SIGNING_KEY_ID`), over the defaults.
    fn keys_from_simple_jwt(
        object: &serde_json::Map<String, serde_json::Value>,
        secret_key: &[u8],
    ) -> Result<Self, SimpleJwtSettingsError> {
        use serde_json::Value;

        let fail = |message: String| SimpleJwtSettingsError(message);
        let text = |name: &str| match object.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.as_str())),
            Some(_) => Err(fail(format!("{name} must be a string"))),
        };
        let algorithm = match text("ALGORITHM")? {
            None => Algorithm::HS256,
            Some(name) => Algorithm::from_name(name)
                .ok_or_else(|| fail(format!("ALGORITHM {name:?} is not supported")))?,
        };
        let signing = text("SIGNING_KEY")?;
        let secret = signing.map_or(secret_key, str::as_bytes).to_vec();
        if algorithm.family() == Family::Hmac {
            // PyJWT verifies HMAC tokens with the signing key; VERIFYING_KEY is not read.
            let settings =
                Self::new(secret).map_err(|error| fail(format!("SIGNING_KEY: {error}")))?;
            let key = settings.signing_key.clone();
            return settings
                .with_signing_key(algorithm, key)
                .map_err(|error| fail(format!("SIGNING_KEY: {error}")));
        }
        Self::asymmetric_from_simple_jwt(algorithm, signing, text("VERIFYING_KEY")?, object)
    }

    #[cfg(not(feature = "jwt-asymmetric"))]
    fn asymmetric_from_simple_jwt(
        algorithm: Algorithm,
        _signing: Option<&str>,
        _verifying: Option<&str>,
        _object: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Self, SimpleJwtSettingsError> {
        Err(SimpleJwtSettingsError(format!(
            "ALGORITHM {algorithm} needs the `jwt-asymmetric` feature"
        )))
    }

    /// An asymmetric `ALGORITHM`: `SIGNING_KEY` a PEM private key (optional for a service that
    /// only verifies: then it issues nothing), `VERIFYING_KEY` a PEM public key or
    /// `VERIFYING_JWKS` a JWK set (by default, the private key's public half).
    #[cfg(feature = "jwt-asymmetric")]
    fn asymmetric_from_simple_jwt(
        algorithm: Algorithm,
        signing: Option<&str>,
        verifying: Option<&str>,
        object: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Self, SimpleJwtSettingsError> {
        use crate::jwt::{PrivateKey, PublicKey};
        use serde_json::Value;

        let fail = |message: String| SimpleJwtSettingsError(message);
        let kid = match object.get("SIGNING_KEY_ID") {
            None | Some(Value::Null) => None,
            Some(Value::String(kid)) => Some(kid.clone()),
            Some(_) => return Err(fail("SIGNING_KEY_ID must be a string".to_owned())),
        };
        let private = match signing {
            Some(pem) if !pem.is_empty() => {
                let key = PrivateKey::from_pem(algorithm, pem.as_bytes())
                    .map_err(|error| fail(format!("SIGNING_KEY: {error}")))?;
                Some(match &kid {
                    Some(kid) => key.with_kid(kid.clone()),
                    None => key,
                })
            }
            _ => None,
        };
        let mut verifying_keys = Vec::new();
        if let Some(pem) = verifying.filter(|pem| !pem.is_empty()) {
            let key = PublicKey::from_pem(algorithm, pem.as_bytes())
                .map_err(|error| fail(format!("VERIFYING_KEY: {error}")))?;
            verifying_keys.push(VerifyingKey::Public(Box::new(match &kid {
                Some(kid) => key.with_kid(kid.clone()),
                None => key,
            })));
        }
        match object.get("VERIFYING_JWKS") {
            None | Some(Value::Null) => {}
            Some(set) => {
                let keys = PublicKey::from_jwk_set(algorithm, &set.to_string())
                    .map_err(|error| fail(format!("VERIFYING_JWKS: {error}")))?;
                verifying_keys.extend(
                    keys.into_iter()
                        .map(|key| VerifyingKey::Public(Box::new(key))),
                );
            }
        }
        // A placeholder secret signs nothing under an asymmetric algorithm: a service with only
        // a public key verifies, and refuses to issue (a server error, as simplejwt's).
        let placeholder = HmacKey::new(b"verify-only".to_vec())
            .map_err(|error| fail(format!("SIGNING_KEY: {error}")))?;
        let mut settings = Self::new(b"verify-only".to_vec())
            .map_err(|error| fail(format!("SIGNING_KEY: {error}")))?;
        settings.algorithm = algorithm;
        let has_private = private.is_some();
        match private {
            Some(private) => {
                settings = settings
                    .with_signing_key(algorithm, SigningKey::Private(Box::new(private)))
                    .map_err(|error| fail(format!("SIGNING_KEY: {error}")))?;
            }
            None => settings.signing_key = SigningKey::Hmac(placeholder),
        }
        if !verifying_keys.is_empty() {
            settings = settings.with_verifying_keys(verifying_keys);
        } else if !has_private {
            return Err(fail(format!(
                "ALGORITHM {algorithm} needs SIGNING_KEY (a PEM private key), VERIFYING_KEY or \
                 VERIFYING_JWKS"
            )));
        }
        Ok(settings)
    }

    /// `SIMPLE_JWT` as a JSON object of simplejwt's setting names (what the `SIMPLE_JWT`
    /// environment variable of the parity server holds), over simplejwt's defaults signing
    /// with `secret_key`. Lifetimes and `LEEWAY` are seconds (Python's `timedelta` has no JSON
    /// form); `AUTH_TOKEN_CLASSES` are simplejwt's dotted class paths.
    ///
    /// Refused, each with its reason: simplejwt's removed settings (with simplejwt's own message),
    /// settings that name Python code, unknown names (a typo would otherwise be a silently
    /// ignored security setting), algorithms other than HS256/384/512, `USER_ID_FIELD` other
    /// than `id`, and values of the wrong type.
    pub fn from_simple_jwt(
        value: &serde_json::Value,
        secret_key: &[u8],
    ) -> Result<Self, SimpleJwtSettingsError> {
        use serde_json::Value;

        let fail = |message: String| SimpleJwtSettingsError(message);
        let object = value
            .as_object()
            .ok_or_else(|| fail("must be a JSON object of setting names".to_owned()))?;
        for removed in REMOVED_SETTINGS {
            if object.contains_key(removed) {
                return Err(fail(format!(
                    "The '{removed}' setting has been removed. Please refer to '{SETTINGS_DOC}' \
                     for available settings."
                )));
            }
        }
        let mut settings = Self::keys_from_simple_jwt(object, secret_key)?;
        let boolean = |name: &str, value: &Value| {
            value
                .as_bool()
                .ok_or_else(|| fail(format!("{name} must be true or false")))
        };
        let seconds = |name: &str, value: &Value| {
            value
                .as_f64()
                .filter(|seconds| seconds.is_finite() && *seconds >= 0.0)
                .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok())
                .ok_or_else(|| fail(format!("{name} must be a number of seconds")))
        };
        let text = |name: &str, value: &Value| {
            value
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| fail(format!("{name} must be a string")))
        };
        let optional_text = |name: &str, value: &Value| match value {
            Value::Null => Ok(None),
            other => text(name, other).map(Some),
        };
        let texts = |name: &str, value: &Value| match value {
            Value::String(one) => Ok(vec![one.clone()]),
            Value::Array(many) => many
                .iter()
                .map(|item| text(name, item))
                .collect::<Result<Vec<_>, _>>(),
            _ => Err(fail(format!(
                "{name} must be a string or a list of strings"
            ))),
        };
        for (name, value) in object {
            match name.as_str() {
                "SIGNING_KEY" => {}
                "ACCESS_TOKEN_LIFETIME" => settings.access_token_lifetime = seconds(name, value)?,
                "REFRESH_TOKEN_LIFETIME" => {
                    settings.refresh_token_lifetime = seconds(name, value)?;
                }
                "SLIDING_TOKEN_LIFETIME" => {
                    settings.sliding_token_lifetime = seconds(name, value)?;
                }
                "SLIDING_TOKEN_REFRESH_LIFETIME" => {
                    settings.sliding_token_refresh_lifetime = seconds(name, value)?;
                }
                "LEEWAY" => settings.leeway = seconds(name, value)?,
                "ROTATE_REFRESH_TOKENS" => settings.rotate_refresh_tokens = boolean(name, value)?,
                "BLACKLIST_AFTER_ROTATION" => {
                    settings.blacklist_after_rotation = boolean(name, value)?;
                }
                "UPDATE_LAST_LOGIN" => settings.update_last_login = boolean(name, value)?,
                "CHECK_REVOKE_TOKEN" => settings.check_revoke_token = boolean(name, value)?,
                "CHECK_USER_IS_ACTIVE" => settings.check_user_is_active = boolean(name, value)?,
                // Read first, with the keys (`keys_from_simple_jwt`).
                "ALGORITHM" | "VERIFYING_KEY" | "VERIFYING_JWKS" | "SIGNING_KEY_ID" => {}
                "JWK_URL" => {
                    if !matches!(value, Value::Null) {
                        return Err(fail(
                            "JWK_URL is not fetched at run time here: give the JWK set as \
                             VERIFYING_JWKS"
                                .to_owned(),
                        ));
                    }
                }
                "AUDIENCE" => {
                    settings.audience = match value {
                        Value::Null => None,
                        Value::String(one) => Some(Audience::One(one.clone())),
                        Value::Array(_) => Some(Audience::Many(texts(name, value)?)),
                        _ => return Err(fail("AUDIENCE must be a string or a list".to_owned())),
                    };
                }
                "ISSUER" => settings.issuer = optional_text(name, value)?,
                "AUTH_HEADER_TYPES" => settings.auth_header_types = texts(name, value)?,
                "AUTH_HEADER_NAME" => {
                    let meta = text(name, value)?;
                    let header = meta.strip_prefix("HTTP_").ok_or_else(|| {
                        fail(format!(
                            "AUTH_HEADER_NAME {meta:?} is not a request header's META key (HTTP_…)"
                        ))
                    })?;
                    settings.auth_header_name = header.replace('_', "-").to_ascii_lowercase();
                }
                "USER_ID_FIELD" => {
                    if value.as_str() != Some("id") {
                        return Err(fail(
                            "USER_ID_FIELD other than \"id\" is not supported".into(),
                        ));
                    }
                }
                "USER_ID_CLAIM" => settings.user_id_claim = text(name, value)?,
                "TOKEN_TYPE_CLAIM" => settings.token_type_claim = optional_text(name, value)?,
                "JTI_CLAIM" => settings.jti_claim = optional_text(name, value)?,
                "SLIDING_TOKEN_REFRESH_EXP_CLAIM" => {
                    settings.sliding_token_refresh_exp_claim = text(name, value)?;
                }
                "REVOKE_TOKEN_CLAIM" => settings.revoke_token_claim = text(name, value)?,
                "AUTH_TOKEN_CLASSES" => {
                    settings.auth_token_classes = texts(name, value)?
                        .iter()
                        .map(|path| {
                            TokenKind::from_class_path(path).ok_or_else(|| {
                                fail(format!("AUTH_TOKEN_CLASSES: unknown token class {path:?}"))
                            })
                        })
                        .collect::<Result<_, _>>()?;
                }
                "TOKEN_BLACKLIST" => settings.token_blacklist = boolean(name, value)?,
                python if PYTHON_ONLY_SETTINGS.contains(&python) => {
                    return Err(fail(format!("{python} names Python code: not supported")));
                }
                unknown => return Err(fail(format!("unknown setting {unknown:?}"))),
            }
        }
        Ok(settings)
    }
}
