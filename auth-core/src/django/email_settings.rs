//! Django's email settings (`EMAIL_*`, `DEFAULT_FROM_EMAIL`), by their names and defaults: which
//! backend sends the emails of the account endpoints, and how it reaches the SMTP server.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// `EMAIL_BACKEND`, one of Django's five backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EmailBackendName {
    /// `django.core.mail.backends.smtp.EmailBackend` (Django's default).
    #[default]
    Smtp,
    /// `django.core.mail.backends.console.EmailBackend`: written to standard output.
    Console,
    /// `django.core.mail.backends.filebased.EmailBackend`: written under `EMAIL_FILE_PATH`.
    FileBased,
    /// `django.core.mail.backends.locmem.EmailBackend`: kept in memory (Django's test outbox).
    Locmem,
    /// `django.core.mail.backends.dummy.EmailBackend`: dropped.
    Dummy,
}

impl EmailBackendName {
    /// The backend of a Django import path; `None` for any other (a custom Python backend has no
    /// counterpart here: give the Rust one to the settings builder instead).
    pub fn from_import_path(path: &str) -> Option<Self> {
        Some(match path.strip_prefix("django.core.mail.backends.")? {
            "smtp.EmailBackend" => Self::Smtp,
            "console.EmailBackend" => Self::Console,
            "filebased.EmailBackend" => Self::FileBased,
            "locmem.EmailBackend" => Self::Locmem,
            "dummy.EmailBackend" => Self::Dummy,
            _ => return None,
        })
    }

    /// Django's import path of the backend.
    pub fn import_path(self) -> &'static str {
        match self {
            Self::Smtp => "django.core.mail.backends.smtp.EmailBackend",
            Self::Console => "django.core.mail.backends.console.EmailBackend",
            Self::FileBased => "django.core.mail.backends.filebased.EmailBackend",
            Self::Locmem => "django.core.mail.backends.locmem.EmailBackend",
            Self::Dummy => "django.core.mail.backends.dummy.EmailBackend",
        }
    }
}

/// Django's email settings. `Debug` never shows `EMAIL_HOST_PASSWORD`.
#[derive(Clone, PartialEq, Eq)]
pub struct EmailSettings {
    /// `EMAIL_BACKEND` (default: SMTP).
    pub backend: EmailBackendName,
    /// `EMAIL_HOST` (default `"localhost"`).
    pub host: String,
    /// `EMAIL_PORT` (default 25).
    pub port: u16,
    /// `EMAIL_HOST_USER` (default empty): with a password, the SMTP login.
    pub host_user: String,
    /// `EMAIL_HOST_PASSWORD` (default empty).
    pub host_password: String,
    /// `EMAIL_USE_TLS`: STARTTLS, required (default off).
    pub use_tls: bool,
    /// `EMAIL_USE_SSL`: TLS from the first byte, usually port 465 (default off).
    pub use_ssl: bool,
    /// `EMAIL_SSL_CERTFILE` and `EMAIL_SSL_KEYFILE`: a client certificate (PEM).
    pub ssl_certfile: Option<PathBuf>,
    /// `EMAIL_SSL_KEYFILE`.
    pub ssl_keyfile: Option<PathBuf>,
    /// `EMAIL_SSL_CAFILE`, not a Django setting: a PEM certificate authority trusted besides the
    /// Web PKI's roots (a private mail relay). Django trusts the system's store only.
    pub ssl_cafile: Option<PathBuf>,
    /// `EMAIL_TIMEOUT` (Django's default `None` waits forever; here `None` is lettre's 60 s).
    pub timeout: Option<Duration>,
    /// `EMAIL_FILE_PATH`: the directory of the file-based backend (required by it).
    pub file_path: Option<PathBuf>,
    /// `DEFAULT_FROM_EMAIL` (default `"webmaster@localhost"`).
    pub default_from_email: String,
}

impl Default for EmailSettings {
    fn default() -> Self {
        Self {
            backend: EmailBackendName::Smtp,
            host: "localhost".to_owned(),
            port: 25,
            host_user: String::new(),
            host_password: String::new(),
            use_tls: false,
            use_ssl: false,
            ssl_certfile: None,
            ssl_keyfile: None,
            ssl_cafile: None,
            timeout: None,
            file_path: None,
            default_from_email: "webmaster@localhost".to_owned(),
        }
    }
}

impl fmt::Debug for EmailSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmailSettings")
            .field("backend", &self.backend)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("host_user", &self.host_user)
            .field(
                "host_password",
                &if self.host_password.is_empty() {
                    ""
                } else {
                    "********"
                },
            )
            .field("use_tls", &self.use_tls)
            .field("use_ssl", &self.use_ssl)
            .field("ssl_certfile", &self.ssl_certfile)
            .field("ssl_keyfile", &self.ssl_keyfile)
            .field("ssl_cafile", &self.ssl_cafile)
            .field("timeout", &self.timeout)
            .field("file_path", &self.file_path)
            .field("default_from_email", &self.default_from_email)
            .finish()
    }
}

impl EmailSettings {
    /// Django's refusals at start-up: both TLS modes at once (the SMTP backend's `ValueError`),
    /// or the file-based backend without a directory (`ImproperlyConfigured`).
    ///
    /// # Errors
    ///
    /// Django's message.
    pub fn validate(&self) -> Result<(), String> {
        if self.use_tls && self.use_ssl {
            return Err(
                "EMAIL_USE_TLS/EMAIL_USE_SSL are mutually exclusive, so only set one \
                        of those settings to True."
                    .to_owned(),
            );
        }
        if self.backend == EmailBackendName::FileBased && self.file_path.is_none() {
            return Err("Path for saving emails is invalid: None".to_owned());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_paths_round_trip_and_others_are_unknown() {
        for name in [
            EmailBackendName::Smtp,
            EmailBackendName::Console,
            EmailBackendName::FileBased,
            EmailBackendName::Locmem,
            EmailBackendName::Dummy,
        ] {
            assert_eq!(
                EmailBackendName::from_import_path(name.import_path()),
                Some(name)
            );
        }
        assert_eq!(
            EmailBackendName::from_import_path("anymail.backends.mailgun.EmailBackend"),
            None
        );
    }

    #[test]
    fn django_refusals() {
        let both = EmailSettings {
            use_tls: true,
            use_ssl: true,
            ..EmailSettings::default()
        };
        assert!(both.validate().is_err());
        let file = EmailSettings {
            backend: EmailBackendName::FileBased,
            ..EmailSettings::default()
        };
        assert_eq!(
            file.validate(),
            Err("Path for saving emails is invalid: None".to_owned())
        );
        assert_eq!(EmailSettings::default().validate(), Ok(()));
    }

    #[test]
    fn debug_hides_the_password() {
        let settings = EmailSettings {
            host_password: "hunter2".to_owned(),
            ..EmailSettings::default()
        };
        assert!(!format!("{settings:?}").contains("hunter2"));
    }
}
