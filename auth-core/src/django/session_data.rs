//! Django's session storage formats (`django.contrib.sessions` and the session parts of
//! `django.contrib.auth`): the signed `django_session.session_data` column, session keys, the
//! session auth hash that logs a user out when their password changes, and custom expiry.
//!
//! A session encoded here decodes in Django (`SessionStore().decode(...)`) and vice versa.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use serde_json::{Map, Value};

use super::signing::{self, SigningError};

/// `django.contrib.auth.SESSION_KEY`: the logged-in user's primary key, as a string.
pub const SESSION_KEY: &str = "_auth_user_id";
/// `django.contrib.auth.BACKEND_SESSION_KEY`: the dotted path of the authenticating backend.
pub const BACKEND_SESSION_KEY: &str = "_auth_user_backend";
/// `django.contrib.auth.HASH_SESSION_KEY`: the [`session_auth_hash`] at login.
pub const HASH_SESSION_KEY: &str = "_auth_user_hash";
/// `django.middleware.csrf.CSRF_SESSION_KEY`: the CSRF secret when `CSRF_USE_SESSIONS` is on.
pub const CSRF_SESSION_KEY: &str = "_csrftoken";
/// Where `SessionBase.set_expiry` keeps a custom expiry.
pub const SESSION_EXPIRY_KEY: &str = "_session_expiry";
/// `SessionBase.key_salt` of the database (and cached_db) `SessionStore`.
pub const SESSION_STORE_SALT: &str = "django.contrib.sessions.SessionStore";
/// The default authentication backend's dotted path, stored under [`BACKEND_SESSION_KEY`].
pub const MODEL_BACKEND: &str = "django.contrib.auth.backends.ModelBackend";
/// Django's remote-user backend, as stored in a session's `_auth_user_backend`.
pub const REMOTE_USER_BACKEND: &str = "django.contrib.auth.backends.RemoteUserBackend";
/// The `key_salt` of `AbstractBaseUser.get_session_auth_hash`.
pub const SESSION_AUTH_HASH_SALT: &str =
    "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash";
/// `VALID_KEY_CHARS`: the alphabet of generated session keys.
pub const VALID_KEY_CHARS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
/// Length of generated session keys.
pub const SESSION_KEY_LENGTH: usize = 32;
/// `_validate_session_key`'s lower bound on a session key's length.
pub const MIN_SESSION_KEY_LENGTH: usize = 8;
/// Django's default `SESSION_COOKIE_AGE`: two weeks, in seconds.
pub const DEFAULT_SESSION_COOKIE_AGE: u64 = 60 * 60 * 24 * 7 * 2;

/// A session's contents: a JSON object in insertion order.
pub type SessionMap = Map<String, Value>;

/// Why stored session data could not be decoded. Django treats every case as an empty session;
/// on a bad signature it also logs `Session data corrupted` at WARNING on the
/// `django.security.SuspiciousSession` logger, which is the caller's to do
/// ([`Corrupted::is_suspicious`]).
#[derive(Debug, thiserror::Error)]
pub enum Corrupted {
    /// The signature does not verify with `SECRET_KEY` or any fallback.
    #[error("Session data corrupted")]
    BadSignature,
    /// The signature verifies but the payload does not decode (bad base64, zlib or JSON, a
    /// missing timestamp) or is not a JSON object.
    #[error("session data could not be decoded")]
    Malformed,
}

impl Corrupted {
    /// Whether Django would log this as `Session data corrupted` (a bad signature).
    pub const fn is_suspicious(&self) -> bool {
        matches!(self, Self::BadSignature)
    }
}

impl From<SigningError> for Corrupted {
    fn from(error: SigningError) -> Self {
        if error.is_bad_signature() {
            Self::BadSignature
        } else {
            Self::Malformed
        }
    }
}

/// `SessionBase.encode(session_dict)` at `now_secs` (Unix seconds): `signing.dumps` with the
/// [`SESSION_STORE_SALT`] and compression (used only when it is shorter).
pub fn encode(session: &SessionMap, secret: &str, now_secs: u64) -> String {
    // Cloning into a `Value` keeps the one JSON writer; sessions are small.
    let value = Value::Object(session.clone());
    signing::dumps(&value, secret, SESSION_STORE_SALT, true, now_secs)
}

/// `SessionBase.decode(session_data)`: verify with `secret`, then each fallback, with no
/// maximum age, and decode. Django maps every error to an empty session; so should the caller
/// (see [`decode_or_empty`]).
pub fn decode(
    session_data: &str,
    secret: &str,
    fallbacks: &[&str],
) -> Result<SessionMap, Corrupted> {
    // The timestamp is not checked without a max age, so the current time is irrelevant.
    match signing::loads(session_data, secret, fallbacks, SESSION_STORE_SALT, None, 0)? {
        Value::Object(map) => Ok(map),
        // Django would hand back the non-dict and fail later; an empty session is safer.
        _ => Err(Corrupted::Malformed),
    }
}

/// [`decode`], with Django's empty session for undecodable data and the reason it was empty,
/// if any (log [`Corrupted::is_suspicious`] ones as Django does).
pub fn decode_or_empty(
    session_data: &str,
    secret: &str,
    fallbacks: &[&str],
) -> (SessionMap, Option<Corrupted>) {
    match decode(session_data, secret, fallbacks) {
        Ok(map) => (map, None),
        Err(error) => (SessionMap::new(), Some(error)),
    }
}

/// A fresh session key: 32 characters of [`VALID_KEY_CHARS`] from a CSPRNG. The caller must
/// still check that no stored session has it, as Django's `_get_new_session_key` does.
pub fn generate_session_key() -> String {
    signing::get_random_string(SESSION_KEY_LENGTH, VALID_KEY_CHARS.as_bytes())
}

/// `SessionBase._validate_session_key`: a cookie value shorter than 8 characters (Python
/// counts code points) is treated as no session at all. Like Django, nothing else is checked:
/// the alphabet is left to the database lookup, which simply finds no row.
pub fn is_valid_session_key(key: &str) -> bool {
    key.chars().nth(MIN_SESSION_KEY_LENGTH - 1).is_some()
}

/// `AbstractBaseUser.get_session_auth_hash()` (or `_get_session_auth_hash(secret)`): lowercase
/// hex of `salted_hmac(SESSION_AUTH_HASH_SALT, password, secret)` over the stored password
/// column (the hash, not a raw password).
pub fn session_auth_hash(password_column: &str, secret: &str) -> String {
    hex::encode(signing::salted_hmac(
        SESSION_AUTH_HASH_SALT,
        password_column.as_bytes(),
        secret,
    ))
}

/// Which key, if any, a session's stored auth hash was made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashMatch {
    /// Made with `SECRET_KEY`: the session is valid.
    Current,
    /// Made with one of `SECRET_KEY_FALLBACKS`: Django keeps the user logged in, cycles the
    /// session key and stores the hash made with `SECRET_KEY`.
    Fallback,
    /// Missing or wrong (the password changed): Django flushes the session and the request is
    /// anonymous.
    None,
}

/// The verification in `django.contrib.auth.get_user`: compare (in constant time) the stored
/// `_auth_user_hash` with the user's hash under `SECRET_KEY`, then under each fallback. An
/// empty stored hash never matches.
pub fn verify_session_auth_hash(
    stored: &str,
    password_column: &str,
    secret: &str,
    fallbacks: &[&str],
) -> HashMatch {
    if stored.is_empty() {
        return HashMatch::None;
    }
    let matches = |key: &str| {
        let expected = session_auth_hash(password_column, key);
        super::crypto::constant_time_compare(stored, &expected)
    };
    if matches(secret) {
        HashMatch::Current
    } else if fallbacks.iter().any(|key| matches(key)) {
        HashMatch::Fallback
    } else {
        HashMatch::None
    }
}

/// A `_session_expiry` value Django itself could not use (it would raise).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidExpiry {
    /// A string that is not an ISO 8601 date-time.
    #[error("session expiry is not an ISO 8601 date-time")]
    Unparsable,
    /// A value of another type (list, object), or a number of seconds out of range.
    #[error("session expiry has an unusable value")]
    Unusable,
}

/// `SessionBase.get_expiry_date(modification=now)` for a decoded session, with
/// `default_age_secs` as `SESSION_COOKIE_AGE`.
///
/// `_session_expiry` holds either seconds of inactivity (`set_expiry(300)`; `0`, `null` or a
/// missing key mean the default age) or an ISO date-time string (`set_expiry(datetime)`
/// stores `datetime.isoformat()`). A date-time without an offset is taken as UTC, which is
/// what Django stores with `USE_TZ = True`.
pub fn expiry_date(
    session: &SessionMap,
    default_age_secs: u64,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, InvalidExpiry> {
    match session.get(SESSION_EXPIRY_KEY) {
        Some(Value::String(iso)) => parse_iso_datetime(iso).ok_or(InvalidExpiry::Unparsable),
        other => {
            let seconds = expiry_seconds(other)?.unwrap_or(default_age_secs as f64);
            add_seconds(now, seconds)
        }
    }
}

/// `SessionBase.get_expiry_age(modification=now)`: seconds until the session expires (negative
/// once past), as used for the cookie's `Max-Age`. Fractional seconds are truncated as
/// `set_cookie`'s `int(max_age)` does.
pub fn expiry_age(
    session: &SessionMap,
    default_age_secs: u64,
    now: DateTime<Utc>,
) -> Result<i64, InvalidExpiry> {
    let default = i64::try_from(default_age_secs).map_err(|_| InvalidExpiry::Unusable)?;
    match session.get(SESSION_EXPIRY_KEY) {
        // An empty string is falsy in Python: the default age.
        Some(Value::String(iso)) if iso.is_empty() => Ok(default),
        Some(Value::String(iso)) => {
            let expiry = parse_iso_datetime(iso).ok_or(InvalidExpiry::Unparsable)?;
            // `delta.days * 86400 + delta.seconds` floors to whole seconds.
            let delta = expiry.signed_duration_since(now);
            let floor = if delta.subsec_nanos() < 0 { 1 } else { 0 };
            Ok(delta.num_seconds() - floor)
        }
        other => match expiry_seconds(other)? {
            None => Ok(default),
            Some(seconds) if seconds.is_finite() && seconds.abs() < 9.2e18 =>
            {
                #[allow(clippy::cast_possible_truncation)]
                Ok(seconds.trunc() as i64)
            }
            Some(_) => Err(InvalidExpiry::Unusable),
        },
    }
}

/// The numeric `_session_expiry`, `None` when Python would find it falsy (missing, `null`,
/// `0`, `false`), so that the default age applies.
fn expiry_seconds(value: Option<&Value>) -> Result<Option<f64>, InvalidExpiry> {
    match value {
        None | Some(Value::Null) | Some(Value::Bool(false)) => Ok(None),
        // `True` is the integer 1 to Python.
        Some(Value::Bool(true)) => Ok(Some(1.0)),
        Some(Value::Number(number)) => {
            let seconds = number.as_f64().ok_or(InvalidExpiry::Unusable)?;
            Ok((seconds != 0.0).then_some(seconds))
        }
        Some(_) => Err(InvalidExpiry::Unusable),
    }
}

fn add_seconds(now: DateTime<Utc>, seconds: f64) -> Result<DateTime<Utc>, InvalidExpiry> {
    // Python's timedelta keeps microseconds; beyond its ±999999999 days it raises.
    let micros = (seconds * 1e6).round();
    if !micros.is_finite() || micros.abs() > 8.64e19 {
        return Err(InvalidExpiry::Unusable);
    }
    #[allow(clippy::cast_possible_truncation)]
    let delta = Duration::microseconds(micros as i64);
    now.checked_add_signed(delta).ok_or(InvalidExpiry::Unusable)
}

/// `datetime.fromisoformat` for the forms Django writes (`isoformat()`:
/// `YYYY-MM-DDTHH:MM:SS[.ffffff][+HH:MM]`) and the common variants (space separator, `Z`,
/// `+HHMM`, minutes only, date only). Naive values are taken as UTC. Rarer forms Python also
/// reads (the basic `20300102T030405`, any separator character) are refused; Django never
/// writes them.
fn parse_iso_datetime(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(aware) = DateTime::parse_from_rfc3339(text) {
        return Some(aware.with_timezone(&Utc));
    }
    const AWARE: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%d %H:%M%:z",
    ];
    for format in AWARE {
        if let Ok(aware) = DateTime::parse_from_str(text, format) {
            return Some(aware.with_timezone(&Utc));
        }
    }
    const NAIVE: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ];
    for format in NAIVE {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return Some(naive.and_utc());
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|naive| naive.and_utc())
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;
    use serde_json::json;

    const SECRET: &str = "not very secret in tests";
    const T: u64 = 1_700_000_000;
    const PASSWORD: &str =
        "pbkdf2_sha256$1500000$seasaltseasaltseasalt1$TEMLqAa9eWQjdqgNSOH6EoaemZ2c984hqIsRe4jxPxM=";
    const PASSWORD_HASH: &str = "97c7b487a343a8c5c6418bb8f5f1283670cb7e16f93a57f0bee5933bd2822961";
    const LOGIN_DATA: &str = ".eJxVjDsOwjAQBe_iGlmx119Kes5g7fqDA8iW4qRC3B0ipYD2zcx7sYDbWsM28hLmxM5MsNPvRhgfue0g3bHdOo-9rctMfFf4QQe_9pSfl8P9O6g46rf2NlpSziIoQBd1NEo4Ild0EdKBsVMkm4UpHlDbMlHO2gNQkk5KbwR7fwDVYDdX:1r31eq:3HFHuHa4zR3_c0Lwi0H0SzxD-82cChtTEVBfiu4wZ50";

    fn map(value: Value) -> SessionMap {
        match value {
            Value::Object(map) => map,
            _ => panic!("not an object"),
        }
    }

    fn login_session() -> SessionMap {
        let mut session = SessionMap::new();
        session.insert(SESSION_KEY.into(), json!("1"));
        session.insert(BACKEND_SESSION_KEY.into(), json!(MODEL_BACKEND));
        session.insert(HASH_SESSION_KEY.into(), json!(PASSWORD_HASH));
        session
    }

    #[test]
    fn small_session_is_not_compressed() {
        let encoded = encode(&map(json!({"x": "y"})), SECRET, T);
        assert_eq!(
            encoded,
            "eyJ4IjoieSJ9:1r31eq:pUnTKbHA7ptvM9o6KE9sx4crkYiPRna17PdUy20aHK0"
        );
        assert_eq!(
            decode(&encoded, SECRET, &[]).unwrap(),
            map(json!({"x": "y"}))
        );
    }

    #[test]
    fn django_made_sessions() {
        // SessionStore().encode(...) with time.time() = T.
        let unicode = concat!(
            "eyJuXHUwMGU5diI6IlpvXHUwMGViIFx1ZDgzZFx1ZGUwMCIsIm4iOlsxLDIuNSxudWxsLHRydWVdLCJfc2Vzc2lvbl9leHBpcnkiOiIyMDMwLTAxLTAyVDAzOjA0OjA1KzAwOjAwIn0",
            ":1r31eq:gfNsIonzi4hpZBioZf7w7UhV1UxI6CzHxWl6WD1pmaM"
        );
        let session = map(json!({
            "név": "Zoë 😀",
            "n": [1, 2.5, null, true],
            "_session_expiry": "2030-01-02T03:04:05+00:00",
        }));
        assert_eq!(encode(&session, SECRET, T), unicode);
        assert_eq!(decode(unicode, SECRET, &[]).unwrap(), session);
        let compressed = ".eJyrVopPLi5KK8nPTs1TslJKTEpOSU1Lz8jMys7JzcsvKCwqLiktK6-orHJ0cnZxdVPSUUrKTAcqrKQDUKoFABL6RAE:1r31eq:gATUPrsKpHWzE-T3LWCTc-XryYLP3gaOIox76qQOJRg";
        let session = map(json!({
            CSRF_SESSION_KEY: "abcdefghijklmnopqrstuvwxyzABCDEF",
            "big": "y".repeat(100),
        }));
        assert_eq!(decode(compressed, SECRET, &[]).unwrap(), session);
        assert!(encode(&session, SECRET, T).starts_with('.'));
    }

    #[test]
    fn django_login_session_decodes() {
        let decoded = decode(LOGIN_DATA, SECRET, &[]).unwrap();
        assert_eq!(decoded, login_session());
        let keys: Vec<&str> = decoded.keys().map(String::as_str).collect();
        assert_eq!(keys, [SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY]);
        assert_eq!(
            crate::compat::python::json::dumps::dumps_compact(&Value::Object(decoded)).len(),
            171,
            "Django's JSON for this session is 171 bytes"
        );
    }

    #[test]
    fn login_session_round_trips_compressed() {
        let encoded = encode(&login_session(), SECRET, T);
        assert!(encoded.starts_with('.'), "{encoded}");
        assert!(encoded.ends_with(":1r31eq:") || encoded.contains(":1r31eq:"));
        assert_eq!(decode(&encoded, SECRET, &[]).unwrap(), login_session());
    }

    #[test]
    fn fallback_keys_decode() {
        let encoded = encode(&login_session(), "old", T);
        assert_eq!(decode(&encoded, "new", &["old"]).unwrap(), login_session());
        let err = decode(&encoded, "new", &[]).unwrap_err();
        assert!(err.is_suspicious());
        assert_eq!(err.to_string(), "Session data corrupted");
    }

    #[test]
    fn corrupted_data_is_an_empty_session() {
        for data in [
            "",
            "garbage",
            "a:b",
            "eyJ4IjoieSJ9:1r31eq:wrong",
            LOGIN_DATA.replace("eJx", "eJy").as_str(),
        ] {
            let (session, reason) = decode_or_empty(data, SECRET, &[]);
            assert!(session.is_empty());
            assert!(reason.unwrap().is_suspicious(), "{data}");
        }
        // Validly signed but not an object, or not JSON: empty, not suspicious.
        for value in [json!([1, 2]), json!("text"), json!(null)] {
            let encoded = signing::dumps(&value, SECRET, SESSION_STORE_SALT, true, T);
            let (session, reason) = decode_or_empty(&encoded, SECRET, &[]);
            assert!(session.is_empty());
            assert!(!reason.unwrap().is_suspicious());
        }
        let signer = signing::Signer::new(SECRET, &[], SESSION_STORE_SALT);
        let not_json = signer.sign_with_timestamp(&signing::b64_encode(b"{nope"), T);
        assert!(matches!(
            decode(&not_json, SECRET, &[]),
            Err(Corrupted::Malformed)
        ));
        // Another store's salt does not verify.
        let other = signing::dumps(&json!({"x": 1}), SECRET, "django.core.signing", true, T);
        assert!(decode(&other, SECRET, &[]).unwrap_err().is_suspicious());
    }

    #[test]
    fn session_keys() {
        let key = generate_session_key();
        assert_eq!(key.len(), 32);
        assert!(key.bytes().all(|b| VALID_KEY_CHARS.as_bytes().contains(&b)));
        assert_ne!(key, generate_session_key());
        assert!(is_valid_session_key(&key));
        assert!(is_valid_session_key("12345678"));
        assert!(is_valid_session_key("ABC!@#$%"));
        assert!(is_valid_session_key("éééééééé"));
        assert!(!is_valid_session_key("1234567"));
        assert!(!is_valid_session_key("ééééééé"));
        assert!(!is_valid_session_key(""));
    }

    #[test]
    fn auth_hash_vector_and_verification() {
        assert_eq!(session_auth_hash(PASSWORD, SECRET), PASSWORD_HASH);
        assert_eq!(
            verify_session_auth_hash(PASSWORD_HASH, PASSWORD, SECRET, &[]),
            HashMatch::Current
        );
        let old = session_auth_hash(PASSWORD, "old");
        assert_eq!(
            verify_session_auth_hash(&old, PASSWORD, SECRET, &["other", "old"]),
            HashMatch::Fallback
        );
        assert_eq!(
            verify_session_auth_hash(&old, PASSWORD, SECRET, &[]),
            HashMatch::None
        );
        assert_eq!(
            verify_session_auth_hash(PASSWORD_HASH, "pbkdf2_sha256$changed", SECRET, &[]),
            HashMatch::None
        );
        assert_eq!(
            verify_session_auth_hash("", PASSWORD, SECRET, &[""]),
            HashMatch::None
        );
    }

    #[test]
    fn expiry() {
        let now = Utc.with_ymd_and_hms(2023, 11, 14, 22, 13, 20).unwrap();
        let age = DEFAULT_SESSION_COOKIE_AGE;
        let with = |value: Value| map(json!({ SESSION_EXPIRY_KEY: value }));
        let default = now + Duration::seconds(1_209_600);
        assert_eq!(expiry_date(&SessionMap::new(), age, now).unwrap(), default);
        assert_eq!(expiry_date(&with(json!(null)), age, now).unwrap(), default);
        assert_eq!(expiry_date(&with(json!(0)), age, now).unwrap(), default);
        assert_eq!(
            expiry_date(&with(json!(300)), age, now).unwrap(),
            now + Duration::seconds(300)
        );
        assert_eq!(
            expiry_date(&with(json!(1.5)), age, now).unwrap(),
            now + Duration::milliseconds(1500)
        );
        let at = Utc.with_ymd_and_hms(2030, 1, 2, 3, 4, 5).unwrap();
        for iso in [
            "2030-01-02T03:04:05+00:00",
            "2030-01-02T03:04:05Z",
            "2030-01-02 03:04:05",
            "2030-01-02T03:04:05",
            "2030-01-02T04:04:05+01:00",
            "2030-01-02T08:34:05+0530",
        ] {
            assert_eq!(
                expiry_date(&with(json!(iso)), age, now).unwrap(),
                at,
                "{iso}"
            );
        }
        assert_eq!(
            expiry_date(&with(json!("2030-01-02T03:04:05.123456+00:00")), age, now).unwrap(),
            at + Duration::microseconds(123_456)
        );
        assert_eq!(
            expiry_date(&with(json!("2030-01-02T08:34:05.5+05:30")), age, now).unwrap(),
            at + Duration::milliseconds(500)
        );
        assert_eq!(
            expiry_date(&with(json!("2030-01-02T03:04")), age, now).unwrap(),
            at - Duration::seconds(5)
        );
        assert_eq!(
            expiry_date(&with(json!("2030-01-02")), age, now).unwrap(),
            Utc.with_ymd_and_hms(2030, 1, 2, 0, 0, 0).unwrap()
        );
        assert_eq!(
            expiry_date(&with(json!("tomorrow")), age, now),
            Err(InvalidExpiry::Unparsable)
        );
        assert_eq!(
            expiry_date(&with(json!([1])), age, now),
            Err(InvalidExpiry::Unusable)
        );
        assert_eq!(
            expiry_date(&with(json!(1e300)), age, now),
            Err(InvalidExpiry::Unusable)
        );

        assert_eq!(expiry_age(&SessionMap::new(), age, now).unwrap(), 1_209_600);
        assert_eq!(expiry_age(&with(json!(300)), age, now).unwrap(), 300);
        assert_eq!(expiry_age(&with(json!("")), age, now).unwrap(), 1_209_600);
        assert_eq!(
            expiry_age(&with(json!("2023-11-14T22:14:20.5+00:00")), age, now).unwrap(),
            60
        );
        assert_eq!(
            expiry_age(&with(json!("2023-11-14T22:13:19.5+00:00")), age, now).unwrap(),
            -1
        );
    }
}
