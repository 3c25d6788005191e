//! DRF's `BasicAuthentication`.

use std::borrow::Cow;

use super::authorization_header::Fields;
use super::scheme::{AuthContext, Authenticated, Authentication, Outcome};
use super::security_scheme::{CredentialLocation, SecurityRequirement, SecurityScheme};
use crate::accounts;
use crate::compat::python::binascii::a2b_base64;
use crate::error::ApiError;
use crate::messages;
use crate::settings::Settings;
use crate::user::AuthInfo;

/// HTTP Basic authentication against `auth_user` with Django's password hashers.
///
/// CSRF-exempt; does not log the user in (no session, `last_login` untouched); upgrades an
/// outdated password hash on success. Challenge: `Basic realm="api"` (realm from the settings).
#[derive(Debug, Default, Clone, Copy)]
pub struct BasicAuthentication;

fn failed(message: &'static str) -> Outcome {
    Outcome::Failed(ApiError::authentication_failed(message))
}

/// Basic credentials as text: strict UTF-8 first, else Latin-1, which cannot fail (DRF 3.18
/// decodes them so), so `walterwhité:pässwörd` works in either client encoding.
///
/// Public only for `benches/authorization_header.rs`: not part of the API.
#[doc(hidden)]
pub fn credentials_text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(bytes.iter().map(|&byte| char::from(byte)).collect()),
    }
}

impl Authentication for BasicAuthentication {
    const NAME: &'static str = "BasicAuthentication";

    fn security_requirement(settings: &Settings, _method: &str) -> SecurityRequirement {
        vec![SecurityScheme {
            name: Self::NAME.into(),
            location: CredentialLocation::HttpBasic,
            description: format!(
                "A Django user name and password (realm `{}`).",
                settings.basic_realm
            )
            .into(),
        }]
    }

    async fn authenticate(cx: &AuthContext<'_>) -> Outcome {
        let header = cx.request.header("authorization").unwrap_or_default();
        let Some(fields) = Fields::parse(&header) else {
            return Outcome::NotAttempted;
        };
        if !fields.scheme_is("basic") {
            return Outcome::NotAttempted;
        }
        let Some(encoded) = fields.credentials else {
            return failed(messages::BASIC_NO_CREDENTIALS);
        };
        if fields.has_extra {
            return failed(messages::BASIC_CONTAINS_SPACES);
        }
        let Ok(decoded) = a2b_base64(encoded) else {
            return failed(messages::BASIC_NOT_BASE64);
        };
        let text = credentials_text(&decoded);
        let Some((username, password)) = text.split_once(':') else {
            return failed(messages::BASIC_NOT_BASE64);
        };
        match accounts::authenticate(cx.env, username, password).await {
            Err(error) => Outcome::Failed(error),
            Ok(None) => failed(messages::INVALID_USERNAME_PASSWORD),
            // Unreachable with the model backend (it refuses inactive users itself), kept for
            // backends that return them, as DRF does.
            Ok(Some(user)) if !user.is_active => failed(messages::USER_INACTIVE),
            Ok(Some(user)) => Outcome::Authenticated(Authenticated {
                user: user.into(),
                auth: AuthInfo::None,
            }),
        }
    }

    fn challenge(cx: &AuthContext<'_>) -> Option<String> {
        Some(format!("Basic realm=\"{}\"", cx.settings().basic_realm))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_credentials_fall_back_to_latin1() {
        let latin1 = b"walterwhit\xe9:p\xe4ssw\xf6rd";
        assert_eq!(credentials_text(latin1), "walterwhité:pässwörd");
        assert_eq!(
            credentials_text("walterwhité:pässwörd".as_bytes()),
            "walterwhité:pässwörd"
        );
    }
}
