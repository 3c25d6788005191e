//! Django's `UserAttributeSimilarityValidator`: the password must not be too similar to the
//! user's username, names or e-mail address, or to any word of them.

use std::collections::HashMap;

use super::password_error::PasswordError;
use super::user_attributes::UserAttributes;

/// Django's default `user_attributes`.
pub const DEFAULT_USER_ATTRIBUTES: [&str; 4] = ["username", "first_name", "last_name", "email"];
/// Django's default `max_similarity`.
pub const DEFAULT_MAX_SIMILARITY: f64 = 0.7;
/// Django refuses a smaller `max_similarity` (`ValueError`).
pub const MIN_MAX_SIMILARITY: f64 = 0.1;

/// `validate(password, user)`: for each attribute the user has (a non-empty string), the whole
/// lower-cased value and each of its words (`re.split(r"\W+", value)`) is compared with the
/// lower-cased password by difflib's `SequenceMatcher.quick_ratio()`; the first at or above
/// `max_similarity` refuses, naming the attribute's verbose name. No user, no check.
///
/// Python's `\W` is approximated by `char::is_alphanumeric` (and `_`): they differ only for
/// some combining marks, where a value splits into other words here.
pub(super) fn validate(
    password: &str,
    user: Option<&UserAttributes>,
    attributes: &[String],
    max_similarity: f64,
) -> Result<(), PasswordError> {
    let Some(user) = user else {
        return Ok(());
    };
    let password: Vec<char> = password.to_lowercase().chars().collect();
    for name in attributes {
        let Some(attribute) = user.get(name) else {
            continue;
        };
        if attribute.value.is_empty() {
            continue;
        }
        let value = attribute.value.to_lowercase();
        let mut parts = split_non_word(&value);
        parts.push(&value);
        for part in parts {
            let part: Vec<char> = part.chars().collect();
            if exceeds_maximum_length_ratio(password.len(), max_similarity, part.len()) {
                continue;
            }
            if quick_ratio(&password, &part) >= max_similarity {
                return Err(PasswordError {
                    message: format!(
                        "The password is too similar to the {}.",
                        attribute.verbose_name
                    ),
                    code: "password_too_similar",
                });
            }
        }
    }
    Ok(())
}

/// `exceeds_maximum_length_ratio`: a value ten times shorter than the password (and short
/// against the similarity bound) cannot reach the ratio, so it is skipped.
fn exceeds_maximum_length_ratio(
    password_len: usize,
    max_similarity: f64,
    value_len: usize,
) -> bool {
    #[allow(clippy::cast_precision_loss)] // lengths of text, far below 2^52
    let length_bound_similarity = max_similarity / 2.0 * password_len as f64;
    #[allow(clippy::cast_precision_loss)]
    let value_bound = value_len as f64;
    password_len >= 10 * value_len && value_bound < length_bound_similarity
}

/// `SequenceMatcher(a=a, b=b).quick_ratio()`: the size of the multiset intersection of the two
/// sequences of characters, as `2 * matches / (len(a) + len(b))` (1.0 for two empty ones).
fn quick_ratio(a: &[char], b: &[char]) -> f64 {
    let mut available: HashMap<char, usize> = HashMap::new();
    for c in b {
        *available.entry(*c).or_default() += 1;
    }
    let mut matches = 0usize;
    for c in a {
        if let Some(count) = available.get_mut(c)
            && *count > 0
        {
            *count -= 1;
            matches += 1;
        }
    }
    let length = a.len() + b.len();
    if length == 0 {
        return 1.0;
    }
    #[allow(clippy::cast_precision_loss)]
    let ratio = 2.0 * matches as f64 / length as f64;
    ratio
}

/// Python's `re.split(r"\W+", text)`: the text cut at each run of non-word characters, with an
/// empty first or last part when the text starts or ends with one.
fn split_non_word(text: &str) -> Vec<&str> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut parts = Vec::new();
    let mut start = 0;
    let mut in_gap = false;
    for (index, c) in text.char_indices() {
        match (is_word(c), in_gap) {
            (false, false) => {
                parts.push(&text[start..index]);
                in_gap = true;
            }
            (true, true) => {
                start = index;
                in_gap = false;
            }
            _ => {}
        }
    }
    parts.push(if in_gap { "" } else { &text[start..] });
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_as_pythons_re_split() {
        assert_eq!(
            split_non_word("john.doe@example.com"),
            ["john", "doe", "example", "com"]
        );
        assert_eq!(split_non_word(".a..b."), ["", "a", "b", ""]);
        assert_eq!(split_non_word(""), [""]);
        assert_eq!(split_non_word("snake_case"), ["snake_case"]);
    }

    #[test]
    fn quick_ratio_is_difflibs() {
        let chars = |text: &str| text.chars().collect::<Vec<_>>();
        // difflib.SequenceMatcher(a=..., b=...).quick_ratio()
        assert!((quick_ratio(&chars("abcd"), &chars("bcde")) - 0.75).abs() < 1e-12);
        assert!((quick_ratio(&chars("aab"), &chars("abb")) - 2.0 * 2.0 / 6.0).abs() < 1e-12);
        assert!((quick_ratio(&[], &[]) - 1.0).abs() < 1e-12);
    }
}
