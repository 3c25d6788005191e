//! What a failed password check reports.

use std::fmt;

/// One failed check: Django's message and its `code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordError {
    /// The message, as Django writes it in English.
    pub message: String,
    /// Django's error code (`password_too_short`, …).
    pub code: &'static str,
}

impl fmt::Display for PasswordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
