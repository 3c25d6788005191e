//! The lenient base64 decoder of Python's `binascii.a2b_base64` (non-strict mode), which DRF's
//! `BasicAuthentication` reaches through `base64.b64decode`.
//!
//! No base64 crate decodes like this: junk bytes are skipped, decoding stops at the first
//! padding that completes a quad, and a dangling quad is an error. Reproducing it exactly is what
//! makes `Basic am9o!!!bjpwYXNzd29yZA==` authenticate as the reference does.

/// The input does not decode (a dangling or incorrectly padded final quad).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("incorrect base64 padding")]
pub struct DecodeError;

const fn sextet(byte: u8) -> Option<u8> {
    match byte {
        b'A'..=b'Z' => Some(byte - b'A'),
        b'a'..=b'z' => Some(byte - b'a' + 26),
        b'0'..=b'9' => Some(byte - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Decodes `input` exactly as the reference does.
pub fn a2b_base64(input: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let mut output = Vec::with_capacity(input.len() / 4 * 3 + 3);
    let mut quad_position = 0u8;
    let mut pads = 0u8;
    let mut buffer = 0u32;
    let mut buffered_bits = 0u8;

    for &byte in input {
        if byte == b'=' {
            if quad_position >= 2 {
                pads += 1;
                if quad_position + pads >= 4 {
                    return Ok(output);
                }
            }
            continue;
        }
        let Some(bits) = sextet(byte) else {
            continue;
        };
        pads = 0;
        buffer = (buffer << 6) | u32::from(bits);
        buffered_bits += 6;
        if buffered_bits >= 8 {
            buffered_bits -= 8;
            // Truncation keeps the 8 bits just completed; the shift leaves only those.
            output.push((buffer >> buffered_bits) as u8);
            buffer &= (1 << buffered_bits) - 1;
        }
        quad_position = (quad_position + 1) % 4;
    }

    if quad_position == 0 {
        Ok(output)
    } else {
        Err(DecodeError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(input: &str) -> Result<String, DecodeError> {
        a2b_base64(input.as_bytes()).map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
    }

    #[test]
    fn spec_vectors() {
        assert_eq!(text("am9objpwYXNzd29yZA=="), Ok("john:password".into()));
        assert_eq!(text("am9objpwYXNzd29yZA"), Err(DecodeError));
        assert_eq!(text("am9objpwYXNzd29yZA="), Err(DecodeError));
        assert_eq!(text("am9objpwYXNzd29yZA==="), Ok("john:password".into()));
        assert_eq!(text("am9objpwYXNzd29yZA===="), Ok("john:password".into()));
        assert_eq!(text("am9objpwYXNzd29yZA==YQ=="), Ok("john:password".into()));
        assert_eq!(text("am9o!!!bjpwYXNzd29yZA=="), Ok("john:password".into()));
        assert_eq!(text("=a="), Err(DecodeError));
        assert_eq!(text(""), Ok(String::new()));
        assert_eq!(text("am9obg=="), Ok("john".into()));
    }

    #[test]
    fn bytes_above_ascii_and_url_safe_characters_are_skipped() {
        assert_eq!(a2b_base64(b"am9o\xff\x80-_bg=="), Ok(b"john".to_vec()));
    }

    #[test]
    fn single_dangling_character_is_an_error() {
        assert_eq!(text("am9ob"), Err(DecodeError));
    }

    #[test]
    fn padding_before_two_characters_is_ignored() {
        // `=` while fewer than two characters of the quad are in is skipped silently.
        assert_eq!(text("=am9obg=="), Ok("john".into()));
        assert_eq!(text("a=m9obg=="), Ok("john".into()));
    }

    #[test]
    fn unpadded_three_quarter_quad_is_an_error_but_padded_is_not() {
        assert_eq!(text("am9="), Ok("jo".into()));
        assert_eq!(text("am9"), Err(DecodeError));
    }
}
