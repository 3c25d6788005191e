//! A JSON body of the obtain-token and login endpoints: DRF's `JSONParser`
//! (`compat::python::json::loads::parse`), then `AuthTokenSerializer`'s validation of the value.
#![no_main]

use auth_core::auth_token_serializer::{self, Credentials};
use auth_core::compat::python::json::loads::{self, JsonParseError};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|body: &[u8]| {
    let parsed = loads::parse(body);
    assert_eq!(parsed, loads::parse(body), "parsing is deterministic");
    match &parsed {
        Ok(value) => check_value(value),
        Err(error) => check_error(body, error),
    }
    check_against_serde_json(body, &parsed);
});

/// serde_json is strict RFC 8259 and recursion-limited; whatever it accepts, DRF's parser
/// accepts too, with the same value (numbers compared as Python would compare them).
fn check_against_serde_json(body: &[u8], parsed: &Result<Value, JsonParseError>) {
    let Ok(strict) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    match parsed {
        Ok(value) => assert!(same(value, &strict), "{value:?} != {strict:?}"),
        // CPython's `int()` digit limit, which serde_json does not have.
        Err(JsonParseError::IntegerTooLong { .. }) => {}
        Err(error) => panic!("serde_json accepts what DRF refuses: {error}"),
    }
}

/// Structural equality with numbers compared by value (`-0` is an int for Python and a float
/// for serde_json; both equal 0).
fn same(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(l), Value::Number(r)) => l == r || l.as_f64() == r.as_f64(),
        (Value::Array(l), Value::Array(r)) => {
            l.len() == r.len() && l.iter().zip(r).all(|(l, r)| same(l, r))
        }
        (Value::Object(l), Value::Object(r)) => {
            l.len() == r.len()
                && l.iter()
                    .zip(r)
                    .all(|((lk, lv), (rk, rv))| lk == rk && same(lv, rv))
        }
        _ => left == right,
    }
}

/// How deeply `value` nests, without recursing.
fn depth(value: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(value, 1)];
    while let Some((value, level)) = stack.pop() {
        deepest = deepest.max(level);
        match value {
            Value::Array(items) => stack.extend(items.iter().map(|item| (item, level + 1))),
            Value::Object(map) => stack.extend(map.values().map(|item| (item, level + 1))),
            _ => {}
        }
    }
    deepest
}

fn check_value(value: &Value) {
    // Written back out (serde_json recurses, so only for shallow values) it parses to itself.
    if depth(value) <= 64 {
        let text = serde_json::to_vec(value).unwrap_or_default();
        match loads::parse(&text) {
            Ok(again) => assert!(same(&again, value)),
            Err(error) => panic!("re-parsing {value:?} failed: {error}"),
        }
    }

    let validated = auth_token_serializer::validate_json(value);
    assert_eq!(validated, auth_token_serializer::validate_json(value));
    match validated {
        Ok(credentials) => {
            check_credentials(&credentials);
            // The password is the field's text exactly as sent.
            let Some(object) = value.as_object() else {
                panic!("credentials from a non-object");
            };
            match object.get("password") {
                Some(Value::String(password)) => assert_eq!(&credentials.password, password),
                Some(Value::Number(number)) => {
                    assert_eq!(credentials.password, number.to_string());
                }
                other => panic!("password accepted from {other:?}"),
            }
        }
        Err(error) => {
            assert_eq!(error.status(), 400);
            let body: Value = serde_json::from_str(&error.body_json()).unwrap_or_default();
            assert!(body.is_object(), "{}", error.body_json());
        }
    }
}

fn check_credentials(credentials: &Credentials) {
    assert!(!credentials.username.is_empty());
    assert_eq!(credentials.username, credentials.username.trim());
    assert!(!credentials.password.is_empty());
    assert!(!credentials.username.contains('\0') && !credentials.password.contains('\0'));
    // `Debug` shows the username and never the password.
    assert_eq!(
        format!("{credentials:?}"),
        format!(
            "Credentials {{ username: {:?}, password: \"<redacted>\" }}",
            credentials.username
        )
    );
}

fn check_error(body: &[u8], error: &JsonParseError) {
    let message = error.to_string();
    assert!(!message.is_empty());
    match error {
        JsonParseError::Utf8 { bytes, .. } => {
            assert!(bytes.len >= 1 && bytes.start + bytes.len <= body.len());
            assert_eq!(body.get(bytes.start), Some(&bytes.first));
            assert!(std::str::from_utf8(body).is_err());
        }
        JsonParseError::Syntax {
            line,
            column,
            position,
            ..
        } => {
            assert!(*line >= 1 && *column >= 1 && *column <= position + 1);
            // Positions count code points of the decoded text, which has at most one per byte.
            assert!(*position <= body.len());
        }
        _ => {}
    }
}
