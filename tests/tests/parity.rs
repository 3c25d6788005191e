//! The Django suites: `parity/run_parity.py` (every scenario sent to Django REST framework and to
//! `drf_parity` on one database, answers compared) and `parity/run_interop.py` (users, tokens,
//! knox tokens and sessions made on either side used on the other, with `auth_user` and with a
//! custom user model). `run_parity.py` runs twice: once as it is, and once for the JWT groups
//! with both servers under other settings: `SIMPLE_JWT` rotation ([`SIMPLE_JWT_ROTATION`]) and
//! dj-rest-auth's cookies with CSRF ([`REST_AUTH_CSRF`]); for djoser's groups under the settings
//! that send every email; for dj-rest-auth's groups with django-allauth installed; and three
//! more times for the `oauth2` group under DOT's other `OAUTH2_PROVIDER` settings.
//!
//! `parity/run_simplejwt.py` mints and reads simplejwt tokens on both sides (`simplejwt_oracle`).
//! `parity/run_introspection.py` puts DOT and `drf_parity` side by side as resource servers of a
//! remote `/o/introspect/` (DOT's `RESOURCE_SERVER_INTROSPECTION_URL`).
//!
//! They need the Python environment that `bash parity/setup.sh` creates (Django 6.1, DRF 3.18,
//! django-rest-knox 5.1, djangorestframework-simplejwt 5.5.1 from PyPI). Without it each suite is reported as **ignored**, with the
//! reason, never as passed; with `AUTH_REQUIRE_EXTERNAL_SUITES=1` (set by `.ci/run`) a missing
//! environment fails instead. `PARITY_VENV` names another environment, as for `setup.sh`.

use std::path::{Path, PathBuf};
use std::process::Command;

use libtest_mimic::{Arguments, Failed, Trial};

const DRF_PARITY: &str = env!("CARGO_BIN_EXE_drf_parity");
const SIMPLEJWT_ORACLE: &str = env!("CARGO_BIN_EXE_simplejwt_oracle");

/// The `auth-admin` binary of the `auth-admin` package, built next to this test by
/// `cargo test --workspace` (the package's own suite needs it): the real binary, not a copy.
fn auth_admin() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|error| error.to_string())?;
    // `target/<profile>/deps/parity-…` → `target/<profile>/auth-admin`.
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| format!("{} is not in a target directory", exe.display()))?;
    let binary = profile_dir.join(format!("auth-admin{}", std::env::consts::EXE_SUFFIX));
    let built = std::fs::metadata(&binary)
        .and_then(|metadata| metadata.modified())
        .map_err(|_| {
            format!(
                "no {}: build it with `cargo build -p auth-admin` (or run `cargo test --workspace`)",
                binary.display()
            )
        })?;
    // A binary older than the sources it is built from would test old code.
    if let Some(newer) = newest_source(&repository(), built) {
        return Err(format!(
            "{} is older than {}: rebuild it with `cargo build -p auth-admin`",
            binary.display(),
            newer.display()
        ));
    }
    Ok(binary)
}

/// A source of `auth-admin` (its crate, auth-core's, or the lock file) changed after `built`.
fn newest_source(repository: &Path, built: std::time::SystemTime) -> Option<PathBuf> {
    fn newer_in(dir: &Path, built: std::time::SystemTime) -> Option<PathBuf> {
        for entry in std::fs::read_dir(dir).ok()?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if let Some(found) = newer_in(&path, built) {
                    return Some(found);
                }
            } else if entry
                .metadata()
                .and_then(|metadata| metadata.modified())
                .is_ok_and(|modified| modified > built)
            {
                return Some(path);
            }
        }
        None
    }
    ["auth-admin/src", "auth-core/src", "Cargo.lock"]
        .into_iter()
        .map(|part| repository.join(part))
        .find_map(|path| {
            if path.is_dir() {
                newer_in(&path, built)
            } else {
                std::fs::metadata(&path)
                    .and_then(|metadata| metadata.modified())
                    .is_ok_and(|modified| modified > built)
                    .then_some(path)
            }
        })
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}

/// A suite: its test name, its script, the Rust binary it drives, and the script's extra
/// arguments (or why they are missing).
type Suite = (
    &'static str,
    &'static str,
    &'static str,
    Result<Vec<String>, String>,
);

/// The interpreter of the parity environment, or why there is none.
fn python() -> Result<PathBuf, String> {
    let venv = std::env::var_os("PARITY_VENV")
        .map_or_else(|| repository().join("parity/.venv"), PathBuf::from);
    let python = venv.join("bin/python");
    if !python.exists() {
        return Err(format!(
            "no Python environment at {}: run `bash parity/setup.sh`",
            python.display()
        ));
    }
    let probe = Command::new(&python)
        .args([
            "-c",
            "import django, rest_framework, knox, rest_framework_simplejwt",
        ])
        .output()
        .map_err(|error| format!("cannot run {}: {error}", python.display()))?;
    if probe.status.success() {
        Ok(python)
    } else {
        Err(format!(
            "{} lacks Django, DRF, knox or simplejwt: run `bash parity/setup.sh`",
            python.display()
        ))
    }
}

/// Runs one suite script; passes when it exits 0. On failure the script's report is the message.
fn run_suite(python: &Path, script: &str, binary: &str, extra: &[String]) -> Result<(), Failed> {
    let output = Command::new(python)
        .arg(repository().join("parity").join(script))
        .args(["--rust-bin", binary])
        .args(extra)
        .current_dir(repository())
        // Both sides throttle in memory: the suite's expectations are per-server counters.
        .env_remove("REDIS_URL")
        .output()
        .map_err(|error| Failed::from(format!("cannot start {script}: {error}")))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The summary line, always shown (`cargo test -- --nocapture` is not needed to see it).
    if let Some(summary) = stdout.lines().rev().find(|line| !line.trim().is_empty()) {
        println!("{script}: {summary}");
    }
    if output.status.success() {
        Ok(())
    } else {
        Err(Failed::from(format!(
            "{script} exited with {}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
            output.status
        )))
    }
}

/// djoser's emails on every occasion (activation on registration and email change, confirmation,
/// password and username changed), the not-found answer for unknown emails, logout on password
/// change, the four retype fields, and the email's protocol, domain and a site name Django
/// escapes.
const DJOSER_EMAILS: &str = r#"{"SEND_ACTIVATION_EMAIL": true, "SEND_CONFIRMATION_EMAIL": true, "PASSWORD_CHANGED_EMAIL_CONFIRMATION": true, "PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND": true, "LOGOUT_ON_PASSWORD_CHANGE": true, "SET_PASSWORD_RETYPE": true, "PASSWORD_RESET_CONFIRM_RETYPE": true, "USERNAME_CHANGED_EMAIL_CONFIRMATION": true, "SET_USERNAME_RETYPE": true, "USERNAME_RESET_CONFIRM_RETYPE": true, "EMAIL_FRONTEND_DOMAIN": "app.example.com", "EMAIL_FRONTEND_PROTOCOL": "https", "EMAIL_FRONTEND_SITE_NAME": "Parity & Co's <app>"}"#;

/// Rotation, blacklisting after it, the revoke claim, a second header type, and sliding tokens
/// accepted by the JWT schemes (checked against the blacklist as they authenticate).
const SIMPLE_JWT_ROTATION: &str = r#"{"ROTATE_REFRESH_TOKENS": true, "BLACKLIST_AFTER_ROTATION": true, "CHECK_REVOKE_TOKEN": true, "AUTH_HEADER_TYPES": ["Bearer", "JWT"], "AUTH_TOKEN_CLASSES": ["rest_framework_simplejwt.tokens.AccessToken", "rest_framework_simplejwt.tokens.SlidingToken"]}"#;

/// dj-rest-auth's JWT mode with cookies under CSRF, readable refresh tokens (so logout reads the
/// body's), expiration times in the login body, `Secure` and `SameSite=Strict`; the old password
/// asked by `password/change/`, which then logs the session out.
const REST_AUTH_CSRF: &str = r#"{"USE_JWT": true, "JWT_AUTH_RETURN_EXPIRATION": true, "JWT_AUTH_COOKIE": "jwt-access", "JWT_AUTH_REFRESH_COOKIE": "jwt-refresh", "JWT_AUTH_REFRESH_COOKIE_PATH": "/dj-rest-auth/", "JWT_AUTH_COOKIE_USE_CSRF": true, "JWT_AUTH_HTTPONLY": false, "JWT_AUTH_SAMESITE": "Strict", "JWT_AUTH_SECURE": true, "OLD_PASSWORD_FIELD_ENABLED": true, "LOGOUT_ON_PASSWORD_CHANGE": true}"#;

fn main() {
    let arguments = Arguments::from_args();
    let required = std::env::var("AUTH_REQUIRE_EXTERNAL_SUITES").is_ok_and(|value| value == "1");
    let environment = python();
    let interop =
        auth_admin().map(|admin| vec!["--admin-bin".to_owned(), admin.display().to_string()]);
    let oauth2 = |provider: &str| {
        Ok(["--oauth2-provider", provider, "--group", "oauth2"]
            .map(str::to_owned)
            .to_vec())
    };
    let suites: [Suite; 11] = [
        (
            "django_parity_suite",
            "run_parity.py",
            DRF_PARITY,
            Ok(Vec::new()),
        ),
        // simplejwt's scenarios again, both servers under the other settings issue 18 names.
        (
            "django_parity_suite_simplejwt_rotation",
            "run_parity.py",
            DRF_PARITY,
            Ok([
                "--simple-jwt",
                SIMPLE_JWT_ROTATION,
                "--rest-auth",
                REST_AUTH_CSRF,
                "--group",
                "simplejwt",
                "--group",
                "simplejwt-endpoints",
                "--group",
                "simplejwt-interop",
                "--group",
                "jwt-cookies",
                "--group",
                "rest-auth-login",
                "--group",
                "rest-auth-account",
            ]
            .map(str::to_owned)
            .to_vec()),
        ),
        // djoser's groups again under the `DJOSER` settings that send every email (issue 22).
        (
            "django_parity_suite_djoser_emails",
            "run_parity.py",
            DRF_PARITY,
            Ok([
                "--djoser",
                DJOSER_EMAILS,
                "--group",
                "djoser",
                "--group",
                "djoser-interop",
            ]
            .map(str::to_owned)
            .to_vec()),
        ),
        // dj-rest-auth's groups with django-allauth installed in the reference project
        // (`PARITY_ALLAUTH`; `REST_AUTH` `ALLAUTH` on the Rust side): allauth's login methods,
        // username rules, password reset, registration and email verification (issue 22).
        (
            "django_parity_suite_allauth",
            "run_parity.py",
            DRF_PARITY,
            Ok([
                "--allauth",
                "--group",
                "rest-auth-login",
                "--group",
                "rest-auth-account",
                "--group",
                "rest-auth-reset",
                "--group",
                "rest-auth-reset-interop",
                "--group",
                "rest-auth-registration",
                "--group",
                "rest-auth-registration-interop",
            ]
            .map(str::to_owned)
            .to_vec()),
        ),
        // DOT's scenarios again under the other `OAUTH2_PROVIDER` settings issue 21 names (the
        // first run has the defaults): scopes in 403 bodies, DOT 3.4.1's query-string transport,
        // and DOT's behaviour for inactive users' tokens.
        (
            "django_parity_suite_oauth2_error_response_with_scopes",
            "run_parity.py",
            DRF_PARITY,
            oauth2(r#"{"ERROR_RESPONSE_WITH_SCOPES": true}"#),
        ),
        (
            "django_parity_suite_oauth2_query_transport",
            "run_parity.py",
            DRF_PARITY,
            oauth2(r#"{"COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": false}"#),
        ),
        (
            "django_parity_suite_oauth2_inactive_users",
            "run_parity.py",
            DRF_PARITY,
            oauth2(r#"{"AUTHENTICATE_INACTIVE_USERS": true}"#),
        ),
        // DOT's provider endpoints under each `OAUTH2_PROVIDER` configuration of the refresh
        // flow (rotation off, a grace period, reuse protection, both, short access tokens,
        // refresh-token expiry), each on a fresh database.
        (
            "django_parity_suite_oauth2_provider_settings",
            "run_parity.py",
            DRF_PARITY,
            Ok(vec!["--oauth2-provider-runs".to_owned()]),
        ),
        (
            "django_interop_suite",
            "run_interop.py",
            DRF_PARITY,
            interop,
        ),
        // DOT's remote resource-server mode: DOT and the Rust server as resource servers of DOT's
        // and the Rust server's `/o/introspect/`, and of a scripted authorization server.
        (
            "dot_remote_introspection_suite",
            "run_introspection.py",
            DRF_PARITY,
            Ok(Vec::new()),
        ),
        (
            "simplejwt_interop_suite",
            "run_simplejwt.py",
            SIMPLEJWT_ORACLE,
            Ok(Vec::new()),
        ),
    ];
    let trials = suites
        .into_iter()
        .map(
            |(name, script, binary, extra)| match (&environment, extra) {
                (Ok(python), Ok(extra)) => {
                    let python = python.clone();
                    Trial::test(name, move || run_suite(&python, script, binary, &extra))
                }
                // The environment exists but a binary does not: a failure, never a pass.
                (Ok(_), Err(reason)) => Trial::test(name, move || Err(Failed::from(reason))),
                (Err(reason), _) if required => {
                    let reason = format!("AUTH_REQUIRE_EXTERNAL_SUITES=1 but {reason}");
                    Trial::test(name, move || Err(Failed::from(reason)))
                }
                (Err(reason), _) => {
                    eprintln!("{name} ignored: {reason}");
                    // Run anyway (`--include-ignored`), it fails with the reason: never a pass.
                    let reason = reason.clone();
                    Trial::test(name, move || Err(Failed::from(reason))).with_ignored_flag(true)
                }
            },
        )
        .collect();
    libtest_mimic::run(&arguments, trials).exit();
}
