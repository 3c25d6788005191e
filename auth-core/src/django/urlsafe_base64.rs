//! `django.utils.http.urlsafe_base64_encode` and `urlsafe_base64_decode`: the user id of
//! djoser's (and Django's own) activation and password-reset links, `MQ` for pk 1.

use base64::Engine as _;

use crate::compat::python::binascii::a2b_base64;

/// `urlsafe_base64_encode(s)`: URL-safe base64 without the trailing `=`.
pub fn urlsafe_base64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// `urlsafe_base64_decode(s)`: Django pads with `len(s) % 4` `=` (not the number missing, which
/// Python's lenient decoder forgives), then `base64.urlsafe_b64decode`: `-` and `_` read as `+`
/// and `/`, other bytes outside the alphabet skipped. `None` where Django raises `ValueError`.
pub fn urlsafe_base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut bytes: Vec<u8> = text
        .bytes()
        .map(|byte| match byte {
            b'-' => b'+',
            b'_' => b'/',
            other => other,
        })
        .collect();
    let padding = bytes.len() % 4;
    bytes.extend(std::iter::repeat_n(b'=', padding));
    a2b_base64(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_are_djangos() {
        // urlsafe_base64_encode(force_bytes(pk)) / urlsafe_base64_decode on Django 6.1.
        assert_eq!(urlsafe_base64_encode(b"1"), "MQ");
        assert_eq!(urlsafe_base64_encode(b"42"), "NDI");
        assert_eq!(urlsafe_base64_encode(b"\xfb\xff"), "-_8");
        assert_eq!(urlsafe_base64_decode("MQ").as_deref(), Some(&b"1"[..]));
        assert_eq!(urlsafe_base64_decode("NDI").as_deref(), Some(&b"42"[..]));
        assert_eq!(
            urlsafe_base64_decode("-_8").as_deref(),
            Some(&b"\xfb\xff"[..])
        );
        // Junk is skipped, as Python's non-strict decoder skips it.
        assert_eq!(urlsafe_base64_decode("M!Q").as_deref(), Some(&b"1"[..]));
        // A dangling character is `binascii.Error` (a `ValueError` in Django).
        assert_eq!(urlsafe_base64_decode("M"), None);
    }
}
