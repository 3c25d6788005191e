//! A form-encoded body of the obtain-token and login endpoints: `form_urlencoded` parsing as
//! auth-actix does it (`post_data.rs`: every pair, the first of a name wins), then
//! `AuthTokenSerializer`'s validation of the `username` and `password` fields.
//!
//! Multipart bodies are parsed by auth-actix's private `multipart_fields` (multer) and are not
//! reachable from here.
#![no_main]

use arbitrary::Arbitrary;
use auth_core::ApiError;
use auth_core::auth_token_serializer::{self, Credentials, Input};
use auth_core::compat::python::text::python_strip;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

#[derive(Debug, Arbitrary)]
struct Body<'a> {
    /// A body as sent.
    raw: &'a [u8],
    /// Fields a client encodes (extra fields first, then the credentials).
    username: Option<&'a str>,
    password: Option<&'a str>,
    extra: Vec<(&'a str, &'a str)>,
}

fuzz_target!(|body: Body<'_>| {
    check_raw(body.raw);
    check_encoded(&body);
});

/// auth-actix's `PostData::Fields` for a form body.
fn fields(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect()
}

/// `post_data::credentials` for form fields.
fn validate(fields: &[(String, String)]) -> Result<Credentials, ApiError> {
    auth_token_serializer::validate(|name| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| Input::Text(value.as_str()))
    })
}

fn first<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

fn check_raw(raw: &[u8]) {
    let fields = fields(raw);
    let validated = validate(&fields);
    assert_eq!(validated, validate(&fields), "deterministic");
    let username = first(&fields, "username");
    let password = first(&fields, "password");
    match &validated {
        Ok(credentials) => {
            check_credentials(credentials);
            assert_eq!(
                Some(credentials.username.as_str()),
                username.map(python_strip)
            );
            assert_eq!(Some(credentials.password.as_str()), password);
        }
        Err(error) => {
            assert_eq!(error.status(), 400);
            let body: Value = serde_json::from_str(&error.body_json()).unwrap_or_default();
            let Some(body) = body.as_object() else {
                panic!("validation body is not an object: {}", error.body_json());
            };
            assert!(!body.is_empty());
            assert!(
                body.keys()
                    .all(|key| key == "username" || key == "password")
            );
        }
    }

    // The same text values sent as JSON validate identically.
    let mut object = Map::new();
    for (name, value) in [("username", username), ("password", password)] {
        if let Some(value) = value {
            object.insert(name.to_owned(), Value::from(value));
        }
    }
    assert_eq!(
        auth_token_serializer::validate_json(&Value::Object(object)),
        validated
    );
}

/// Fields a client encodes come back as sent: the username stripped as Python's `str.strip()`
/// does (DRF's `CharField`), the password untouched.
fn check_encoded(body: &Body<'_>) {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for &(name, value) in &body.extra {
        if name != "username" && name != "password" {
            serializer.append_pair(name, value);
        }
    }
    if let Some(username) = body.username {
        serializer.append_pair("username", username);
    }
    if let Some(password) = body.password {
        serializer.append_pair("password", password);
    }
    let encoded = serializer.finish();
    let validated = validate(&fields(encoded.as_bytes()));
    let valid = |text: &str| !text.is_empty() && !text.contains('\0');
    match (body.username, body.password) {
        (Some(username), Some(password)) if valid(python_strip(username)) && valid(password) => {
            assert_eq!(
                validated.ok(),
                Some(Credentials {
                    username: python_strip(username).to_owned(),
                    password: password.to_owned(),
                })
            );
        }
        _ => assert!(validated.is_err()),
    }
}

fn check_credentials(credentials: &Credentials) {
    assert!(!credentials.username.is_empty());
    assert_eq!(credentials.username, python_strip(&credentials.username));
    assert!(!credentials.password.is_empty());
    assert!(!credentials.username.contains('\0') && !credentials.password.contains('\0'));
    assert_eq!(
        format!("{credentials:?}"),
        format!(
            "Credentials {{ username: {:?}, password: \"<redacted>\" }}",
            credentials.username
        )
    );
}
