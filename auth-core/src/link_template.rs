//! The link templates of account emails: djoser's `ACTIVATION_URL`, `PASSWORD_RESET_CONFIRM_URL`
//! and `USERNAME_RESET_CONFIRM_URL`, and dj-rest-auth's reset link (built here from a setting
//! rather than by reversing a URL, which crashes dj-rest-auth when the project has none).

use std::fmt;

/// A link template that cannot be used: the template and what is wrong, as Python's
/// `str.format` says it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LinkTemplateError(pub String);

/// The fields a link template may name: the email's context (`str.format(**context)`).
pub const LINK_FIELDS: &[&str] = &["uid", "token", "protocol", "domain", "site_name"];

/// The fields of an email-confirmation link (allauth's `account_confirm_email`): its `key`.
pub const CONFIRMATION_FIELDS: &[&str] = &["key", "protocol", "domain", "site_name"];

/// A link template (djoser's `"activate/{uid}/{token}"`, the reset link of dj-rest-auth's
/// allauth mode), read as Python's `str.format` reads it: `{name}` is a context value, `{{` and
/// `}}` are braces.
#[derive(Clone, PartialEq, Eq)]
pub struct LinkTemplate(Vec<LinkPart>);

#[derive(Clone, PartialEq, Eq)]
enum LinkPart {
    Text(String),
    Field(&'static str),
}

impl fmt::Debug for LinkTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = String::new();
        for part in &self.0 {
            match part {
                LinkPart::Text(literal) => {
                    text.push_str(&literal.replace('{', "{{").replace('}', "}}"))
                }
                LinkPart::Field(name) => {
                    text.push('{');
                    text.push_str(name);
                    text.push('}');
                }
            }
        }
        f.debug_tuple("LinkTemplate").field(&text).finish()
    }
}

impl LinkTemplate {
    /// Parses `template`.
    ///
    /// # Errors
    ///
    /// A lone brace, a format spec or conversion (`{uid!r}`, `{uid:>9}`), or a field the email's
    /// context lacks.
    pub fn parse(template: &str) -> Result<Self, LinkTemplateError> {
        Self::parse_with(template, LINK_FIELDS)
    }

    /// Parses `template`, whose fields are `fields` (such as [`CONFIRMATION_FIELDS`]).
    ///
    /// # Errors
    ///
    /// As [`parse`](Self::parse), for a field not in `fields`.
    pub fn parse_with(
        template: &str,
        fields: &'static [&'static str],
    ) -> Result<Self, LinkTemplateError> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut chars = template.chars().peekable();
        while let Some(character) = chars.next() {
            match character {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(inner) => name.push(inner),
                            None => {
                                return Err(LinkTemplateError(format!(
                                    "{template:?}: expected '}}' before end of string"
                                )));
                            }
                        }
                    }
                    let field = fields.iter().find(|field| **field == name).ok_or_else(|| {
                        let known: Vec<String> =
                            fields.iter().map(|field| format!("{{{field}}}")).collect();
                        LinkTemplateError(format!(
                            "{template:?}: {{{name}}} is none of {}",
                            known.join(", ")
                        ))
                    })?;
                    if !text.is_empty() {
                        parts.push(LinkPart::Text(std::mem::take(&mut text)));
                    }
                    parts.push(LinkPart::Field(field));
                }
                '}' => {
                    return Err(LinkTemplateError(format!(
                        "{template:?}: Single '}}' encountered in format string"
                    )));
                }
                other => text.push(other),
            }
        }
        if !text.is_empty() {
            parts.push(LinkPart::Text(text));
        }
        Ok(Self(parts))
    }

    /// A template of `text` alone, braces included, naming no value.
    pub fn literal(text: &str) -> Self {
        Self(vec![LinkPart::Text(text.to_owned())])
    }

    /// The link path for these values (`field` gives each named value).
    pub fn format(&self, field: impl Fn(&str) -> String) -> String {
        let mut out = String::new();
        for part in &self.0 {
            match part {
                LinkPart::Text(text) => out.push_str(text),
                LinkPart::Field(name) => out.push_str(&field(name)),
            }
        }
        out
    }
}
