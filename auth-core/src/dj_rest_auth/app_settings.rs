//! dj-rest-auth's `app_settings.py`: the `REST_AUTH` members that choose what its login and
//! logout views do (the `JWT_AUTH_*` cookie members are [`JwtCookieSettings`](super::JwtCookieSettings)).

use super::jwt_cookies::JwtCookieSettingsError;
use crate::link_template::{CONFIRMATION_FIELDS, LinkTemplate};

/// [`RestAuthSettings::password_reset_confirm_url`]'s default with allauth: the link dj-rest-auth
/// builds by reversing a project's `password_reset_confirm` URL of pattern
/// `password-reset/confirm/<uidb36>-<key>/` (the URL allauth's own views use).
pub const ALLAUTH_PASSWORD_RESET_CONFIRM_URL: &str =
    "{protocol}://{domain}/password-reset/confirm/{uid}-{token}/";

/// [`RestAuthSettings::password_reset_confirm_url`]'s default without allauth: the link of
/// Django's reset email template for `django.contrib.auth.urls`' `password_reset_confirm`
/// (`reset/<uidb64>/<token>/`).
pub const DJANGO_PASSWORD_RESET_CONFIRM_URL: &str = "{protocol}://{domain}/reset/{uid}/{token}/";

/// [`RestAuthSettings::email_confirmation_url`]'s default: the `account_confirm_email` URL of
/// dj-rest-auth's `registration/urls.py` mounted, as its documentation does, under
/// `dj-rest-auth/registration/`.
pub const EMAIL_CONFIRMATION_URL: &str =
    "{protocol}://{domain}/dj-rest-auth/registration/account-confirm-email/{key}/";

/// `REST_AUTH`'s mode settings, with dj-rest-auth's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestAuthSettings {
    /// `USE_JWT` (false): login answers simplejwt's pair and sets the JWT cookies instead of a
    /// DRF token; logout blacklists the refresh token and deletes the cookies.
    pub use_jwt: bool,
    /// `SESSION_LOGIN` (true): login also logs the user in to Django's session (a `sessionid`
    /// cookie, the CSRF secret rotated, `last_login`), and logout flushes it.
    pub session_login: bool,
    /// `OLD_PASSWORD_FIELD_ENABLED` (false): `password/change/` also wants `old_password`, the
    /// user's current password.
    pub old_password_field_enabled: bool,
    /// `LOGOUT_ON_PASSWORD_CHANGE` (false): `password/change/` does not carry the session over to
    /// the new password (Django's `update_session_auth_hash`), so the session that changed it is
    /// logged out.
    pub logout_on_password_change: bool,
    /// `ALLAUTH` (false), this library's name for `'allauth' in INSTALLED_APPS`, which switches
    /// dj-rest-auth's views to django-allauth's flows: login by username only (allauth's
    /// default `ACCOUNT_LOGIN_METHODS`), and `password/reset/` through allauth's form (base36
    /// uids, its email-aware token, its emails, `account_emailaddress` rows).
    pub allauth: bool,
    /// `PASSWORD_RESET_CONFIRM_URL` (this library's): the link of the reset email, a
    /// `str.format` template of `{protocol}`, `{domain}`, `{site_name}`, `{uid}` and `{token}`;
    /// `None`, [`ALLAUTH_PASSWORD_RESET_CONFIRM_URL`] or [`DJANGO_PASSWORD_RESET_CONFIRM_URL`]
    /// as `allauth` says ([`Self::password_reset_link`]). dj-rest-auth reverses the project's
    /// URL named `password_reset_confirm` instead, and answers 500 when there is none.
    pub password_reset_confirm_url: Option<LinkTemplate>,
    /// `EMAIL_CONFIRMATION_URL` (this library's; default [`EMAIL_CONFIRMATION_URL`]): the link of
    /// allauth's email-confirmation email, a `str.format` template of `{protocol}`, `{domain}`,
    /// `{site_name}` and `{key}`. allauth reverses `account_confirm_email` instead.
    pub email_confirmation_url: LinkTemplate,
}

impl Default for RestAuthSettings {
    fn default() -> Self {
        Self {
            use_jwt: false,
            session_login: true,
            old_password_field_enabled: false,
            logout_on_password_change: false,
            allauth: false,
            password_reset_confirm_url: None,
            // The constant parses (a test says so); the fallback is never taken.
            email_confirmation_url: LinkTemplate::parse_with(
                EMAIL_CONFIRMATION_URL,
                CONFIRMATION_FIELDS,
            )
            .unwrap_or_else(|_| LinkTemplate::literal(EMAIL_CONFIRMATION_URL)),
        }
    }
}

impl RestAuthSettings {
    /// The reset email's link: `PASSWORD_RESET_CONFIRM_URL`, else the mode's default.
    pub fn password_reset_link(&self) -> LinkTemplate {
        if let Some(link) = &self.password_reset_confirm_url {
            return link.clone();
        }
        let default = if self.allauth {
            ALLAUTH_PASSWORD_RESET_CONFIRM_URL
        } else {
            DJANGO_PASSWORD_RESET_CONFIRM_URL
        };
        // Both constants parse (a test says so); the fallback is never taken.
        LinkTemplate::parse(default).unwrap_or_else(|_| LinkTemplate::literal(default))
    }
}

impl RestAuthSettings {
    /// `USE_JWT`, `SESSION_LOGIN`, `OLD_PASSWORD_FIELD_ENABLED`, `LOGOUT_ON_PASSWORD_CHANGE`,
    /// `ALLAUTH`, `PASSWORD_RESET_CONFIRM_URL` and `EMAIL_CONFIRMATION_URL` of `REST_AUTH` as a
    /// JSON object of these names,
    /// over its defaults; the other names are [`JwtCookieSettings::from_rest_auth`]'s to read
    /// and check.
    ///
    /// [`JwtCookieSettings::from_rest_auth`]: super::JwtCookieSettings::from_rest_auth
    pub fn from_rest_auth(value: &serde_json::Value) -> Result<Self, JwtCookieSettingsError> {
        let mut settings = Self::default();
        let Some(object) = value.as_object() else {
            return Err(JwtCookieSettingsError::new(
                "must be a JSON object of setting names",
            ));
        };
        for (name, value) in object {
            if name == "EMAIL_CONFIRMATION_URL" {
                let text = value.as_str().ok_or_else(|| {
                    JwtCookieSettingsError::new(format!("{name} must be a string"))
                })?;
                settings.email_confirmation_url =
                    LinkTemplate::parse_with(text, CONFIRMATION_FIELDS)
                        .map_err(|error| JwtCookieSettingsError::new(format!("{name}: {error}")))?;
                continue;
            }
            if name == "PASSWORD_RESET_CONFIRM_URL" {
                let text = value.as_str().ok_or_else(|| {
                    JwtCookieSettingsError::new(format!("{name} must be a string"))
                })?;
                settings.password_reset_confirm_url =
                    Some(LinkTemplate::parse(text).map_err(|error| {
                        JwtCookieSettingsError::new(format!("{name}: {error}"))
                    })?);
                continue;
            }
            let slot = match name.as_str() {
                "USE_JWT" => &mut settings.use_jwt,
                "SESSION_LOGIN" => &mut settings.session_login,
                "OLD_PASSWORD_FIELD_ENABLED" => &mut settings.old_password_field_enabled,
                "LOGOUT_ON_PASSWORD_CHANGE" => &mut settings.logout_on_password_change,
                "ALLAUTH" => &mut settings.allauth,
                _ => continue,
            };
            *slot = value.as_bool().ok_or_else(|| {
                JwtCookieSettingsError::new(format!("{name} must be true or false"))
            })?;
        }
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_are_read_by_dj_rest_auths_names() {
        let read = |json: &str| {
            RestAuthSettings::from_rest_auth(&serde_json::from_str(json).unwrap_or_default())
        };
        assert_eq!(read("{}"), Ok(RestAuthSettings::default()));
        assert_eq!(
            read(
                r#"{"USE_JWT": true, "SESSION_LOGIN": false, "JWT_AUTH_COOKIE": "a", "OLD_PASSWORD_FIELD_ENABLED": true}"#
            ),
            Ok(RestAuthSettings {
                use_jwt: true,
                session_login: false,
                old_password_field_enabled: true,
                ..RestAuthSettings::default()
            })
        );
        assert!(read(r#"{"USE_JWT": "yes"}"#).is_err());
        let custom = read(
            r#"{"ALLAUTH": true, "PASSWORD_RESET_CONFIRM_URL": "https://app/r/{uid}/{token}"}"#,
        )
        .expect("read");
        assert!(custom.allauth);
        assert_eq!(
            custom
                .password_reset_link()
                .format(|name| name.to_uppercase()),
            "https://app/r/UID/TOKEN"
        );
        assert!(read(r#"{"PASSWORD_RESET_CONFIRM_URL": "/r/{pk}/"}"#).is_err());
        let defaults = |allauth| {
            RestAuthSettings {
                allauth,
                ..RestAuthSettings::default()
            }
            .password_reset_link()
            .format(|name| name.to_owned())
        };
        assert_eq!(
            defaults(true),
            "protocol://domain/password-reset/confirm/uid-token/"
        );
        assert_eq!(defaults(false), "protocol://domain/reset/uid/token/");
        assert_eq!(
            RestAuthSettings::default()
                .email_confirmation_url
                .format(|name| name.to_owned()),
            "protocol://domain/dj-rest-auth/registration/account-confirm-email/key/"
        );
        assert!(read(r#"{"EMAIL_CONFIRMATION_URL": "/confirm/{token}/"}"#).is_err());
    }
}
