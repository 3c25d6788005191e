//! Django 6.1's `EmailValidator` (`django/core/validators.py`), as DRF's `EmailField` runs it:
//! its regular expressions written out as code, with their quirks (a top-level domain of letters
//! only unless it is punycode, non-ASCII letters of the BMP accepted in the domain, Python's
//! case-insensitive matching that lets `ſ`, `ı` and the Kelvin sign count as ASCII letters).
//!
//! Hand-written rather than through a regex engine: the patterns rely on Python's `\Z`,
//! look-around and Unicode case folding, and the workspace has no regex crate.

use std::net::{Ipv4Addr, Ipv6Addr};

/// `EmailValidator.message`.
pub const ENTER_A_VALID_EMAIL: &str = "Enter a valid email address.";

/// Characters Python's `re.IGNORECASE` folds onto ASCII letters (`ſ`→`s`, `ı`→`i`, Kelvin
/// sign→`k`): they match `[A-Z]` in Django's patterns.
fn folds_to_ascii_letter(c: char) -> bool {
    matches!(c, '\u{17f}' | '\u{131}' | '\u{212a}')
}

/// `[A-Z]` under `re.IGNORECASE`.
fn letter(c: char) -> bool {
    c.is_ascii_alphabetic() || folds_to_ascii_letter(c)
}

/// The dot-atom's characters: ``[-!#$%&'*+/=?^_`{}|~0-9A-Z]``.
fn atext(c: char) -> bool {
    letter(c) || c.is_ascii_digit() || "-!#$%&'*+/=?^_`{}|~".contains(c)
}

/// `user_regex`: a dot-atom, or a quoted string.
fn user_part(user: &str) -> bool {
    if let Some(inner) = user
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        return quoted_string(inner);
    }
    !user.is_empty()
        && user
            .split('.')
            .all(|atom| !atom.is_empty() && atom.chars().all(atext))
}

/// The inside of `"…"`: `qtext` (`[\001-\010\013\014\016-\037!#-\[\]-\177]`) or a
/// quoted pair (`\\[\001-\011\013\014\016-\177]`).
fn quoted_string(inner: &str) -> bool {
    let qtext = |c: char| {
        matches!(c, '\u{1}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '!' | '#'..='[' | ']'..='\u{7f}')
            || folds_to_ascii_letter(c)
    };
    let quoted = |c: char| {
        matches!(c, '\u{1}'..='\u{9}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{7f}')
            || folds_to_ascii_letter(c)
    };
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            // A backslash that does not start a pair is not `qtext` either: the pattern has
            // no alternative left, and `"…\"` has already lost its closing quote.
            match chars.next() {
                Some(next) if quoted(next) => {}
                _ => return false,
            }
        } else if !qtext(c) {
            return false;
        }
    }
    true
}

/// `[a-z\u00a1-\uffff0-9]` under `re.IGNORECASE` (`ul` stops at the BMP).
fn label_char(c: char) -> bool {
    letter(c) || c.is_ascii_digit() || ('\u{a1}'..='\u{ffff}').contains(&c)
}

/// `hostname_re`: `[c](?:[c-]{0,61}[c])?`.
fn hostname_label(label: &str) -> bool {
    let count = label.chars().count();
    (1..=63).contains(&count)
        && label.chars().all(|c| label_char(c) || c == '-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// `domain_re`'s label: `(?!-)[c-]{1,63}(?<!-)`.
fn domain_label(label: &str) -> bool {
    hostname_label(label)
}

/// `tld_no_fqdn_re`'s label: `(?!-)(?:[a-z\u00a1-\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)`.
fn top_level_label(label: &str) -> bool {
    if label.starts_with('-') || label.ends_with('-') {
        return false;
    }
    let count = label.chars().count();
    let letters = (2..=63).contains(&count)
        && label
            .chars()
            .all(|c| letter(c) || ('\u{a1}'..='\u{ffff}').contains(&c) || c == '-');
    let punycode = label
        .get(..4)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("xn--"))
        && label.get(4..).is_some_and(|rest| {
            (1..=59).contains(&rest.chars().count())
                && rest.chars().all(|c| letter(c) || c.is_ascii_digit())
        });
    letters || punycode
}

/// `domain_regex`: a host label, any number of labels, a top-level label.
fn domain_name(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let [host, middle @ .., top] = labels.as_slice() else {
        return false;
    };
    hostname_label(host) && middle.iter().all(|label| domain_label(label)) && top_level_label(top)
}

/// `literal_regex` and `validate_ipv46_address`: `[` an IPv4 address (Python's `IPv4Address`:
/// no leading zeros) or an IPv6 one of at most 39 characters `]`.
fn address_literal(domain: &str) -> bool {
    let Some(address) = domain
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
    else {
        return false;
    };
    if address.is_empty()
        || !address
            .chars()
            .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
    {
        return false;
    }
    address.parse::<Ipv4Addr>().is_ok()
        || (address.len() <= 39 && address.parse::<Ipv6Addr>().is_ok())
}

/// `validate_email(value)`: whether Django accepts it.
pub fn is_valid_email(value: &str) -> bool {
    // "The maximum length of an email is 320 characters" (counted in code points, as Python).
    if value.is_empty() || value.chars().count() > 320 {
        return false;
    }
    let Some((user, domain)) = value.rsplit_once('@') else {
        return false;
    };
    user_part(user) && (domain == "localhost" || domain_name(domain) || address_literal(domain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_django_accepts_and_refuses() {
        // Each verdict checked against Django 6.1.3's `validate_email`.
        let valid = [
            "alice@example.com",
            "Alice.Smith+tag@Example.CO.uk",
            "a@localhost",
            "x@[127.0.0.1]",
            "x@[::1]",
            "x@[2001:db8::1]",
            "\"a\\\"b\"@example.com",
            "\"\"@example.com",
            "\u{212a}@example.com",
            "a@[::ffff:1.2.3.4]",
            "a@e.xn--a",
            "a@e.XN--ABC",
            "user@xn--bcher-kva.example",
            "user@bücher.example",
            "user@sub.xn--p1ai",
            "o'brien@example.org",
            "ſ@example.com",
            "a@b.c-d.example",
        ];
        let invalid = [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@example",
            "a@example.c",
            "a@example.com.",
            "a@-example.com",
            "a@example-.com",
            "a@ex..ample.com",
            "a@example.c0m",
            "a@example.-com",
            "a..b@example.com",
            ".a@example.com",
            "a.@example.com",
            "a b@example.com",
            "é@example.com",
            "a@[1.2.3]",
            "a@[01.2.3.4]",
            "a@[1.2.3.256]",
            "a@[::g]",
            "\"a\"b\"@example.com",
            "\"quoted name\"@example.com",
            "\"\\\"@example.com",
            "a@xn--.com",
            "a@example.com\n",
            "a@exa_mple.com",
            "a@\u{1F600}.com",
        ];
        for address in valid {
            assert!(is_valid_email(address), "{address:?} should be valid");
        }
        for address in invalid {
            assert!(!is_valid_email(address), "{address:?} should be invalid");
        }
        let long = format!("{}@example.com", "a".repeat(308));
        assert_eq!(long.chars().count(), 320);
        assert!(is_valid_email(&long));
        assert!(!is_valid_email(&format!("a{long}")));
    }
}
