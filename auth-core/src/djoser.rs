//! djoser 2.3.5's `DJOSER` settings and `constants.Messages`: what its account views send, check
//! and answer. The views are `auth_actix::views::djoser_endpoints`.
//!
//! The settings are djoser's names and defaults (`conf.py`); the three link templates
//! (`ACTIVATION_URL`, `PASSWORD_RESET_CONFIRM_URL`, `USERNAME_RESET_CONFIRM_URL`) are checked at
//! start-up, where djoser fails on the first email it sends (a `KeyError` for an unknown
//! `{field}`, 500).

pub use crate::link_template::LinkTemplate;

/// `Messages.INVALID_CREDENTIALS_ERROR`.
pub const INVALID_CREDENTIALS_ERROR: &str = "Unable to log in with provided credentials.";
/// `Messages.INVALID_TOKEN_ERROR`.
pub const INVALID_TOKEN_ERROR: &str = "Invalid token for given user.";
/// `Messages.INVALID_UID_ERROR`.
pub const INVALID_UID_ERROR: &str = "Invalid user id or user doesn't exist.";
/// `Messages.STALE_TOKEN_ERROR` (activation of an active user: 403).
pub const STALE_TOKEN_ERROR: &str = "Stale token for given user.";
/// `Messages.PASSWORD_MISMATCH_ERROR`.
pub const PASSWORD_MISMATCH_ERROR: &str = "The two password fields didn't match.";
/// `Messages.INVALID_PASSWORD_ERROR`.
pub const INVALID_PASSWORD_ERROR: &str = "Invalid password.";
/// `Messages.CANNOT_CREATE_USER_ERROR`.
pub const CANNOT_CREATE_USER_ERROR: &str = "Unable to create account.";
/// `Messages.EMAIL_NOT_FOUND` (with `PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND`).
pub const EMAIL_NOT_FOUND: &str = "User with given email does not exist.";
/// `USERNAME_MISMATCH_ERROR`, formatted with `LOGIN_FIELD` (the model's `USERNAME_FIELD` here).
pub const USERNAME_MISMATCH_ERROR: &str = "The two {0} fields didn't match.";

/// A `DJOSER` value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("DJOSER: {0}")]
pub struct DjoserSettingsError(pub String);

/// djoser's `DJOSER` settings that its account views read, with its defaults (every flag off,
/// no link template).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DjoserSettings {
    /// `SEND_ACTIVATION_EMAIL` (false): new users are inactive until they follow the link.
    pub send_activation_email: bool,
    /// `SEND_CONFIRMATION_EMAIL` (false): an email once an account is created or activated.
    pub send_confirmation_email: bool,
    /// `SET_PASSWORD_RETYPE` (false): `set_password/` also wants `re_new_password`.
    pub set_password_retype: bool,
    /// `PASSWORD_RESET_CONFIRM_RETYPE` (false): `reset_password_confirm/` also wants
    /// `re_new_password`.
    pub password_reset_confirm_retype: bool,
    /// `PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND` (false): an unknown email is a 400 — which tells
    /// anyone which addresses have accounts.
    pub password_reset_show_email_not_found: bool,
    /// `PASSWORD_CHANGED_EMAIL_CONFIRMATION` (false): an email after a password change or reset.
    pub password_changed_email_confirmation: bool,
    /// `SET_USERNAME_RETYPE` (false): `set_username/` also wants `re_new_username`.
    pub set_username_retype: bool,
    /// `USERNAME_RESET_CONFIRM_RETYPE` (false): `reset_username_confirm/` also wants
    /// `re_new_username`.
    pub username_reset_confirm_retype: bool,
    /// `USERNAME_RESET_SHOW_EMAIL_NOT_FOUND` (false): as `PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND`;
    /// djoser's `get_user` reads either flag, so each turns it on for every view that looks a
    /// user up by email (see [`DjoserSettings::show_email_not_found`]).
    pub username_reset_show_email_not_found: bool,
    /// `USERNAME_CHANGED_EMAIL_CONFIRMATION` (false): an email after a username change or reset.
    pub username_changed_email_confirmation: bool,
    /// `LOGOUT_ON_PASSWORD_CHANGE` (false): `set_password/` deletes the user's tokens.
    pub logout_on_password_change: bool,
    /// `EMAIL_FRONTEND_PROTOCOL` (none: the request's).
    pub email_frontend_protocol: Option<String>,
    /// `EMAIL_FRONTEND_DOMAIN` (none: the request's host).
    pub email_frontend_domain: Option<String>,
    /// `EMAIL_FRONTEND_SITE_NAME` (none: the request's host).
    pub email_frontend_site_name: Option<String>,
    /// `ACTIVATION_URL` (required when activation emails are sent).
    pub activation_url: Option<LinkTemplate>,
    /// `PASSWORD_RESET_CONFIRM_URL` (required by `reset_password/`).
    pub password_reset_confirm_url: Option<LinkTemplate>,
    /// `USERNAME_RESET_CONFIRM_URL` (required by `reset_username/`).
    pub username_reset_confirm_url: Option<LinkTemplate>,
}

impl DjoserSettings {
    /// Whether an email without an account is a 400 (`UserFunctionsMixin.get_user`:
    /// `PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND or USERNAME_RESET_SHOW_EMAIL_NOT_FOUND`, for the
    /// password reset, the username reset and the activation resend alike).
    #[must_use]
    pub fn show_email_not_found(&self) -> bool {
        self.password_reset_show_email_not_found || self.username_reset_show_email_not_found
    }

    /// `DJOSER` as a JSON object of djoser's names, over its defaults. Names this library does
    /// not read (`SERIALIZERS`, `PERMISSIONS`, `EMAIL`, …) are refused rather than ignored, so a
    /// deployment never runs with a setting it believes applies.
    ///
    /// # Errors
    ///
    /// Not an object, a value of the wrong type, an unknown name, a bad link template, or
    /// activation emails without `ACTIVATION_URL`.
    pub fn from_djoser(value: &serde_json::Value) -> Result<Self, DjoserSettingsError> {
        let mut settings = Self::default();
        let object = value.as_object().ok_or_else(|| {
            DjoserSettingsError("must be a JSON object of setting names".to_owned())
        })?;
        for (name, value) in object {
            let flag = |value: &serde_json::Value| {
                value
                    .as_bool()
                    .ok_or_else(|| DjoserSettingsError(format!("{name} must be true or false")))
            };
            let text = |value: &serde_json::Value| match value {
                serde_json::Value::Null => Ok(None),
                serde_json::Value::String(text) => Ok(Some(text.clone())),
                _ => Err(DjoserSettingsError(format!(
                    "{name} must be a string or null"
                ))),
            };
            let link = |value: &serde_json::Value| {
                text(value)?
                    .map(|text| {
                        LinkTemplate::parse(&text).map_err(|error| DjoserSettingsError(error.0))
                    })
                    .transpose()
            };
            match name.as_str() {
                "SEND_ACTIVATION_EMAIL" => settings.send_activation_email = flag(value)?,
                "SEND_CONFIRMATION_EMAIL" => settings.send_confirmation_email = flag(value)?,
                "SET_PASSWORD_RETYPE" => settings.set_password_retype = flag(value)?,
                "PASSWORD_RESET_CONFIRM_RETYPE" => {
                    settings.password_reset_confirm_retype = flag(value)?;
                }
                "PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND" => {
                    settings.password_reset_show_email_not_found = flag(value)?;
                }
                "PASSWORD_CHANGED_EMAIL_CONFIRMATION" => {
                    settings.password_changed_email_confirmation = flag(value)?;
                }
                "LOGOUT_ON_PASSWORD_CHANGE" => settings.logout_on_password_change = flag(value)?,
                "SET_USERNAME_RETYPE" => settings.set_username_retype = flag(value)?,
                "USERNAME_RESET_CONFIRM_RETYPE" => {
                    settings.username_reset_confirm_retype = flag(value)?;
                }
                "USERNAME_RESET_SHOW_EMAIL_NOT_FOUND" => {
                    settings.username_reset_show_email_not_found = flag(value)?;
                }
                "USERNAME_CHANGED_EMAIL_CONFIRMATION" => {
                    settings.username_changed_email_confirmation = flag(value)?;
                }
                "EMAIL_FRONTEND_PROTOCOL" => settings.email_frontend_protocol = text(value)?,
                "EMAIL_FRONTEND_DOMAIN" => settings.email_frontend_domain = text(value)?,
                "EMAIL_FRONTEND_SITE_NAME" => settings.email_frontend_site_name = text(value)?,
                "ACTIVATION_URL" => settings.activation_url = link(value)?,
                "PASSWORD_RESET_CONFIRM_URL" => settings.password_reset_confirm_url = link(value)?,
                "USERNAME_RESET_CONFIRM_URL" => settings.username_reset_confirm_url = link(value)?,
                other => {
                    return Err(DjoserSettingsError(format!(
                        "{other} is not supported here (see docs/accounts.md)"
                    )));
                }
            }
        }
        if settings.send_activation_email && settings.activation_url.is_none() {
            return Err(DjoserSettingsError(
                "SEND_ACTIVATION_EMAIL needs ACTIVATION_URL".to_owned(),
            ));
        }
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn link_templates_format_as_python_str_format() {
        let template = LinkTemplate::parse("#/activate/{uid}/{token}?x={{y}}").expect("parse");
        let link = template.format(|name| match name {
            "uid" => "MQ".to_owned(),
            "token" => "dj4uam-c673".to_owned(),
            _ => String::new(),
        });
        // Python: "#/activate/{uid}/{token}?x={{y}}".format(uid="MQ", token="dj4uam-c673")
        assert_eq!(link, "#/activate/MQ/dj4uam-c673?x={y}");
        for bad in ["{uid", "a}b", "{user}", "{uid!r}", "{uid:>9}", "{}"] {
            assert!(LinkTemplate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn settings_by_djosers_names() {
        let settings = DjoserSettings::from_djoser(&json!({
            "SEND_ACTIVATION_EMAIL": true,
            "ACTIVATION_URL": "activate/{uid}/{token}",
            "PASSWORD_RESET_CONFIRM_URL": "password/reset/confirm/{uid}/{token}",
            "USERNAME_RESET_CONFIRM_URL": "username/reset/confirm/{uid}/{token}",
            "USERNAME_RESET_SHOW_EMAIL_NOT_FOUND": true,
            "EMAIL_FRONTEND_DOMAIN": "app.example.com",
        }))
        .expect("settings");
        assert!(settings.send_activation_email);
        assert!(settings.username_reset_confirm_url.is_some());
        assert!(settings.show_email_not_found());
        assert!(!DjoserSettings::default().show_email_not_found());
        assert_eq!(
            settings.email_frontend_domain.as_deref(),
            Some("app.example.com")
        );
        assert!(settings.password_reset_confirm_url.is_some());
        assert_eq!(
            DjoserSettings::from_djoser(&json!({})),
            Ok(DjoserSettings::default())
        );
        for bad in [
            json!([]),
            json!({"SEND_ACTIVATION_EMAIL": true}),
            json!({"HIDE_USERS": "yes"}),
            json!({"SERIALIZERS": {}}),
            json!({"ACTIVATION_URL": 5}),
        ] {
            assert!(DjoserSettings::from_djoser(&bad).is_err(), "{bad}");
        }
    }
}
