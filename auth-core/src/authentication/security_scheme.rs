//! How a scheme's credentials are described to API clients: the data behind OpenAPI's Security
//! Scheme Objects and each operation's security requirements (auth-actix's `openapi` feature turns
//! it into a document).
//!
//! DRF's own schema generator (`rest_framework.schemas.openapi.AutoSchema`, DRF 3.18) emits no
//! `security` at all; the descriptions here follow what each DRF scheme reads from the request,
//! so a generated client sends exactly what the scheme accepts.

use std::borrow::Cow;

use super::credential::Source;
use crate::django::csrf::is_safe_method;
use crate::django::http::meta::parse_header_name;
use crate::settings::Settings;

/// Where, and in which form, a client sends one credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialLocation {
    /// `Authorization: Basic <base64(user:password)>` (RFC 7617; OpenAPI `http`/`basic`).
    HttpBasic,
    /// `Authorization: Bearer <credential>` (RFC 6750; OpenAPI `http`/`bearer`).
    HttpBearer,
    /// A request header by name (OpenAPI `apiKey` in `header`). For `Authorization` with a
    /// keyword other than `Bearer`, the value is `<keyword> <credential>`, as the description
    /// says.
    Header(String),
    /// A cookie by name (OpenAPI `apiKey` in `cookie`).
    Cookie(String),
    /// A query-string parameter by name (OpenAPI `apiKey` in `query`).
    Query(String),
    /// An OAuth 2 access token in `Authorization: Bearer` from the provider whose token
    /// endpoint is `token_url` (OpenAPI `oauth2`; each operation's requirement lists the scopes
    /// its permissions need).
    OAuth2 {
        /// The provider's token endpoint.
        token_url: String,
        /// The provider's authorization endpoint (the authorization-code flow).
        authorization_url: String,
    },
}

/// One credential a scheme reads, named as it appears among a document's security schemes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The key of the scheme in the document (`components.securitySchemes`): the scheme's
    /// [`NAME`](crate::authentication::Authentication::NAME), with a suffix when the scheme
    /// reads more than one credential or is configured differently from the project's default.
    pub name: Cow<'static, str>,
    /// Where the credential goes.
    pub location: CredentialLocation,
    /// What the credential is, for people reading the document.
    pub description: Cow<'static, str>,
}

/// One way into an operation: the credentials of one scheme, all of them sent together (a
/// session cookie and, on unsafe methods, the CSRF cookie and header).
pub type SecurityRequirement = Vec<SecurityScheme>;

/// The characters OpenAPI allows in a component key (`^[a-zA-Z0-9.\-_]+$`); others become `_`.
fn component_key(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

impl SecurityScheme {
    /// A token in `Authorization: <keyword> <key>`, as DRF's `TokenAuthentication` (and knox)
    /// read it: `http`/`bearer` when the keyword is `Bearer` (the same header, the standard
    /// form, so clients fill it in), an `Authorization` header otherwise.
    pub fn authorization_keyword(
        name: impl Into<Cow<'static, str>>,
        keyword: &str,
        what: &str,
    ) -> Self {
        let (location, description) = if keyword.eq_ignore_ascii_case("bearer") {
            (
                CredentialLocation::HttpBearer,
                format!("{what}, sent as `Authorization: Bearer <{what}>`."),
            )
        } else {
            (
                CredentialLocation::Header("Authorization".to_owned()),
                format!(
                    "{what}, sent as `Authorization: {keyword} <{what}>` (the whole value goes in this header)."
                ),
            )
        };
        Self {
            name: component_key(&name.into()).into(),
            location,
            description: description.into(),
        }
    }

    /// The credential of a `#[derive(Authentication)]` field read from `source`; `scheme` is the
    /// scheme's name, `several` whether the scheme reads more than one credential (each then
    /// gets its own key, `<scheme>.<source name>`).
    pub fn of_source(
        scheme: &'static str,
        source: Source,
        several: bool,
        description: &str,
    ) -> Self {
        let (source_name, location) = match source {
            Source::Header(name) => (name, CredentialLocation::Header(name.to_owned())),
            Source::Cookie(name) => (name, CredentialLocation::Cookie(name.to_owned())),
            Source::Query(name) => (name, CredentialLocation::Query(name.to_owned())),
            Source::Keyword(keyword) => {
                let what = if description.is_empty() {
                    "credential"
                } else {
                    description
                };
                let mut scheme_doc = Self::authorization_keyword(scheme, keyword, what);
                if several {
                    scheme_doc.name = component_key(&format!("{scheme}.{keyword}")).into();
                }
                return scheme_doc;
            }
        };
        // A derived scheme's name is free text (`#[authentication(name = "…")]`).
        let name = if several {
            component_key(&format!("{scheme}.{source_name}"))
        } else {
            component_key(scheme)
        };
        let description = if description.is_empty() {
            format!("The {source}.")
        } else {
            description.to_owned()
        };
        Self {
            name: name.into(),
            location,
            description: description.into(),
        }
    }
}

/// `TokenAuthentication` with keyword `keyword`: named `TokenAuthentication` when the keyword is
/// the project's (`TokenAuthentication.keyword`), `TokenAuthentication.<keyword>` otherwise, so
/// that `Token` and `Bearer` views in one document get distinct schemes.
pub(crate) fn drf_token(settings: &Settings, name: &'static str, keyword: &str) -> SecurityScheme {
    let key: Cow<'static, str> = if keyword == settings.token_keyword {
        name.into()
    } else {
        component_key(&format!("{name}.{keyword}")).into()
    };
    SecurityScheme::authorization_keyword(key, keyword, "a DRF token key")
}

/// simplejwt's schemes: the access token in `Authorization: <first AUTH_HEADER_TYPES> <token>`
/// (`http`/`bearer` with `bearerFormat` left to the description, as DRF's spectacular extension
/// for simplejwt does), or in the header `AUTH_HEADER_NAME` names. `also` adds to the
/// description (the cookie of dj-rest-auth's scheme).
#[cfg(feature = "simplejwt")]
pub(crate) fn simplejwt(
    jwt: Option<&crate::simplejwt::SimpleJwtSettings>,
    name: &'static str,
    also: &str,
) -> SecurityScheme {
    let keyword = jwt
        .and_then(|jwt| jwt.auth_header_types.first())
        .map_or("Bearer", String::as_str);
    let header = jwt.map_or("authorization", |jwt| jwt.auth_header_name.as_str());
    let what = "a simplejwt access token (JWT)";
    let mut scheme = if header == "authorization" {
        SecurityScheme::authorization_keyword(name, keyword, what)
    } else {
        SecurityScheme {
            name: name.into(),
            location: CredentialLocation::Header(header.to_owned()),
            description: format!("{what}, sent as `{keyword} <token>`.").into(),
        }
    };
    if !also.is_empty() {
        scheme.description = format!("{} {also}", scheme.description).into();
    }
    scheme
}

/// Session authentication: the session cookie, and on unsafe methods the CSRF cookie and the
/// CSRF header that DRF's `enforce_csrf` checks (a form field would do too; the header is the
/// API form).
pub(crate) fn session(
    settings: &Settings,
    name: &'static str,
    method: &str,
) -> SecurityRequirement {
    let session_cookie = &settings.session_cookie.name;
    let mut requirement = vec![SecurityScheme {
        name: name.into(),
        location: CredentialLocation::Cookie(session_cookie.clone()),
        description: format!("Django's session cookie, set by a login (`{session_cookie}`).")
            .into(),
    }];
    if !is_safe_method(method) {
        let csrf_cookie = &settings.csrf_cookie.name;
        // With `CSRF_USE_SESSIONS` the secret is in the session: there is no CSRF cookie.
        let token = if settings.csrf_use_sessions {
            "a masked token of the session's CSRF secret, from the CSRF view".to_owned()
        } else {
            requirement.push(SecurityScheme {
                name: component_key(&format!("{name}.csrf-cookie")).into(),
                location: CredentialLocation::Cookie(csrf_cookie.clone()),
                description: format!(
                    "Django's CSRF cookie (`{csrf_cookie}`), needed on unsafe methods."
                )
                .into(),
            });
            format!("the `{csrf_cookie}` cookie's value, or a masked form of it")
        };
        if let Some(header) = parse_header_name(&settings.csrf_header_name) {
            requirement.push(SecurityScheme {
                name: component_key(&format!("{name}.csrf-header")).into(),
                location: CredentialLocation::Header(header.clone()),
                description: format!(
                    "The CSRF token ({token}) in `{header}`, needed on unsafe methods."
                )
                .into(),
            });
        }
    }
    requirement
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_valid_component_keys() {
        let scheme =
            SecurityScheme::of_source("Partner key (v2)", Source::Header("X-Key"), false, "");
        assert_eq!(scheme.name, "Partner_key__v2_");
        let token = SecurityScheme::authorization_keyword("My token", "Token", "a key");
        assert_eq!(token.name, "My_token");
        assert_eq!(
            component_key("TokenAuthentication.Bearer"),
            "TokenAuthentication.Bearer"
        );
    }
}
