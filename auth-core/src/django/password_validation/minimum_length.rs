//! Django's `MinimumLengthValidator`.

use super::password_error::PasswordError;

/// Django's default `min_length`.
pub const DEFAULT_MIN_LENGTH: usize = 8;

/// At least `min_length` characters (Python's `len`: code points).
pub(super) fn validate(password: &str, min_length: usize) -> Result<(), PasswordError> {
    if password.chars().count() < min_length {
        return Err(PasswordError {
            message: error_message(min_length),
            code: "password_too_short",
        });
    }
    Ok(())
}

/// `get_error_message`: English `ngettext` (singular for exactly one).
fn error_message(min_length: usize) -> String {
    let noun = if min_length == 1 {
        "character"
    } else {
        "characters"
    };
    format!("This password is too short. It must contain at least {min_length} {noun}.")
}

/// `get_help_text`.
pub(super) fn help_text(min_length: usize) -> String {
    let noun = if min_length == 1 {
        "character"
    } else {
        "characters"
    };
    format!("Your password must contain at least {min_length} {noun}.")
}
