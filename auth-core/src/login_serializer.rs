//! dj-rest-auth 7.2.0's `LoginSerializer` (`dj_rest_auth/serializers.py`) without allauth: the
//! fields `username`, `email`, `password`, the user found by email (Django's
//! `email__iexact`) or by username, then Django's `authenticate`.
//!
//! Divergence, secure by default: an email that two accounts share (ignoring case) crashes
//! dj-rest-auth with `MultipleObjectsReturned` (a 500); here it matches nobody, and the login
//! is the usual 400 "Unable to log in with provided credentials." (the username, when given,
//! is not used instead, as dj-rest-auth would not reach it either).

use crate::accounts;
use crate::char_field::{Input, char_field, email_field};
use crate::environment::Environment;
use crate::error::ApiError;
use crate::messages;
use crate::user::User;

/// `_validate_username`'s error: allauth's login by username without one.
pub const MUST_INCLUDE_USERNAME: &str = "Must include \"username\" and \"password\".";

/// The validated fields: `username` and `email` as sent (trimmed; `None` when absent, possibly
/// blank), `password` (trimmed, never blank).
#[derive(Clone, PartialEq, Eq)]
pub struct LoginFields {
    /// `username = CharField(required=False, allow_blank=True)`.
    pub username: Option<String>,
    /// `email = EmailField(required=False, allow_blank=True)`.
    pub email: Option<String>,
    /// `password = CharField()`.
    pub password: String,
}

impl std::fmt::Debug for LoginFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginFields")
            .field("username", &self.username)
            .field("email", &self.email)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// A `CharField(required=False, allow_blank=True)` (trimmed): `None` when absent, `""` when
/// blank, else the text or its errors; `email` makes it an `EmailField`
/// ([`email_field`]).
fn optional_field(value: Option<Input<'_>>, email: bool) -> Result<Option<String>, Vec<String>> {
    let Some(value) = value else {
        return Ok(None);
    };
    let checked = if email {
        email_field(Some(value))
    } else {
        char_field(Some(value), true).map_err(|message| vec![message.to_owned()])
    };
    match checked {
        Err(errors) if errors == [messages::FIELD_BLANK] => Ok(Some(String::new())),
        other => other.map(Some),
    }
}

/// The serializer's fields from `lookup` (a JSON object's members or a form's last values),
/// in declaration order; every field's errors together.
pub fn fields<'a>(lookup: impl Fn(&str) -> Option<Input<'a>>) -> Result<LoginFields, ApiError> {
    let mut errors = Vec::new();
    let username = optional_field(lookup("username"), false)
        .map_err(|messages| errors.push(("username".to_owned(), messages)))
        .ok()
        .flatten();
    let email = optional_field(lookup("email"), true)
        .map_err(|messages| errors.push(("email".to_owned(), messages)))
        .ok()
        .flatten();
    let password = char_field(lookup("password"), true)
        .map_err(|message| errors.push(("password".to_owned(), vec![message.to_owned()])))
        .ok();
    match password {
        Some(password) if errors.is_empty() => Ok(LoginFields {
            username,
            email,
            password,
        }),
        _ => Err(ApiError::validation(errors)),
    }
}

/// `validate(attrs)`: `get_auth_user_using_orm` then `authenticate`; the user, or
/// `{"non_field_errors":["Unable to log in with provided credentials."]}`. An inactive user is
/// refused by `authenticate` itself (Django's `ModelBackend`), so dj-rest-auth's "User account
/// is disabled." is never reached, here as there.
///
/// In allauth mode (`REST_AUTH` `ALLAUTH`), `get_auth_user_using_allauth` with allauth's default
/// login methods (`{"username"}`): the username alone, `email` ignored, and no username is
/// `{"non_field_errors":["Must include \"username\" and \"password\"."]}`. allauth's
/// "mandatory" email verification is not supported.
pub async fn validate(env: &Environment, fields: &LoginFields) -> Result<User, ApiError> {
    if env.settings().rest_auth.allauth {
        let username = fields.username.as_deref().unwrap_or_default();
        if username.is_empty() {
            return Err(crate::char_field::non_field_error(MUST_INCLUDE_USERNAME));
        }
        return accounts::authenticate(env, username, &fields.password)
            .await?
            .ok_or_else(|| crate::char_field::non_field_error(messages::UNABLE_TO_LOG_IN));
    }
    let mut username = fields.username.clone().unwrap_or_default();
    if let Some(email) = fields.email.as_deref().filter(|email| !email.is_empty()) {
        let found = env
            .settings()
            .user_model
            .find_by_email_iexact(env.db(), email)
            .await
            .map_err(ApiError::store_failure)?;
        match found.as_slice() {
            [user] => username = user.username.clone(),
            [] => {}
            // Not unique: see the module documentation.
            _ => {
                return Err(crate::char_field::non_field_error(
                    messages::UNABLE_TO_LOG_IN,
                ));
            }
        }
    }
    let user = if username.is_empty() {
        None
    } else {
        accounts::authenticate(env, &username, &fields.password).await?
    };
    user.ok_or_else(|| crate::char_field::non_field_error(messages::UNABLE_TO_LOG_IN))
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    fn json_fields(body: Value) -> Result<LoginFields, String> {
        fields(|name| body.get(name).map(Input::Json)).map_err(|error| error.body_json())
    }

    #[test]
    fn fields_are_read_as_dj_rest_auth_declares_them() {
        let read = json_fields(serde_json::json!({
            "username": " alice ", "email": "", "password": " pw "
        }));
        assert_eq!(
            read,
            Ok(LoginFields {
                username: Some("alice".to_owned()),
                email: Some(String::new()),
                password: "pw".to_owned(),
            })
        );
        assert_eq!(
            json_fields(serde_json::json!({})),
            Err(r#"{"password":["This field is required."]}"#.to_owned())
        );
        assert_eq!(
            json_fields(serde_json::json!({"username": ["a"], "email": "nope", "password": ""})),
            Err(concat!(
                r#"{"username":["Not a valid string."],"email":["Enter a valid email address."],"#,
                r#""password":["This field may not be blank."]}"#
            )
            .to_owned())
        );
        assert_eq!(
            json_fields(serde_json::json!({"email": "a\u{0}b", "username": null, "password": "x"})),
            Err(concat!(
                r#"{"username":["This field may not be null."],"#,
                r#""email":["Null characters are not allowed.","Enter a valid email address."]}"#
            )
            .to_owned())
        );
        assert_eq!(
            json_fields(serde_json::json!({"email": true, "password": true})),
            Err(concat!(
                r#"{"email":["Enter a valid email address."],"#,
                r#""password":["Not a valid string."]}"#
            )
            .to_owned())
        );
    }
}
