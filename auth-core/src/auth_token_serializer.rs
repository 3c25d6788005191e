//! DRF's `AuthTokenSerializer`: the `username`/`password` input of the obtain-token endpoint,
//! also used by the session login endpoint.

use std::fmt;

use serde_json::Value;

use crate::accounts;
pub use crate::char_field::{Input, non_field_error};
use crate::char_field::{json_object, validate_char_fields};
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

/// Validates the two fields; every field error is reported together, in declaration order.
pub fn validate<'a>(lookup: impl Fn(&str) -> Option<Input<'a>>) -> Result<Credentials, ApiError> {
    let mut values =
        validate_char_fields(lookup, &[("username", true), ("password", false)])?.into_iter();
    match (values.next(), values.next()) {
        (Some(username), Some(password)) => Ok(Credentials { username, password }),
        _ => Err(ApiError::new(crate::error::ErrorKind::ServerError)),
    }
}

/// Validates a JSON body: it must be an object (`Invalid data. Expected a dictionary, but got
/// list.` otherwise, and `No data provided` for `null`, as DRF's `Serializer.errors` words it).
pub fn validate_json(body: &Value) -> Result<Credentials, ApiError> {
    let object = json_object(body)?;
    validate(|name| object.get(name).map(Input::Json))
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
