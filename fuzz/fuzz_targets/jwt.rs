//! JSON Web Tokens as PyJWT and simplejwt read them (`auth_core::jwt`, `auth_core::simplejwt`).
//!
//! The input is read as a token by every class; then its bytes become the payload of a token
//! this side signs, which must read back to the same claims and re-encode to the same bytes, and
//! stop verifying when any one byte of it changes.
#![no_main]

use auth_core::jwt::jws;
use auth_core::jwt::{Algorithm, ClaimRules, HmacKey, SigningKey, VerifyingKey};
use auth_core::simplejwt::{SimpleJwtSettings, Token, TokenKind};
use chrono::{TimeZone as _, Utc};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

const NOW: i64 = 1_796_527_700;

fuzz_target!(|data: &[u8]| {
    let Ok(settings) = SimpleJwtSettings::new(b"fuzzing key, not a secret".to_vec()) else {
        return;
    };
    let now = Utc.timestamp_opt(NOW, 0).single().unwrap_or_default();
    let text = String::from_utf8_lossy(data);
    for kind in [TokenKind::Access, TokenKind::Refresh, TokenKind::Sliding, TokenKind::Untyped] {
        let first = Token::decode(kind, &text, &settings, now, true).map(|t| t.payload().clone());
        let again = Token::decode(kind, &text, &settings, now, true).map(|t| t.payload().clone());
        assert_eq!(first, again, "decoding is deterministic");
    }
    let secret =
        HmacKey::new(b"fuzzing key, not a secret".to_vec()).unwrap_or_else(|_| unreachable!());
    let key = SigningKey::Hmac(secret.clone());
    let keys = [VerifyingKey::Hmac(secret)];
    let rules = ClaimRules::default();
    let _ = jws::decode_unverified(&text, &rules);

    // Arbitrary claims (the input as one text claim and, when it is a JSON object, its claims).
    let mut payload = Map::new();
    payload.insert("t".to_owned(), Value::from(text.as_ref()));
    if let Ok(Value::Object(claims)) = serde_json::from_slice::<Value>(data) {
        for (name, value) in claims {
            if !matches!(name.as_str(), "iat" | "nbf" | "exp" | "sub" | "jti" | "aud" | "iss") {
                payload.insert(name, value);
            }
        }
    }
    for algorithm in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
        let token = jws::encode(&payload, &key, algorithm)
            .unwrap_or_else(|error| panic!("HMAC cannot fail to sign: {error}"));
        let decoded = jws::decode(&token, &keys, &[algorithm], &rules, NOW as f64)
            .unwrap_or_else(|error| panic!("own token refused: {error}"));
        assert_eq!(decoded.payload, payload);
        assert_eq!(jws::encode(&decoded.payload, &key, algorithm).ok(), Some(token.clone()));
        // Any one byte changed: refused.
        let at = data.first().map_or(0, |&byte| usize::from(byte)) % token.len();
        let mut changed = token.clone().into_bytes();
        changed[at] = if changed[at] == b'A' { b'B' } else { b'A' };
        if let Ok(changed) = String::from_utf8(changed) {
            assert!(jws::decode(&changed, &keys, &[algorithm], &rules, NOW as f64).is_err());
        }
    }
});
