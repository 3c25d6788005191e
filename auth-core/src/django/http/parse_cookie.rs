//! `django.http.cookie.parse_cookie`, read for one name: the value `request.COOKIES[name]`
//! holds in Django behind gunicorn.
//!
//! What Django does with the request's `Cookie` lines (Django 6.1, gunicorn 27, Python 3.13):
//! - gunicorn joins repeated header lines with `,` (`wsgi.create`: `",".join(values)`), so two
//!   `Cookie` lines `a=1` and `b=2` reach Django as the one value `a=1,b=2`, that is the cookie
//!   `a` with the value `1,b=2` and no cookie `b` (over HTTP/2 a client may split one cookie
//!   string into several fields, which the proxy in front of a WSGI server rejoins with `; `;
//!   `auth-actix` does the same for HTTP/2 and HTTP/3 requests);
//! - `WSGIRequest.COOKIES` re-encodes that value as Latin-1 and decodes it as UTF-8 with
//!   replacement characters (`get_str_from_wsgi`);
//! - `parse_cookie` splits it at every `;`, each part at its first `=` (a part without one is a
//!   value with an empty name), strips both sides as `str.strip()` does, skips a part whose name
//!   and value are both empty, and **keeps the last value of a repeated name**;
//! - each value goes through `http.cookies._unquote`: a value wrapped in double quotes loses them
//!   and its backslash escapes (`\ooo` octal, `\x` any other character but a newline). Nothing
//!   is percent-decoded.
//!
//! actix-web's cookie jar keeps the first value of a repeated name and percent-decodes, so a
//! `sessionid` or `csrftoken` set twice (cookie tossing from a sibling subdomain) would mean
//! another session here than in Django. The library reads cookies through this function only.

use std::borrow::Cow;

use crate::compat::python::text::python_strip;

/// The value Django gives the cookie `name` for this `Cookie` header value (the request's
/// `Cookie` lines joined by `,`), or `None` when it has none.
///
/// ```
/// use auth_core::django::http::parse_cookie::cookie_value;
///
/// let header = b"sessionid=first; csrftoken=a%20b; sessionid=last";
/// assert_eq!(cookie_value(header, "sessionid").as_deref(), Some("last"));
/// assert_eq!(cookie_value(header, "csrftoken").as_deref(), Some("a%20b"));
/// // Two `Cookie` lines, as gunicorn hands them to Django.
/// assert_eq!(cookie_value(b"a=1,b=2", "a").as_deref(), Some("1,b=2"));
/// assert_eq!(cookie_value(b"a=1,b=2", "b"), None);
/// ```
pub fn cookie_value<'a>(header: &'a [u8], name: &str) -> Option<Cow<'a, str>> {
    match String::from_utf8_lossy(header) {
        Cow::Borrowed(text) => last_value(text, name).map(unquote),
        Cow::Owned(text) => {
            last_value(&text, name).map(|value| Cow::Owned(unquote(value).into_owned()))
        }
    }
}

/// The last value `parse_cookie` reads for `name`, still quoted.
fn last_value<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let mut found = None;
    for chunk in text.split(';') {
        let (key, value) = chunk.split_once('=').unwrap_or(("", chunk));
        if python_strip(key) == name {
            found = Some(python_strip(value));
        }
    }
    found
}

/// `http.cookies._unquote`: a value of two or more characters in double quotes loses them, and
/// inside, `\` followed by three octal digits (the first 0–3) is that code point, and `\`
/// followed by any other character but a newline is that character.
fn unquote(value: &str) -> Cow<'_, str> {
    let Some(inner) = value
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    else {
        return Cow::Borrowed(value);
    };
    if !inner.contains('\\') {
        return Cow::Borrowed(inner);
    }
    let mut unquoted = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            unquoted.push(c);
            continue;
        }
        let rest = chars.clone().take(3).collect::<Vec<char>>();
        let octal = matches!(rest.as_slice(), [a, b, c]
            if ('0'..='3').contains(a) && ('0'..='7').contains(b) && ('0'..='7').contains(c));
        if octal {
            let code = rest.iter().fold(0u32, |code, digit| {
                code * 8 + digit.to_digit(8).unwrap_or(0)
            });
            unquoted.extend(char::from_u32(code));
            chars.nth(2);
        } else {
            match chars.peek() {
                Some(&next) if next != '\n' => {
                    unquoted.push(next);
                    chars.next();
                }
                // A backslash before a newline or at the end matches neither pattern: kept.
                _ => unquoted.push('\\'),
            }
        }
    }
    Cow::Owned(unquoted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(header: &[u8], name: &str) -> Option<String> {
        cookie_value(header, name).map(Cow::into_owned)
    }

    #[test]
    fn the_last_of_a_repeated_name_counts() {
        assert_eq!(
            value(b"sessionid=a; sessionid=b", "sessionid").as_deref(),
            Some("b")
        );
        assert_eq!(
            value(b"sessionid=a;sessionid=", "sessionid").as_deref(),
            Some("")
        );
        assert_eq!(value(b"x=1", "sessionid"), None);
    }

    #[test]
    fn several_lines_are_one_value_joined_by_commas() {
        assert_eq!(
            value(b"sessionid=a,sessionid=b", "sessionid").as_deref(),
            Some("a,sessionid=b")
        );
        assert_eq!(value(b"x=1,sessionid=b", "sessionid"), None);
        assert_eq!(
            value(b"x=1; y=2,sessionid=b", "y").as_deref(),
            Some("2,sessionid=b")
        );
    }

    #[test]
    fn names_and_values_are_stripped_as_python_strips() {
        assert_eq!(
            value(b" sessionid \t=  abc \x1f", "sessionid").as_deref(),
            Some("abc")
        );
        assert_eq!(
            value("\u{a0}sessionid=abc".as_bytes(), "sessionid").as_deref(),
            Some("abc")
        );
        assert_eq!(value(b"SessionID=abc", "sessionid"), None);
    }

    #[test]
    fn nothing_is_percent_decoded_and_only_the_first_equals_splits() {
        assert_eq!(
            value(b"csrftoken=a%3Bb", "csrftoken").as_deref(),
            Some("a%3Bb")
        );
        assert_eq!(
            value(b"csrftoken=a=b=c", "csrftoken").as_deref(),
            Some("a=b=c")
        );
        assert_eq!(value(b"sessionid%3D=x", "sessionid"), None);
    }

    #[test]
    fn a_part_without_equals_is_a_value_of_the_empty_name() {
        assert_eq!(value(b"abc; sessionid=x", "").as_deref(), Some("abc"));
        assert_eq!(value(b"sessionid", "sessionid"), None);
    }

    #[test]
    fn invalid_utf8_becomes_replacement_characters() {
        assert_eq!(
            value(b"sessionid=a\xffb", "sessionid").as_deref(),
            Some("a\u{fffd}b")
        );
        assert_eq!(
            value(b"\xffsessionid=a; sessionid=b\xfe", "sessionid").as_deref(),
            Some("b\u{fffd}")
        );
    }

    #[test]
    fn quoted_values_are_unquoted_as_http_cookies_does() {
        assert_eq!(value(br#"a="xyz""#, "a").as_deref(), Some("xyz"));
        assert_eq!(value(br#"a="x\"y\\z""#, "a").as_deref(), Some("x\"y\\z"));
        assert_eq!(
            value(br#"a="\101\060\377\400""#, "a").as_deref(),
            Some("A0\u{ff}400")
        );
        assert_eq!(value(br#"a="""#, "a").as_deref(), Some(""));
        assert_eq!(value(br#"a=""#, "a").as_deref(), Some("\""));
        assert_eq!(value(br#"a="x"#, "a").as_deref(), Some("\"x"));
        assert_eq!(value(b"a=\"x\\\"", "a").as_deref(), Some("x\\"));
        assert_eq!(value(b"a=\"x\\\ny\"", "a").as_deref(), Some("x\\\ny"));
    }
}
