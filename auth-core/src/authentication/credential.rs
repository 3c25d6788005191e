//! Reading one credential from a request, for schemes declared with `#[derive(Authentication)]`
//! (DRF's custom `BaseAuthentication` subclasses, which read `request.META`, cookies or the
//! query string themselves).

use std::borrow::Cow;
use std::str::FromStr;

use super::authorization_header::Fields;
use crate::error::ApiError;
use crate::messages;
use crate::request::RequestView;

/// Where a credential comes from; its `Display` names it in error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A request header, by name.
    Header(&'static str),
    /// A cookie, by name.
    Cookie(&'static str),
    /// A query-string parameter, by name.
    Query(&'static str),
    /// `Authorization: <keyword> <credential>`.
    Keyword(&'static str),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Header(name) => write!(f, "{name} header"),
            Self::Cookie(name) => write!(f, "{name} cookie"),
            Self::Query(name) => write!(f, "{name} query parameter"),
            Self::Keyword(keyword) => write!(f, "{keyword} header"),
        }
    }
}

/// One credential as found in the request. `Debug` never shows the credential.
pub enum Found<'a> {
    /// Not in the request: the scheme does not attempt.
    Absent,
    /// Present, as text.
    Present(Cow<'a, str>),
    /// Present but malformed before parsing (not UTF-8, a keyword without credentials, …).
    Invalid(ApiError),
}

impl std::fmt::Debug for Found<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Absent => f.write_str("Absent"),
            Self::Present(_) => f.write_str("Present(<redacted>)"),
            Self::Invalid(error) => f.debug_tuple("Invalid").field(error).finish(),
        }
    }
}

impl Found<'_> {
    /// Whether the credential is not in the request.
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }
}

impl Source {
    /// Looks the credential up. An empty header, cookie or parameter counts as absent, as an
    /// empty `request.META` value does for DRF's own schemes.
    pub fn find<'a>(&self, request: &'a dyn RequestView) -> Found<'a> {
        match *self {
            Self::Header(name) => match request.header(name) {
                None => Found::Absent,
                Some(bytes) if bytes.is_empty() => Found::Absent,
                Some(Cow::Borrowed(bytes)) => match std::str::from_utf8(bytes) {
                    Ok(text) => Found::Present(Cow::Borrowed(text)),
                    Err(_) => Found::Invalid(self.invalid()),
                },
                Some(Cow::Owned(bytes)) => match String::from_utf8(bytes) {
                    Ok(text) => Found::Present(Cow::Owned(text)),
                    Err(_) => Found::Invalid(self.invalid()),
                },
            },
            Self::Cookie(name) => match request.cookie(name) {
                Some(value) if !value.is_empty() => Found::Present(value),
                _ => Found::Absent,
            },
            Self::Query(name) => form_urlencoded::parse(request.query_string().as_bytes())
                .find(|(key, _)| key == name)
                .filter(|(_, value)| !value.is_empty())
                .map_or(Found::Absent, |(_, value)| {
                    Found::Present(Cow::Owned(value.into_owned()))
                }),
            Self::Keyword(keyword) => {
                let header = request.header("authorization").unwrap_or_default();
                match Fields::parse(&header) {
                    Some(fields) if fields.scheme_is(keyword) => match fields.credentials {
                        None => Found::Invalid(ApiError::authentication_failed(format!(
                            "Invalid {keyword} header. No credentials provided."
                        ))),
                        Some(_) if fields.has_extra => {
                            Found::Invalid(ApiError::authentication_failed(format!(
                                "Invalid {keyword} header. Credentials string should not contain spaces."
                            )))
                        }
                        Some(credentials) => match std::str::from_utf8(credentials) {
                            Ok(text) => Found::Present(Cow::Owned(text.to_owned())),
                            Err(_) => Found::Invalid(self.invalid()),
                        },
                    },
                    _ => Found::Absent,
                }
            }
        }
    }

    /// `Invalid <credential>.`
    pub fn invalid(&self) -> ApiError {
        ApiError::authentication_failed(
            messages::CREDENTIAL_INVALID.replace("{credential}", &self.to_string()),
        )
    }

    /// `Missing <credential>.`
    pub fn missing(&self) -> ApiError {
        ApiError::authentication_failed(
            messages::CREDENTIAL_MISSING.replace("{credential}", &self.to_string()),
        )
    }

    /// Parses a present credential with `FromStr`; a parse failure is `Invalid <credential>.`
    pub fn parse<T: FromStr>(&self, text: &str) -> Result<T, ApiError> {
        text.parse().map_err(|_| self.invalid())
    }
}
