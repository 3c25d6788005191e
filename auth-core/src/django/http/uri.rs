//! Django's `request.build_absolute_uri()` pieces: `escape_uri_path(request.path)` from the path
//! as sent, and the absolute URI of a request without its query.

/// The bytes `urllib.parse.quote` leaves as they are in `escape_uri_path`: its always-safe
/// characters (ASCII letters and digits, `_.-~`) and Django's `safe="/:@&+$,-_.!~*'()"`.
fn is_safe(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"_.-~/:@&+$,!*'()".contains(&byte)
}

/// `escape_uri_path(request.path)` for a path sent as `raw` (percent-encoded): WSGI decodes the
/// path to bytes and Django re-encodes the bytes that are not safe, so `%7E` reads `~` and a
/// space or a non-ASCII byte reads `%XX` in upper case. A `%` not followed by two hex digits
/// stays a `%` byte, which is then encoded as `%25`.
pub fn escape_uri_path(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let escape = (byte == b'%')
            .then(|| bytes.get(at + 1..at + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escape {
            Some(value) => {
                decoded.push(value);
                at += 3;
            }
            None => {
                decoded.push(byte);
                at += 1;
            }
        }
    }
    let mut escaped = String::with_capacity(decoded.len());
    for byte in decoded {
        if is_safe(byte) {
            escaped.push(char::from(byte));
        } else {
            escaped.push_str(&format!("%{byte:02X}"));
        }
    }
    escaped
}

/// `request.build_absolute_uri(path).split("?")[0]`: `scheme://host` and the escaped path, for a
/// path that does not start with `//` (Django joins such a path as a network-path reference).
pub fn absolute_uri_without_query(secure: bool, host: &str, raw_path: &str) -> String {
    let scheme = if secure { "https" } else { "http" };
    format!("{scheme}://{host}{}", escape_uri_path(raw_path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_is_decoded_then_escaped_as_django_escapes_it() {
        // `escape_uri_path(unquote_to_bytes(raw).decode("utf-8", "surrogateescape"))`, Django 6.1.
        assert_eq!(escape_uri_path("/oauth2/"), "/oauth2/");
        assert_eq!(escape_uri_path("/a%7Eb/%2Fc"), "/a~b//c");
        assert_eq!(escape_uri_path("/a%20b/%c3%a9"), "/a%20b/%C3%A9");
        assert_eq!(escape_uri_path("/a%zz"), "/a%25zz");
        assert_eq!(escape_uri_path("/a;b=c?"), "/a%3Bb%3Dc%3F");
    }

    #[test]
    fn the_uri_has_the_requests_scheme_and_host() {
        assert_eq!(
            absolute_uri_without_query(true, "api.example.com:8443", "/oauth2/"),
            "https://api.example.com:8443/oauth2/"
        );
    }
}
