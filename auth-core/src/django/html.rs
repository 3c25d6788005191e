//! `django.utils.html.escape`: what Django's template engine applies to every variable it
//! prints under auto-escaping.

/// Django's `escape`: `&`, `<`, `>`, `"` and `'` (as `&#x27;`); nothing else, not `/`.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#x27;"),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_what_django_escapes() {
        // Django 6.1: escape("<a href='/x?a=1&b=2'>\"é\"</a>")
        assert_eq!(
            escape("<a href='/x?a=1&b=2'>\"é\"</a>"),
            "&lt;a href=&#x27;/x?a=1&amp;b=2&#x27;&gt;&quot;é&quot;&lt;/a&gt;"
        );
    }
}
