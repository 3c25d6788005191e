//! dj-rest-auth's `app_settings.py`: the `REST_AUTH` members that choose what its login and
//! logout views do (the `JWT_AUTH_*` cookie members are [`JwtCookieSettings`](super::JwtCookieSettings)).

use super::jwt_cookies::JwtCookieSettingsError;

/// `REST_AUTH`'s mode settings, with dj-rest-auth's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

impl Default for RestAuthSettings {
    fn default() -> Self {
        Self {
            use_jwt: false,
            session_login: true,
            old_password_field_enabled: false,
            logout_on_password_change: false,
        }
    }
}

impl RestAuthSettings {
    /// `USE_JWT`, `SESSION_LOGIN`, `OLD_PASSWORD_FIELD_ENABLED` and `LOGOUT_ON_PASSWORD_CHANGE`
    /// of `REST_AUTH` as a JSON object of dj-rest-auth's names,
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
            let slot = match name.as_str() {
                "USE_JWT" => &mut settings.use_jwt,
                "SESSION_LOGIN" => &mut settings.session_login,
                "OLD_PASSWORD_FIELD_ENABLED" => &mut settings.old_password_field_enabled,
                "LOGOUT_ON_PASSWORD_CHANGE" => &mut settings.logout_on_password_change,
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
                logout_on_password_change: false,
            })
        );
        assert!(read(r#"{"USE_JWT": "yes"}"#).is_err());
    }
}
