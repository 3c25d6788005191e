//! DRF's `AuthTokenSerializer`: the `username`/`password` input of the obtain-token endpoint,
//! also used by the session login endpoint.

use std::fmt;

use serde_json::Value;

use crate::accounts;
use crate::environment::Environment;
use crate::error::ApiError;
use crate::messages;
use crate::user::User;

/// Validated credentials: the username trimmed, the password exactly as sent.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// `username`, surrounding whitespace trimmed.
    pub username: String,
    /// `password`, untrimmed.
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// One input value, as the parsers deliver it.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// A JSON value.
    Json(&'a Value),
    /// A form or multipart field (always text).
    Text(&'a str),
}

/// Python's type name of a JSON value, as DRF's message shows it.
fn python_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(number) if number.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// A `CharField` (`allow_blank=False`, `allow_null=False`), with or without `trim_whitespace`.
fn char_field(value: Option<Input<'_>>, trim: bool) -> Result<String, &'static str> {
    let text = match value {
        None => return Err(messages::FIELD_REQUIRED),
        Some(Input::Json(Value::Null)) => return Err(messages::FIELD_NULL),
        Some(Input::Json(Value::Bool(_) | Value::Array(_) | Value::Object(_))) => {
            return Err(messages::NOT_A_VALID_STRING);
        }
        Some(Input::Json(Value::Number(number))) => number.to_string(),
        Some(Input::Json(Value::String(text))) => text.clone(),
        Some(Input::Text(text)) => text.to_owned(),
    };
    // DRF trims with Python's `str.strip()`, which also strips U+001C–U+001F.
    let text = if trim {
        crate::compat::python::text::python_strip(&text).to_owned()
    } else {
        text
    };
    if text.is_empty() {
        return Err(messages::FIELD_BLANK);
    }
    if text.contains('\0') {
        return Err(messages::NULL_CHARACTERS);
    }
    Ok(text)
}

/// Validates the two fields; every field error is reported together, in declaration order.
pub fn validate<'a>(lookup: impl Fn(&str) -> Option<Input<'a>>) -> Result<Credentials, ApiError> {
    let username = char_field(lookup("username"), true);
    let password = char_field(lookup("password"), false);
    match (username, password) {
        (Ok(username), Ok(password)) => Ok(Credentials { username, password }),
        (username, password) => {
            let mut errors = Vec::new();
            if let Err(message) = username {
                errors.push(("username".to_owned(), vec![message.to_owned()]));
            }
            if let Err(message) = password {
                errors.push(("password".to_owned(), vec![message.to_owned()]));
            }
            Err(ApiError::validation(errors))
        }
    }
}

/// Validates a JSON body: it must be an object (`Invalid data. Expected a dictionary, but got
/// list.` otherwise, and `No data provided` for `null`, as DRF's `Serializer.errors` words it).
pub fn validate_json(body: &Value) -> Result<Credentials, ApiError> {
    match body {
        Value::Object(object) => validate(|name| object.get(name).map(Input::Json)),
        Value::Null => Err(non_field_error(messages::NO_DATA_PROVIDED)),
        other => Err(non_field_error(
            &messages::EXPECTED_DICTIONARY.replace("{datatype}", python_type_name(other)),
        )),
    }
}

/// The serializer's object-level rule: Django's `authenticate(username, password)`; no user →
/// `{"non_field_errors":["Unable to log in with provided credentials."]}`.
pub async fn authenticate(env: &Environment, credentials: &Credentials) -> Result<User, ApiError> {
    // The login endpoints run outside the guarded pipeline; the same bound applies to them.
    let checked = tokio::time::timeout(
        env.settings().authentication_timeout,
        accounts::authenticate(env, &credentials.username, &credentials.password),
    )
    .await
    .map_err(|_| ApiError::store_failure("credential check timed out"))?;
    checked?.ok_or_else(|| non_field_error(messages::UNABLE_TO_LOG_IN))
}

/// A validation error under `non_field_errors`.
pub fn non_field_error(message: &str) -> ApiError {
    ApiError::validation(vec![(
        messages::NON_FIELD_ERRORS.to_owned(),
        vec![message.to_owned()],
    )])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_username_is_stripped_as_pythons_str_strip_does() {
        // Python's `str.isspace()` is Rust's `char::is_whitespace` plus U+001C–U+001F (DRF
        // 3.18: `CharField().run_validation('john\x1f') == 'john'`).
        let field = |text: &'static str| char_field(Some(Input::Text(text)), true);
        assert_eq!(field("\u{1c}john\u{1f} \u{3000}"), Ok("john".to_owned()));
        assert_eq!(field("\u{1f}"), Err(messages::FIELD_BLANK));
        // The password is never trimmed.
        assert_eq!(
            char_field(Some(Input::Text(" pw\u{1f}")), false),
            Ok(" pw\u{1f}".to_owned())
        );
    }

    fn body(value: Value) -> String {
        match validate_json(&value) {
            Ok(credentials) => format!("{}|{}", credentials.username, credentials.password),
            Err(error) => error.body_json(),
        }
    }

    #[test]
    fn reference_validation_bodies() {
        assert_eq!(
            body(json!({"username": "john"})),
            r#"{"password":["This field is required."]}"#
        );
        assert_eq!(
            body(json!({})),
            r#"{"username":["This field is required."],"password":["This field is required."]}"#
        );
        assert_eq!(
            body(json!({"username": "", "password": ""})),
            r#"{"username":["This field may not be blank."],"password":["This field may not be blank."]}"#
        );
        assert_eq!(
            body(json!({"username": null, "password": null})),
            r#"{"username":["This field may not be null."],"password":["This field may not be null."]}"#
        );
        assert_eq!(
            body(json!([])),
            r#"{"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}"#
        );
        // DRF 3.18 `Serializer.errors`: the whole body `null` is "No data provided".
        assert_eq!(
            body(Value::Null),
            r#"{"non_field_errors":["No data provided"]}"#
        );
        assert_eq!(
            body(json!("x")),
            r#"{"non_field_errors":["Invalid data. Expected a dictionary, but got str."]}"#
        );
    }

    #[test]
    fn username_is_trimmed_and_password_is_not() {
        assert_eq!(
            body(json!({"username": "  john  ", "password": " pw "})),
            "john| pw "
        );
        assert_eq!(
            body(json!({"username": "   ", "password": "x"})),
            r#"{"username":["This field may not be blank."]}"#
        );
    }

    #[test]
    fn numbers_become_text_and_other_types_are_refused() {
        assert_eq!(body(json!({"username": 123, "password": "x"})), "123|x");
        assert_eq!(
            body(json!({"username": true, "password": ["x"]})),
            r#"{"username":["Not a valid string."],"password":["Not a valid string."]}"#
        );
        assert_eq!(
            body(json!({"username": "a\u{0}b", "password": "x"})),
            r#"{"username":["Null characters are not allowed."]}"#
        );
    }
}
