//! simplejwt's token classes (`tokens.py`): `Token` and its `AccessToken`, `RefreshToken`,
//! `SlidingToken` and `UntypedToken`.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use md5::{Digest as _, Md5};
use serde_json::{Map, Value};

use super::backend::{BackendError, TokenBackend, unix_seconds};
use super::messages;
use super::settings::SimpleJwtSettings;
pub use super::token_kind::TokenKind;
use crate::compat::python::uuid;

/// The class's `lifetime` setting.
fn lifetime(kind: TokenKind, settings: &SimpleJwtSettings) -> Duration {
    match kind {
        TokenKind::Access => settings.access_token_lifetime,
        TokenKind::Refresh => settings.refresh_token_lifetime,
        TokenKind::Sliding => settings.sliding_token_lifetime,
        TokenKind::Untyped => Duration::ZERO,
    }
}

/// simplejwt's `TokenError` (and `ExpiredTokenError`): the message is what clients see.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TokenError {
    message: String,
    expired: bool,
}

impl TokenError {
    /// A refusal with `message` (not an expiry).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            expired: false,
        }
    }

    /// The message (`e.args[0]`).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether it is an `ExpiredTokenError`.
    pub fn is_expired(&self) -> bool {
        self.expired
    }
}

/// A token of one of simplejwt's classes: its claims in simplejwt's order, and the time it was
/// made or read at (`current_time`), from which its lifetimes count.
#[derive(Clone)]
pub struct Token<'a> {
    kind: TokenKind,
    settings: &'a SimpleJwtSettings,
    payload: Map<String, Value>,
    current_time: DateTime<Utc>,
}

impl fmt::Debug for Token<'_> {
    /// The claims' names only: a token is a credential.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("kind", &self.kind)
            .field("claims", &self.payload.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// A token that authenticated a request (`request.auth`): its class, its claims and the text
/// presented. Its `Debug` shows neither the text nor the claims' values.
#[derive(Clone)]
pub struct ValidatedToken {
    /// The class that accepted it.
    pub kind: TokenKind,
    /// Its claims, in order.
    pub payload: Map<String, Value>,
    text: Text,
}

/// `str(token)`, given or made when first asked.
#[derive(Clone)]
enum Text {
    Known(String),
    /// Made from the claims by [`TokenBackend::text_of`] on first use: most views never ask for
    /// `str(request.auth)`, and re-encoding cost a stateless JWT request a serialisation and a
    /// base64 encoding (measured with `bench/run.py --only jwt-stateless-hello`).
    Deferred {
        presented: String,
        settings: Arc<SimpleJwtSettings>,
        made: OnceLock<String>,
    },
}

impl ValidatedToken {
    /// A validated token whose `str(token)` is `text`.
    pub fn new(kind: TokenKind, payload: Map<String, Value>, text: String) -> Self {
        Self {
            kind,
            payload,
            text: Text::Known(text),
        }
    }

    /// A token read from `presented` under `settings`; its `str(token)` is made when first
    /// asked for ([`Self::text`]).
    pub fn presented(
        kind: TokenKind,
        payload: Map<String, Value>,
        presented: String,
        settings: Arc<SimpleJwtSettings>,
    ) -> Self {
        Self {
            kind,
            payload,
            text: Text::Deferred {
                presented,
                settings,
                made: OnceLock::new(),
            },
        }
    }

    /// `str(token)`: its claims encoded again as simplejwt's `Token.__str__` does — the bytes
    /// presented for any token simplejwt or this library issued (a credential). A service that
    /// only verifies (no private key) cannot re-encode: then it is the text presented, which
    /// verified.
    pub fn text(&self) -> &str {
        match &self.text {
            Text::Known(text) => text,
            Text::Deferred {
                presented,
                settings,
                made,
            } => made.get_or_init(|| {
                TokenBackend::new(settings)
                    .text_of(&self.payload, presented)
                    .unwrap_or_else(|_| presented.clone())
            }),
        }
    }
}

impl PartialEq for ValidatedToken {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.payload == other.payload && self.text() == other.text()
    }
}

impl fmt::Debug for ValidatedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValidatedToken")
            .field("kind", &self.kind)
            .field("claims", &self.payload.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Python's `uuid.uuid4().hex`.
fn uuid4_hex() -> String {
    uuid::hex(uuid::uuid4())
}

/// `get_md5_hash_password(password)`: upper-case hex MD5 of the stored password hash, the
/// `hash_password` claim that `CHECK_REVOKE_TOKEN` compares.
pub fn md5_hash_password(stored_hash: &str) -> String {
    hex::encode_upper(Md5::digest(stored_hash.as_bytes()))
}

/// `datetime_to_epoch`: whole seconds (`timegm(dt.utctimetuple())` drops the fraction).
fn epoch(instant: DateTime<Utc>) -> i64 {
    instant.timestamp()
}

impl<'a> Token<'a> {
    /// A new token of `kind` made at `now`: `{token_type, exp, iat, jti}` in this order (a
    /// sliding token adds `refresh_exp`), as simplejwt's `Token()` makes it.
    pub fn new(kind: TokenKind, settings: &'a SimpleJwtSettings, now: DateTime<Utc>) -> Self {
        let mut token = Self {
            kind,
            settings,
            payload: Map::new(),
            current_time: now,
        };
        if let Some(claim) = &settings.token_type_claim {
            token
                .payload
                .insert(claim.clone(), Value::from(kind.token_type()));
        }
        token.set_exp("exp", None, None);
        token.set_iat(None);
        token.set_jti();
        if kind == TokenKind::Sliding {
            let claim = settings.sliding_token_refresh_exp_claim.clone();
            token.set_exp(&claim, None, Some(settings.sliding_token_refresh_lifetime));
        }
        token
    }

    /// `for_user(user)`: a new token naming the user by `str(user.id)` under `USER_ID_CLAIM`
    /// (always text, as simplejwt 5.5 writes it), with the revoke claim made from the user's
    /// stored password hash when `CHECK_REVOKE_TOKEN` is on.
    pub fn for_user(
        kind: TokenKind,
        settings: &'a SimpleJwtSettings,
        user_id: impl fmt::Display,
        stored_password_hash: &str,
        now: DateTime<Utc>,
    ) -> Self {
        let mut token = Self::new(kind, settings, now);
        token.insert(&settings.user_id_claim, Value::from(user_id.to_string()));
        if settings.check_revoke_token {
            token.insert(
                &settings.revoke_token_claim,
                Value::from(md5_hash_password(stored_password_hash)),
            );
        }
        token
    }

    /// `Token(token, verify)` read at `now`: decoded (and, with `verify`, checked) as simplejwt
    /// does. PyJWT's expiry is "Token is expired"; every other decoding failure is "Token is
    /// invalid".
    pub fn decode(
        kind: TokenKind,
        text: &str,
        settings: &'a SimpleJwtSettings,
        now: DateTime<Utc>,
        verify: bool,
    ) -> Result<Self, TokenError> {
        let token = Self::decode_only(kind, text, settings, now, verify)?;
        if verify {
            token.verify()?;
        }
        Ok(token)
    }

    /// The first half of `Token(token, verify=True)`: PyJWT's decode (signature, `exp`, `iat`,
    /// `nbf`, `aud`, `iss` when configured), without the class's `verify()` — for a subclass
    /// whose `verify()` checks something first (the blacklist).
    pub fn decode_signed(
        kind: TokenKind,
        text: &str,
        settings: &'a SimpleJwtSettings,
        now: DateTime<Utc>,
    ) -> Result<Self, TokenError> {
        Self::decode_only(kind, text, settings, now, true)
    }

    fn decode_only(
        kind: TokenKind,
        text: &str,
        settings: &'a SimpleJwtSettings,
        now: DateTime<Utc>,
        verify: bool,
    ) -> Result<Self, TokenError> {
        let payload = match TokenBackend::new(settings).decode(text, verify, now) {
            Ok(payload) => payload,
            Err(BackendError::Expired) => {
                return Err(TokenError {
                    message: messages::TOKEN_IS_EXPIRED.to_owned(),
                    expired: true,
                });
            }
            Err(error) => {
                tracing::debug!(%error, reason = ?error, "simplejwt token refused");
                return Err(TokenError::new(messages::TOKEN_IS_INVALID));
            }
        };
        Ok(Self {
            kind,
            settings,
            payload,
            current_time: now,
        })
    }

    /// The token's class.
    pub fn kind(&self) -> TokenKind {
        self.kind
    }

    /// The claims, in order.
    pub fn payload(&self) -> &Map<String, Value> {
        &self.payload
    }

    /// The claims, taken.
    pub fn into_payload(self) -> Map<String, Value> {
        self.payload
    }

    /// One claim.
    pub fn get(&self, claim: &str) -> Option<&Value> {
        self.payload.get(claim)
    }

    /// Sets a claim (`token[claim] = value`): a new claim goes last, an existing one keeps its
    /// place.
    pub fn insert(&mut self, claim: &str, value: Value) {
        self.payload.insert(claim.to_owned(), value);
    }

    /// When the token was made or read.
    pub fn current_time(&self) -> DateTime<Utc> {
        self.current_time
    }

    /// `verify()`: `exp` still ahead, an id, and (but for untyped tokens) the class's type.
    pub fn verify(&self) -> Result<(), TokenError> {
        self.check_exp("exp")?;
        if let Some(jti) = &self.settings.jti_claim
            && !self.payload.contains_key(jti)
        {
            return Err(TokenError::new(messages::TOKEN_HAS_NO_ID));
        }
        if let Some(claim) = &self.settings.token_type_claim
            && self.kind != TokenKind::Untyped
        {
            match self.payload.get(claim) {
                None => return Err(TokenError::new(messages::TOKEN_HAS_NO_TYPE)),
                Some(Value::String(found)) if found == self.kind.token_type() => {}
                Some(_) => return Err(TokenError::new(messages::TOKEN_HAS_WRONG_TYPE)),
            }
        }
        Ok(())
    }

    /// `check_exp(claim)`: the claim must be a time after `current_time - LEEWAY`.
    ///
    /// Divergence: a claim that is not a number (PyJWT reads `"1796527931"` with `int()` and
    /// lets it through) makes simplejwt's `datetime.fromtimestamp` raise, a server error there;
    /// here it is "Token is invalid".
    pub fn check_exp(&self, claim: &str) -> Result<(), TokenError> {
        let value = self
            .payload
            .get(claim)
            .ok_or_else(|| TokenError::new(messages::token_has_no_claim(claim)))?;
        let time = match value {
            Value::Bool(flag) => f64::from(u8::from(*flag)),
            Value::Number(number) => number
                .as_f64()
                .ok_or_else(|| TokenError::new(messages::TOKEN_IS_INVALID))?,
            _ => return Err(TokenError::new(messages::TOKEN_IS_INVALID)),
        };
        if time <= unix_seconds(self.current_time) - self.settings.leeway.as_secs_f64() {
            return Err(TokenError::new(messages::token_claim_has_expired(claim)));
        }
        Ok(())
    }

    /// `set_exp(claim, from_time, lifetime)`: `from_time` (default `current_time`) plus
    /// `lifetime` (default the class's), in whole seconds.
    pub fn set_exp(
        &mut self,
        claim: &str,
        from_time: Option<DateTime<Utc>>,
        lifetime: Option<Duration>,
    ) {
        let from = from_time.unwrap_or(self.current_time);
        let lifetime = lifetime.unwrap_or_else(|| self::lifetime(self.kind, self.settings));
        let lifetime = TimeDelta::from_std(lifetime).unwrap_or(TimeDelta::MAX);
        let at = from
            .checked_add_signed(lifetime)
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        self.insert(claim, Value::from(epoch(at)));
    }

    /// `set_iat(at_time)`: `at_time` (default `current_time`), in whole seconds.
    pub fn set_iat(&mut self, at_time: Option<DateTime<Utc>>) {
        let at = at_time.unwrap_or(self.current_time);
        self.insert("iat", Value::from(epoch(at)));
    }

    /// `set_jti()`: a new `uuid4().hex` under `JTI_CLAIM`.
    pub fn set_jti(&mut self) {
        if let Some(claim) = self.settings.jti_claim.clone() {
            self.insert(&claim, Value::from(uuid4_hex()));
        }
    }

    /// `RefreshToken.access_token`: a new access token whose `exp` counts from this token's
    /// `current_time`, with every claim of this one but `token_type`, `exp`, `jti` and `iat`
    /// copied after its own, in this token's order.
    pub fn access_token(&self) -> Token<'a> {
        let mut access = Token::new(TokenKind::Access, self.settings, self.current_time);
        access.set_exp("exp", Some(self.current_time), None);
        let type_claim = self.settings.token_type_claim.as_deref();
        let jti_claim = self.settings.jti_claim.as_deref();
        for (claim, value) in &self.payload {
            let skipped = Some(claim.as_str()) == type_claim
                || Some(claim.as_str()) == jti_claim
                || matches!(claim.as_str(), "exp" | "jti" | "iat");
            if !skipped {
                access.insert(claim, value.clone());
            }
        }
        access
    }

    /// `str(token)`: the signed JWT; an error only for a key that cannot sign (a service given
    /// only a public key).
    pub fn encode(&self) -> Result<String, crate::jwt::JwtError> {
        TokenBackend::new(self.settings).encode(&self.payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;
    use serde_json::json;

    use crate::jwt::Algorithm;
    use crate::simplejwt::settings::Audience;

    fn settings() -> SimpleJwtSettings {
        SimpleJwtSettings::new("not very secret in tests").expect("a valid key")
    }

    fn at(seconds: i64, micros: u32) -> DateTime<Utc> {
        Utc.timestamp_opt(seconds, micros * 1000)
            .single()
            .unwrap_or_default()
    }

    const VECTOR: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjoxNzk2NTI3OTMxLCJpYXQiOjE3OTY1Mjc2MzEsImp0aSI6IjdkNTBiNThmMmU3MzQyNzhhYTM0MmQ2ZWYwYjI2OTU2IiwidXNlcl9pZCI6IjEifQ.0FetVV1iLpt8fz5rzVQWSzdbzFhkOgfDO105Pd0b_8I";

    fn keys(token: &Token<'_>) -> Vec<String> {
        token.payload().keys().cloned().collect()
    }

    #[test]
    fn new_tokens_have_simplejwts_claims_in_its_order() {
        let settings = settings();
        let now = at(1_796_527_631, 900_000);
        let access = Token::for_user(TokenKind::Access, &settings, 1, "unused", now);
        assert_eq!(
            keys(&access),
            ["token_type", "exp", "iat", "jti", "user_id"]
        );
        assert_eq!(access.get("token_type"), Some(&json!("access")));
        // Whole seconds, the fraction dropped; the id is text.
        assert_eq!(access.get("exp"), Some(&json!(1_796_527_931)));
        assert_eq!(access.get("iat"), Some(&json!(1_796_527_631)));
        assert_eq!(access.get("user_id"), Some(&json!("1")));
        let jti = access
            .get("jti")
            .and_then(Value::as_str)
            .unwrap_or_default();
        assert_eq!(jti.len(), 32);
        assert!(
            jti.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        );
        assert_eq!(jti.as_bytes()[12], b'4');
        assert!(matches!(jti.as_bytes()[16], b'8' | b'9' | b'a' | b'b'));

        let refresh = Token::for_user(TokenKind::Refresh, &settings, 1, "unused", now);
        assert_eq!(refresh.get("exp"), Some(&json!(1_796_527_631 + 86_400)));
        let sliding = Token::for_user(TokenKind::Sliding, &settings, 1, "unused", now);
        assert_eq!(
            keys(&sliding),
            ["token_type", "exp", "iat", "jti", "refresh_exp", "user_id"]
        );
        assert_eq!(
            sliding.get("refresh_exp"),
            Some(&json!(1_796_527_631 + 86_400))
        );

        let mut revoking = settings.clone();
        revoking.check_revoke_token = true;
        let hash = "md5$HqbLIUpN5zuRTiDkenMdxO$61cb65abdf97f277df7da09fbb0c1474";
        let token = Token::for_user(TokenKind::Access, &revoking, 7, hash, now);
        assert_eq!(
            token.get("hash_password"),
            Some(&json!("03C0296AD5A463C84ACCC597138EC69F"))
        );
    }

    #[test]
    fn an_access_token_from_a_refresh_copies_its_other_claims() {
        let settings = settings();
        let made = at(1_796_527_000, 0);
        let mut refresh = Token::for_user(TokenKind::Refresh, &settings, 1, "unused", made);
        refresh.insert("custom", json!("c"));
        // Read back later: the access token's lifetime counts from the reading.
        let read_at = at(1_796_527_100, 0);
        let read = Token::decode(
            TokenKind::Refresh,
            &refresh.encode().unwrap(),
            &settings,
            read_at,
            true,
        )
        .expect("a valid refresh token");
        let access = read.access_token();
        assert_eq!(
            keys(&access),
            ["token_type", "exp", "iat", "jti", "user_id", "custom"]
        );
        assert_eq!(access.get("exp"), Some(&json!(1_796_527_100 + 300)));
        assert_eq!(access.get("iat"), Some(&json!(1_796_527_100)));
        assert_ne!(access.get("jti"), refresh.get("jti"));
    }

    #[test]
    fn reads_the_vector_and_refuses_as_simplejwt_does() {
        let settings = settings();
        let before = at(1_796_527_700, 0);
        let token = Token::decode(TokenKind::Access, VECTOR, &settings, before, true)
            .expect("valid before its exp");
        assert_eq!(token.encode().unwrap(), VECTOR);
        let message = |kind, text: &str, now| {
            Token::decode(kind, text, &settings, now, true)
                .err()
                .map(|error| error.message().to_owned())
                .unwrap_or_default()
        };
        assert_eq!(
            message(TokenKind::Access, VECTOR, at(1_796_527_931, 0)),
            "Token is expired"
        );
        assert_eq!(
            message(TokenKind::Refresh, VECTOR, before),
            "Token has wrong type"
        );
        assert_eq!(
            message(TokenKind::Access, "garbage", before),
            "Token is invalid"
        );
        assert!(Token::decode(TokenKind::Untyped, VECTOR, &settings, before, true).is_ok());
        let sign = |payload: Value| {
            let Value::Object(map) = payload else {
                return String::new();
            };
            TokenBackend::new(&settings).encode(&map).unwrap()
        };
        let no_jti = sign(json!({"token_type": "access", "exp": 1_796_527_931}));
        assert_eq!(
            message(TokenKind::Access, &no_jti, before),
            "Token has no id"
        );
        let no_type = sign(json!({"exp": 1_796_527_931, "jti": "x"}));
        assert_eq!(
            message(TokenKind::Access, &no_type, before),
            "Token has no type"
        );
        let null_type = sign(json!({"token_type": null, "exp": 1_796_527_931, "jti": "x"}));
        assert_eq!(
            message(TokenKind::Access, &null_type, before),
            "Token has wrong type"
        );
        let no_exp = sign(json!({"token_type": "access", "jti": "x"}));
        assert_eq!(
            message(TokenKind::Access, &no_exp, before),
            "Token has no 'exp' claim"
        );
        // simplejwt crashes on a text `exp` that PyJWT lets through: refused here.
        let text_exp = sign(json!({"token_type": "access", "exp": "1796527931", "jti": "x"}));
        assert_eq!(
            message(TokenKind::Access, &text_exp, before),
            "Token is invalid"
        );
        // A future `iat` is refused by PyJWT 2.15 (unless within the leeway).
        let future = sign(
            json!({"token_type": "access", "exp": 1_796_527_931, "iat": 1_796_527_760, "jti": "x"}),
        );
        assert_eq!(
            message(TokenKind::Access, &future, before),
            "Token is invalid"
        );
        let mut lenient = settings.clone();
        lenient.leeway = Duration::from_secs(60);
        assert!(Token::decode(TokenKind::Access, &future, &lenient, before, true).is_ok());
        // Another algorithm than the configured one.
        let mut hs512 = settings.clone();
        hs512.algorithm = Algorithm::HS512;
        assert_eq!(
            message(
                TokenKind::Access,
                &Token::new(TokenKind::Access, &hs512, before)
                    .encode()
                    .unwrap(),
                before
            ),
            "Token is invalid"
        );
    }

    #[test]
    fn audience_and_issuer_are_appended_and_checked() {
        let mut settings = settings();
        settings.audience = Some(Audience::One("my-aud".to_owned()));
        settings.issuer = Some("my-iss".to_owned());
        let Value::Object(payload) = json!({
            "token_type": "access", "exp": 1_796_527_931, "iat": 1_796_527_631,
            "jti": "7d50b58f2e734278aa342d6ef0b26956", "user_id": "1",
        }) else {
            return;
        };
        let token = TokenBackend::new(&settings).encode(&payload).unwrap();
        assert_eq!(
            token,
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjoxNzk2NTI3OTMxLCJpYXQiOjE3OTY1Mjc2MzEsImp0aSI6IjdkNTBiNThmMmU3MzQyNzhhYTM0MmQ2ZWYwYjI2OTU2IiwidXNlcl9pZCI6IjEiLCJhdWQiOiJteS1hdWQiLCJpc3MiOiJteS1pc3MifQ.t17o40IpMFbwMr0cYJFEPtD13ckbZ9pMogRB4mv2uIQ"
        );
        let before = at(1_796_527_700, 0);
        assert!(Token::decode(TokenKind::Access, &token, &settings, before, true).is_ok());
        // The plain vector has neither claim.
        let missing = Token::decode(TokenKind::Access, VECTOR, &settings, before, true);
        assert_eq!(
            missing.err().map(|e| e.message().to_owned()),
            Some("Token is invalid".to_owned())
        );
    }
}
