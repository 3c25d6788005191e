//! Django's `request.build_absolute_uri()` pieces: `escape_uri_path(request.path)` from the path
//! as sent, and the absolute URI of a request without its query.

/// The bytes `urllib.parse.quote` leaves as they are in `escape_uri_path`: its always-safe
/// characters (ASCII letters and digits, `_.-~`) and Django's `safe="/:@&+$,-_.!~*'()"`.
fn is_safe(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"_.-~/:@&+$,!*'()".contains(&byte)
}

/// `escape_uri_path(request.path)` for a path sent as `raw` (percent-encoded): WSGI decodes the
/// path to bytes and Django re-encodes the bytes that are not safe, so `%7E` reads `~` and a
/// space or a non-ASCII character reads `%XX` in upper case. A `%` not followed by two hex
/// digits stays a `%` byte, which is then encoded as `%25`; so is the `%` of a byte that is not
/// UTF-8 (`%FF` reads `%25FF`).
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
    // Django's `repercent_broken_unicode`: a byte that is not UTF-8 becomes the text `%XX`,
    // whose `%` `escape_uri_path` then escapes (`%25XX`).
    for chunk in decoded.utf8_chunks() {
        for &byte in chunk.valid().as_bytes() {
            if is_safe(byte) {
                escaped.push(char::from(byte));
            } else {
                escaped.push_str(&format!("%{byte:02X}"));
            }
        }
        for byte in chunk.invalid() {
            escaped.push_str(&format!("%25{byte:02X}"));
        }
    }
    escaped
}

/// `request.build_absolute_uri(path).split("?")[0]`: `scheme://host` and the escaped path. For a
/// path starting with `//` Django's `urljoin` reads the first segment as a host
/// (`//evil.example/x` → `http://evil.example/x`); here the request's own host is kept, a
/// documented divergence (docs/oauth2.md) that never lets a path name another server.
pub fn absolute_uri_without_query(secure: bool, host: &str, raw_path: &str) -> String {
    let scheme = if secure { "https" } else { "http" };
    format!("{scheme}://{host}{}", escape_uri_path(raw_path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_is_decoded_then_escaped_as_django_escapes_it() {
        // Django 6.1's `request.path` (WSGI's decoded bytes through `repercent_broken_unicode`)
        // then `escape_uri_path`.
        assert_eq!(escape_uri_path("/oauth2/"), "/oauth2/");
        assert_eq!(escape_uri_path("/a%7Eb/%2Fc"), "/a~b//c");
        assert_eq!(escape_uri_path("/a%20b/%c3%a9"), "/a%20b/%C3%A9");
        assert_eq!(escape_uri_path("/a%zz"), "/a%25zz");
        assert_eq!(escape_uri_path("/a;b=c?"), "/a%3Bb%3Dc%3F");
        assert_eq!(escape_uri_path("/a%FF/%c3%a9%e9"), "/a%25FF/%C3%A9%25E9");
    }

    #[test]
    fn the_uri_has_the_requests_scheme_and_host() {
        assert_eq!(
            absolute_uri_without_query(true, "api.example.com:8443", "/oauth2/"),
            "https://api.example.com:8443/oauth2/"
        );
    }
}
