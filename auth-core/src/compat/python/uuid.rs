//! Python's `uuid` module for what Django and simplejwt do with it: `uuid.uuid4()`,
//! `uuid.UUID(hex=…)`, `str(uuid)` and `.hex`. A UUID is its 128 bits here.
//!
//! Hand-written rather than taken from the `uuid` crate for byte parity: `uuid.UUID(hex=…)`
//! accepts forms the crate refuses (hyphens anywhere, `urn:` and `uuid:` anywhere), and these
//! few lines are all the library needs.

/// `uuid.uuid4()`: 122 bits from the CSPRNG (ThreadRng, a ChaCha CSPRNG seeded from the OS),
/// with the version (4) and the RFC 4122 variant bits set.
pub fn uuid4() -> u128 {
    let bits: u128 = rand::random();
    (bits & !(0xF << 76) & !(0x3 << 62)) | (0x4 << 76) | (0x2 << 62)
}

/// `uuid.UUID(hex=text)`: `urn:` and `uuid:` removed, then surrounding braces, then every
/// hyphen, leaving 32 characters that must be hex digits (either case); `None` where Python
/// raises `ValueError`. Python then reads them with `int(…, 16)`, which would also take a
/// sign, a `0x` prefix, `_` between digits and surrounding whitespace within those 32
/// characters: refused here (no Django writes such a key, and the values read are signed
/// sessions and claims).
pub fn from_hex(text: &str) -> Option<u128> {
    let text = text.replace("urn:", "").replace("uuid:", "");
    let digits: String = text
        .trim_matches(|c| c == '{' || c == '}')
        .chars()
        .filter(|&c| c != '-')
        .collect();
    from_hex32(&digits)
}

/// Exactly 32 hex digits (either case): `.hex` read back.
pub fn from_hex32(digits: &str) -> Option<u128> {
    (digits.len() == 32 && digits.bytes().all(|byte| byte.is_ascii_hexdigit()))
        .then(|| u128::from_str_radix(digits, 16).ok())
        .flatten()
}

/// `uuid.hex`: 32 lowercase hex digits.
pub fn hex(bits: u128) -> String {
    format!("{bits:032x}")
}

/// `str(uuid)`: the hyphenated 8-4-4-4-12 lowercase form.
pub fn to_str(bits: u128) -> String {
    let hex = hex(bits);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pythons_forms() {
        let bits = 0x0f6b_5c1e_8d1a_4c43_9a9e_3b5e_2c7d_9f10;
        assert_eq!(to_str(bits), "0f6b5c1e-8d1a-4c43-9a9e-3b5e2c7d9f10");
        assert_eq!(hex(bits), "0f6b5c1e8d1a4c439a9e3b5e2c7d9f10");
        for form in [
            "0f6b5c1e8d1a4c439a9e3b5e2c7d9f10",
            "{0F6B5C1E-8D1A-4C43-9A9E-3B5E2C7D9F10}",
            "urn:uuid:0f6b5c1e-8d1a-4c43-9a9e-3b5e2c7d9f10",
            "0f-6b5c1e8d1a4c439a9e3b5e2c7d9f-10",
        ] {
            assert_eq!(from_hex(form), Some(bits), "{form}");
        }
        for bad in [
            "",
            "42",
            "0f6b5c1e8d1a4c439a9e3b5e2c7d9f1",
            &"g".repeat(32),
            // Valid for Python's int(…, 16): refused here (see `from_hex`).
            "+f6b5c1e8d1a4c439a9e3b5e2c7d9f10",
        ] {
            assert_eq!(from_hex(bad), None, "{bad}");
        }
    }

    #[test]
    fn uuid4_sets_the_version_and_variant() {
        for _ in 0..100 {
            let text = to_str(uuid4());
            assert_eq!(&text[14..15], "4");
            assert!(matches!(&text[19..20], "8" | "9" | "a" | "b"), "{text}");
        }
        assert_ne!(uuid4(), uuid4());
    }
}
