//! Django's unusable passwords (`set_unusable_password`): `!` and 40 random characters.

use super::salt::random_string;

/// Django's `UNUSABLE_PASSWORD_PREFIX`.
const UNUSABLE_PASSWORD_PREFIX: char = '!';

/// Django's `UNUSABLE_PASSWORD_SUFFIX_LENGTH`.
pub(super) const UNUSABLE_PASSWORD_SUFFIX_LENGTH: usize = 40;

/// Django's `make_password(None)`: `"!"` + 40 random chars from `a-zA-Z0-9`.
#[must_use]
pub fn make_unusable_password() -> String {
    let mut unusable = String::with_capacity(1 + UNUSABLE_PASSWORD_SUFFIX_LENGTH);
    unusable.push(UNUSABLE_PASSWORD_PREFIX);
    unusable.push_str(&random_string(UNUSABLE_PASSWORD_SUFFIX_LENGTH));
    unusable
}

/// Django's `is_password_usable`: `None` or not starting with `'!'`.
#[must_use]
pub fn is_password_usable(encoded: Option<&str>) -> bool {
    encoded.is_none_or(|encoded| !encoded.starts_with(UNUSABLE_PASSWORD_PREFIX))
}
