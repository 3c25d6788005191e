//! `REST_AUTH`'s `JWT_AUTH_*` settings, and the cookies dj-rest-auth sets and deletes with them.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::django::http::cookie::{self, CookieSettings, SameSite};

/// dj-rest-auth's `JWT_AUTH_*` settings, with its defaults: no cookie at all until
/// `JWT_AUTH_COOKIE` / `JWT_AUTH_REFRESH_COOKIE` name one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwtCookieSettings {
    /// `JWT_AUTH_COOKIE`: the access token's cookie (none).
    pub access_cookie: Option<String>,
    /// `JWT_AUTH_REFRESH_COOKIE`: the refresh token's cookie (none).
    pub refresh_cookie: Option<String>,
    /// `JWT_AUTH_REFRESH_COOKIE_PATH` (`/`).
    pub refresh_cookie_path: String,
    /// `JWT_AUTH_SECURE` (false).
    pub secure: bool,
    /// `JWT_AUTH_HTTPONLY` (true): also blanks the refresh token in login bodies and removes it
    /// from refresh bodies, so that scripts never see it.
    pub http_only: bool,
    /// `JWT_AUTH_SAMESITE` (`Lax`).
    pub same_site: Option<SameSite>,
    /// `JWT_AUTH_COOKIE_DOMAIN` (none).
    pub domain: Option<String>,
    /// `JWT_AUTH_RETURN_EXPIRATION` (false).
    pub return_expiration: bool,
    /// `JWT_AUTH_COOKIE_USE_CSRF` (false): a request authenticated by the access cookie must
    /// pass Django's CSRF check, as a session's.
    pub use_csrf: bool,
    /// `JWT_AUTH_COOKIE_ENFORCE_CSRF_ON_UNAUTHENTICATED` (false): the check runs on every
    /// request without the header, cookie or not.
    pub enforce_csrf_on_unauthenticated: bool,
}

impl Default for JwtCookieSettings {
    fn default() -> Self {
        Self {
            access_cookie: None,
            refresh_cookie: None,
            refresh_cookie_path: "/".to_owned(),
            secure: false,
            http_only: true,
            same_site: Some(SameSite::Lax),
            domain: None,
            return_expiration: false,
            use_csrf: false,
            enforce_csrf_on_unauthenticated: false,
        }
    }
}

impl JwtCookieSettings {
    fn cookie(&self, name: &str, path: &str, lifetime: Duration) -> CookieSettings {
        CookieSettings {
            name: name.to_owned(),
            age: i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX),
            domain: self.domain.clone(),
            path: path.to_owned(),
            secure: self.secure,
            http_only: self.http_only,
            same_site: self.same_site,
        }
    }

    /// `set_jwt_access_cookie`: the access token for `ACCESS_TOKEN_LIFETIME` (Django's
    /// `set_cookie(expires=now + lifetime)` writes `Max-Age` as the lifetime); `None` without
    /// `JWT_AUTH_COOKIE`.
    pub fn access_cookie(
        &self,
        token: &str,
        lifetime: Duration,
        now: DateTime<Utc>,
    ) -> Option<String> {
        let name = self.access_cookie.as_deref()?;
        Some(cookie::set_cookie(
            &self.cookie(name, "/", lifetime),
            token,
            now,
        ))
    }

    /// `set_jwt_refresh_cookie`: the refresh token for `REFRESH_TOKEN_LIFETIME`, on
    /// `JWT_AUTH_REFRESH_COOKIE_PATH`; `None` without `JWT_AUTH_REFRESH_COOKIE`.
    pub fn refresh_cookie(
        &self,
        token: &str,
        lifetime: Duration,
        now: DateTime<Utc>,
    ) -> Option<String> {
        let name = self.refresh_cookie.as_deref()?;
        Some(cookie::set_cookie(
            &self.cookie(name, &self.refresh_cookie_path, lifetime),
            token,
            now,
        ))
    }

    /// `unset_jwt_cookies`: the deletions of both cookies that are configured.
    pub fn unset_cookies(&self) -> Vec<String> {
        let mut deletions = Vec::new();
        if let Some(name) = &self.access_cookie {
            deletions.push(cookie::delete_cookie(&self.cookie(
                name,
                "/",
                Duration::ZERO,
            )));
        }
        if let Some(name) = &self.refresh_cookie {
            deletions.push(cookie::delete_cookie(&self.cookie(
                name,
                &self.refresh_cookie_path,
                Duration::ZERO,
            )));
        }
        deletions
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    #[test]
    fn cookies_are_written_as_dj_rest_auth_writes_them() {
        let settings = JwtCookieSettings {
            access_cookie: Some("jwt-access".to_owned()),
            refresh_cookie: Some("jwt-refresh".to_owned()),
            refresh_cookie_path: "/api/auth/".to_owned(),
            ..JwtCookieSettings::default()
        };
        let now = Utc
            .with_ymd_and_hms(2026, 12, 6, 3, 32, 6)
            .single()
            .unwrap();
        assert_eq!(
            settings
                .access_cookie("a.b.c", Duration::from_secs(300), now)
                .unwrap(),
            "jwt-access=a.b.c; expires=Sun, 06 Dec 2026 03:37:06 GMT; HttpOnly; Max-Age=300; Path=/; SameSite=Lax"
        );
        assert_eq!(
            settings
                .refresh_cookie("r.s.t", Duration::from_secs(86_400), now)
                .unwrap(),
            "jwt-refresh=r.s.t; expires=Mon, 07 Dec 2026 03:32:06 GMT; HttpOnly; Max-Age=86400; Path=/api/auth/; SameSite=Lax"
        );
        assert_eq!(
            settings.unset_cookies(),
            [
                "jwt-access=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax",
                "jwt-refresh=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/api/auth/; SameSite=Lax",
            ]
        );
        assert_eq!(
            JwtCookieSettings::default().access_cookie("x", Duration::ZERO, now),
            None
        );
    }
}

/// A `REST_AUTH` that cannot be used, with what is wrong in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("REST_AUTH: {0}")]
pub struct JwtCookieSettingsError(String);

impl JwtCookieSettingsError {
    pub(super) fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

/// `REST_AUTH` names read elsewhere or not yet by this library: accepted and ignored here.
const OTHER_REST_AUTH_SETTINGS: [&str; 20] = [
    "USE_JWT",
    "SESSION_LOGIN",
    "TOKEN_MODEL",
    "TOKEN_CREATOR",
    "LOGIN_SERIALIZER",
    "TOKEN_SERIALIZER",
    "JWT_SERIALIZER",
    "JWT_SERIALIZER_WITH_EXPIRATION",
    "JWT_TOKEN_CLAIMS_SERIALIZER",
    "USER_DETAILS_SERIALIZER",
    "PASSWORD_RESET_SERIALIZER",
    "PASSWORD_RESET_CONFIRM_SERIALIZER",
    "PASSWORD_CHANGE_SERIALIZER",
    "REGISTER_SERIALIZER",
    "REGISTER_PERMISSION_CLASSES",
    "OLD_PASSWORD_FIELD_ENABLED",
    "LOGOUT_ON_PASSWORD_CHANGE",
    // This library's own (`RestAuthSettings`).
    "ALLAUTH",
    "PASSWORD_RESET_CONFIRM_URL",
    "EMAIL_CONFIRMATION_URL",
];

impl JwtCookieSettings {
    /// The `JWT_AUTH_*` members of `REST_AUTH` as a JSON object of dj-rest-auth's names, over its
    /// defaults. Other dj-rest-auth names are ignored here; an unknown name or a value of the
    /// wrong type is refused.
    pub fn from_rest_auth(value: &serde_json::Value) -> Result<Self, JwtCookieSettingsError> {
        use serde_json::Value;

        let fail = |message: String| JwtCookieSettingsError(message);
        let object = value
            .as_object()
            .ok_or_else(|| fail("must be a JSON object of setting names".to_owned()))?;
        let mut settings = Self::default();
        let boolean = |name: &str, value: &Value| {
            value
                .as_bool()
                .ok_or_else(|| fail(format!("{name} must be true or false")))
        };
        let text = |name: &str, value: &Value| match value {
            Value::Null => Ok(None),
            Value::String(text) => Ok(Some(text.clone())),
            _ => Err(fail(format!("{name} must be a string or null"))),
        };
        for (name, value) in object {
            match name.as_str() {
                "JWT_AUTH_COOKIE" => settings.access_cookie = text(name, value)?,
                "JWT_AUTH_REFRESH_COOKIE" => settings.refresh_cookie = text(name, value)?,
                "JWT_AUTH_REFRESH_COOKIE_PATH" => {
                    settings.refresh_cookie_path = text(name, value)?
                        .ok_or_else(|| fail(format!("{name} must be a string")))?;
                }
                "JWT_AUTH_SECURE" => settings.secure = boolean(name, value)?,
                "JWT_AUTH_HTTPONLY" => settings.http_only = boolean(name, value)?,
                "JWT_AUTH_SAMESITE" => {
                    settings.same_site = match text(name, value)?.as_deref() {
                        None => None,
                        Some("Lax") => Some(SameSite::Lax),
                        Some("Strict") => Some(SameSite::Strict),
                        Some("None") => Some(SameSite::None),
                        Some(other) => {
                            return Err(fail(format!(
                                "{name} {other:?} is not Lax, Strict or None"
                            )));
                        }
                    };
                }
                "JWT_AUTH_COOKIE_DOMAIN" => settings.domain = text(name, value)?,
                "JWT_AUTH_RETURN_EXPIRATION" => settings.return_expiration = boolean(name, value)?,
                "JWT_AUTH_COOKIE_USE_CSRF" => settings.use_csrf = boolean(name, value)?,
                "JWT_AUTH_COOKIE_ENFORCE_CSRF_ON_UNAUTHENTICATED" => {
                    settings.enforce_csrf_on_unauthenticated = boolean(name, value)?;
                }
                other if OTHER_REST_AUTH_SETTINGS.contains(&other) => {}
                unknown => return Err(fail(format!("unknown setting {unknown:?}"))),
            }
        }
        Ok(settings)
    }
}
