//! Django's `NumericPasswordValidator`.

use super::password_error::PasswordError;

/// Refuses a password that is all digits (Python's `str.isdigit()`).
///
/// Python's `isdigit` holds for decimal digits of every script and for characters such as `²`
/// or `①`, not for `½` or `Ⅻ`; here every Unicode numeric character counts (`char::is_numeric`),
/// so a password made only of fractions or Roman numerals is refused here and allowed by Django
/// — stricter, never looser. ASCII passwords are judged exactly as Django judges them.
pub(super) fn validate(password: &str) -> Result<(), PasswordError> {
    if !password.is_empty() && password.chars().all(char::is_numeric) {
        return Err(PasswordError {
            message: "This password is entirely numeric.".to_owned(),
            code: "password_entirely_numeric",
        });
    }
    Ok(())
}

/// `get_help_text`.
pub(super) const HELP_TEXT: &str = "Your password can\u{2019}t be entirely numeric.";
