//! django-oauth-toolkit 3.4.1's `AllowedURIValidator(schemes, name="redirect uri",
//! allow_path=True, allow_query=True)` (`oauth2_provider/validators.py`), which
//! `Application.clean()` runs on each redirect URI, with what decides under it: Python 3.13's
//! `urlsplit` (its checks of bracketed hosts), `ipaddress`, and Django 6.1's `URLValidator`
//! (DOT's `URIValidator` pattern, which is matched from the start and not to the end).
//!
//! Exact for URIs whose host is ASCII and that have no control character; those two kinds are
//! refused with [`Refusal::NotChecked`] rather than judged (Python's NFKC check of a non-ASCII
//! host and its Unicode-aware patterns are not reproduced). `ALLOW_URI_WILDCARDS` is DOT's
//! default, off.

use auth_core::compat::python::repr::repr_str;

/// The `name` DOT gives the validator of redirect URIs.
const NAME: &str = "redirect uri";
/// Django's `MAX_URL_LENGTH`.
const MAX_URL_LENGTH: usize = 2048;
/// `URIValidator.schemes_requiring_authority`.
const SCHEMES_REQUIRING_AUTHORITY: [&str; 5] = ["http", "https", "ws", "wss", "ftp"];

/// Why a redirect URI is not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Refusal {
    /// DOT refuses it, with this message.
    Invalid(String),
    /// Not checked here: the reason.
    NotChecked(&'static str),
}

/// `AllowedURIValidator.__call__(value)` with `schemes` (lower-cased) as the allowed schemes.
pub(super) fn check(value: &str, schemes: &[String]) -> Result<(), Refusal> {
    if value.chars().any(char::is_control) {
        return Err(Refusal::NotChecked("it contains a control character"));
    }
    let split = urlsplit(value);
    if !split.netloc.is_ascii() {
        return Err(Refusal::NotChecked(
            "its host has characters outside ASCII (write it in its ASCII, IDNA, form)",
        ));
    }
    if let Err(cause) = check_brackets(split.netloc) {
        return Err(invalid(&cause, value));
    }
    if !schemes.contains(&split.scheme) {
        return Err(Refusal::Invalid(format!(
            "{NAME} URI Validation error. invalid_scheme: {value}"
        )));
    }
    // Queries and paths are allowed in a redirect URI; a fragment, even an empty one, is not.
    if value.contains('#') {
        return Err(invalid("fragment not allowed", value));
    }
    if split.netloc.is_empty() {
        if SCHEMES_REQUIRING_AUTHORITY.contains(&split.scheme.as_str()) {
            return Err(invalid("missing host", value));
        }
        if !is_authorityless(value) {
            return Err(invalid("invalid URI", value));
        }
        return Ok(());
    }
    let mut reassembled = format!("{}://{}{}", split.scheme, split.netloc, split.path);
    if !split.query.is_empty() {
        reassembled.push('?');
        reassembled.push_str(split.query);
    }
    if !url_validator_accepts(&reassembled, split.netloc) {
        return Err(invalid("['Enter a valid URL.']", value));
    }
    Ok(())
}

fn invalid(cause: &str, value: &str) -> Refusal {
    Refusal::Invalid(format!("{NAME} URI validation error. {cause}: {value}"))
}

/// The parts of Python's `urlsplit` result the validator reads.
#[derive(Debug, PartialEq, Eq)]
struct Split<'a> {
    scheme: String,
    netloc: &'a str,
    path: &'a str,
    query: &'a str,
}

/// Python's `urlsplit(value)` for a value without control characters or whitespace (nothing
/// to strip or remove), leaving out its checks of the netloc ([`check_brackets`] does those).
fn urlsplit(value: &str) -> Split<'_> {
    let mut scheme = String::new();
    let mut rest = value;
    if let Some(colon) = value.find(':') {
        let candidate = value.get(..colon).unwrap_or_default();
        if candidate.starts_with(|c: char| c.is_ascii_alphabetic())
            && candidate
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        {
            scheme = candidate.to_ascii_lowercase();
            rest = value.get(colon + 1..).unwrap_or_default();
        }
    }
    let mut netloc = "";
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        (netloc, rest) = after.split_at_checked(end).unwrap_or((after, ""));
    }
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    Split {
        scheme,
        netloc,
        path,
        query,
    }
}

/// `urlsplit`'s checks of a netloc with brackets: the `ValueError` message it raises.
fn check_brackets(netloc: &str) -> Result<(), String> {
    let (open, close) = (netloc.contains('['), netloc.contains(']'));
    if open != close {
        return Err("Invalid IPv6 URL".to_owned());
    }
    if !open {
        return Ok(());
    }
    let after = netloc.split_once('[').map_or("", |(_, after)| after);
    let host = after.split_once(']').map_or(after, |(host, _)| host);
    if let Some(future) = host.strip_prefix('v') {
        // `\Av[a-fA-F0-9]+\..+\Z`
        let digits = future
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(future.len());
        let valid = digits > 0
            && future
                .get(digits..)
                .and_then(|rest| rest.strip_prefix('.'))
                .is_some_and(|rest| !rest.is_empty());
        return if valid {
            Ok(())
        } else {
            Err("IPvFuture address is invalid".to_owned())
        };
    }
    if is_ipv4(host) {
        return Err("An IPv4 address cannot be in brackets".to_owned());
    }
    if is_ipv6(host) {
        return Ok(());
    }
    Err(format!(
        "{} does not appear to be an IPv4 or IPv6 address",
        repr_str(host)
    ))
}

/// `^[a-z][a-z0-9\.\-\+]*:/(?!/)[^\s]*\Z` (case-insensitive) for a value without whitespace: a
/// private-use scheme's URI without an authority (RFC 8252 §7.1), `com.example.app:/callback`.
fn is_authorityless(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once(':') else {
        return false;
    };
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
        && rest.starts_with('/')
        && !rest.starts_with("//")
}

/// Django's `URLValidator.__call__` with DOT's `URIValidator.regex`, for `{scheme}://{netloc}…`
/// whose scheme is allowed and whose netloc is ASCII, not empty and passed [`check_brackets`].
fn url_validator_accepts(url: &str, netloc: &str) -> bool {
    if url.chars().count() > MAX_URL_LENGTH {
        return false;
    }
    // The pattern, searched from the start and not anchored at the end: after `scheme://`, a
    // host alternative must match at least its first character (a letter or digit starts the
    // dotless-domain one), or an IPv6 literal `\[[0-9a-f:.]+\]`; what follows is not looked at.
    let host_starts = netloc.starts_with(|c: char| c.is_ascii_alphanumeric())
        || netloc.strip_prefix('[').is_some_and(|rest| {
            let inside = rest
                .find(|c: char| !(c.is_ascii_hexdigit() || c == ':' || c == '.'))
                .unwrap_or(rest.len());
            inside > 0 && rest.get(inside..).is_some_and(|rest| rest.starts_with(']'))
        });
    if !host_starts {
        return false;
    }
    // `^\[(.+)\](?::[0-9]{1,5})?$` on the netloc: the address must be valid IPv6.
    if let Some(address) = bracketed_with_port(netloc)
        && !(address.chars().count() <= 39 && is_ipv6(address))
    {
        return false;
    }
    // `hostname`: none, or longer than 253 characters, is refused.
    let host_info = netloc.rsplit_once('@').map_or(netloc, |(_, after)| after);
    let hostname = match host_info.split_once('[') {
        Some((_, bracketed)) => bracketed
            .split_once(']')
            .map_or(bracketed, |(host, _)| host),
        None => host_info
            .split_once(':')
            .map_or(host_info, |(host, _)| host),
    };
    !hostname.is_empty() && hostname.chars().count() <= 253
}

/// The group of `^\[(.+)\](?::[0-9]{1,5})?$` matched on `netloc`, if it matches.
fn bracketed_with_port(netloc: &str) -> Option<&str> {
    let inner = netloc.strip_prefix('[')?;
    let close = inner.rfind(']')?;
    let (address, rest) = (inner.get(..close)?, inner.get(close + 1..)?);
    let port_ok = rest.is_empty()
        || rest.strip_prefix(':').is_some_and(|digits| {
            (1..=5).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
        });
    (!address.is_empty() && port_ok).then_some(address)
}

/// Python's `ipaddress.IPv4Address(text)` succeeds.
fn is_ipv4(text: &str) -> bool {
    let octets: Vec<&str> = text.split('.').collect();
    octets.len() == 4
        && octets.iter().all(|octet| {
            !octet.is_empty()
                && octet.len() <= 3
                && octet.bytes().all(|b| b.is_ascii_digit())
                && (*octet == "0" || !octet.starts_with('0'))
                && octet.parse::<u16>().is_ok_and(|value| value <= 255)
        })
}

/// Python's `ipaddress.IPv6Address(text)` succeeds (a `%scope` suffix allowed).
fn is_ipv6(text: &str) -> bool {
    /// `_HEXTET_COUNT`.
    const HEXTETS: usize = 8;
    if text.contains('/') {
        return false;
    }
    let address = match text.split_once('%') {
        Some((address, scope)) if !scope.is_empty() && !scope.contains('%') => address,
        Some(_) => return false,
        None => text,
    };
    let mut parts: Vec<&str> = address.split(':').collect();
    if parts.len() < 3 {
        return false;
    }
    if parts.last().is_some_and(|last| last.contains('.')) {
        // An IPv4 suffix stands for two hextets.
        if !parts.pop().is_some_and(is_ipv4) {
            return false;
        }
        parts.extend(["0", "0"]);
    }
    if parts.len() > HEXTETS + 1 {
        return false;
    }
    let last = parts.len() - 1;
    let mut skip = None;
    for (index, part) in parts.iter().enumerate().take(last).skip(1) {
        if part.is_empty() {
            if skip.is_some() {
                return false;
            }
            skip = Some(index);
        }
    }
    let first_empty = parts.first().is_some_and(|part| part.is_empty());
    let last_empty = parts.last().is_some_and(|part| part.is_empty());
    let (hi, lo) = match skip {
        Some(skip) => {
            let (mut hi, mut lo) = (skip, parts.len() - skip - 1);
            if first_empty {
                hi -= 1;
                if hi > 0 {
                    return false;
                }
            }
            if last_empty {
                lo -= 1;
                if lo > 0 {
                    return false;
                }
            }
            if HEXTETS < hi + lo + 1 {
                return false;
            }
            (hi, lo)
        }
        None => {
            if parts.len() != HEXTETS || first_empty || last_empty {
                return false;
            }
            (parts.len(), 0)
        }
    };
    let hextet = |part: &&str| part.len() <= 4 && part.bytes().all(|b| b.is_ascii_hexdigit());
    // `int("", 16)` raises: an empty hextet counted in is invalid.
    let counted = |part: &&str| !part.is_empty() && hextet(part);
    parts.iter().take(hi).all(counted) && parts.iter().skip(parts.len() - lo).all(counted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemes() -> Vec<String> {
        vec!["http".to_owned(), "https".to_owned()]
    }

    fn message(value: &str) -> Option<String> {
        match check(value, &schemes()) {
            Ok(()) => None,
            Err(Refusal::Invalid(message)) => Some(message),
            Err(Refusal::NotChecked(reason)) => Some(format!("not checked: {reason}")),
        }
    }

    /// DOT 3.4.1 on Python 3.13 and Django 6.1: accepted.
    #[test]
    fn accepts_what_dot_accepts() {
        for value in [
            "http://ok.com/cb?x=1",
            "HTTP://Example.COM/x",
            "http://localhost:8000/",
            "http://127.0.0.1/",
            "http://ex..com/",
            "http://example.com:abc",
            "http://user:pw@example.com/",
            "http://[::1]:8000/cb",
            "http://a*.example.com/",
            "http://example.com:99999999/",
            "http://[::1]:abc/",
            "http://user@[::1]/",
            "http://exa_mple.com/",
            "http://1.2.3.4.5/",
            "http://x.com/?",
        ] {
            assert_eq!(message(value), None, "{value}");
        }
        let long = format!(
            "http://{}.{}/",
            "a".repeat(61),
            vec!["a".repeat(63); 3].join(".")
        );
        // A 253-character host name: the longest Django takes.
        assert_eq!(long.len(), 7 + 253 + 1);
        assert_eq!(message(&long), None);
    }

    /// DOT's messages, as its `full_clean` gave them.
    #[test]
    fn refuses_with_dots_messages() {
        let url = |value: &str| {
            format!("redirect uri URI validation error. ['Enter a valid URL.']: {value}")
        };
        for (value, expected) in [
            ("ftp://x.com", "redirect uri URI Validation error. invalid_scheme: ftp://x.com".to_owned()),
            ("foo", "redirect uri URI Validation error. invalid_scheme: foo".to_owned()),
            ("//example.com/cb", "redirect uri URI Validation error. invalid_scheme: //example.com/cb".to_owned()),
            ("com.app:/cb", "redirect uri URI Validation error. invalid_scheme: com.app:/cb".to_owned()),
            ("https://a.b/c#frag", "redirect uri URI validation error. fragment not allowed: https://a.b/c#frag".to_owned()),
            ("http://example.com#", "redirect uri URI validation error. fragment not allowed: http://example.com#".to_owned()),
            ("http:/nohost", "redirect uri URI validation error. missing host: http:/nohost".to_owned()),
            ("https:///x", "redirect uri URI validation error. missing host: https:///x".to_owned()),
            ("http://-bad.com", url("http://-bad.com")),
            ("http://_x", url("http://_x")),
            ("http://a@", url("http://a@")),
            ("http://:80", url("http://:80")),
            ("http://.example.com", url("http://.example.com")),
            ("https://*.example.com/", url("https://*.example.com/")),
            ("http://[v1.x]/", url("http://[v1.x]/")),
            ("http://[fe80::1%25eth0]/", url("http://[fe80::1%25eth0]/")),
            ("http://[::1", "redirect uri URI validation error. Invalid IPv6 URL: http://[::1".to_owned()),
            ("http://[xyz]/", "redirect uri URI validation error. 'xyz' does not appear to be an IPv4 or IPv6 address: http://[xyz]/".to_owned()),
            ("http://[1.2.3.4]/", "redirect uri URI validation error. An IPv4 address cannot be in brackets: http://[1.2.3.4]/".to_owned()),
            ("http://[v.x]/", "redirect uri URI validation error. IPvFuture address is invalid: http://[v.x]/".to_owned()),
        ] {
            assert_eq!(message(value).as_deref(), Some(expected.as_str()), "{value}");
        }
        let long = format!(
            "http://{}.{}/",
            "a".repeat(62),
            vec!["a".repeat(63); 3].join(".")
        );
        assert_eq!(long.len(), 7 + 254 + 1);
        assert_eq!(message(&long), Some(url(&long)));
        let too_long = format!("http://x.com/{}", "a".repeat(2048));
        assert_eq!(message(&too_long), Some(url(&too_long)));
    }

    #[test]
    fn private_use_schemes_need_a_path_after_one_slash() {
        let schemes = vec!["http".to_owned(), "com.example.app".to_owned()];
        let ok = |value| check(value, &schemes).is_ok();
        assert!(ok("com.example.app:/callback"));
        assert!(ok("com.example.app:/"));
        assert!(ok("com.example.app://host/callback"));
        assert!(!ok("com.example.app:callback"));
        assert!(!ok("com.example.app://"));
        assert!(!ok("com.example.app:///callback"));
    }

    #[test]
    fn what_is_not_checked_is_refused() {
        assert!(matches!(
            check("http://ü.com/", &schemes()),
            Err(Refusal::NotChecked(_))
        ));
        assert!(matches!(
            check("http://x.com/\u{1}", &schemes()),
            Err(Refusal::NotChecked(_))
        ));
        // Outside the host, characters beyond ASCII are DOT's to judge (it accepts them).
        assert_eq!(check("http://x.com/café", &schemes()), Ok(()));
    }

    #[test]
    fn ip_addresses_parse_as_pythons_ipaddress() {
        for text in ["1.2.3.4", "0.0.0.0", "255.255.255.255"] {
            assert!(is_ipv4(text), "{text}");
        }
        for text in [
            "01.2.3.4",
            "1.2.3",
            "256.1.1.1",
            "1.2.3.4.5",
            "",
            "1..2.3",
            "+1.2.3.4",
        ] {
            assert!(!is_ipv4(text), "{text}");
        }
        for text in [
            "::1",
            "::",
            "1::",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "::ffff:1.2.3.4",
            "fe80::1%eth0",
            "0000:0000:0000:0000:0000:0000:0000:0001",
        ] {
            assert!(is_ipv6(text), "{text}");
        }
        for text in [
            ":1",
            "1:",
            "1::2::3",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7",
            "::1%",
            "::1%a%b",
            "12345::",
            "::g",
            "::ffff:01.2.3.4",
            ":::",
            "1:2:3:4:5:6:7:8::",
        ] {
            assert!(!is_ipv6(text), "{text}");
        }
    }
}
