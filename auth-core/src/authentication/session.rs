//! DRF's `SessionAuthentication` and the CSRF enforcement it performs (`enforce_csrf`).

use super::scheme::{AuthContext, Authenticated, Authentication, Outcome};
use super::security_scheme::{self, SecurityRequirement};
use crate::csrf_secret;
use crate::django::csrf::{self, CsrfConfig, CsrfRequest, Reason};
use crate::django::http::meta::header_name_to_http;
use crate::environment::Environment;
use crate::error::ApiError;
use crate::login::get_user;
use crate::request::RequestView;
use crate::settings::Settings;
use crate::user::AuthInfo;

/// Django's session (the `sessionid` cookie and the `django_session` row) identifies the user;
/// every unsafe method of such a user then passes Django's CSRF check, whose failure is a 403
/// `CSRF Failed: <reason>` whatever the scheme order. No session user → not attempted, and no
/// CSRF check. No challenge: when first in the list, authentication errors are 403.
#[derive(Debug, Default, Clone, Copy)]
pub struct SessionAuthentication;

impl Authentication for SessionAuthentication {
    const NAME: &'static str = "SessionAuthentication";

    async fn authenticate(cx: &AuthContext<'_>) -> Outcome {
        let user = match get_user(cx.env, cx.request, cx.effects).await {
            Ok(Some(user)) => user,
            Ok(None) => return Outcome::NotAttempted,
            Err(error) => return Outcome::Failed(error),
        };
        // Only now, with a session user whose POST must carry a CSRF token, is the body read
        // (for `csrfmiddlewaretoken`).
        if cx.request.method() == "POST" {
            cx.request.read_form().await;
        }
        if let Err(error) = enforce_csrf(cx.env, cx.request).await {
            return Outcome::Failed(error);
        }
        Outcome::Authenticated(Authenticated {
            user: user.into(),
            auth: AuthInfo::None,
        })
    }

    fn security_requirement(settings: &Settings, method: &str) -> SecurityRequirement {
        security_scheme::session(settings, Self::NAME, method)
    }
}

/// The CSRF settings in the check's terms.
pub fn csrf_config(settings: &Settings) -> CsrfConfig {
    CsrfConfig {
        trusted_origins: settings.csrf_trusted_origins.clone(),
        allowed_hosts: settings.allowed_hosts.clone(),
        // Django: `SESSION_COOKIE_DOMAIN` when the secret lives in the session.
        cookie_domain: if settings.csrf_use_sessions {
            settings.session_cookie.domain.clone()
        } else {
            settings.csrf_cookie.domain.clone()
        },
        header_name: settings.csrf_header_name.clone(),
    }
}

/// Django's `CsrfViewMiddleware` check as DRF runs it, with the reason turned into
/// `403 {"detail":"CSRF Failed: <reason>"}`.
///
/// The secret is the CSRF cookie's, or with `CSRF_USE_SESSIONS` the session's
/// ([`csrf_secret::stored`]). The form field `csrfmiddlewaretoken` is read only for `POST` form or multipart bodies; a body
/// the view's parsers reject surfaces (400/415) when the check reaches the token, as in DRF.
pub async fn enforce_csrf(env: &Environment, request: &dyn RequestView) -> Result<(), ApiError> {
    // `csrf::check` passes a safe method before looking at anything else; answering here spares
    // every session GET the copies of the settings and the header and cookie reads (a tenth of
    // a cached session request's instructions), and the session read of `CSRF_USE_SESSIONS`.
    if csrf::is_safe_method(request.method()) {
        return Ok(());
    }
    let stored = csrf_secret::stored(env, request).await?;
    check_csrf(request, env.settings(), stored.as_deref())
}

/// [`enforce_csrf`] of an unsafe request, given the stored secret ([`csrf_secret::stored`]).
fn check_csrf(
    request: &dyn RequestView,
    settings: &Settings,
    stored: Option<&str>,
) -> Result<(), ApiError> {
    let config = csrf_config(settings);
    let header_name = header_name_to_http(&config.header_name);
    let origin = request.meta("origin");
    let referer = request.meta("referer");
    let header_token = header_name.as_deref().and_then(|name| request.meta(name));
    let form = if request.method() == "POST" {
        request.post_field("csrfmiddlewaretoken")
    } else {
        Ok(None)
    };
    let (form_token, parse_error) = match form {
        Ok(token) => (token, None),
        Err(error) => (None, Some(error)),
    };
    let input = CsrfRequest {
        method: request.method(),
        origin: origin.as_deref(),
        referer: referer.as_deref(),
        host: request.host(),
        is_secure: request.is_secure(),
        server_port: request.server_port(),
        cookie: stored,
        form_token: form_token.as_deref(),
        header_token: header_token.as_deref(),
    };
    match csrf::check(&input, &config) {
        Ok(()) => match parse_error {
            Some(error) => Err(error),
            None => Ok(()),
        },
        Err(reason) => {
            // DRF reads the body between the cookie check and the token check: a body the
            // parsers reject wins over a token failure, not over an origin or cookie failure.
            let token_step = matches!(
                reason,
                Reason::TokenMissing | Reason::BadToken { .. } | Reason::IncorrectToken { .. }
            );
            if let (Some(error), true) = (parse_error, token_step) {
                return Err(error);
            }
            Err(ApiError::permission_denied(format!(
                "{}{reason}",
                csrf::DRF_FAILURE_PREFIX
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_referer_check_names_the_cookie_that_holds_the_secret() {
        let mut settings = Settings::default();
        settings.csrf_cookie.domain = Some(".csrf.example.com".to_owned());
        settings.session_cookie.domain = Some(".example.com".to_owned());
        assert_eq!(
            csrf_config(&settings).cookie_domain.as_deref(),
            Some(".csrf.example.com")
        );
        // Django: SESSION_COOKIE_DOMAIN when the secret lives in the session.
        settings.csrf_use_sessions = true;
        assert_eq!(
            csrf_config(&settings).cookie_domain.as_deref(),
            Some(".example.com")
        );
    }
}
