//! dj-rest-auth's `JWTCookieAuthentication` (`dj_rest_auth/jwt_auth.py`, 7.2.0): simplejwt's
//! `JWTAuthentication` that also reads the access token from the `JWT_AUTH_COOKIE` cookie.

use super::jwt::{RawToken, challenge, database_user, raw_token, simple_jwt, validate};
use super::scheme::{AuthContext, Authentication, Outcome};
use super::security_scheme::{self, SecurityRequirement};
use super::session::enforce_csrf;
use crate::settings::Settings;

/// dj-rest-auth's `JWTCookieAuthentication`. The `Authorization` header wins: when it is
/// present the cookie is not read, even when the header names another scheme (then the scheme
/// is not attempted). Without the header, the `JWT_AUTH_COOKIE` cookie holds the token; with
/// `JWT_AUTH_COOKIE_USE_CSRF` a request that sends the cookie must pass Django's CSRF check
/// (`403 CSRF Failed: <reason>`), and with `JWT_AUTH_COOKIE_ENFORCE_CSRF_ON_UNAUTHENTICATED`
/// every request without the header must. The user is then read as `JWTAuthentication` reads
/// it. Challenge: `Bearer realm="api"`.
#[derive(Debug, Default, Clone, Copy)]
pub struct JwtCookieAuthentication;

impl Authentication for JwtCookieAuthentication {
    const NAME: &'static str = "JWTCookieAuthentication";

    fn security_requirement(settings: &Settings, _method: &str) -> SecurityRequirement {
        let jwt = simple_jwt(settings).ok();
        let also = match &settings.jwt_cookies.access_cookie {
            Some(cookie) => format!(
                "Without the header, the `{cookie}` cookie holds it (dj-rest-auth's cookie mode)."
            ),
            None => String::new(),
        };
        vec![security_scheme::simplejwt(
            jwt.as_deref(),
            Self::NAME,
            &also,
        )]
    }

    fn challenge(cx: &AuthContext<'_>) -> Option<String> {
        challenge(cx)
    }

    async fn authenticate(cx: &AuthContext<'_>) -> Outcome {
        let settings = match simple_jwt(cx.settings()) {
            Ok(settings) => settings,
            Err(error) => return Outcome::Failed(error),
        };
        let cookies = &cx.settings().jwt_cookies;
        let text = match raw_token(cx, &settings) {
            RawToken::Found(text) => text,
            RawToken::Malformed(refusal) => return refusal,
            RawToken::OtherScheme => return Outcome::NotAttempted,
            RawToken::Absent => {
                let Some(name) = cookies.access_cookie.as_deref() else {
                    return Outcome::NotAttempted;
                };
                let cookie = cx.request.cookie(name).map(|value| value.into_owned());
                if cookies.enforce_csrf_on_unauthenticated || (cookie.is_some() && cookies.use_csrf)
                {
                    if cx.request.method() == "POST" {
                        cx.request.read_form().await;
                    }
                    if let Err(error) = enforce_csrf(cx.env, cx.request).await {
                        return Outcome::Failed(error);
                    }
                }
                match cookie {
                    Some(text) => text,
                    None => return Outcome::NotAttempted,
                }
            }
        };
        let accepted = match validate(cx, &settings, text).await {
            Ok(accepted) => accepted,
            Err(refusal) => return refusal,
        };
        database_user(
            cx,
            &settings,
            accepted.kind,
            accepted.payload,
            &accepted.text,
        )
        .await
    }
}
