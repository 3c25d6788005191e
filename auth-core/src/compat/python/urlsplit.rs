//! Python's `urllib.parse.urlsplit` (3.12) and `SplitResult.geturl`, byte for byte.
//!
//! Django compares the raw `netloc` of `Origin` and `Referer` (case, port and userinfo
//! included), which a WHATWG URL parser would normalise; so the split is Python's.
//!
//! One difference: Python also refuses a non-ASCII netloc whose NFKC normalisation contains
//! `/?#@:`; that needs Unicode tables and is not done here. Such a netloc matches no ASCII
//! trusted origin or host anyway; only the CSRF reason can differ (`does not match` instead of
//! `Referer is malformed`).

use std::net::Ipv6Addr;

/// The parts of Python's `urllib.parse.urlsplit` result that the checks use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitUrl {
    /// `scheme`.
    pub scheme: String,
    /// `netloc`.
    pub netloc: String,
    /// `path`.
    pub path: String,
    /// `query`.
    pub query: String,
    /// `fragment`.
    pub fragment: String,
}

/// Python 3.12's `urllib.parse.urlsplit(url)`; `None` where it raises `ValueError` (unbalanced
/// or invalid bracketed hosts). See the module docs for the NFKC check it leaves out.
pub fn urlsplit(url: &str) -> Option<SplitUrl> {
    // WHATWG-style: leading C0 controls and spaces go, and tabs and newlines anywhere.
    let url: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
        .collect();
    let mut scheme = String::new();
    let mut rest = url.as_str();
    if let Some(colon) = url.find(':') {
        let candidate = url.get(..colon).unwrap_or_default();
        let starts_alpha = candidate.starts_with(|c: char| c.is_ascii_alphabetic());
        let scheme_chars = candidate
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if starts_alpha && scheme_chars {
            scheme = candidate.to_ascii_lowercase();
            rest = url.get(colon + 1..).unwrap_or_default();
        }
    }
    let mut netloc = "";
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        (netloc, rest) = after.split_at_checked(end).unwrap_or((after, ""));
        let (open, close) = (netloc.contains('['), netloc.contains(']'));
        if open != close {
            return None;
        }
        if open {
            let bracketed = netloc.split_once('[').map_or("", |(_, after)| after);
            let host = bracketed
                .split_once(']')
                .map_or(bracketed, |(host, _)| host);
            if !is_valid_bracketed_host(host) {
                return None;
            }
        }
    }
    let (rest, fragment) = rest.split_once('#').unwrap_or((rest, ""));
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    Some(SplitUrl {
        scheme,
        netloc: netloc.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        fragment: fragment.to_owned(),
    })
}

/// `_check_bracketed_host`: an IPvFuture (`v1.x`) or an IPv6 address (optionally with a
/// `%scope`); IPv4 and anything else is refused.
fn is_valid_bracketed_host(host: &str) -> bool {
    if let Some(future) = host.strip_prefix('v') {
        let hex_end = future
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(future.len());
        return hex_end > 0
            && future
                .get(hex_end..)
                .and_then(|rest| rest.strip_prefix('.'))
                .is_some_and(|rest| !rest.is_empty());
    }
    let address = match host.split_once('%') {
        Some((address, scope)) if !scope.is_empty() && !scope.contains('%') => address,
        Some(_) => return false,
        None => host,
    };
    address.parse::<Ipv6Addr>().is_ok()
}

/// Schemes that `urlunsplit` writes with `//` even without a netloc.
const USES_NETLOC: [&str; 27] = [
    "",
    "ftp",
    "http",
    "gopher",
    "nntp",
    "telnet",
    "imap",
    "wais",
    "file",
    "mms",
    "https",
    "shttp",
    "snews",
    "prospero",
    "rtsp",
    "rtsps",
    "rtspu",
    "rsync",
    "svn",
    "svn+ssh",
    "sftp",
    "nfs",
    "git",
    "git+ssh",
    "ws",
    "wss",
    "itms-services",
];

impl SplitUrl {
    /// Python 3.12's `SplitResult.geturl()` (`urlunsplit`): drops an empty `?` or `#`.
    pub fn geturl(&self) -> String {
        let mut url = self.path.clone();
        let scheme_uses_netloc =
            !self.scheme.is_empty() && USES_NETLOC.contains(&self.scheme.as_str());
        if !self.netloc.is_empty() || (scheme_uses_netloc && !url.starts_with("//")) {
            if !url.is_empty() && !url.starts_with('/') {
                url.insert(0, '/');
            }
            url = format!("//{}{url}", self.netloc);
        }
        if !self.scheme.is_empty() {
            url = format!("{}:{url}", self.scheme);
        }
        if !self.query.is_empty() {
            url = format!("{url}?{}", self.query);
        }
        if !self.fragment.is_empty() {
            url = format!("{url}#{}", self.fragment);
        }
        url
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn urlsplit_matches_python() {
        let split = |url| urlsplit(url).unwrap();
        let parts = |url| {
            let s = split(url);
            (s.scheme, s.netloc, s.path, s.query, s.fragment)
        };
        let owned = |a: &str, b: &str, c: &str, d: &str, e: &str| {
            (
                a.to_owned(),
                b.to_owned(),
                c.to_owned(),
                d.to_owned(),
                e.to_owned(),
            )
        };
        assert_eq!(
            parts("https://evil.com/path?q=1"),
            owned("https", "evil.com", "/path", "q=1", "")
        );
        assert_eq!(
            parts("HTTPS://Evil.com:443/a?#"),
            owned("https", "Evil.com:443", "/a", "", "")
        );
        assert_eq!(parts("https://"), owned("https", "", "", "", ""));
        assert_eq!(parts("not a url"), owned("", "", "not a url", "", ""));
        assert_eq!(
            parts("  https://a\tb.com/x#f"),
            owned("https", "ab.com", "/x", "", "f")
        );
        assert_eq!(
            parts("https://[::1]:8000/"),
            owned("https", "[::1]:8000", "/", "", "")
        );
        assert_eq!(parts("//x.com/"), owned("", "x.com", "/", "", ""));
        assert_eq!(parts("https:x.com"), owned("https", "", "x.com", "", ""));
        assert_eq!(
            parts("https://u:p@host/"),
            owned("https", "u:p@host", "/", "", "")
        );
        assert_eq!(parts("1http://x"), owned("", "", "1http://x", "", ""));
        assert_eq!(
            parts("https://a?b#c?d"),
            owned("https", "a", "", "b", "c?d")
        );
        assert_eq!(split("https:x.com").geturl(), "https:///x.com");
        assert_eq!(split("//x.com/").geturl(), "//x.com/");
        assert!(urlsplit("https://[::1/").is_none());
        assert!(urlsplit("https://::1]/").is_none());
        assert!(urlsplit("https://[1.2.3.4]/").is_none());
        assert!(urlsplit("https://[v1.x]/").is_some());
        assert!(urlsplit("https://[v1.]/").is_none());
        assert!(urlsplit("https://[fe80::1%eth0]/").is_some());
        assert!(urlsplit("https://[fe80::1%]/").is_none());
    }
}
