//! The user model's fields as DRF's `ModelSerializer` builds them for `auth.User`: what the
//! account views (djoser's registration and username change, dj-rest-auth's user details) accept
//! for a username, an email and a name, with every validator's error in DRF's order.

use auth_core::ApiError;
use auth_core::char_field::{Input, char_field};
use auth_core::environment::Environment;
use auth_core::store::user_id::UserId;

use crate::request_fields::text_of;

/// The model's `username`: `CharField(max_length=150)` with `UnicodeUsernameValidator` and
/// `UniqueValidator` (which, on an update, excludes the instance `except`). DRF runs every
/// validator and keeps each error, in the order `ModelSerializer` builds them: the username
/// characters, uniqueness, the length, null characters.
pub(crate) async fn username(
    env: &Environment,
    input: Option<Input<'_>>,
    except: Option<UserId>,
) -> Result<Result<String, Vec<String>>, ApiError> {
    use auth_core::django::username_validator::{
        INVALID_USERNAME, USERNAME_MAX_LENGTH, is_valid_username,
    };
    use auth_core::messages;

    let text = match char_field(input, true) {
        Ok(text) => text,
        Err(messages::NULL_CHARACTERS) => match input.and_then(text_of) {
            Some(text) => auth_core::compat::python::text::python_strip(text).to_owned(),
            None => return Ok(Err(vec![messages::NULL_CHARACTERS.to_owned()])),
        },
        Err(message) => return Ok(Err(vec![message.to_owned()])),
    };
    let mut errors = Vec::new();
    if !is_valid_username(&text) {
        errors.push(INVALID_USERNAME.to_owned());
    }
    let taken = env
        .settings()
        .user_model
        .username_taken(env.db(), &text, except)
        .await
        .map_err(ApiError::store_failure)?;
    if taken {
        errors.push(messages::USERNAME_TAKEN.to_owned());
    }
    if text.chars().count() > USERNAME_MAX_LENGTH {
        errors.push(messages::MAX_LENGTH.replace("{max_length}", &USERNAME_MAX_LENGTH.to_string()));
    }
    if text.contains('\0') {
        errors.push(messages::NULL_CHARACTERS.to_owned());
    }
    Ok(if errors.is_empty() {
        Ok(text)
    } else {
        Err(errors)
    })
}

/// The model's `email` as `ModelSerializer` builds it: `EmailField(allow_blank=True,
/// max_length=254, required=False)`, its validators in DRF's order (the length, null
/// characters, the address). `None` when absent.
pub(crate) fn email(input: Option<Input<'_>>) -> Result<Option<String>, Vec<String>> {
    use auth_core::django::email_validator::{ENTER_A_VALID_EMAIL, is_valid_email};

    blank_allowed(input, 254, ENTER_A_VALID_EMAIL, |text, errors| {
        if !is_valid_email(text) {
            errors.push(ENTER_A_VALID_EMAIL.to_owned());
        }
    })
}

/// The model's `first_name` / `last_name`: `CharField(allow_blank=True, max_length=150,
/// required=False)`, its validators in DRF's order (the length, null characters). `None` when
/// absent.
#[cfg(feature = "simplejwt")]
pub(crate) fn name(input: Option<Input<'_>>) -> Result<Option<String>, Vec<String>> {
    blank_allowed(
        input,
        150,
        auth_core::messages::NOT_A_VALID_STRING,
        |_, _| {},
    )
}

/// A model field with `blank=True` as `ModelSerializer` builds it (`allow_blank=True,
/// required=False`, trimmed): `None` when absent, `""` when blank, else the text or every
/// validator's error in DRF's order: the length, null characters, then `more`'s. A JSON boolean,
/// list or object is `not_a_string` (the field's `invalid` message).
fn blank_allowed(
    input: Option<Input<'_>>,
    max_length: usize,
    not_a_string: &str,
    more: impl FnOnce(&str, &mut Vec<String>),
) -> Result<Option<String>, Vec<String>> {
    use auth_core::messages;

    let Some(input) = input else {
        return Ok(None);
    };
    let text = match char_field(Some(input), true) {
        Ok(text) => text,
        Err(messages::FIELD_BLANK) => return Ok(Some(String::new())),
        Err(messages::NULL_CHARACTERS) => match text_of(input) {
            Some(text) => auth_core::compat::python::text::python_strip(text).to_owned(),
            None => return Err(vec![messages::NULL_CHARACTERS.to_owned()]),
        },
        Err(messages::NOT_A_VALID_STRING) => return Err(vec![not_a_string.to_owned()]),
        Err(message) => return Err(vec![message.to_owned()]),
    };
    let mut errors = Vec::new();
    if text.chars().count() > max_length {
        errors.push(messages::MAX_LENGTH.replace("{max_length}", &max_length.to_string()));
    }
    if text.contains('\0') {
        errors.push(messages::NULL_CHARACTERS.to_owned());
    }
    more(&text, &mut errors);
    if errors.is_empty() {
        Ok(Some(text))
    } else {
        Err(errors)
    }
}
