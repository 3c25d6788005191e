//! The command line: clap types for the tool and for each command.

use std::fmt;
use std::io::Write;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use auth_core::settings::DEFAULT_DATABASE_URL;
use auth_core::store::database_url;
use auth_core::store::user::{UserIdKind, UserModel};

/// The whole tool: global options and one command (`auth-admin [--database-url URL] <COMMAND>`).
///
/// `Debug` never shows the database URL, which may contain a password.
#[derive(Clone, Parser)]
#[command(
    name = "auth-admin",
    version,
    about = "Django's manage.py commands for the users, tokens and sessions of auth-actix",
    long_about = None,
    propagate_version = true
)]
pub struct AdminCli {
    /// Database to work on (sqlite://auth.db?mode=rwc, postgres://user:password@host/name, ...).
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        hide_env_values = true,
        default_value = DEFAULT_DATABASE_URL,
        value_name = "URL"
    )]
    pub database_url: String,

    /// A file holding the database password (a container secret), put into the URL's user
    /// information in memory, so that neither the command line nor the URL carries it. The
    /// environment variable `DATABASE_PASSWORD` does the same.
    #[arg(
        long,
        global = true,
        env = "DATABASE_PASSWORD_FILE",
        value_name = "PATH"
    )]
    pub database_password_file: Option<std::path::PathBuf>,

    /// The users' table, for a Django project with a custom user model (`AUTH_USER_MODEL`'s
    /// `db_table`); by default `auth_user`, or the table Django makes for --user-model.
    #[arg(long, global = true, env = "AUTH_USER_TABLE", value_name = "TABLE")]
    pub user_table: Option<String>,

    /// The column users log in by (the custom user model's `USERNAME_FIELD`).
    #[arg(
        long,
        global = true,
        env = "AUTH_USERNAME_FIELD",
        default_value = "username",
        value_name = "COLUMN"
    )]
    pub username_field: String,

    /// Django's AUTH_USER_MODEL ("app_label.ModelName"), which names the user's column in the
    /// groups and permissions tables; by default the part of the table name after its first `_`.
    #[arg(long, global = true, env = "AUTH_USER_MODEL", value_name = "APP.MODEL")]
    pub user_model: Option<String>,

    /// The class of the user model's primary key: AutoField or BigAutoField (the default), or
    /// UUIDField (new users then get a random UUID, as Django's `default=uuid.uuid4`).
    #[arg(
        long,
        global = true,
        env = "AUTH_USER_PK_FIELD",
        default_value = "AutoField",
        value_name = "FIELD",
        value_parser = ["AutoField", "BigAutoField", "SmallAutoField", "UUIDField"]
    )]
    pub user_pk_field: String,

    /// The command to run.
    #[command(subcommand)]
    pub command: AdminCommand,
}

impl fmt::Debug for AdminCli {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminCli")
            .field("database_url", &"<redacted>")
            .field("database_password_file", &self.database_password_file)
            .field("user_table", &self.user_table)
            .field("username_field", &self.username_field)
            .field("user_model", &self.user_model)
            .field("user_pk_field", &self.user_pk_field)
            .field("command", &self.command)
            .finish()
    }
}

impl AdminCli {
    /// Runs the parsed command against [`database_url`](Self::database_url) and the user model
    /// named by [`user_table`](Self::user_table) and [`username_field`](Self::username_field),
    /// with Django's default password hashers, the process's standard output and error, and the
    /// terminal for prompts; the result is the process's exit status (see [`super::run`]).
    pub async fn run(self) -> ExitCode {
        // Unlocked handles: a prompt or a log line on another thread must not wait for us.
        let mut out = std::io::stdout();
        let mut err = std::io::stderr();
        let url = match database_url_with_password(
            &self.database_url,
            self.database_password_file.as_deref(),
        ) {
            Ok(url) => url,
            Err(error) => {
                let _ = writeln!(err, "CommandError: {error}");
                return ExitCode::from(1);
            }
        };
        let table = self.user_table.clone().unwrap_or_else(|| {
            self.user_model
                .as_deref()
                .and_then(UserModel::default_table)
                .unwrap_or_else(|| "auth_user".to_owned())
        });
        let users =
            UserModel::new(table, self.username_field).and_then(|users| match &self.user_model {
                Some(name) => users.with_auth_user_model(name),
                None => Ok(users),
            });
        let users = users.map(|users| {
            users
                .with_id_kind(UserIdKind::from_field_class(&self.user_pk_field).unwrap_or_default())
        });
        let code = match users {
            Ok(users) => super::run_for(self.command, &url, users, &mut out, &mut err).await,
            Err(error) => {
                let _ = writeln!(err, "CommandError: {error}");
                super::EXIT_FAILURE
            }
        };
        // Best effort: a failed flush has nowhere left to be reported.
        let _ = out.flush();
        let _ = err.flush();
        ExitCode::from(u8::try_from(code).unwrap_or(1))
    }
}

/// `url` with the password of `--database-password-file`, or of `DATABASE_PASSWORD`, when one
/// is given.
fn database_url_with_password(
    url: &str,
    password_file: Option<&std::path::Path>,
) -> Result<String, String> {
    let password = match password_file {
        Some(path) => Some(
            database_url::read_password_file(path)
                .map_err(|error| format!("cannot read --database-password-file: {error}"))?,
        ),
        None => std::env::var("DATABASE_PASSWORD").ok(),
    };
    match password.filter(|password| !password.is_empty()) {
        None => Ok(url.to_owned()),
        Some(password) => database_url::with_password(url, &password).ok_or_else(|| {
            "the database URL names no user to give the password to, or already has a password"
                .to_owned()
        }),
    }
}

/// One administration command, as Django's `manage.py` has it.
///
/// Embed it in your own clap parser with `#[command(subcommand)]` or run it with
/// [`super::run`].
#[derive(Debug, Clone, Subcommand)]
pub enum AdminCommand {
    /// Create the tables this library uses (auth_user, authtoken_token, django_session, ...)
    /// when they are missing, with Django's DDL; existing tables are left unchanged.
    Migrate,

    /// Create a user with is_staff and is_superuser set (Django's createsuperuser).
    #[command(
        after_help = "Without a terminal (or with --no-input) the password comes from \
        --password-env VAR or DJANGO_SUPERUSER_PASSWORD; --no-password stores an unusable \
        password instead. The password is never printed."
    )]
    Createsuperuser(CreateSuperuserArgs),

    /// Create a user, staff or superuser as asked, in the given groups (made when missing):
    /// Django's admin "Add user" form, or `User.objects.create_user` then `user.groups.add`.
    #[command(
        after_help = "Without a terminal (or with --no-input) the password comes from \
        --password-env VAR; --no-password stores an unusable password instead. The password is \
        checked by AUTH_PASSWORD_VALIDATORS and never printed."
    )]
    Createuser(CreateUserArgs),

    /// Change a user's password (Django's changepassword).
    Changepassword(ChangePasswordArgs),

    /// Create DRF Token for a given user
    #[command(alias = "drf_create_token")]
    CreateToken(CreateTokenArgs),

    /// List the DRF tokens: user, creation time and the first characters of the key only.
    ListTokens,

    /// Delete a user's DRF token; requests with it are refused from then on.
    RevokeToken(RevokeTokenArgs),

    /// Delete the expired sessions (Django's clearsessions).
    Clearsessions,

    /// Print a user's effective permissions, one per line (Django's
    /// user.get_all_permissions(): its own, its groups', every one for an active superuser,
    /// none for an inactive user).
    Permissions(UserArgs),

    /// Give a user permissions directly (user.user_permissions.add), by "app_label.codename".
    Addperm(PermissionArgs),

    /// Take permissions given directly from a user (user.user_permissions.remove).
    Removeperm(PermissionArgs),

    /// Put a user in groups (user.groups.add), making the groups that do not exist.
    Addgroup(GroupArgs),

    /// Delete simplejwt's expired outstanding tokens and their blacklist entries
    /// (simplejwt's flushexpiredtokens).
    #[cfg(feature = "simplejwt")]
    Flushexpiredtokens,

    /// Delete django-oauth-toolkit's expired and revoked tokens and expired grants (DOT's
    /// cleartokens), with DOT's OAUTH2_PROVIDER refresh-token settings as options.
    #[cfg(feature = "oauth2")]
    Cleartokens(CleartokensArgs),

    /// Shortcut to create a new application in a programmatic way (DOT's createapplication).
    #[cfg(feature = "oauth2")]
    #[command(
        after_help = "As DOT's command: the application is checked as DOT's Application.full_clean() \
        checks it (its messages, then exit status 1); the client id and secret are generated when \
        not given (40 and 128 characters of [a-zA-Z0-9]); the secret is stored as a Django \
        password hash (the first of PASSWORD_HASHERS) unless --no-hash-client-secret, and printed \
        once, only when it was generated."
    )]
    Createapplication(CreateApplicationArgs),

    /// List django-oauth-toolkit's applications, one per line: id, client id, client type,
    /// grant type, owner, name (never the secret).
    #[cfg(feature = "oauth2")]
    Listapplications,

    /// Delete a django-oauth-toolkit application with its access tokens, refresh tokens, grants
    /// and ID tokens (Django's cascade); requests with them are refused from then on.
    #[cfg(feature = "oauth2")]
    Deleteapplication(DeleteApplicationArgs),

    /// Inspect the settings for common problems (Django's check); --deploy adds the checks of
    /// a deployment.
    #[command(
        after_help = "The standalone binary reads the project's settings from the environment: \
        SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS (comma-separated), NUM_PROXIES, \
        SESSION_COOKIE_SECURE, CSRF_COOKIE_SECURE, DENY_BY_DEFAULT, \
        DEFAULT_AUTHENTICATION_CLASSES, DEFAULT_THROTTLE_CLASSES. Exit status 1 when a finding \
        is at or above --fail-level (with --deploy: WARNING by default, stricter than Django's \
        ERROR, so that a weak deployment fails the check)."
    )]
    Check(CheckArgs),
}

/// Options of `check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Check deployment settings too (Django's check --deploy).
    #[arg(long)]
    pub deploy: bool,

    /// The level of finding that makes the command fail (default: ERROR, WARNING with --deploy).
    #[arg(long, value_enum, ignore_case = true)]
    pub fail_level: Option<FailLevel>,
}

impl CheckArgs {
    /// The effective fail level.
    pub fn fail_level(&self) -> FailLevel {
        self.fail_level.unwrap_or(if self.deploy {
            FailLevel::Warning
        } else {
            FailLevel::Error
        })
    }
}

/// `--fail-level` (Django's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "UPPER")]
pub enum FailLevel {
    /// Fail on errors only.
    Error,
    /// Fail on warnings too.
    Warning,
}

/// Options of `createsuperuser`.
#[derive(Debug, Clone, Args)]
pub struct CreateSuperuserArgs {
    /// The username (letters, digits and @.+-_, at most 150 characters).
    #[arg(long, env = "DJANGO_SUPERUSER_USERNAME")]
    pub username: Option<String>,

    /// The e-mail address (may be left blank).
    #[arg(long, env = "DJANGO_SUPERUSER_EMAIL")]
    pub email: Option<String>,

    /// Read the password from this environment variable instead of DJANGO_SUPERUSER_PASSWORD.
    #[arg(long, value_name = "VAR", conflicts_with = "no_password")]
    pub password_env: Option<String>,

    /// Store an unusable password: the user cannot log in with a password until one is set
    /// (Django's set_unusable_password).
    #[arg(long)]
    pub no_password: bool,

    /// Prompt for the missing values even when standard input is not a terminal.
    #[arg(long, conflicts_with = "no_input")]
    pub interactive: bool,

    /// Never prompt: missing values are an error.
    #[arg(long, alias = "noinput")]
    pub no_input: bool,

    /// Store a password from the environment even when AUTH_PASSWORD_VALIDATORS refuse it
    /// (Django never validates DJANGO_SUPERUSER_PASSWORD; here it is validated by default).
    #[arg(long)]
    pub skip_password_validation: bool,
}

/// Options of `createuser`.
#[derive(Debug, Clone, Args)]
pub struct CreateUserArgs {
    /// The username (letters, digits and @.+-_, at most 150 characters).
    #[arg(long)]
    pub username: Option<String>,

    /// The e-mail address (may be left blank).
    #[arg(long)]
    pub email: Option<String>,

    /// Read the password from this environment variable.
    #[arg(long, value_name = "VAR", conflicts_with = "no_password")]
    pub password_env: Option<String>,

    /// Store an unusable password (Django's set_unusable_password).
    #[arg(long)]
    pub no_password: bool,

    /// May use the admin (is_staff).
    #[arg(long)]
    pub staff: bool,

    /// Has every permission (is_superuser); implies --staff, as createsuperuser.
    #[arg(long)]
    pub superuser: bool,

    /// A group to put the user in, made when missing; repeat for several.
    #[arg(long = "group", value_name = "NAME")]
    pub groups: Vec<String>,

    /// Prompt for the missing values even when standard input is not a terminal.
    #[arg(long, conflicts_with = "no_input")]
    pub interactive: bool,

    /// Never prompt: missing values are an error.
    #[arg(long, alias = "noinput")]
    pub no_input: bool,

    /// Store a password from the environment even when AUTH_PASSWORD_VALIDATORS refuse it.
    #[arg(long)]
    pub skip_password_validation: bool,
}

/// Options of `cleartokens`: DOT's `OAUTH2_PROVIDER` keys it reads.
#[cfg(feature = "oauth2")]
#[derive(Debug, Clone, Args)]
pub struct CleartokensArgs {
    /// REFRESH_TOKEN_EXPIRE_SECONDS: refresh tokens idle this long after their access token
    /// expired are deleted (default: never).
    #[arg(long, value_name = "SECONDS")]
    pub refresh_token_expire_seconds: Option<u32>,

    /// REFRESH_TOKEN_GRACE_PERIOD_SECONDS: revoked refresh tokens are kept this long.
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    pub refresh_token_grace_period_seconds: u32,

    /// REFRESH_TOKEN_REUSE_PROTECTION: revoked refresh tokens are kept until they age out.
    #[arg(long)]
    pub refresh_token_reuse_protection: bool,
}

/// Arguments and options of `createapplication`: DOT 3.4.1's, and the `OAUTH2_PROVIDER`
/// settings its checks read.
///
/// `Debug` never shows the client secret.
#[cfg(feature = "oauth2")]
#[derive(Clone, Args)]
pub struct CreateApplicationArgs {
    /// The client type, one of: confidential, public
    pub client_type: String,

    /// The type of authorization grant to be used, one of: authorization-code,
    /// urn:ietf:params:oauth:grant-type:device_code, implicit, password, client-credentials,
    /// openid-hybrid
    pub authorization_grant_type: String,

    /// The ID of the new application
    #[arg(long, allow_hyphen_values = true)]
    pub client_id: Option<String>,

    /// The user the application belongs to (the user's primary key, as DOT's command takes it)
    #[arg(long, allow_hyphen_values = true)]
    pub user: Option<String>,

    /// The redirect URIs, this must be a space separated string e.g 'URI1 URI2'
    #[arg(long, allow_hyphen_values = true)]
    pub redirect_uris: Option<String>,

    /// The post logout redirect URIs, this must be a space separated string e.g 'URI1 URI2'
    #[arg(long, default_value = "", allow_hyphen_values = true)]
    pub post_logout_redirect_uris: String,

    /// The secret for this application
    #[arg(long, allow_hyphen_values = true)]
    pub client_secret: Option<String>,

    /// Don't hash the client secret
    #[arg(long)]
    pub no_hash_client_secret: bool,

    /// The name this application
    #[arg(long, allow_hyphen_values = true)]
    pub name: Option<String>,

    /// If set, completely bypass the authorization form, even on the first use of the
    /// application
    #[arg(long)]
    pub skip_authorization: bool,

    /// The OIDC token signing algorithm for this application, one of: RS256, HS256
    #[arg(long, allow_hyphen_values = true)]
    pub algorithm: Option<String>,

    /// ALLOWED_REDIRECT_URI_SCHEMES: the schemes a redirect URI may have (DOT's default: http
    /// and https; add a native app's private-use scheme here).
    #[arg(
        long,
        value_name = "SCHEME,...",
        value_delimiter = ',',
        default_value = "http,https"
    )]
    pub allowed_redirect_uri_schemes: Vec<String>,

    /// A file holding OIDC_RSA_PRIVATE_KEY, the key the Django project signs RS256 ID tokens
    /// with: DOT refuses the algorithm RS256 while that setting is empty. Only whether the file
    /// is empty is looked at.
    #[arg(
        long,
        env = "OIDC_RSA_PRIVATE_KEY_FILE",
        hide_env_values = true,
        value_name = "PATH"
    )]
    pub oidc_rsa_private_key_file: Option<std::path::PathBuf>,
}

#[cfg(feature = "oauth2")]
impl fmt::Debug for CreateApplicationArgs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateApplicationArgs")
            .field("client_type", &self.client_type)
            .field("authorization_grant_type", &self.authorization_grant_type)
            .field("client_id", &self.client_id)
            .field("user", &self.user)
            .field("redirect_uris", &self.redirect_uris)
            .field("post_logout_redirect_uris", &self.post_logout_redirect_uris)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("no_hash_client_secret", &self.no_hash_client_secret)
            .field("name", &self.name)
            .field("skip_authorization", &self.skip_authorization)
            .field("algorithm", &self.algorithm)
            .field(
                "allowed_redirect_uri_schemes",
                &self.allowed_redirect_uri_schemes,
            )
            .field("oidc_rsa_private_key_file", &self.oidc_rsa_private_key_file)
            .finish()
    }
}

/// The argument of `deleteapplication`.
#[cfg(feature = "oauth2")]
#[derive(Debug, Clone, Args)]
pub struct DeleteApplicationArgs {
    /// The application's client id.
    pub client_id: String,
}

/// A user, by exact username.
#[derive(Debug, Clone, Args)]
pub struct UserArgs {
    /// The user (exact username).
    pub username: String,
}

/// Options of `addperm` and `removeperm`.
#[derive(Debug, Clone, Args)]
pub struct PermissionArgs {
    /// The user (exact username).
    pub username: String,

    /// The permissions, as "app_label.codename" (auth.add_group); each must exist in
    /// auth_permission (Django's migrate creates them for every model).
    #[arg(required = true)]
    pub permissions: Vec<String>,
}

/// Options of `addgroup`.
#[derive(Debug, Clone, Args)]
pub struct GroupArgs {
    /// The user (exact username).
    pub username: String,

    /// The groups, by name.
    #[arg(required = true)]
    pub groups: Vec<String>,
}

/// Options of `changepassword`.
#[derive(Debug, Clone, Args)]
pub struct ChangePasswordArgs {
    /// The user whose password changes (exact username).
    pub username: String,

    /// Read the new password from this environment variable instead of prompting.
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,

    /// Store a password from --password-env even when AUTH_PASSWORD_VALIDATORS refuse it.
    #[arg(long, requires = "password_env")]
    pub skip_password_validation: bool,
}

/// Options of `create-token` (DRF's `drf_create_token`).
#[derive(Debug, Clone, Args)]
pub struct CreateTokenArgs {
    /// The user to create the token for (exact username).
    pub username: String,

    /// Reset existing User token and create a new one
    #[arg(short, long)]
    pub reset: bool,
}

/// Options of `revoke-token`.
#[derive(Debug, Clone, Args)]
pub struct RevokeTokenArgs {
    /// The user whose token is deleted (exact username).
    pub username: String,
}
