//! DRF's `_MediaType` (`rest_framework.utils.mediatypes`): one entry of an `Accept` header, or a
//! renderer's media type, parsed as Django's `parse_header_parameters` parses it, with DRF's
//! precedence and matching rules.
//!
//! Written out rather than taken from a media-type crate for byte parity: Django parses a value
//! with parameters through Python's `email` package (`Message.get_params`), whose splitting,
//! quoting and name rules decide an entry's precedence, and no crate reproduces them.
//!
//! Known approximation: an RFC 2231 parameter (`name*=charset''value`, `name*0=…`) counts under
//! its base name, as in Python, but its value is kept undecoded; where Python's decoding fails
//! (a charset it does not know or cannot decode with, such as `idna`, after which DRF's entry
//! matches nothing; or a numbered and an unnumbered part of one name, `a*=1; a*0=2`, which makes
//! DRF answer 500) the entry still counts here.
//! Values decide nothing here: no renderer of this library declares parameters, and the JSON
//! renderer's `indent` parameter is not read (see `docs/renderers.md`).

use std::borrow::Cow;

use crate::compat::python::text::python_strip;

/// Django's `MAX_HEADER_LENGTH`: a longer value makes `parse_header_parameters` raise, and DRF's
/// `_MediaType` then matches nothing.
const MAX_HEADER_LENGTH: usize = 10_000;

/// One parsed media type: main type, subtype and parameters, lower-cased where Django
/// lower-cases them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaType<'a> {
    /// The entry as written (DRF's `orig`).
    pub orig: &'a str,
    /// Before the `/`, lower-cased.
    pub main_type: Cow<'a, str>,
    /// After the first `/`, lower-cased (empty without a `/`).
    pub sub_type: Cow<'a, str>,
    /// The parameters by name, in Python's dict order (first insertion keeps its place, the
    /// last value wins).
    pub params: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

/// `text.lower()` borrowing when nothing changes (the common, already lower-case, entry).
fn lower(text: &str) -> Cow<'_, str> {
    // Measured: the per-`char` case mapping was the negotiation's largest cost on every request.
    // For ASCII, Python's `str.lower()` is ASCII lower-casing, checked a byte at a time.
    if text.is_ascii() {
        return if text.bytes().any(|byte| byte.is_ascii_uppercase()) {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        };
    }
    if text
        .chars()
        .any(|c| c.to_lowercase().ne(std::iter::once(c)))
    {
        Cow::Owned(text.chars().flat_map(char::to_lowercase).collect())
    } else {
        Cow::Borrowed(text)
    }
}

impl<'a> MediaType<'a> {
    /// DRF's `_MediaType(orig)`.
    pub fn parse(orig: &'a str) -> Self {
        let (full_type, params) = parse_header_parameters(orig).unwrap_or_default();
        let (main_type, sub_type) = match full_type {
            Cow::Borrowed(text) => match text.split_once('/') {
                Some((main, sub)) => (Cow::Borrowed(main), Cow::Borrowed(sub)),
                None => (Cow::Borrowed(text), Cow::Borrowed("")),
            },
            Cow::Owned(text) => match text.split_once('/') {
                Some((main, sub)) => (Cow::Owned(main.to_owned()), Cow::Owned(sub.to_owned())),
                None => (Cow::Owned(text), Cow::Borrowed("")),
            },
        };
        Self {
            orig,
            main_type,
            sub_type,
            params,
        }
    }

    /// DRF's `precedence`: 0 for `*/*`, 1 for `type/*`, 2 for `type/subtype` (with at most a
    /// `q` parameter), 3 with other parameters.
    pub fn precedence(&self) -> u8 {
        if self.main_type == "*" {
            0
        } else if self.sub_type == "*" {
            1
        } else if self.params.is_empty() || (self.params.len() == 1 && self.params[0].0 == "q") {
            2
        } else {
            3
        }
    }

    /// The value of parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_ref())
    }

    /// DRF's `match`: whether this media type (a renderer's) satisfies `other` (an `Accept`
    /// entry): every parameter but `q` equal, then subtype and main type equal or `*` on
    /// either side.
    pub fn matches(&self, other: &MediaType<'_>) -> bool {
        for (key, value) in &self.params {
            if key != "q" && other.param(key) != Some(value.as_ref()) {
                return false;
            }
        }
        let part = |mine: &str, theirs: &str| mine == "*" || theirs == "*" || mine == theirs;
        part(&self.sub_type, &other.sub_type) && part(&self.main_type, &other.main_type)
    }
}

type Parsed<'a> = (Cow<'a, str>, Vec<(Cow<'a, str>, Cow<'a, str>)>);

/// Django's `parse_header_parameters(line)`; `None` where it raises (`ValueError`).
fn parse_header_parameters(line: &str) -> Option<Parsed<'_>> {
    if line.is_empty() {
        return Some((Cow::Borrowed(""), Vec::new()));
    }
    if line.len() > MAX_HEADER_LENGTH && line.chars().count() > MAX_HEADER_LENGTH {
        return None;
    }
    if !line.contains(';') {
        return Some((lower(python_strip(line)), Vec::new()));
    }
    // `Message.get_params()`: `_parseparam` splits and names each part, `decode_params` puts
    // RFC 2231 names last, `_unquotevalue` unquotes.
    let mut parts = parse_param(line).into_iter();
    let key = match parts.next() {
        Some((name, _)) => match name {
            Cow::Borrowed(name) => lower(name),
            Cow::Owned(name) => Cow::Owned(lower(&name).into_owned()),
        },
        None => Cow::Borrowed(""),
    };
    let mut plain: Vec<(Cow<'_, str>, Cow<'_, str>)> = Vec::new();
    let mut continued: Vec<(Cow<'_, str>, Cow<'_, str>)> = Vec::new();
    for (name, value) in parts {
        let value = unquote(value);
        match rfc2231_base_name(&name) {
            Some(base) => {
                let base = base.to_owned();
                if let Some(entry) = continued.iter_mut().find(|(known, _)| *known == base) {
                    entry.1 = Cow::Owned(format!("{}{}", entry.1, value));
                } else {
                    continued.push((Cow::Owned(base), value));
                }
            }
            None => plain.push((name, value)),
        }
    }
    let mut params: Vec<(Cow<'_, str>, Cow<'_, str>)> = Vec::new();
    for (name, value) in plain.into_iter().chain(continued) {
        if name.is_empty() {
            continue;
        }
        match params.iter_mut().find(|(known, _)| *known == name) {
            Some(entry) => entry.1 = value,
            None => params.push((name, value)),
        }
    }
    Some((key, params))
}

/// `email.message._parseparam` then `_get_params_preserve`: split at `;` outside double quotes;
/// a part with `=` is a name (stripped, lower-cased) and a value (stripped), a bare part a name
/// (stripped, case kept) with an empty value.
fn parse_param(line: &str) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    let mut parts = Vec::new();
    let mut rest = line;
    loop {
        let mut end = rest.find(';');
        while let Some(at) = end {
            let before = &rest[..at];
            let quotes = before.matches('"').count() - before.matches("\\\"").count();
            if at == 0 || quotes.is_multiple_of(2) {
                break;
            }
            end = rest[at + 1..].find(';').map(|next| at + 1 + next);
        }
        let end = end.unwrap_or(rest.len());
        let field = &rest[..end];
        parts.push(match field.split_once('=') {
            Some((name, value)) => (
                lower(python_strip(name)),
                Cow::Borrowed(python_strip(value)),
            ),
            None => (Cow::Borrowed(python_strip(field)), Cow::Borrowed("")),
        });
        if end == rest.len() {
            return parts;
        }
        rest = &rest[end + 1..];
    }
}

/// `email.utils.rfc2231_continuation` (`^(?P<name>\w+)\*((?P<num>[0-9]+)\*?)?$`): the base
/// name of an RFC 2231 parameter.
fn rfc2231_base_name(name: &str) -> Option<&str> {
    let star = name.find('*')?;
    let (base, tail) = (&name[..star], &name[star + 1..]);
    // The regex is compiled with `re.ASCII`.
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    if base.is_empty() || !base.chars().all(word) {
        return None;
    }
    let digits = tail.trim_end_matches('*');
    let stars = tail.len() - digits.len();
    let valid = match (digits.is_empty(), stars) {
        (true, 0) => true,
        (false, 0 | 1) => digits.bytes().all(|b| b.is_ascii_digit()),
        _ => false,
    };
    valid.then_some(base)
}

/// `email.utils.unquote`: `"…"` loses its quotes (and `\\\\` / `\\"` their backslash), `<…>` its
/// brackets.
fn unquote(value: Cow<'_, str>) -> Cow<'_, str> {
    let text: &str = &value;
    if text.len() > 1 {
        if text.starts_with('"') && text.ends_with('"') {
            let inner = text[1..text.len() - 1]
                .replace("\\\\", "\\")
                .replace("\\\"", "\"");
            return Cow::Owned(inner);
        }
        if text.starts_with('<') && text.ends_with('>') {
            return Cow::Owned(text[1..text.len() - 1].to_owned());
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::MediaType;

    fn shape(text: &str) -> (String, String, Vec<String>, u8) {
        let parsed = MediaType::parse(text);
        let names = parsed
            .params
            .iter()
            .map(|(name, _)| name.to_string())
            .collect();
        let precedence = parsed.precedence();
        (
            parsed.main_type.into_owned(),
            parsed.sub_type.into_owned(),
            names,
            precedence,
        )
    }

    #[test]
    fn types_are_lower_cased_and_parameters_named_as_django_parses_them() {
        let none: Vec<String> = Vec::new();
        assert_eq!(
            shape(" Text/CSV "),
            ("text".into(), "csv".into(), none.clone(), 2)
        );
        assert_eq!(
            shape("text/csv;q=0.5"),
            ("text".into(), "csv".into(), vec!["q".into()], 2)
        );
        assert_eq!(
            shape("text/csv;Q=1").2,
            vec!["q"],
            "names before `=` are lower-cased"
        );
        assert_eq!(
            shape("text/csv;q=0;q=1").3,
            2,
            "a repeated q is one parameter"
        );
        assert_eq!(shape("text/csv;").3, 2, "an empty part is no parameter");
        assert_eq!(shape("text/csv;=x").3, 2, "nor is an empty name");
        assert_eq!(
            shape("text/csv;Flag").2,
            vec!["Flag"],
            "a bare name keeps its case"
        );
        assert_eq!(shape("text/*").3, 1);
        assert_eq!(shape("*/*;q=0.8").3, 0);
        assert_eq!(shape("csv"), ("csv".into(), "".into(), none, 2));
    }

    #[test]
    fn lower_is_pythons_str_lower_on_ascii_and_beyond() {
        use std::borrow::Cow;

        use super::lower;
        assert!(matches!(lower("text/csv"), Cow::Borrowed("text/csv")));
        assert_eq!(lower("Text/CSV"), "text/csv");
        // Values from Python 3.13's `str.lower()`.
        assert_eq!(lower("\u{c4}/\u{d6}"), "\u{e4}/\u{f6}");
        assert_eq!(lower("\u{130}"), "i\u{307}");
        assert!(matches!(lower("\u{e9}/x"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_quoted_semicolon_does_not_split() {
        let parsed = MediaType::parse("text/csv;foo=\"a;b\";bar=1");
        let params: Vec<(String, String)> = parsed
            .params
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect();
        assert_eq!(
            params,
            vec![("foo".into(), "a;b".into()), ("bar".into(), "1".into())]
        );
    }

    #[test]
    fn renderer_parameters_must_match_and_wildcards_match_either_side() {
        let renderer = MediaType::parse("application/json");
        assert!(renderer.matches(&MediaType::parse("application/*")));
        assert!(renderer.matches(&MediaType::parse("*/json")));
        assert!(!renderer.matches(&MediaType::parse("application/xml")));
        let with_version = MediaType::parse("application/json; version=2");
        assert!(!with_version.matches(&MediaType::parse("application/json")));
        assert!(with_version.matches(&MediaType::parse("application/json;version=2;q=1")));
    }
}
