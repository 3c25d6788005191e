//! DRF's `CharField` as the login serializers declare it (`allow_blank=False`,
//! `allow_null=False`), and the body checks of DRF's `Serializer` before any field: what the
//! obtain-token, session login and simplejwt serializers share.

use serde_json::{Map, Value};

use crate::django::email_validator::{ENTER_A_VALID_EMAIL, is_valid_email};
use crate::error::ApiError;
use crate::messages;

/// One input value, as the parsers deliver it.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// A JSON value.
    Json(&'a Value),
    /// A form or multipart field (always text).
    Text(&'a str),
}

/// Python's type name of a JSON value, as DRF's message shows it.
pub(crate) fn python_type_name(value: &Value) -> &'static str {
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

/// A `CharField` (`allow_blank=False`, `allow_null=False`), with or without `trim_whitespace`:
/// the value, or the field's error message.
pub fn char_field(value: Option<Input<'_>>, trim: bool) -> Result<String, &'static str> {
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

/// An `EmailField` (`allow_blank=False`, `allow_null=False`, trimmed): the text, or its errors.
/// Django's `EmailValidator` runs after the null-character check, as DRF runs every validator
/// and keeps each error; the field's `invalid` message ("Enter a valid email address.")
/// replaces `CharField`'s "Not a valid string." for a JSON boolean, list or object.
pub fn email_field(value: Option<Input<'_>>) -> Result<String, Vec<String>> {
    match char_field(value, true) {
        Ok(text) if is_valid_email(&text) => Ok(text),
        Ok(_) => Err(vec![ENTER_A_VALID_EMAIL.to_owned()]),
        Err(messages::NULL_CHARACTERS) => {
            let text = match value {
                Some(Input::Json(Value::String(text))) => text.as_str(),
                Some(Input::Text(text)) => text,
                _ => "",
            };
            let mut errors = vec![messages::NULL_CHARACTERS.to_owned()];
            if !is_valid_email(crate::compat::python::text::python_strip(text)) {
                errors.push(ENTER_A_VALID_EMAIL.to_owned());
            }
            Err(errors)
        }
        Err(messages::NOT_A_VALID_STRING) => Err(vec![ENTER_A_VALID_EMAIL.to_owned()]),
        Err(message) => Err(vec![message.to_owned()]),
    }
}

/// Validates text fields `(name, trim_whitespace)` in declaration order: their values, or every
/// field's error together (`{"username":[…],"password":[…]}`).
pub fn validate_char_fields<'a>(
    lookup: impl Fn(&str) -> Option<Input<'a>>,
    fields: &[(&str, bool)],
) -> Result<Vec<String>, ApiError> {
    let mut values = Vec::with_capacity(fields.len());
    let mut errors = Vec::new();
    for &(name, trim) in fields {
        match char_field(lookup(name), trim) {
            Ok(value) => values.push(value),
            Err(message) => errors.push((name.to_owned(), vec![message.to_owned()])),
        }
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(ApiError::validation(errors))
    }
}

/// A JSON body as DRF's `Serializer` takes it: an object, else `No data provided` for `null`
/// and `Invalid data. Expected a dictionary, but got <type>.` for anything else, under
/// `non_field_errors`.
pub fn json_object(body: &Value) -> Result<&Map<String, Value>, ApiError> {
    match body {
        Value::Object(object) => Ok(object),
        Value::Null => Err(non_field_error(messages::NO_DATA_PROVIDED)),
        other => Err(non_field_error(
            &messages::EXPECTED_DICTIONARY.replace("{datatype}", python_type_name(other)),
        )),
    }
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

    #[test]
    fn text_is_stripped_as_pythons_str_strip_does() {
        // Python's `str.isspace()` is Rust's `char::is_whitespace` plus U+001C–U+001F (DRF
        // 3.18: `CharField().run_validation('john\x1f') == 'john'`).
        let field = |text: &'static str| char_field(Some(Input::Text(text)), true);
        assert_eq!(field("\u{1c}john\u{1f} \u{3000}"), Ok("john".to_owned()));
        assert_eq!(field("\u{1f}"), Err(messages::FIELD_BLANK));
        // Without `trim_whitespace` (DRF's password field) nothing is trimmed.
        assert_eq!(
            char_field(Some(Input::Text(" pw\u{1f}")), false),
            Ok(" pw\u{1f}".to_owned())
        );
    }
}
