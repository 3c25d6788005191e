//! Settings as data: a TOML file and environment variables, by Django's and DRF's own names.
//!
//! A Django project keeps these in `settings.py`; here they are a TOML file with the same names
//! (the top level is Django's settings, `[REST_FRAMEWORK]`, `[SIMPLE_JWT]`, `[REST_KNOX]` and
//! `[REST_AUTH]` are the packages' dicts), overridden by environment variables. Every key is
//! checked: an unknown one — a typo that would otherwise leave a security setting at its
//! default — stops the start-up with an error naming the key and the file line or the variable
//! it came from. The secrets (`SECRET_KEY`, its fallbacks, `DATABASE_URL`) are never printed,
//! not even when they have the wrong type.
//!
//! ```toml
//! SECRET_KEY = "the Django project's key"
//! ALLOWED_HOSTS = ["api.example.com"]
//! SESSION_COOKIE_SECURE = true
//!
//! [REST_FRAMEWORK]
//! DEFAULT_AUTHENTICATION_CLASSES = [
//!     "rest_framework.authentication.SessionAuthentication",
//!     "rest_framework.authentication.TokenAuthentication",
//! ]
//! DEFAULT_PERMISSION_CLASSES = ["rest_framework.permissions.IsAuthenticated"]
//! DEFAULT_THROTTLE_CLASSES = ["rest_framework.throttling.UserRateThrottle"]
//! DEFAULT_THROTTLE_RATES = { user = "1000/day", anon = false }
//!
//! [SIMPLE_JWT]
//! ACCESS_TOKEN_LIFETIME = 300
//! ROTATE_REFRESH_TOKENS = true
//! ```
//!
//! **Environment.** A variable `DRF_AUTH_<NAME>` ([`ENV_PREFIX`]) sets the setting `<NAME>`;
//! `__` descends into a dict: `DRF_AUTH_REST_FRAMEWORK__NUM_PROXIES=1`,
//! `DRF_AUTH_SIMPLE_JWT__ALGORITHM=HS512`. The value is read as a TOML value (`true`, `3`,
//! `["a", "b"]`, `{ user = "10/min" }`) and as plain text when that is not what the setting
//! takes, so `DRF_AUTH_SECRET_KEY=1234` is the text `1234`. Variables win over the file; within a
//! dict, only the keys they name change.
//!
//! **Python's `None`.** TOML has no null: write `false` where Django or DRF take `None` (a
//! throttle rate, `SESSION_COOKIE_SAMESITE`, `UNAUTHENTICATED_USER`, knox's `TOKEN_TTL`), and
//! leave a key out for its default.
//!
//! **Durations** are seconds (a number): `ACCESS_TOKEN_LIFETIME`, knox's `TOKEN_TTL`, and this
//! library's `AUTH_CACHE_TTL`, `THROTTLE_STORE_TIMEOUT`, `AUTHENTICATION_TIMEOUT`.
//!
//! **Classes** are named by their Python paths (`rest_framework.permissions.IsAuthenticated`),
//! resolved through [`ImportStrings`], where an application registers its own.
//!
//! The keys, with their Django or DRF meaning, are listed in `docs/settings-file.md`; the
//! settings this library adds have names in the same style (`TOKEN_KEYWORD`, `BASIC_REALM`,
//! `DATABASE_URL`, `AUTH_USER_TABLE`, …). What a file sets can still be changed in code: [`SettingsFile::load`]
//! returns the [`AuthSettingsBuilder`].

mod django_settings;
mod origins;

use std::path::{Path, PathBuf};

use django_settings::DjangoSettings;
use origins::Origins;
pub use origins::SettingsFileError;

use crate::auth_settings::{AuthSettings, AuthSettingsBuilder};
use crate::policy::ImportStrings;

/// The prefix of the environment variables [`SettingsFile::env`] reads by default.
pub const ENV_PREFIX: &str = "DRF_AUTH_";

/// The separator of dict levels in a variable's name.
const ENV_NESTING: &str = "__";

/// Where the settings come from, and the class names they may use. See the module
/// documentation.
///
/// ```no_run
/// use auth_core::settings_file::SettingsFile;
///
/// let settings = SettingsFile::new()
///     .file("auth.toml")
///     .env(auth_core::settings_file::ENV_PREFIX)
///     .load()?
///     // Code still has the last word.
///     .basic_realm("internal")
///     .build()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct SettingsFile {
    file: Option<(PathBuf, bool)>,
    env_prefix: Option<String>,
    import_strings: ImportStrings,
}

impl SettingsFile {
    /// No source yet: loading gives the defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `path`, which must exist.
    #[must_use]
    pub fn file(mut self, path: impl Into<PathBuf>) -> Self {
        self.file = Some((path.into(), true));
        self
    }

    /// Reads `path` when it exists.
    #[must_use]
    pub fn optional_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.file = Some((path.into(), false));
        self
    }

    /// Reads the environment variables whose names start with `prefix` ([`ENV_PREFIX`] is the
    /// documented one), over the file.
    #[must_use]
    pub fn env(mut self, prefix: impl Into<String>) -> Self {
        self.env_prefix = Some(prefix.into());
        self
    }

    /// The class names the file may use (default: [`ImportStrings::default`]).
    #[must_use]
    pub fn import_strings(mut self, names: ImportStrings) -> Self {
        self.import_strings = names;
        self
    }

    /// Reads the sources into a builder over [`AuthSettings::builder`]'s defaults.
    pub fn load(self) -> Result<AuthSettingsBuilder, SettingsFileError> {
        let variables = match &self.env_prefix {
            Some(prefix) => environment(prefix)?,
            None => Vec::new(),
        };
        self.load_from(variables)
    }

    /// [`load`](Self::load) with the variables given (name, value) instead of read from the
    /// process, for tests and for a caller with its own environment.
    pub fn load_with_env(
        self,
        variables: impl IntoIterator<Item = (String, String)>,
    ) -> Result<AuthSettingsBuilder, SettingsFileError> {
        let prefix = self.env_prefix.clone().unwrap_or_default();
        let variables = variables
            .into_iter()
            .filter(|(name, _)| name.starts_with(&prefix) && name.len() > prefix.len())
            .collect();
        self.load_from(variables)
    }

    fn load_from(
        self,
        variables: Vec<(String, String)>,
    ) -> Result<AuthSettingsBuilder, SettingsFileError> {
        let mut merged = toml::Table::new();
        let mut origins = Origins::default();
        if let Some((path, required)) = &self.file
            && let Some(table) = read_file(path, *required)?
        {
            origins.record(&table, &[], &path.display().to_string());
            merged = table;
        }
        let prefix = self.env_prefix.as_deref().unwrap_or_default();
        for (name, value) in variables {
            let table = variable(prefix, &name, &value)?;
            origins.record(&table, &[], &name);
            merge(&mut merged, table);
        }
        let file: DjangoSettings =
            toml::Value::Table(merged)
                .try_into()
                .map_err(|error: toml::de::Error| {
                    SettingsFileError::new("the settings", error.message().to_owned())
                })?;
        file.apply(AuthSettings::builder(), &self.import_strings, &origins)
    }
}

/// The process's variables under `prefix`; a name or value that is not UTF-8 is refused by name.
fn environment(prefix: &str) -> Result<Vec<(String, String)>, SettingsFileError> {
    let mut variables = Vec::new();
    for (name, value) in std::env::vars_os() {
        let Some(name_text) = name.to_str() else {
            if name.to_string_lossy().starts_with(prefix) {
                return Err(SettingsFileError::new(
                    format!("environment variable {}", name.to_string_lossy()),
                    "the name is not UTF-8",
                ));
            }
            continue;
        };
        if !name_text.starts_with(prefix) || name_text.len() == prefix.len() {
            continue;
        }
        let value = value.into_string().map_err(|_| {
            SettingsFileError::new(
                format!("environment variable {name_text}"),
                "the value is not UTF-8",
            )
        })?;
        variables.push((name_text.to_owned(), value));
    }
    variables.sort();
    Ok(variables)
}

/// The file's table, checked key by key against the settings (so an error names its line).
fn read_file(path: &Path, required: bool) -> Result<Option<toml::Table>, SettingsFileError> {
    let shown = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if !required && error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(SettingsFileError::new(shown, error.to_string())),
    };
    let at = |error: &toml::de::Error| match error.span() {
        Some(span) => {
            let before = text.get(..span.start).unwrap_or_default();
            let line = before.matches('\n').count() + 1;
            let column = before
                .rsplit('\n')
                .next()
                .unwrap_or_default()
                .chars()
                .count()
                + 1;
            format!("{shown} line {line}, column {column}")
        }
        None => shown.clone(),
    };
    // `message()` without the excerpt: the offending line may hold a secret.
    toml::from_str::<DjangoSettings>(&text)
        .map_err(|error| SettingsFileError::new(at(&error), error.message().to_owned()))?;
    toml::from_str::<toml::Table>(&text)
        .map(Some)
        .map_err(|error| SettingsFileError::new(at(&error), error.message().to_owned()))
}

/// One variable as a table (`A__B=v` is `{A = {B = v}}`), checked against the settings alone.
fn variable(prefix: &str, name: &str, value: &str) -> Result<toml::Table, SettingsFileError> {
    let origin = || format!("environment variable {name}");
    let path: Vec<&str> = name
        .get(prefix.len()..)
        .unwrap_or_default()
        .split(ENV_NESTING)
        .collect();
    if path.iter().any(|key| key.is_empty()) {
        return Err(SettingsFileError::new(
            origin(),
            format!("an empty key in the name (dicts are separated by `{ENV_NESTING}`)"),
        ));
    }
    let nest = |leaf: toml::Value| {
        let mut value = leaf;
        for key in path.iter().rev() {
            let mut table = toml::Table::new();
            table.insert((*key).to_owned(), value);
            value = toml::Value::Table(table);
        }
        match value {
            toml::Value::Table(table) => table,
            _ => toml::Table::new(),
        }
    };
    let check = |table: &toml::Table| {
        toml::Value::Table(table.clone())
            .try_into::<DjangoSettings>()
            .map(|_| ())
            .map_err(|error| error.message().to_owned())
    };
    // The value as TOML first, then as the text itself; the first reading's error is the one
    // reported (it names what the setting takes).
    let text = nest(toml::Value::String(value.to_owned()));
    match value.parse::<toml::Value>() {
        Ok(parsed) if !parsed.is_str() => {
            let table = nest(parsed);
            match check(&table) {
                Ok(()) => Ok(table),
                Err(message) => check(&text)
                    .map(|()| text)
                    .map_err(|_| SettingsFileError::new(origin(), message)),
            }
        }
        _ => check(&text)
            .map(|()| text)
            .map_err(|message| SettingsFileError::new(origin(), message)),
    }
}

/// `overlay` over `base`: dicts merge key by key, anything else is replaced.
fn merge(base: &mut toml::Table, overlay: toml::Table) {
    for (key, value) in overlay {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(inner)), toml::Value::Table(value)) => merge(inner, value),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::django::hashers::Algorithm;
    use crate::settings::UnauthenticatedUser;
    use crate::store::user::UserIdKind;
    use std::io::Write as _;
    use std::time::Duration;

    /// A settings file with `text` in a directory of its own.
    fn file(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("settings-file-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|error| unreachable!("{error}"));
        let path = dir.join("auth.toml");
        let mut out = std::fs::File::create(&path).unwrap_or_else(|error| unreachable!("{error}"));
        out.write_all(text.as_bytes())
            .unwrap_or_else(|error| unreachable!("{error}"));
        path
    }

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    fn load(
        path: Option<&Path>,
        variables: &[(&str, &str)],
    ) -> Result<AuthSettingsBuilder, SettingsFileError> {
        let mut sources = SettingsFile::new().env(ENV_PREFIX);
        if let Some(path) = path {
            sources = sources.file(path);
        }
        sources.load_with_env(env(variables))
    }

    /// The settings `path` and `variables` build; they must build.
    fn built(path: Option<&Path>, variables: &[(&str, &str)]) -> AuthSettings {
        load(path, variables)
            .and_then(|builder| {
                builder
                    .build()
                    .map_err(|error| SettingsFileError::new("build", error.to_string()))
            })
            .unwrap_or_else(|error| unreachable!("{error}"))
    }

    fn error(path: Option<&Path>, variables: &[(&str, &str)]) -> SettingsFileError {
        match load(path, variables) {
            Ok(_) => unreachable!("the settings were accepted"),
            Err(error) => error,
        }
    }

    #[test]
    fn time_zone_and_password_reset_timeout_by_djangos_names() {
        let built = built(
            None,
            &[
                ("DRF_AUTH_SECRET_KEY", "k"),
                ("DRF_AUTH_TIME_ZONE", "America/Chicago"),
                ("DRF_AUTH_PASSWORD_RESET_TIMEOUT", "3600"),
            ],
        );
        let settings = built.settings();
        assert_eq!(settings.time_zone, "America/Chicago");
        assert_eq!(settings.password_reset_timeout, 3600);
        let defaults = built_default();
        assert_eq!(
            (
                defaults.settings().time_zone.as_str(),
                defaults.settings().password_reset_timeout
            ),
            ("UTC", 259_200)
        );
    }

    #[cfg(feature = "accounts")]
    #[test]
    fn email_settings_by_djangos_names() {
        use crate::django::email_settings::EmailBackendName;
        let directory = std::env::temp_dir().join(format!("settings-email-{}", std::process::id()));
        let path = file(
            "email",
            &format!(
                "SECRET_KEY = \"k\"\nEMAIL_BACKEND = \"django.core.mail.backends.filebased.EmailBackend\"\n\
                 EMAIL_FILE_PATH = {:?}\nEMAIL_HOST = \"mail.example.com\"\nEMAIL_PORT = 587\n\
                 EMAIL_HOST_USER = \"mailer\"\nEMAIL_HOST_PASSWORD = \"hunter2\"\n\
                 EMAIL_USE_TLS = true\nEMAIL_TIMEOUT = 5\nEMAIL_SSL_CERTFILE = false\n\
                 DEFAULT_FROM_EMAIL = \"Acme <noreply@example.com>\"\n",
                directory.display().to_string()
            ),
        );
        let built = built(Some(&path), &[("DRF_AUTH_EMAIL_PORT", "2525")]);
        let email = &built.settings().email;
        assert_eq!(email.backend, EmailBackendName::FileBased);
        assert_eq!(email.file_path.as_deref(), Some(directory.as_path()));
        assert_eq!(email.host, "mail.example.com");
        assert_eq!(email.port, 2525);
        assert_eq!(email.host_user, "mailer");
        assert_eq!(email.host_password, "hunter2");
        assert!(email.use_tls && !email.use_ssl);
        assert_eq!(email.timeout, Some(Duration::from_secs(5)));
        assert_eq!(email.ssl_certfile, None);
        assert_eq!(email.default_from_email, "Acme <noreply@example.com>");
        assert!(!format!("{built:?}").contains("hunter2"));
        assert_eq!(
            built_default().settings().email.backend,
            EmailBackendName::Smtp
        );

        let unknown = error(
            None,
            &[
                ("DRF_AUTH_SECRET_KEY", "k"),
                (
                    "DRF_AUTH_EMAIL_BACKEND",
                    "anymail.backends.mailgun.EmailBackend",
                ),
            ],
        );
        assert!(unknown.to_string().contains("EMAIL_BACKEND"), "{unknown}");
        let both = load(
            None,
            &[
                ("DRF_AUTH_SECRET_KEY", "k"),
                ("DRF_AUTH_EMAIL_USE_TLS", "true"),
                ("DRF_AUTH_EMAIL_USE_SSL", "true"),
            ],
        )
        .map(|builder| {
            builder
                .build()
                .map(|_| ())
                .map_err(|error| error.to_string())
        });
        assert!(
            matches!(&both, Ok(Err(message)) if message.contains("mutually exclusive")),
            "{both:?}"
        );
    }

    fn built_default() -> AuthSettings {
        built(None, &[("DRF_AUTH_SECRET_KEY", "k")])
    }

    #[test]
    fn the_file_and_the_environment_by_djangos_names() {
        let path = file(
            "merge",
            r#"
SECRET_KEY = "from-the-file"
ALLOWED_HOSTS = ["api.example.com"]
SESSION_COOKIE_SECURE = true
SESSION_COOKIE_SAMESITE = false
CSRF_COOKIE_NAME = "xsrf"
SECURE_PROXY_SSL_HEADER = ["HTTP_X_FORWARDED_PROTO", "https"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
AUTH_USER_TABLE = "accounts_member"
AUTH_CACHE_TTL = 2.5
REMOTE_USER_HEADER = "HTTP_X_REMOTE_USER"

[REST_FRAMEWORK]
NUM_PROXIES = 1
DEFAULT_THROTTLE_RATES = { user = "10/min", anon = false }
UNAUTHENTICATED_USER = false
"#,
        );
        let built = built(
            Some(&path),
            &[
                // Read as text: a number is not what SECRET_KEY takes.
                ("DRF_AUTH_SECRET_KEY", "1234"),
                ("DRF_AUTH_REST_FRAMEWORK__NUM_PROXIES", "2"),
                ("DRF_AUTH_BASIC_REALM", "internal"),
            ],
        );
        let settings = built.settings();
        assert_eq!(settings.secret_key.expose(), "1234");
        assert_eq!(settings.allowed_hosts, ["api.example.com"]);
        assert!(settings.session_cookie.secure);
        assert_eq!(settings.session_cookie.same_site, None);
        assert_eq!(settings.csrf_cookie.name, "xsrf");
        assert_eq!(
            settings.secure_proxy_ssl_header,
            Some(("x-forwarded-proto".to_owned(), "https".to_owned()))
        );
        assert_eq!(
            settings.password_hashers.algorithms(),
            [Algorithm::Md5, Algorithm::Pbkdf2Sha256]
        );
        assert_eq!(
            settings.remote_user_header.as_deref(),
            Some("x-remote-user")
        );
        assert_eq!(settings.user_model.table(), "accounts_member");
        assert_eq!(settings.user_model.username_field(), "username");
        assert!(built.services().credential_cache().is_some());
        // The variable replaced one key of the dict; the file's other keys stay.
        assert_eq!(settings.num_proxies, Some(2));
        assert_eq!(settings.throttle_rate("user"), Some(Some("10/min")));
        assert_eq!(settings.throttle_rate("anon"), Some(None));
        assert_eq!(settings.throttle_rate("login"), Some(Some("10/min")));
        assert_eq!(settings.unauthenticated_user, UnauthenticatedUser::None);
        assert_eq!(settings.basic_realm, "internal");
    }

    #[test]
    fn auth_password_validators_by_djangos_names_and_options() {
        let path = file(
            "validators",
            r#"
SECRET_KEY = "k"

[[AUTH_PASSWORD_VALIDATORS]]
NAME = "django.contrib.auth.password_validation.MinimumLengthValidator"
OPTIONS = { min_length = 12 }

[[AUTH_PASSWORD_VALIDATORS]]
NAME = "django.contrib.auth.password_validation.NumericPasswordValidator"
"#,
        );
        let from_file = built(Some(&path), &[]);
        let validators = &from_file.settings().password_validators;
        assert_eq!(
            format!("{validators:?}"),
            "[MinimumLength { min_length: 12 }, NumericPassword]"
        );
        // AUTH_USER_MODEL alone: Django's default table for it, and its class's name.
        let customers = built(
            None,
            &[
                ("DRF_AUTH_SECRET_KEY", "k"),
                ("DRF_AUTH_AUTH_USER_MODEL", "shop.Customer"),
            ],
        );
        let model = &customers.settings().user_model;
        assert_eq!(
            (model.table(), model.m2m_column().as_str()),
            ("shop_customer", "customer_id")
        );
        assert_eq!(model.id_kind(), UserIdKind::Integer);
        // A UUID primary key.
        let uuids = built(
            None,
            &[
                ("DRF_AUTH_SECRET_KEY", "k"),
                ("DRF_AUTH_AUTH_USER_MODEL", "shop.Customer"),
                ("DRF_AUTH_AUTH_USER_PK_FIELD", "UUIDField"),
            ],
        );
        assert_eq!(uuids.settings().user_model.id_kind(), UserIdKind::Uuid);
        assert_eq!(uuids.settings().user_model.table(), "shop_customer");
        let refused = error(
            None,
            &[
                ("DRF_AUTH_SECRET_KEY", "k"),
                ("DRF_AUTH_AUTH_USER_PK_FIELD", "CharField"),
            ],
        );
        assert_eq!(
            refused.origin,
            "AUTH_USER_PK_FIELD (from DRF_AUTH_AUTH_USER_PK_FIELD)"
        );
        assert!(refused.message.contains("UUIDField"), "{refused}");
        let none = built(
            None,
            &[
                ("DRF_AUTH_SECRET_KEY", "k"),
                ("DRF_AUTH_AUTH_PASSWORD_VALIDATORS", "[]"),
            ],
        );
        assert!(none.settings().password_validators.is_empty());
        let refused = error(
            None,
            &[(
                "DRF_AUTH_AUTH_PASSWORD_VALIDATORS",
                r#"[{ NAME = "myproject.validators.Strong" }]"#,
            )],
        );
        assert_eq!(
            refused.message,
            "The module in NAME could not be imported: myproject.validators.Strong. Check your \
             AUTH_PASSWORD_VALIDATORS setting."
        );
    }

    #[test]
    fn an_unknown_key_is_named_with_its_line_or_its_variable() {
        let path = file(
            "unknown",
            "SECRET_KEY = \"k\"\n\n[REST_FRAMEWORK]\nDEFAULT_THROTTLE_RATE = {}\n",
        );
        let refused = error(Some(&path), &[]);
        assert_eq!(
            refused.origin,
            format!("{} line 4, column 1", path.display())
        );
        assert!(
            refused
                .message
                .starts_with("unknown field `DEFAULT_THROTTLE_RATE`, expected one of"),
            "{refused}"
        );

        let refused = error(None, &[("DRF_AUTH_SESION_COOKIE_SECURE", "true")]);
        assert_eq!(
            refused.origin,
            "environment variable DRF_AUTH_SESION_COOKIE_SECURE"
        );
        assert!(
            refused
                .message
                .starts_with("unknown field `SESION_COOKIE_SECURE`"),
            "{refused}"
        );
        let refused = error(
            None,
            &[(
                "DRF_AUTH_SECURE_PROXY_SSL_HEADER",
                r#"["X-Forwarded-Proto", "https"]"#,
            )],
        );
        assert!(
            refused
                .message
                .contains("HTTP_X_FORWARDED_PROTO for X-Forwarded-Proto"),
            "{refused}"
        );
        let refused = error(None, &[("DRF_AUTH_AUTH_USERNAME_FIELD", "password")]);
        assert_eq!(
            refused.origin,
            "AUTH_USERNAME_FIELD (from DRF_AUTH_AUTH_USERNAME_FIELD)"
        );
        let refused = error(None, &[("DRF_AUTH_REST_FRAMEWORK__", "1")]);
        assert!(refused.message.contains("empty key"), "{refused}");
        let refused = error(None, &[("DRF_AUTH_REST_FRAMEWORK__NUM_PROXIES", "two")]);
        assert_eq!(
            refused.origin,
            "environment variable DRF_AUTH_REST_FRAMEWORK__NUM_PROXIES"
        );
    }

    #[test]
    fn a_missing_file_is_an_error_unless_optional() {
        let missing = std::env::temp_dir().join("settings-file-does-not-exist/auth.toml");
        let refused = error(Some(&missing), &[]);
        assert_eq!(refused.origin, missing.display().to_string());
        let defaults = SettingsFile::new()
            .optional_file(&missing)
            .load_with_env(Vec::new());
        assert!(defaults.is_ok());
    }

    #[test]
    fn secrets_of_the_wrong_type_are_not_echoed() {
        let path = file("secret", "SECRET_KEY = 987654321\nDATABASE_URL = 1234567\n");
        let refused = error(Some(&path), &[]);
        let shown = refused.to_string();
        assert!(shown.contains(" line "), "{shown}");
        assert!(!shown.contains("987654321"), "{shown}");
        assert!(!shown.contains("1234567"), "{shown}");
        let refused = error(None, &[("DRF_AUTH_SECRET_KEY_FALLBACKS", "[123456789]")]);
        assert!(!refused.to_string().contains("123456789"), "{refused}");
    }

    #[test]
    fn renderer_classes_are_the_default_renderers_and_the_browsable_api_is_counted_not_served() {
        use crate::policy::PolicyDefaults;
        use crate::renderers::{CSVRenderer, JSONRenderer, Renderer};

        let path = file(
            "renderers",
            r#"
SECRET_KEY = "k"
[REST_FRAMEWORK]
DEFAULT_RENDERER_CLASSES = ["rest_framework_csv.renderers.CSVRenderer", "rest_framework.renderers.BrowsableAPIRenderer", "rest_framework.renderers.JSONRenderer"]
"#,
        );
        let built = built(Some(&path), &[]);
        let list = PolicyDefaults::resolve_renderers(None, built.defaults())
            .unwrap_or_else(|| unreachable!("the file lists renderers"));
        assert_eq!(list.served(), &[CSVRenderer::INFO, JSONRenderer::INFO]);
        assert_eq!(
            list.listed_count(),
            3,
            "DRF's Vary counts the browsable API"
        );

        let refused = error(
            Some(&path),
            &[(
                "DRF_AUTH_REST_FRAMEWORK__DEFAULT_RENDERER_CLASSES",
                r#"["rest_framework.renderers.BrowsableAPIRenderer"]"#,
            )],
        );
        assert!(
            refused
                .message
                .contains("names no renderer this library serves"),
            "{refused}"
        );
        let refused = error(
            Some(&path),
            &[(
                "DRF_AUTH_REST_FRAMEWORK__DEFAULT_RENDERER_CLASSES",
                r#"["rest_framework_xml.renderers.XMLRenderer"]"#,
            )],
        );
        assert!(
            refused.message.starts_with(
                "Could not import 'rest_framework_xml.renderers.XMLRenderer' for API setting \
                 'DEFAULT_RENDERER_CLASSES'. ImportError: no renderer class"
            ),
            "{refused}"
        );
    }

    #[test]
    fn class_names_resolve_or_are_refused_with_drfs_wording() {
        let path = file(
            "classes",
            r#"
SECRET_KEY = "k"
[REST_FRAMEWORK]
DEFAULT_AUTHENTICATION_CLASSES = ["rest_framework.authentication.BasicAuthentication"]
DEFAULT_PERMISSION_CLASSES = ["rest_framework.permissions.IsAdminUser"]
DEFAULT_THROTTLE_CLASSES = ["rest_framework.throttling.AnonRateThrottle", "rest_framework.throttling.UserRateThrottle"]
"#,
        );
        let built = built(Some(&path), &[]);
        assert!(built.defaults().configures_permissions());
        assert!(built.defaults().configures_throttles());

        let refused = error(
            Some(&path),
            &[(
                "DRF_AUTH_REST_FRAMEWORK__DEFAULT_PERMISSION_CLASSES",
                r#"["rest_framework.permissions.IsAuthenticated", "myproject.permissions.IsOwner"]"#,
            )],
        );
        assert_eq!(
            refused.origin,
            "REST_FRAMEWORK.DEFAULT_PERMISSION_CLASSES (from \
             DRF_AUTH_REST_FRAMEWORK__DEFAULT_PERMISSION_CLASSES)"
        );
        assert!(
            refused.message.starts_with(
                "Could not import 'myproject.permissions.IsOwner' for API setting \
                 'DEFAULT_PERMISSION_CLASSES'. ImportError:"
            ),
            "{refused}"
        );
        let refused = error(
            None,
            &[("DRF_AUTH_PASSWORD_HASHERS", r#"["myproject.hashers.Fast"]"#)],
        );
        assert!(
            refused
                .message
                .contains("not one of Django's password hashers")
        );
        let refused = error(
            None,
            &[(
                "DRF_AUTH_REST_FRAMEWORK__DEFAULT_THROTTLE_RATES",
                "{ user = \"10/fortnight\" }",
            )],
        );
        assert!(
            refused
                .origin
                .starts_with("REST_FRAMEWORK.DEFAULT_THROTTLE_RATES"),
            "{refused}"
        );
    }

    #[cfg(feature = "oauth2")]
    #[test]
    fn oauth2_provider_is_read_by_dots_names() {
        let path = file(
            "oauth2",
            "SECRET_KEY = \"k\"\n[OAUTH2_PROVIDER]\nREAD_SCOPE = \"r\"\nERROR_RESPONSE_WITH_SCOPES = true\nSCOPES = { r = \"Reading\" }\n",
        );
        let read = built(
            Some(&path),
            &[(
                "DRF_AUTH_OAUTH2_PROVIDER__COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT",
                "false",
            )],
        );
        let oauth2 = &read.settings().oauth2;
        assert_eq!(oauth2.read_scope, "r");
        assert_eq!(oauth2.write_scope, "write");
        assert!(oauth2.error_response_with_scopes);
        assert!(!oauth2.compliant_bcp_rfc9700_access_token_transport);
        assert!(!oauth2.authenticate_inactive_users);
        assert_eq!(oauth2.scopes, [("r".to_owned(), "Reading".to_owned())]);
        // A DOT setting this library does not read is refused, not ignored.
        let refused = error(
            Some(&path),
            &[("DRF_AUTH_OAUTH2_PROVIDER__OIDC_ENABLED", "true")],
        );
        assert!(
            refused.origin.contains("OAUTH2_PROVIDER"),
            "an unknown key is refused: {}",
            refused.origin
        );
        let lifetime = built(
            Some(&path),
            &[(
                "DRF_AUTH_OAUTH2_PROVIDER__ACCESS_TOKEN_EXPIRE_SECONDS",
                "60",
            )],
        );
        assert_eq!(lifetime.settings().oauth2.access_token_expire_seconds, 60);
    }

    #[cfg(feature = "simplejwt")]
    #[test]
    fn simple_jwt_and_rest_auth_are_read_with_the_packages_rules() {
        let path = file(
            "simplejwt",
            "SECRET_KEY = \"k\"\n[SIMPLE_JWT]\nACCESS_TOKEN_LIFETIME = 60\nAUTH_HEADER_TYPES = [\"Bearer\", \"JWT\"]\n[REST_AUTH]\nUSE_JWT = true\nJWT_AUTH_COOKIE = \"access\"\n",
        );
        let built = built(
            Some(&path),
            &[("DRF_AUTH_SIMPLE_JWT__ROTATE_REFRESH_TOKENS", "true")],
        );
        let jwt = built
            .settings()
            .simple_jwt
            .as_ref()
            .unwrap_or_else(|| unreachable!("SIMPLE_JWT is set"));
        assert_eq!(jwt.access_token_lifetime, Duration::from_secs(60));
        assert!(jwt.rotate_refresh_tokens);
        assert_eq!(jwt.auth_header_types, ["Bearer", "JWT"]);
        assert_eq!(
            built.settings().jwt_cookies.access_cookie.as_deref(),
            Some("access")
        );
        assert!(built.settings().rest_auth.use_jwt);
        assert!(built.settings().rest_auth.session_login);

        let refused = error(Some(&path), &[("DRF_AUTH_SIMPLE_JWT__SECRET_KEY", "x")]);
        assert_eq!(
            refused.origin,
            format!(
                "SIMPLE_JWT (from {}, DRF_AUTH_SIMPLE_JWT__SECRET_KEY)",
                path.display()
            )
        );
        assert!(
            refused
                .message
                .contains("The 'SECRET_KEY' setting has been removed"),
            "{refused}"
        );
    }
}
