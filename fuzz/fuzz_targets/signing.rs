//! Django's signed values (`Signer`, `TimestampSigner`, `signing.loads`) and the signed session
//! data, with a fixed `SECRET_KEY` and one fallback key.
//!
//! Arbitrary text is verified and decoded (it must never verify unless it is exactly what the
//! keys sign); values signed here must verify, and stop verifying after any one-byte change;
//! arbitrary payload bytes are signed with the key so that the base64, zlib and JSON decoding
//! behind the signature is fuzzed too.
#![no_main]

use arbitrary::Arbitrary;
use auth_core::compat::python::json::dumps::dumps_compact;
use auth_core::django::session_data::{self, Corrupted, SESSION_STORE_SALT, SessionMap};
use auth_core::django::signing::{
    self, BadSignature, DUMPS_SALT, MAX_DECOMPRESSED_LEN, SIGNER_SALT, Signer, SigningError,
    TIMESTAMP_SIGNER_SALT,
};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const KEY: &str = "django-insecure-fuzzing-key-0123456789";
const FALLBACK: &str = "an-older-key";
const FALLBACKS: [&str; 1] = [FALLBACK];

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    /// Which property this input checks: one per run keeps each run cheap (each signs or
    /// verifies a few values, and the session ones also compress).
    check: Check,
    /// The salt arbitrary text is verified with.
    salt: Salt,
    /// Text presented as a signed value (a cookie, a `session_data` column, …).
    presented: &'a str,
    /// A value the server signs.
    value: &'a str,
    /// Where, and how, to change one byte of a value signed here.
    flip_at: u16,
    flip_with: u8,
    signed_at: u64,
    now: u64,
    max_age: Option<u64>,
    /// Bytes signed as a payload (plain, or as a compressed one).
    payload: &'a [u8],
    compressed: bool,
    /// A session's contents.
    session: Vec<(&'a str, &'a str)>,
}

#[derive(Debug, Arbitrary)]
enum Check {
    Presented,
    SignedValue,
    Payload,
    Session,
}

#[derive(Debug, Arbitrary)]
enum Salt {
    Signer,
    TimestampSigner,
    Dumps,
    SessionStore,
}

impl Salt {
    const fn as_str(&self) -> &'static str {
        match self {
            Self::Signer => SIGNER_SALT,
            Self::TimestampSigner => TIMESTAMP_SIGNER_SALT,
            Self::Dumps => DUMPS_SALT,
            Self::SessionStore => SESSION_STORE_SALT,
        }
    }
}

fuzz_target!(|input: Input<'_>| {
    match input.check {
        Check::Presented => check_presented(&input),
        Check::SignedValue => check_signed_value(&input),
        Check::Payload => check_payload(&input),
        Check::Session => check_session(&input),
    }
});

/// Arbitrary text verifies only if it is what one of the keys produces for its value.
fn check_presented(input: &Input<'_>) {
    let presented = input.presented;
    let salt = input.salt.as_str();
    let signer = Signer::new(KEY, &FALLBACKS, salt);
    let unsigned = signer.unsign(presented);
    if let Ok(value) = &unsigned {
        let by_key = Signer::new(KEY, &[], salt).sign(value);
        let by_fallback = Signer::new(FALLBACK, &[], salt).sign(value);
        assert!(presented == by_key || presented == by_fallback);
    }
    let timestamped = signer.unsign_with_timestamp(presented, input.max_age, input.now);
    if timestamped.is_ok() {
        assert!(unsigned.is_ok());
    }
    let loaded = signing::loads(
        presented,
        KEY,
        &FALLBACKS,
        DUMPS_SALT,
        input.max_age,
        input.now,
    );
    if loaded.is_ok() {
        assert!(
            Signer::new(KEY, &FALLBACKS, DUMPS_SALT)
                .unsign(presented)
                .is_ok()
        );
    }
    let session = session_data::decode(presented, KEY, &FALLBACKS);
    let verifies = Signer::new(KEY, &FALLBACKS, SESSION_STORE_SALT)
        .unsign(presented)
        .is_ok();
    match session {
        Ok(_) | Err(Corrupted::Malformed) => assert!(verifies),
        Err(Corrupted::BadSignature) => assert!(!verifies),
    }
    let (empty, reason) = session_data::decode_or_empty(presented, KEY, &FALLBACKS);
    if reason.is_some() {
        assert!(empty.is_empty());
    }

    if let Some(number) = signing::b62_decode(presented) {
        assert_eq!(
            signing::b62_decode(&signing::b62_encode(number)),
            Some(number)
        );
    }
    if let Some(bytes) = signing::b64_decode(presented) {
        assert_eq!(
            signing::b64_decode(&signing::b64_encode(&bytes)),
            Some(bytes)
        );
    }
}

/// `text` with one ASCII byte replaced by another ASCII byte (so it stays UTF-8), or `None`
/// when `text` has no ASCII byte.
fn flip_one_byte(text: &str, at: u16, with: u8) -> Option<String> {
    let mut bytes = text.as_bytes().to_vec();
    let len = bytes.len();
    let start = usize::from(at) % len.max(1);
    let position = (0..len)
        .map(|offset| (start + offset) % len)
        .find(|&index| bytes[index].is_ascii())?;
    bytes[position] ^= (with % 0x7f) + 1;
    String::from_utf8(bytes).ok()
}

fn check_signed_value(input: &Input<'_>) {
    let signer = Signer::new(KEY, &FALLBACKS, TIMESTAMP_SIGNER_SALT);
    let signed = signer.sign(input.value);
    assert_eq!(signer.unsign(&signed).as_deref(), Ok(input.value));

    let stamped = signer.sign_with_timestamp(input.value, input.signed_at);
    let result = signer.unsign_with_timestamp(&stamped, input.max_age, input.now);
    let age = input.now.saturating_sub(input.signed_at);
    match input.max_age {
        Some(max_age) if age > max_age => assert!(matches!(
            result,
            Err(SigningError::BadSignature(BadSignature::Expired { .. }))
        )),
        _ => assert_eq!(result.ok(), Some((input.value.to_owned(), input.signed_at))),
    }

    // A value signed with the old key still verifies; with no fallbacks it does not.
    let old = Signer::new(FALLBACK, &[], TIMESTAMP_SIGNER_SALT).sign(input.value);
    assert_eq!(signer.unsign(&old).as_deref(), Ok(input.value));
    assert!(
        Signer::new(KEY, &[], TIMESTAMP_SIGNER_SALT)
            .unsign(&old)
            .is_err()
    );

    for original in [&signed, &stamped, &old] {
        if let Some(tampered) = flip_one_byte(original, input.flip_at, input.flip_with) {
            assert_ne!(&tampered, original);
            assert!(signer.unsign(&tampered).is_err(), "tampered value verified");
            assert!(
                signer
                    .unsign_with_timestamp(&tampered, None, input.now)
                    .is_err()
            );
        }
    }
}

/// Payload bytes signed with the key: the decoding behind the signature never panics, and
/// `dumps` output round-trips through `loads`.
fn check_payload(input: &Input<'_>) {
    let signer = Signer::new(KEY, &[], DUMPS_SALT);
    let encoded = signing::b64_encode(input.payload);
    let encoded = if input.compressed {
        format!(".{encoded}")
    } else {
        encoded
    };
    let signed = signer.sign_with_timestamp(&encoded, input.signed_at);
    match signer.unsign_object(&signed, None, input.now) {
        Ok(value) if !input.compressed => {
            assert_eq!(signing::json_loads(input.payload).ok(), Some(value));
        }
        // Deflate expands at most 1032:1, so a payload over the cap needs that many bytes.
        Ok(_) => {}
        Err(SigningError::TooLarge) => assert!(input.payload.len() * 1100 > MAX_DECOMPRESSED_LEN),
        Err(error) => assert!(!error.is_bad_signature()),
    }

    let value = Value::from(String::from_utf8_lossy(input.payload).into_owned());
    let dumped = signing::dumps(&value, KEY, DUMPS_SALT, input.compressed, input.signed_at);
    let loaded = signing::loads(&dumped, KEY, &[], DUMPS_SALT, None, input.now);
    assert_eq!(loaded.ok(), Some(value.clone()));
    let text = dumps_compact(&value);
    assert!(text.is_ascii());
    assert_eq!(signing::json_loads(text.as_bytes()).ok(), Some(value));
}

fn check_session(input: &Input<'_>) {
    let mut session = SessionMap::new();
    for &(key, value) in &input.session {
        session.insert(key.to_owned(), Value::from(value));
    }
    let encoded = session_data::encode(&session, KEY, input.signed_at);
    let decoded = session_data::decode(&encoded, KEY, &[]);
    assert_eq!(decoded.ok().as_ref(), Some(&session));

    let old = session_data::encode(&session, FALLBACK, input.signed_at);
    assert_eq!(
        session_data::decode(&old, KEY, &FALLBACKS).ok().as_ref(),
        Some(&session)
    );
    assert!(matches!(
        session_data::decode(&old, KEY, &[]),
        Err(Corrupted::BadSignature)
    ));

    if let Some(tampered) = flip_one_byte(&encoded, input.flip_at, input.flip_with) {
        assert!(matches!(
            session_data::decode(&tampered, KEY, &FALLBACKS),
            Err(Corrupted::BadSignature)
        ));
    }
}
