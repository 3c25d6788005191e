//! The CSRF secret (the cookie's value) and its masked tokens: Django's `_get_new_csrf_string`,
//! `_mask_cipher_secret`, `_unmask_cipher_token`, `_check_token_format` and
//! `_does_token_match`.

use crate::django::signing::get_random_string;

/// Length of a CSRF secret (the cookie value).
pub const CSRF_SECRET_LENGTH: usize = 32;
/// Length of a masked CSRF token (mask + cipher).
pub const CSRF_TOKEN_LENGTH: usize = 2 * CSRF_SECRET_LENGTH;
/// `CSRF_ALLOWED_CHARS` (`string.ascii_letters + string.digits`), in index order.
pub const CSRF_ALLOWED_CHARS: &str =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// Why a CSRF cookie or token is not well formed (`InvalidTokenFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenFormatError {
    /// Neither 32 nor 64 characters.
    #[error("has incorrect length")]
    IncorrectLength,
    /// A character outside [`CSRF_ALLOWED_CHARS`].
    #[error("has invalid characters")]
    InvalidCharacters,
}

/// `_check_token_format`: 32 or 64 characters (Python counts code points), all in
/// [`CSRF_ALLOWED_CHARS`]. Applies to cookie values and presented tokens alike.
pub fn check_token_format(token: &str) -> Result<(), TokenFormatError> {
    let length = token.chars().count();
    if length != CSRF_SECRET_LENGTH && length != CSRF_TOKEN_LENGTH {
        return Err(TokenFormatError::IncorrectLength);
    }
    if token.bytes().all(|byte| char_index(byte).is_some()) {
        Ok(())
    } else {
        Err(TokenFormatError::InvalidCharacters)
    }
}

/// `_get_secret` for a cookie value: format-checked, and a 64-character value (a masked token
/// that Django < 4.0 stored) unmasked to its 32-character secret.
///
/// On an error Django's `process_request` also rotates the secret (a new cookie goes out
/// with the response, see [`generate_secret`]); the check itself still fails with
/// [`Reason::BadCookie`](super::Reason::BadCookie).
pub fn secret_from_cookie(cookie: &str) -> Result<String, TokenFormatError> {
    check_token_format(cookie)?;
    if cookie.len() == CSRF_TOKEN_LENGTH {
        unmask_cipher_token(cookie).ok_or(TokenFormatError::InvalidCharacters)
    } else {
        Ok(cookie.to_owned())
    }
}

/// `_does_token_match`: unmask a 64-character token, then compare with the secret in constant
/// time. A token that is not well formed never matches.
pub fn does_token_match(token: &str, secret: &str) -> bool {
    if check_token_format(token).is_err() {
        return false;
    }
    let unmasked = if token.len() == CSRF_TOKEN_LENGTH {
        match unmask_cipher_token(token) {
            Some(unmasked) => unmasked,
            None => return false,
        }
    } else {
        token.to_owned()
    };
    crate::django::crypto::constant_time_compare(&unmasked, secret)
}

/// `_get_new_csrf_string`: a new 32-character secret from a CSPRNG (what `rotate_token` and a
/// missing or malformed cookie get).
pub fn generate_secret() -> String {
    get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS.as_bytes())
}

/// `_mask_cipher_secret` with a given mask: `mask + cipher`, where each cipher character is
/// the sum of the secret's and the mask's indices modulo 62. `None` unless both are 32
/// allowed characters.
pub fn mask_secret(secret: &str, mask: &str) -> Option<String> {
    let (secret, mask) = (indices(secret)?, indices(mask)?);
    let cipher = secret.iter().zip(&mask).map(|(s, m)| (s + m) % 62);
    Some(
        mask.iter()
            .copied()
            .chain(cipher)
            .filter_map(index_char)
            .collect(),
    )
}

/// `_mask_cipher_secret` (what `get_token` returns): the secret masked with a fresh random
/// mask, so the token in each response differs. `None` unless the secret is 32 allowed
/// characters.
pub fn mask_cipher_secret(secret: &str) -> Option<String> {
    mask_secret(secret, &generate_secret())
}

/// `_unmask_cipher_token`: the secret hidden in a 64-character token. `None` unless the token
/// is 64 allowed characters.
pub fn unmask_cipher_token(token: &str) -> Option<String> {
    if token.len() != CSRF_TOKEN_LENGTH {
        return None;
    }
    let (mask, cipher) = token.split_at_checked(CSRF_SECRET_LENGTH)?;
    let (mask, cipher) = (indices(mask)?, indices(cipher)?);
    Some(
        cipher
            .iter()
            .zip(&mask)
            .map(|(c, m)| (c + 62 - m) % 62)
            .filter_map(index_char)
            .collect(),
    )
}

/// The indices of a 32-character string of allowed characters.
fn indices(text: &str) -> Option<Vec<usize>> {
    if text.len() != CSRF_SECRET_LENGTH {
        return None;
    }
    text.bytes().map(char_index).collect()
}

/// A character's index in [`CSRF_ALLOWED_CHARS`].
fn char_index(byte: u8) -> Option<usize> {
    let index = match byte {
        b'a'..=b'z' => byte - b'a',
        b'A'..=b'Z' => byte - b'A' + 26,
        b'0'..=b'9' => byte - b'0' + 52,
        _ => return None,
    };
    Some(usize::from(index))
}

fn index_char(index: usize) -> Option<char> {
    CSRF_ALLOWED_CHARS
        .as_bytes()
        .get(index)
        .map(|&byte| char::from(byte))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const SECRET: &str = "abcdefghijklmnopqrstuvwxyzABCDEF";
    const MASK: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
    const MASKED: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUV02468acegiKMOQSUWY02468acegikmoq";

    #[test]
    fn mask_vector() {
        assert_eq!(mask_secret(SECRET, MASK).unwrap(), MASKED);
        assert_eq!(unmask_cipher_token(MASKED).unwrap(), SECRET);
        let token = mask_cipher_secret(SECRET).unwrap();
        assert_eq!(token.len(), CSRF_TOKEN_LENGTH);
        assert_eq!(unmask_cipher_token(&token).unwrap(), SECRET);
        assert_ne!(token, mask_cipher_secret(SECRET).unwrap());
        assert!(does_token_match(&token, SECRET));
        assert!(does_token_match(SECRET, SECRET));
        assert!(!does_token_match(&"a".repeat(64), SECRET));
        assert!(mask_secret("short", MASK).is_none());
        assert!(mask_secret(SECRET, &"!".repeat(32)).is_none());
        assert!(unmask_cipher_token(&"é".repeat(32)).is_none());
        assert!(unmask_cipher_token(SECRET).is_none());
    }

    #[test]
    fn generated_secrets() {
        let secret = generate_secret();
        assert_eq!(secret.len(), 32);
        assert!(check_token_format(&secret).is_ok());
        assert_ne!(secret, generate_secret());
    }

    #[test]
    fn token_format() {
        assert_eq!(check_token_format(SECRET), Ok(()));
        assert_eq!(check_token_format(MASKED), Ok(()));
        assert_eq!(
            check_token_format(""),
            Err(TokenFormatError::IncorrectLength)
        );
        assert_eq!(
            check_token_format(&"a".repeat(33)),
            Err(TokenFormatError::IncorrectLength)
        );
        assert_eq!(
            check_token_format(&"!".repeat(32)),
            Err(TokenFormatError::InvalidCharacters)
        );
        // Python counts code points: 32 non-ASCII characters have the right length.
        assert_eq!(
            check_token_format(&"é".repeat(32)),
            Err(TokenFormatError::InvalidCharacters)
        );
        assert_eq!(
            check_token_format(&"é".repeat(16)),
            Err(TokenFormatError::IncorrectLength)
        );
        assert_eq!(secret_from_cookie(MASKED).unwrap(), SECRET);
        assert_eq!(secret_from_cookie(SECRET).unwrap(), SECRET);
    }
}
