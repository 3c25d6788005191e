//! Django's `manage.py` commands for the tables auth-actix shares with Django: the `auth-admin`
//! binary (`cargo install --path auth-admin`), and the same commands to embed in your own
//! binary.
//!
//! | command | Django / DRF | what it does |
//! | --- | --- | --- |
//! | `migrate` | `migrate` | creates the library's tables (`auth_user`, `authtoken_token`, `django_session`, …) when missing |
//! | `createsuperuser` | `createsuperuser` | a user with `is_staff` and `is_superuser` |
//! | `changepassword USER` | `changepassword` | a new password hash, from a prompt or the environment |
//! | `create-token USER [-r]` | `drf_create_token` | prints `Generated token KEY for user USER` |
//! | `list-tokens` | (admin list) | user, creation time and the first characters of each key |
//! | `revoke-token USER` | (admin delete) | deletes the user's token |
//! | `clearsessions` | `clearsessions` | deletes expired sessions |
//! | `permissions USER` | `user.get_all_permissions()` | the user's effective permissions, one per line |
//! | `addperm USER PERM…`, `removeperm USER PERM…` | `user.user_permissions.add/remove` | by `app_label.codename`; every name checked before anything is written |
//! | `addgroup USER GROUP…` | `user.groups.add`, `Group.objects.get_or_create` | puts the user in the groups, making the missing ones |
//! | `flushexpiredtokens` (feature `simplejwt`) | simplejwt's `flushexpiredtokens` | deletes expired outstanding tokens and their blacklist rows |
//! | `cleartokens` (feature `oauth2`) | django-oauth-toolkit's `cleartokens` | deletes revoked, orphaned and (with `--refresh-token-expire-seconds`) idle refresh tokens, expired access tokens no refresh token holds, expired ID tokens and grants; DOT's refresh-token settings as options |
//! | `createapplication CLIENT_TYPE GRANT_TYPE [--client-id …] [--user PK] [--redirect-uris '…'] [--client-secret …] [--no-hash-client-secret] [--name …] [--skip-authorization] [--algorithm …]` (feature `oauth2`) | django-oauth-toolkit's `createapplication` | an application as DOT's command saves it, checked as its `full_clean()` checks it (DOT's report, word for word, then exit status 1); the client id and secret generated when not given, the secret stored as a password hash unless `--no-hash-client-secret` and printed once when generated; `--allowed-redirect-uri-schemes` and `--oidc-rsa-private-key-file` stand for DOT's settings its checks read |
//! | `listapplications` (feature `oauth2`) | (admin list) | one line per application: id, client id, client type, grant type, owner, name; never the secret |
//! | `deleteapplication CLIENT_ID` (feature `oauth2`) | (admin delete) | the application with its access tokens, refresh tokens, grants and ID tokens, as Django's cascade deletes them |
//! | `check [--deploy]` | `check [--deploy]` | the settings' problems, in Django's format; exit status 1 at `--fail-level` (default `ERROR`, `WARNING` with `--deploy`) |
//!
//! New passwords pass the settings' `AUTH_PASSWORD_VALIDATORS` (the four of `django-admin
//! startproject` by default; the standalone binary always uses those four, a binary embedding
//! the commands passes its own settings to [`run_with`]), with Django's messages and prompts; a
//! password from the environment too (Django skips it), unless `--skip-password-validation`.
//!
//! The database comes from `--database-url` or `DATABASE_URL` (default
//! [`DEFAULT_DATABASE_URL`](auth_core::settings::DEFAULT_DATABASE_URL)); a custom user model
//! from `--user-table` and `--username-field` (`AUTH_USER_TABLE`, `AUTH_USERNAME_FIELD`).
//! Errors go to standard error as `CommandError: …`, with exit status 1, and never
//! contain the database password; usage errors exit with status 2 (clap's). Passwords and full
//! token keys are printed only where the reference prints them: `create-token` shows the key it
//! made, `createapplication` the client secret it generated, nothing shows a password.
//!
//! # Embedding
//!
//! The `auth-admin` binary is this crate's `main.rs`:
//!
//! ```no_run
//! use auth_admin::clap::Parser;
//!
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() -> std::process::ExitCode {
//!     auth_admin::AdminCli::parse().run().await
//! }
//! ```
//!
//! In a binary with its own commands, nest [`AdminCommand`] and run it with your project's
//! settings, so that new passwords are hashed with your `PASSWORD_HASHERS`:
//!
//! ```no_run
//! use auth_actix::AuthSettings;
//! use auth_admin::clap::{self, Parser, Subcommand};
//! use auth_admin::{AdminCommand, Console, TerminalPrompter};
//!
//! #[derive(Parser)]
//! struct Cli {
//!     #[command(subcommand)]
//!     command: Command,
//! }
//!
//! #[derive(Subcommand)]
//! enum Command {
//!     /// Serve the API.
//!     Serve,
//!     /// Administration commands.
//!     #[command(subcommand)]
//!     Admin(AdminCommand),
//! }
//!
//! #[actix_web::main]
//! async fn main() -> std::process::ExitCode {
//!     let settings = AuthSettings::builder()
//!         .secret_key_from_env("SECRET_KEY")
//!         .database_url_from_env("DATABASE_URL")
//!         .build()
//!         .expect("settings");
//!     match Cli::parse().command {
//!         Command::Serve => std::process::ExitCode::SUCCESS, // start the server here
//!         Command::Admin(command) => {
//!             let (mut out, mut err) = (std::io::stdout(), std::io::stderr());
//!             let mut console = Console {
//!                 out: &mut out,
//!                 err: &mut err,
//!                 prompter: &mut TerminalPrompter,
//!             };
//!             let url = settings.database_url().to_owned();
//!             let code = auth_admin::run_with(command, &url, &settings, &mut console).await;
//!             std::process::ExitCode::from(code as u8)
//!         }
//!     }
//! }
//! ```
//!
//! Tests drive it in-process with [`run`] (or [`run_with`] and their own [`Prompter`]) and
//! in-memory writers:
//!
//! ```no_run
//! # async fn demo() {
//! use auth_admin::clap::Parser;
//! use auth_admin::AdminCli;
//!
//! let cli = AdminCli::try_parse_from(["auth-admin", "create-token", "john"]).unwrap();
//! let (mut out, mut err) = (Vec::new(), Vec::new());
//! let code = auth_admin::run(cli.command, "sqlite://app.db", &mut out, &mut err).await;
//! assert_eq!(code, auth_admin::EXIT_SUCCESS);
//! # }
//! ```
//!
//! The commands run on a tokio runtime (actix-web's is one); the future is not `Send`, so await
//! it from `main` or `block_on` rather than spawning it.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::fmt;
use std::io::Write;

mod check;
mod cli;
mod commands;
mod database;
mod prompt;

pub use cli::{
    AdminCli, AdminCommand, ChangePasswordArgs, CheckArgs, CreateSuperuserArgs, CreateTokenArgs,
    FailLevel, RevokeTokenArgs,
};
#[cfg(feature = "oauth2")]
pub use cli::{CreateApplicationArgs, DeleteApplicationArgs};
pub use prompt::{NoPrompter, Prompter, TerminalPrompter};

/// The clap this module is built with, for `Parser::parse` and for nesting [`AdminCommand`] in
/// your own parser without a second clap dependency to keep in step.
pub use clap;

use auth_core::AuthSettings;
use auth_core::store::user::UserModel;

/// Exit status of a command that succeeded.
pub const EXIT_SUCCESS: i32 = 0;
/// Exit status of a command that failed (Django's `CommandError`).
pub const EXIT_FAILURE: i32 = 1;
/// Exit status of a usage error; clap exits with it when the arguments do not parse.
pub const EXIT_USAGE: i32 = 2;

/// The secret key of the settings [`run`] builds: no command signs anything, the settings only
/// supply the password hashers.
const UNUSED_SECRET_KEY: &str = "unused-by-admin-commands";

/// Where a command writes and whom it asks.
///
/// `out` receives the results (one line per fact, for scripts), `err` the errors and the
/// complaints about rejected answers; the [`Prompter`] shows its own labels.
pub struct Console<'a> {
    /// Standard output.
    pub out: &'a mut dyn Write,
    /// Standard error.
    pub err: &'a mut dyn Write,
    /// Answers to `createsuperuser`'s and `changepassword`'s questions.
    pub prompter: &'a mut dyn Prompter,
}

impl fmt::Debug for Console<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Console")
            .field("interactive", &self.prompter.is_interactive())
            .finish_non_exhaustive()
    }
}

/// Runs one command against the database at `db_url`, writing results to `out` and errors to
/// `err`; returns the exit status ([`EXIT_SUCCESS`] or [`EXIT_FAILURE`]).
///
/// New passwords are hashed with Django's default hashers; prompts go to the terminal when
/// standard input is one ([`TerminalPrompter`]). Use [`run_with`] for your own settings or
/// prompter.
pub async fn run(
    command: AdminCommand,
    db_url: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    run_for(command, db_url, UserModel::default(), out, err).await
}

/// [`run`] for a database whose users are in `users`' table (a custom user model).
pub async fn run_for(
    command: AdminCommand,
    db_url: &str,
    users: UserModel,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    if let AdminCommand::Check(args) = &command {
        // The standalone binary has no project settings: they come from the environment.
        let messages = check::standalone(db_url, args.deploy);
        return check::report(&messages, args, out, err);
    }
    let settings = match AuthSettings::builder()
        .secret_key(UNUSED_SECRET_KEY)
        .user_model(users)
        .build()
    {
        Ok(settings) => settings,
        Err(error) => {
            let _ = writeln!(err, "CommandError: {error}");
            return EXIT_FAILURE;
        }
    };
    let mut prompter = TerminalPrompter;
    let mut console = Console {
        out,
        err,
        prompter: &mut prompter,
    };
    run_with(command, db_url, &settings, &mut console).await
}

/// Runs one command against the database at `db_url` with these settings (only their password
/// hashers, password validators and user model are used) and this console; returns the exit status ([`EXIT_SUCCESS`] or
/// [`EXIT_FAILURE`]).
///
/// A failure is reported as one line on `console.err`, `CommandError: <reason>`, from which
/// any password contained in `db_url` is masked.
pub async fn run_with(
    command: AdminCommand,
    db_url: &str,
    settings: &AuthSettings,
    console: &mut Console<'_>,
) -> i32 {
    if let AdminCommand::Check(args) = &command {
        // The project's own settings; no database connection (Django's check needs none).
        let messages = settings.check(args.deploy);
        return check::report(&messages, args, console.out, console.err);
    }
    let result = match database::connect(db_url).await {
        Ok(db) => {
            let env = settings.environment(db.clone());
            let result = commands::execute(command, &env, console).await;
            // Release the file or server connections before the process exits.
            let closed = db.close().await;
            result.and(closed.map_err(commands::CommandError::from))
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => EXIT_SUCCESS,
        Err(error) => {
            let message = database::scrub(error.message(), db_url);
            // Best effort: if standard error is closed there is nowhere left to report.
            let _ = writeln!(console.err, "CommandError: {message}");
            let _ = console.err.flush();
            EXIT_FAILURE
        }
    }
}
