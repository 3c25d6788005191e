//! Django's host validation: `django.http.request.split_domain_port` and `validate_host`
//! (what `request.get_host()` checks against `ALLOWED_HOSTS`), and
//! `django.utils.http.is_same_domain`.

use std::borrow::Cow;

/// `django.utils.http.is_same_domain`: the pattern (lower-cased; the host is compared as
/// given) equals the host, or starts with `.` and the host is that domain or a subdomain of
/// it. An empty pattern matches nothing.
pub fn is_same_domain(host: &str, pattern: &str) -> bool {
    if pattern.is_empty() {
        return false;
    }
    let pattern = lowercase(pattern);
    match pattern.strip_prefix('.') {
        Some(domain) if host.ends_with(&*pattern) || host == domain => true,
        _ => *pattern == *host,
    }
}

/// Python's `str.lower()`, without a copy when there is nothing to lower: this runs for every
/// request and every `ALLOWED_HOSTS` pattern.
fn lowercase(text: &str) -> Cow<'_, str> {
    if text
        .bytes()
        .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        Cow::Owned(text.to_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// `django.http.request.split_domain_port`: the lower-cased domain (without one trailing
/// `.`) and port of a `Host` value, or two empty strings when it does not match Django's
/// `host_validation_re` (`[a-z0-9.-]+` or a bracketed IPv6 address, then `:digits`).
pub fn split_domain_port(host: &str) -> (String, String) {
    let host = lowercase(host);
    split_lowercased(&host).map_or_else(
        || (String::new(), String::new()),
        |(domain, port)| (domain.to_owned(), port.to_owned()),
    )
}

/// [`split_domain_port`] of an already lower-cased host, borrowing from it; `None` where
/// Django answers two empty strings.
fn split_lowercased(host: &str) -> Option<(&str, &str)> {
    let (domain, rest) = if host.starts_with('[') {
        let (domain, rest) = host
            .find(']')
            .and_then(|close| host.split_at_checked(close + 1))?;
        let inner = domain
            .strip_prefix('[')
            .and_then(|inner| inner.strip_suffix(']'))
            .unwrap_or_default();
        if !is_bracketed_ipv6_like(inner) {
            return None;
        }
        (domain, rest)
    } else {
        // By bytes: the first byte outside the class is at a character boundary (every byte
        // of a multi-byte character is outside it, the first one included).
        let end = host
            .bytes()
            .position(|b| !matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-'))
            .unwrap_or(host.len());
        host.split_at_checked(end).unwrap_or((host, ""))
    };
    if domain.is_empty() {
        return None;
    }
    let port = match rest.strip_prefix(':') {
        None if rest.is_empty() => "",
        Some(port) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => port,
        _ => return None,
    };
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    Some((domain, port))
}

/// The inside of `\[[a-f0-9]*:[a-f0-9.:]+\]`: hex digits, a colon, then at least one of hex
/// digits, dots and colons.
fn is_bracketed_ipv6_like(inner: &str) -> bool {
    let hex_end = inner
        .find(|c: char| !matches!(c, 'a'..='f' | '0'..='9'))
        .unwrap_or(inner.len());
    match inner.get(hex_end..).and_then(|rest| rest.strip_prefix(':')) {
        Some(rest) => {
            !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| matches!(c, 'a'..='f' | '0'..='9' | '.' | ':'))
        }
        None => false,
    }
}

/// Whether `request.get_host()` accepts this raw host (the `Host` header, port included):
/// `split_domain_port`, then Django's `validate_host(domain, ALLOWED_HOSTS)`, where `*`
/// matches anything, `.example.com` matches `example.com` and its subdomains, and any other
/// pattern (lower-cased) must equal the domain. The domain loses a trailing dot; patterns keep
/// theirs, so `example.com.` in `ALLOWED_HOSTS` matches nothing, as in Django.
///
/// Django's own `validate_host` takes the already split domain; this is the whole check.
/// With `DEBUG = False` an empty `allowed_hosts` allows nothing.
pub fn validate_host(host: &str, allowed_hosts: &[String]) -> bool {
    let host = lowercase(host);
    let Some((domain, _port)) = split_lowercased(&host) else {
        return false;
    };
    !domain.is_empty()
        && allowed_hosts
            .iter()
            .any(|pattern| pattern == "*" || is_same_domain(domain, pattern))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_domain() {
        assert!(is_same_domain("example.com", "example.com"));
        assert!(is_same_domain("example.com", "EXAMPLE.com"));
        assert!(!is_same_domain("EXAMPLE.com", "example.com"));
        assert!(is_same_domain("example.com", ".example.com"));
        assert!(is_same_domain("a.example.com", ".example.com"));
        assert!(is_same_domain("a.example.com:8000", ".example.com:8000"));
        assert!(!is_same_domain("badexample.com", ".example.com"));
        assert!(!is_same_domain("example.com", ""));
        assert!(!is_same_domain("", ""));
        assert!(is_same_domain("", "."));
    }

    #[test]
    fn hosts() {
        let split = |host| split_domain_port(host);
        assert_eq!(
            split("TestServer:8000"),
            ("testserver".into(), "8000".into())
        );
        assert_eq!(split("example.com."), ("example.com".into(), String::new()));
        assert_eq!(split("[::1]:8000"), ("[::1]".into(), "8000".into()));
        assert_eq!(split("[::1]"), ("[::1]".into(), String::new()));
        assert_eq!(split("[::]"), ("[::]".into(), String::new()));
        assert_eq!(
            split("[2001:DB8::1]"),
            ("[2001:db8::1]".into(), String::new())
        );
        for invalid in [
            "",
            ":80",
            "a:",
            "a:b",
            "a b",
            "[::1",
            "[1]",
            "[g::1]",
            "a_b.com",
            "host\n",
            "ex@mple.com",
            "[::1]x",
        ] {
            assert_eq!(
                split(invalid),
                (String::new(), String::new()),
                "{invalid:?}"
            );
        }
        let allowed =
            |patterns: &[&str]| patterns.iter().map(|p| (*p).to_owned()).collect::<Vec<_>>();
        assert!(validate_host("testserver", &allowed(&["testserver"])));
        assert!(validate_host("TESTSERVER:80", &allowed(&["testserver"])));
        assert!(validate_host("testserver.", &allowed(&["testserver"])));
        assert!(validate_host("a.example.com", &allowed(&[".example.com"])));
        assert!(validate_host("example.com", &allowed(&[".Example.com"])));
        assert!(validate_host("anything.org:1", &allowed(&["*"])));
        assert!(validate_host("[::1]:8000", &allowed(&["[::1]"])));
        assert!(!validate_host("example.com", &allowed(&["example.com."])));
        assert!(!validate_host("evil.com", &allowed(&["testserver"])));
        assert!(!validate_host("testserver", &[]));
        assert!(!validate_host("bad host", &allowed(&["*"])));
        assert!(!validate_host("", &allowed(&["*"])));
    }
}
