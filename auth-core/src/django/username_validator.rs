//! `django.contrib.auth.validators.UnicodeUsernameValidator` and the username's `max_length`
//! (`AbstractUser.username`): what a new username may be.

/// `AbstractUser.username`'s `max_length`.
pub const USERNAME_MAX_LENGTH: usize = 150;

/// `UnicodeUsernameValidator.message`.
pub const INVALID_USERNAME: &str = "Enter a valid username. This value may contain only letters, \
                                    numbers, and @/./+/-/_ characters.";

/// `UnicodeUsernameValidator`: `^[\w.@+-]+\Z` — Unicode letters and digits, `_`, `.`, `@`,
/// `+`, `-`, at least one.
pub fn is_valid_username(username: &str) -> bool {
    !username.is_empty()
        && username
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '@' | '.' | '+' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn djangos_username_characters() {
        assert!(is_valid_username("john.doe+x@example-1_2"));
        assert!(is_valid_username("walterwhité"));
        assert!(!is_valid_username(""));
        assert!(!is_valid_username("has space"));
        assert!(!is_valid_username("nul\0"));
        assert!(!is_valid_username("trailing\n"));
    }
}
