//! Redirect URIs as the authorization step checks them: oauthlib's `is_absolute_uri`, DOT's
//! `check_redirect_to_uri_allowed` (exact matching, RFC 9700 §2.1; any port for the loopback
//! IPs, RFC 8252 §7.3) and `Application.default_redirect_uri`.

use crate::compat::python::text::python_split;
use crate::compat::python::urlsplit::{SplitUrl, urlsplit};
use crate::store::oauth2_application::Application;

/// RFC 3986's characters a URI may hold as they are (`%` only before two hex digits).
fn is_uri_character(character: char) -> bool {
    character.is_ascii_alphanumeric() || "-._~:/?[]@!$&'()*+,;=".contains(character)
}

/// oauthlib's `is_absolute_uri`: RFC 3986's `absolute-URI` (a scheme, then no fragment, only
/// URI characters and well-formed `%` escapes).
pub fn is_absolute_uri(uri: &str) -> bool {
    let Some((scheme, rest)) = uri.split_once(':') else {
        return false;
    };
    let mut scheme_chars = scheme.chars();
    let scheme_ok = scheme_chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme_chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !scheme_ok {
        return false;
    }
    // oauthlib's expression refuses a userinfo holding `:` (`https://user:pw@host/`), while RFC
    // 3986 allows it.
    if let Some(authority) = rest.strip_prefix("//") {
        let authority = authority.split(['/', '?']).next().unwrap_or_default();
        if authority
            .rsplit_once('@')
            .is_some_and(|(userinfo, _)| userinfo.contains(':'))
        {
            return false;
        }
    }
    let bytes = rest.as_bytes();
    rest.char_indices().all(|(at, character)| {
        if character == '%' {
            return bytes.get(at + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(at + 2).is_some_and(u8::is_ascii_hexdigit);
        }
        is_uri_character(character)
    })
}

/// `SplitResult.hostname` and `.port` (`Err` where Python raises for a port that is not one).
fn host_and_port(split: &SplitUrl) -> (Option<String>, Result<Option<u16>, ()>) {
    let hostinfo = split
        .netloc
        .rsplit_once('@')
        .map_or(split.netloc.as_str(), |(_, host)| host);
    let (host, port) = match hostinfo.strip_prefix('[') {
        Some(bracketed) => match bracketed.split_once(']') {
            Some((host, rest)) => (host, rest.strip_prefix(':')),
            None => (bracketed, None),
        },
        None => match hostinfo.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (hostinfo, None),
        },
    };
    let host = (!host.is_empty()).then(|| host.to_lowercase());
    let port = match port {
        None | Some("") => Ok(None),
        Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) => {
            digits.parse::<u16>().map(Some).map_err(|_| ())
        }
        Some(_) => Err(()),
    };
    (host, port)
}

/// DOT's `check_redirect_to_uri_allowed(uri, allowed_uris)` with `ALLOW_URI_WILDCARDS` and
/// `ALLOW_LOCALHOST_LOOPBACK` off: exact scheme, host, port, path and query (the presence of
/// `?` included); no fragment, no userinfo; an `http` loopback IP registered matches any port.
/// A port Python cannot read (a 500 in DOT) matches nothing.
pub fn redirect_uri_allowed(uri: &str, allowed: &str) -> bool {
    if uri.contains('#') {
        return false;
    }
    let Some(requested) = urlsplit(uri) else {
        return false;
    };
    if requested.netloc.contains('@') {
        return false;
    }
    let (host, port) = host_and_port(&requested);
    python_split(allowed).any(|candidate| {
        if candidate.contains('#') {
            return false;
        }
        let Some(registered) = urlsplit(candidate) else {
            return false;
        };
        if registered.netloc.contains('@') || registered.scheme != requested.scheme {
            return false;
        }
        let (registered_host, registered_port) = host_and_port(&registered);
        if registered_host != host {
            return false;
        }
        let loopback = registered.scheme == "http"
            && matches!(registered_host.as_deref(), Some("127.0.0.1" | "::1"));
        if !loopback {
            match (&registered_port, &port) {
                (Ok(a), Ok(b)) if a == b => {}
                _ => return false,
            }
        }
        registered.path == requested.path
            && candidate.contains('?') == uri.contains('?')
            && registered.query == requested.query
    })
}

/// `Application.default_redirect_uri`: its only registered URI (none, or several, is `None`:
/// `Missing redirect URI.`).
pub fn default_redirect_uri(application: &Application) -> Option<&str> {
    let mut uris = python_split(&application.redirect_uris);
    match (uris.next(), uris.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_is_exact_but_for_loopback_ports() {
        let allowed =
            "https://client.example.com/cb http://127.0.0.1/cb https://q.example.com/cb?a=1";
        assert!(redirect_uri_allowed(
            "https://client.example.com/cb",
            allowed
        ));
        assert!(redirect_uri_allowed(
            "https://CLIENT.example.com/cb",
            allowed
        ));
        assert!(redirect_uri_allowed("http://127.0.0.1:51000/cb", allowed));
        assert!(redirect_uri_allowed(
            "https://q.example.com/cb?a=1",
            allowed
        ));
        for refused in [
            "https://client.example.com/cb/",
            "https://client.example.com/cb?",
            "https://client.example.com:444/cb",
            "https://evil@client.example.com/cb",
            "https://client.example.com/cb#x",
            "http://client.example.com/cb",
            "https://q.example.com/cb?a=2",
            "https://client.example.com/cb;x",
        ] {
            assert!(!redirect_uri_allowed(refused, allowed), "{refused}");
        }
    }

    #[test]
    fn absolute_uris_are_rfc_3986s() {
        assert!(is_absolute_uri("https://client.example.com/cb?x=%20"));
        assert!(is_absolute_uri("com.example.app:/cb"));
        assert!(is_absolute_uri("https://u@x/cb"));
        for refused in [
            "https://user:pw@client.example.com/cb",
            "/cb",
            "https://x/cb#f",
            "https://x/c b",
            "1http://x",
            "https://x/%zz",
            "",
        ] {
            assert!(!is_absolute_uri(refused), "{refused}");
        }
    }
}
