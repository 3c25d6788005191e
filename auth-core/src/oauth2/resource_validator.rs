//! DOT's default `RESOURCE_SERVER_TOKEN_RESOURCE_VALIDATOR`, `validate_resource_as_url_prefix`
//! (RFC 8707): a token restricted to resources is valid for a request whose URI is under one of
//! them — same scheme, host and port, and a path under the resource's path, compared segment by
//! segment after Python's `posixpath.normpath`.

use crate::compat::python::urlsplit::urlsplit;

/// `_parse_and_validate_uri`: an absolute URI's scheme, lower-cased host, port (the scheme's
/// default for `http`/`https`, else as written) and normalised path; `None` for a URI with
/// userinfo, a fragment, no scheme or host, or a port Python cannot read.
fn parse_and_validate(uri: &str) -> Option<(String, String, Option<u16>, String)> {
    let parsed = urlsplit(uri)?;
    let (userinfo, hostinfo) = match parsed.netloc.rsplit_once('@') {
        Some((userinfo, hostinfo)) => (Some(userinfo), hostinfo),
        None => (None, parsed.netloc.as_str()),
    };
    // `parsed.username is not None or parsed.password is not None`: any `@` in the netloc.
    if userinfo.is_some() || !parsed.fragment.is_empty() || uri.contains('#') {
        return None;
    }
    let (hostname, port) = host_and_port(hostinfo);
    if parsed.scheme.is_empty() || hostname.is_empty() {
        return None;
    }
    let scheme = parsed.scheme.to_lowercase();
    let port = match port {
        None => match scheme.as_str() {
            "http" => Some(80),
            "https" => Some(443),
            _ => None,
        },
        // `port.isdigit() and port.isascii()`, then `0 <= port <= 65535`, else `ValueError`.
        Some(port) if port.bytes().all(|byte| byte.is_ascii_digit()) => {
            let digits = port.trim_start_matches('0');
            if digits.is_empty() {
                Some(0)
            } else {
                Some(digits.parse::<u16>().ok()?)
            }
        }
        Some(_) => return None,
    };
    let path = if parsed.path.is_empty() {
        "/"
    } else {
        parsed.path.as_str()
    };
    Some((scheme, lower_host(hostname), port, normpath(path)))
}

/// `SplitResult._hostinfo`: the host (inside brackets when bracketed) and the port text, `None`
/// when there is no `:` or nothing after it.
fn host_and_port(hostinfo: &str) -> (&str, Option<&str>) {
    let (hostname, port) = match hostinfo.split_once('[') {
        Some((_, bracketed)) => {
            let (hostname, after) = bracketed.split_once(']').unwrap_or((bracketed, ""));
            (hostname, after.split_once(':').map_or("", |(_, port)| port))
        }
        None => hostinfo.split_once(':').unwrap_or((hostinfo, "")),
    };
    (hostname, Some(port).filter(|port| !port.is_empty()))
}

/// `SplitResult.hostname`'s case: lower-cased before a `%zone`, which keeps its case.
fn lower_host(hostname: &str) -> String {
    match hostname.split_once('%') {
        Some((host, zone)) => format!("{}%{zone}", host.to_lowercase()),
        None => hostname.to_lowercase(),
    }
}

/// Python's `posixpath.normpath`: `.` and empty segments dropped, `..` applied, one or two
/// leading slashes kept (three or more become one).
fn normpath(path: &str) -> String {
    if path.is_empty() {
        return ".".to_owned();
    }
    let initial_slashes = if path.starts_with("//") && !path.starts_with("///") {
        2
    } else {
        usize::from(path.starts_with('/'))
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        if segment.is_empty() || segment == "." {
            continue;
        }
        if segment != ".."
            || (initial_slashes == 0 && segments.is_empty())
            || segments.last() == Some(&"..")
        {
            segments.push(segment);
        } else {
            segments.pop();
        }
    }
    let joined = format!("{}{}", "/".repeat(initial_slashes), segments.join("/"));
    if joined.is_empty() {
        ".".to_owned()
    } else {
        joined
    }
}

/// `is_valid_resource_uri(uri)`: acceptable as an RFC 8707 resource indicator (an absolute URI
/// with a scheme and a host, without userinfo or fragment, with a port Python can read).
pub fn is_valid_resource_uri(uri: &str) -> bool {
    parse_and_validate(uri).is_some()
}

/// `validate_resource_as_url_prefix(request_uri, audiences)`: whether the request's URI (without
/// its query) is under one of the token's resources. No resources means unrestricted.
pub fn validate_resource_as_url_prefix<'a>(
    request_uri: &str,
    audiences: impl IntoIterator<Item = &'a str>,
) -> bool {
    let mut audiences = audiences.into_iter().peekable();
    if audiences.peek().is_none() {
        return true;
    }
    let Some((scheme, host, port, path)) = parse_and_validate(request_uri) else {
        return false;
    };
    let request_path = format!("{}/", path.trim_end_matches('/'));
    audiences.any(|audience| {
        parse_and_validate(audience).is_some_and(|(a_scheme, a_host, a_port, a_path)| {
            (a_scheme, a_host, a_port) == (scheme.clone(), host.clone(), port)
                && request_path.starts_with(&format!("{}/", a_path.trim_end_matches('/')))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allows(request: &str, audience: &str) -> bool {
        validate_resource_as_url_prefix(request, [audience])
    }

    #[test]
    fn the_examples_of_dots_docstring() {
        let audience = "https://api.example.com/foo";
        assert!(allows("https://api.example.com/foo", audience));
        assert!(allows("https://api.example.com/foo/", audience));
        assert!(allows("https://api.example.com/foo/bar", audience));
        assert!(!allows("https://other.example.com/foo/bar", audience));
        assert!(!allows("https://api.example.com/bar", audience));
        assert!(!allows("https://api.example.com/food-blog", audience));
        assert!(!allows("https://api.example.com@evil.com/foo", audience));
    }

    #[test]
    fn ports_hosts_and_paths_are_normalised_as_python_reads_them() {
        // Values from DOT 3.4.1's `validate_resource_as_url_prefix` on Python 3.13.
        assert!(allows(
            "https://API.example.com:443/foo/x",
            "https://api.example.com/foo"
        ));
        assert!(allows(
            "http://api.example.com/a/../foo/x",
            "http://api.example.com:80/foo"
        ));
        assert!(!allows(
            "http://api.example.com/foo",
            "https://api.example.com/foo"
        ));
        assert!(!allows(
            "http://api.example.com:8080/foo",
            "http://api.example.com/foo"
        ));
        assert!(!allows(
            "http://api.example.com:x/foo",
            "http://api.example.com/foo"
        ));
        assert!(!allows(
            "http://api.example.com:70000/foo",
            "http://api.example.com/foo"
        ));
        assert!(!allows(
            "http://api.example.com/foo",
            "http://api.example.com/foo#x"
        ));
        assert!(!allows("http://api.example.com/foo", "urn:example:foo"));
        assert!(allows(
            "http://api.example.com/anything",
            "http://api.example.com"
        ));
        assert!(!allows(
            "http://api.example.com/x",
            "http://api.example.com/foo?q=1"
        ));
        assert!(allows(
            "http://api.example.com:0080/foo",
            "http://api.example.com/foo"
        ));
        assert!(allows(
            "http://api.example.com:/foo",
            "http://api.example.com/foo"
        ));
        assert!(validate_resource_as_url_prefix(
            "not a uri",
            std::iter::empty()
        ));
        assert!(!validate_resource_as_url_prefix("not a uri", ["http://a/"]));
    }

    #[test]
    fn normpath_is_posixpaths() {
        for (path, normal) in [
            ("/", "/"),
            ("//a", "//a"),
            ("///a", "/a"),
            ("/a/./b/../c/", "/a/c"),
            ("/..", "/"),
            ("a/../..", ".."),
            ("", "."),
        ] {
            assert_eq!(normpath(path), normal, "{path}");
        }
    }
}
