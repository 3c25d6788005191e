//! `check [--deploy]`: Django's system check command over this library's settings.

use std::io::Write;

use auth_core::checks::{self, CheckMessage, Level};
use auth_core::django::http::cookie::CookieSettings;
use auth_core::policy::PolicyDefaults;
use auth_core::settings::{SecretKey, Settings};

use super::cli::{CheckArgs, FailLevel};
use super::{EXIT_FAILURE, EXIT_SUCCESS};

/// Prints the findings as Django's `check` does and returns the exit status: 1 when one is at or
/// above the fail level (Django's `SystemCheckError`), otherwise 0.
pub(super) fn report(
    messages: &[CheckMessage],
    args: &CheckArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    if messages.is_empty() {
        let _ = writeln!(out, "System check identified no issues (0 silenced).");
        return EXIT_SUCCESS;
    }
    let threshold = match args.fail_level() {
        FailLevel::Error => Level::Error,
        FailLevel::Warning => Level::Warning,
    };
    let serious = messages.iter().any(|message| message.level >= threshold);
    let mut text = String::from("System check identified some issues:\n");
    for (level, title) in [(Level::Error, "ERRORS"), (Level::Warning, "WARNINGS")] {
        let group: Vec<&CheckMessage> = messages.iter().filter(|m| m.level == level).collect();
        if group.is_empty() {
            continue;
        }
        text.push_str(&format!("\n{title}:\n"));
        for message in group {
            text.push_str(&format!("{message}\n"));
        }
    }
    let count = messages.len();
    let issues = if count == 1 { "issue" } else { "issues" };
    text.push_str(&format!(
        "\nSystem check identified {count} {issues} (0 silenced)."
    ));
    if serious {
        let _ = writeln!(err, "SystemCheckError: {text}");
        EXIT_FAILURE
    } else {
        let _ = writeln!(err, "{text}");
        EXIT_SUCCESS
    }
}

/// The settings of a project run by the standalone binary, from the environment: `SECRET_KEY`,
/// `ALLOWED_HOSTS` (comma-separated), `NUM_PROXIES`, `SESSION_COOKIE_SECURE`,
/// `CSRF_COOKIE_SECURE`, `DENY_BY_DEFAULT`, `DEFAULT_AUTHENTICATION_CLASSES` and
/// `DEFAULT_THROTTLE_CLASSES` (DRF class names, comma-separated), and the database URL. A
/// binary that embeds the commands checks its real settings instead.
pub(super) fn from_environment(database_url: &str) -> (Settings, PolicyDefaults) {
    let var = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
    let flag = |name: &str| {
        var(name).map(|value| {
            matches!(
                value.to_ascii_lowercase().as_str(),
                "1" | "true" | "yes" | "on"
            )
        })
    };
    let mut settings = Settings::default();
    settings.secret_key = SecretKey::new(var("SECRET_KEY").unwrap_or_default());
    settings.database_url = database_url.to_owned();
    if let Some(hosts) = var("ALLOWED_HOSTS") {
        settings.allowed_hosts = hosts
            .split(',')
            .map(str::trim)
            .filter(|host| !host.is_empty())
            .map(str::to_owned)
            .collect();
    }
    settings.num_proxies = var("NUM_PROXIES").and_then(|value| value.parse().ok());
    settings.session_cookie = CookieSettings {
        secure: flag("SESSION_COOKIE_SECURE").unwrap_or(false),
        ..CookieSettings::django_session()
    };
    settings.csrf_cookie = CookieSettings {
        secure: flag("CSRF_COOKIE_SECURE").unwrap_or(false),
        ..CookieSettings::django_csrf()
    };
    settings.deny_by_default = flag("DENY_BY_DEFAULT").unwrap_or(true);
    let mut defaults = PolicyDefaults::new();
    if let Some(classes) = var("DEFAULT_AUTHENTICATION_CLASSES")
        && !classes.contains("BasicAuthentication")
    {
        // Only whether Basic is among them matters to the checks.
        defaults = defaults.authentication::<auth_core::authentication::SessionAuthentication>();
    }
    if var("DEFAULT_THROTTLE_CLASSES").is_some() {
        // Only whether there are any matters to the checks.
        defaults = defaults.throttle::<auth_core::throttling::AnonRateThrottle>();
    }
    (settings, defaults)
}

/// The findings for the standalone binary.
pub(super) fn standalone(database_url: &str, deploy: bool) -> Vec<CheckMessage> {
    let (settings, defaults) = from_environment(database_url);
    checks::check(&settings, &defaults, deploy)
}
