//! Django's system checks (`manage.py check [--deploy]`) for what this library configures: the
//! problems a project should hear about at start-up rather than find in production.
//!
//! [`check`] lists them ([`AuthSettings::check`](crate::AuthSettings::check) for built
//! settings); building the settings logs the ones that apply to every server, and
//! `auth-admin check --deploy` prints them all in Django's format. Identifiers follow Django's where the check is Django's
//! (`security.W009` for the secret key, …) and use `auth.` for this library's own.

use std::fmt;

use crate::authentication::{Authenticators, CredentialLocation};
use crate::policy::PolicyDefaults;
use crate::settings::{DEFAULT_ALLOWED_HOSTS, Settings};

/// How serious a check's finding is (Django's levels that matter here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// A problem that may well be intended, but rarely is.
    Warning,
    /// A configuration that is wrong.
    Error,
}

/// One finding: Django's `CheckMessage`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckMessage {
    /// `Error` or `Warning`.
    pub level: Level,
    /// The stable identifier (`security.W009`, `auth.W001`, …).
    pub id: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl fmt::Display for CheckMessage {
    /// Django's line: `?: (security.W009) message`, then `\tHINT: hint`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "?: ({}) {}", self.id, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n\tHINT: {hint}")?;
        }
        Ok(())
    }
}

/// Django's `SECRET_KEY_INSECURE_PREFIX`.
const INSECURE_PREFIX: &str = "django-insecure-";
/// Django's `SECRET_KEY_MIN_LENGTH` and `SECRET_KEY_MIN_UNIQUE_CHARACTERS`.
const SECRET_KEY_MIN_LENGTH: usize = 50;
const SECRET_KEY_MIN_UNIQUE_CHARACTERS: usize = 5;

fn warning(id: &'static str, message: impl Into<String>, hint: Option<&str>) -> CheckMessage {
    CheckMessage {
        level: Level::Warning,
        id,
        message: message.into(),
        hint: hint.map(str::to_owned),
    }
}

fn error(id: &'static str, message: impl Into<String>, hint: Option<&str>) -> CheckMessage {
    CheckMessage {
        level: Level::Error,
        id,
        message: message.into(),
        hint: hint.map(str::to_owned),
    }
}

/// Whether the settings name hosts other than the loopback ones: a server others reach.
pub fn serves_other_hosts(settings: &Settings) -> bool {
    settings
        .allowed_hosts
        .iter()
        .any(|host| !DEFAULT_ALLOWED_HOSTS.contains(&host.as_str()))
}

/// The findings about `values` and the project's `defaults`: those that apply to any server,
/// plus, with `deploy`, those of a deployment (Django's `--deploy`).
pub fn check(values: &Settings, defaults: &PolicyDefaults, deploy: bool) -> Vec<CheckMessage> {
    let mut found = Vec::new();

    let key = values.secret_key.expose();
    let unique = key.chars().collect::<std::collections::BTreeSet<_>>().len();
    if key.is_empty() {
        found.push(error(
            "security.E100",
            "SECRET_KEY is not set: sessions and the session auth hash cannot be signed.",
            Some("Set it to the Django project's SECRET_KEY (AuthSettingsBuilder::secret_key_from_env)."),
        ));
    } else if key.chars().count() < SECRET_KEY_MIN_LENGTH
        || unique < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        || key.starts_with(INSECURE_PREFIX)
    {
        // Django's security.W009, worded as Django words it.
        let message = format!(
            "Your SECRET_KEY has less than {SECRET_KEY_MIN_LENGTH} characters, less than \
             {SECRET_KEY_MIN_UNIQUE_CHARACTERS} unique characters, or it's prefixed with \
             '{INSECURE_PREFIX}' indicating that it was generated automatically by Django. \
             Please generate a long and random value, otherwise many of Django's \
             security-critical features will be vulnerable to attack."
        );
        found.push(warning("security.W009", message, None));
    }

    if !values.deny_by_default {
        found.push(warning(
            "auth.W001",
            "Deny-by-default is off: a handler that declares no policy runs none, and the default \
             permission is DRF's AllowAny, so a route someone forgot is open.",
            Some("Remove .deny_by_default(false), or give every handler a policy attribute."),
        ));
    }

    let schemes = PolicyDefaults::resolve_authentication(None, defaults);
    let basic = schemes
        .security_requirements(values, "GET")
        .iter()
        .flatten()
        .any(|scheme| scheme.location == CredentialLocation::HttpBasic);
    if basic && !defaults.configures_throttles() {
        found.push(warning(
            "auth.W002",
            "BasicAuthentication is among the default schemes and no default throttle is set: \
             every route that uses the defaults checks passwords without a limit.",
            Some(
                "Set a default throttle (default_throttle::<AnonRateThrottle>() with an `anon` \
                 rate), or leave Basic to the login endpoints, which the `login` scope throttles.",
            ),
        ));
    }

    // At start-up nothing says whether a proxy is in front: the pipeline warns when an
    // `X-Forwarded-For` arrives without `num_proxies`; the deployment check always does.
    if deploy && values.num_proxies.is_none() {
        found.push(warning(
            "auth.W003",
            "NUM_PROXIES is not set: behind a proxy, throttling identifies a client by the whole \
             X-Forwarded-For header, which the client writes, so each value is a new client.",
            Some(
                "Set num_proxies(n) to the number of proxies in front of the service (0 for none).",
            ),
        ));
    }

    #[cfg(feature = "sqlite")]
    found.extend(database_file(values.database_url.as_str(), deploy));

    if deploy || serves_other_hosts(values) {
        if !values.session_cookie.secure {
            // Django's security.W012.
            found.push(warning(
                "security.W012",
                "SESSION_COOKIE_SECURE is not set to True. Using a secure-only session cookie \
                 makes it more difficult for network traffic sniffers to hijack user sessions.",
                Some("session_cookie(CookieSettings { secure: true, ..CookieSettings::django_session() })"),
            ));
        }
        // Django's security.W016; passes when the secret is in the session (no CSRF cookie).
        if !values.csrf_use_sessions && !values.csrf_cookie.secure {
            found.push(warning(
                "security.W016",
                "You have 'django.middleware.csrf.CsrfViewMiddleware' in your MIDDLEWARE, but \
                 you have not set CSRF_COOKIE_SECURE to True. Using a secure-only CSRF cookie \
                 makes it more difficult for network traffic sniffers to steal the CSRF token.",
                Some(
                    "csrf_cookie(CookieSettings { secure: true, ..CookieSettings::django_csrf() })",
                ),
            ));
        }
    }
    if deploy {
        let hosts = &values.allowed_hosts;
        if hosts.iter().any(|host| host == "*") {
            found.push(warning(
                "auth.W004",
                "ALLOWED_HOSTS contains '*': any Host header is accepted, including a DNS name \
                 an attacker rebinds to this server.",
                Some("List the service's own host names (allowed_hosts([...]))."),
            ));
        } else if !serves_other_hosts(values) {
            found.push(warning(
                "auth.W005",
                "ALLOWED_HOSTS names only the loopback hosts: clients reaching the service by its \
                 public name get 400.",
                Some("List the service's own host names (allowed_hosts([...]))."),
            ));
        }
    }
    found
}

/// The findings about the SQLite file of `url`: absent (the connection would create an empty
/// database), or readable by other users.
#[cfg(feature = "sqlite")]
fn database_file(url: &str, deploy: bool) -> Vec<CheckMessage> {
    use std::str::FromStr;

    let mut found = Vec::new();
    if !url.starts_with("sqlite:") || url.starts_with("sqlite::memory:") {
        return found;
    }
    let Ok(options) = sea_orm::sqlx::sqlite::SqliteConnectOptions::from_str(url) else {
        return found;
    };
    let path = options.get_filename();
    match std::fs::metadata(path) {
        Err(_) => {
            let creates = crate::store::sqlite_file::creatable_path(url).is_some();
            let message = format!(
                "The SQLite database {} does not exist{}.",
                path.display(),
                if creates {
                    ": the first connection creates it empty"
                } else {
                    ""
                }
            );
            let hint = Some(
                "If DATABASE_URL should name an existing Django database, the path is wrong; \
                 otherwise run `auth-admin migrate` once.",
            );
            found.push(if deploy {
                error("auth.E001", message, hint)
            } else {
                warning("auth.E001", message, hint)
            });
        }
        #[cfg(unix)]
        Ok(metadata) => {
            use std::os::unix::fs::PermissionsExt;
            let mode = metadata.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                found.push(warning(
                    "auth.W006",
                    format!(
                        "The SQLite database {} is readable or writable by other users (mode \
                         {mode:o}); it holds DRF tokens and session keys in clear.",
                        path.display()
                    ),
                    Some("chmod 600 the file (and its -wal and -shm files)."),
                ));
            }
        }
        #[cfg(not(unix))]
        Ok(_) => {}
    }
    found
}

/// Logs each finding that applies to every server (what `manage.py runserver` shows at start).
pub(crate) fn log_startup(values: &Settings, defaults: &PolicyDefaults) {
    for message in check(values, defaults, false) {
        match message.level {
            Level::Error => tracing::error!(id = message.id, "{message}"),
            Level::Warning => tracing::warn!(id = message.id, "{message}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::AuthSettings;

    fn ids(settings: &AuthSettings, deploy: bool) -> Vec<&'static str> {
        settings
            .check(deploy)
            .iter()
            .map(|message| message.id)
            .collect()
    }

    const GOOD_KEY: &str = "vq3^s8@m!2kz$wq#0r7e%x9(t6u)b1y-c4d5f_g+h=i~j{k}l[m]n;o:p,r.s<t>";

    #[test]
    fn a_weak_configuration_is_reported_and_a_good_one_passes() {
        let weak = AuthSettings::builder()
            .secret_key("django-insecure-short")
            .deny_by_default(false)
            .database_url("sqlite::memory:")
            .allowed_hosts(["*"])
            .build()
            .unwrap();
        assert_eq!(
            ids(&weak, true),
            [
                "security.W009",
                "auth.W001",
                "auth.W002",
                "auth.W003",
                "security.W012",
                "security.W016",
                "auth.W004"
            ]
        );
        assert!(weak.check(true).iter().all(|m| m.level == Level::Warning));
        // Without `--deploy`: what applies to any server.
        assert_eq!(
            ids(&weak, false),
            [
                "security.W009",
                "auth.W001",
                "auth.W002",
                "security.W012",
                "security.W016"
            ],
            "'*' names hosts other than the loopback ones: the cookies matter"
        );

        // A deployment's settings, secure cookies but for the CSRF one.
        let secure = || {
            AuthSettings::builder()
                .secret_key(GOOD_KEY)
                .database_url("sqlite::memory:")
                .default_throttle::<crate::throttling::AnonRateThrottle>()
                .num_proxies(1)
                .allowed_hosts(["api.example.com"])
                .session_cookie(crate::django::http::cookie::CookieSettings {
                    secure: true,
                    ..crate::django::http::cookie::CookieSettings::django_session()
                })
        };
        let good = secure()
            .csrf_cookie(crate::django::http::cookie::CookieSettings {
                secure: true,
                ..crate::django::http::cookie::CookieSettings::django_csrf()
            })
            .build()
            .unwrap();
        assert_eq!(ids(&good, true), Vec::<&str>::new());

        // Django's W016 passes with CSRF_USE_SESSIONS: there is no CSRF cookie to secure.
        let in_session = secure().csrf_use_sessions(true).build().unwrap();
        assert_eq!(ids(&in_session, true), Vec::<&str>::new());
    }

    #[test]
    fn messages_print_as_django_prints_them() {
        let message = warning("auth.W001", "Something.", Some("Do this."));
        assert_eq!(
            message.to_string(),
            "?: (auth.W001) Something.\n\tHINT: Do this."
        );
    }
}
