//! What each command does.

use std::fmt;
use std::io;

use auth_core::accounts::{CreateUserError, UserFields, create_user, make_password};
use auth_core::compat::python::text::python_strip;
use auth_core::django::password_validation::{
    PasswordError, PasswordValidator, UserAttributes, validate_password,
};
use auth_core::django::username_validator::USERNAME_MAX_LENGTH;
use auth_core::environment::Environment;
use auth_core::model_backend::ModelBackend;
use auth_core::store::sea_orm::{DatabaseConnection, DbErr, QueryOrder};
use auth_core::store::user::{User, UserId, UserModel};
use auth_core::store::{migrations, permission, session, token};
use auth_core::user::RequestUser;

#[cfg(feature = "oauth2")]
mod applications;
#[cfg(feature = "oauth2")]
mod redirect_uri;

use crate::Console;
use crate::cli::{
    AdminCommand, ChangePasswordArgs, CreateSuperuserArgs, CreateTokenArgs, CreateUserArgs,
    GroupArgs, PermissionArgs, RevokeTokenArgs,
};

/// Django's convention for the non-interactive `createsuperuser` password.
const SUPERUSER_PASSWORD_ENV: &str = "DJANGO_SUPERUSER_PASSWORD";
/// How often a prompt is repeated after a wrong answer (Django's `changepassword` allows 3).
const MAX_TRIES: u32 = 3;

/// Why a command failed; printed as `CommandError: <message>` (Django's format), exit status 1.
#[derive(Debug)]
pub(super) struct CommandError(String);

impl CommandError {
    pub(super) fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }

    pub(super) fn message(&self) -> &str {
        &self.0
    }
}

impl From<DbErr> for CommandError {
    fn from(error: DbErr) -> Self {
        Self(format!("database error: {error}"))
    }
}

/// Writes one line to `out`; a closed output is a failure of the command.
fn line(out: &mut dyn io::Write, text: fmt::Arguments<'_>) -> Result<(), CommandError> {
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(|error| CommandError::new(format!("cannot write the output: {error}")))
}

/// A prompt's failure: end of input cancels the command, as Ctrl-D does in Django's.
fn prompt_failed(error: io::Error) -> CommandError {
    match error.kind() {
        io::ErrorKind::UnexpectedEof | io::ErrorKind::Interrupted => {
            CommandError::new("Operation cancelled.")
        }
        _ => CommandError::new(format!("cannot prompt: {error}")),
    }
}

pub(super) async fn execute(
    command: AdminCommand,
    env: &Environment,
    console: &mut Console<'_>,
) -> Result<(), CommandError> {
    let (db, users) = (env.db(), &env.settings().user_model);
    match command {
        AdminCommand::Migrate => migrate(db, users, console).await,
        AdminCommand::Createsuperuser(args) => create_account(env, console, args.into()).await,
        AdminCommand::Createuser(args) => create_account(env, console, args.into()).await,
        AdminCommand::Changepassword(args) => changepassword(env, console, args).await,
        AdminCommand::CreateToken(args) => create_token(env, console, args).await,
        AdminCommand::ListTokens => list_tokens(db, users, console).await,
        AdminCommand::RevokeToken(args) => revoke_token(env, console, args).await,
        AdminCommand::Clearsessions => clearsessions(db, console).await,
        AdminCommand::Permissions(args) => permissions(env, console, &args.username).await,
        AdminCommand::Addperm(args) => change_permissions(env, console, args, true).await,
        AdminCommand::Removeperm(args) => change_permissions(env, console, args, false).await,
        AdminCommand::Addgroup(args) => add_groups(env, console, args).await,
        #[cfg(feature = "simplejwt")]
        AdminCommand::Flushexpiredtokens => flushexpiredtokens(db, console).await,
        #[cfg(feature = "oauth2")]
        AdminCommand::Cleartokens(args) => cleartokens(db, console, args).await,
        #[cfg(feature = "oauth2")]
        AdminCommand::Createapplication(args) => applications::create(env, console, args).await,
        #[cfg(feature = "oauth2")]
        AdminCommand::Listapplications => applications::list(env, console).await,
        #[cfg(feature = "oauth2")]
        AdminCommand::Deleteapplication(args) => applications::delete(env, console, args).await,
        // Answered before connecting (see `run_with`).
        AdminCommand::Check(_) => Ok(()),
    }
}

/// A change made through these commands in a process that also serves requests (an embedded
/// admin) is seen by that process's credential cache at once; other processes see it within the
/// cache's TTL.
fn forget_cached(env: &Environment, user_id: UserId) {
    if let Some(cache) = env.services().credential_cache() {
        cache.forget_user(user_id);
    }
}

/// Fails with a hint to run `migrate` when one of `tables` is missing.
async fn require_tables(db: &DatabaseConnection, tables: &[&str]) -> Result<(), CommandError> {
    let backend = db.get_database_backend();
    for table in tables {
        if !migrations::table_exists(db, backend, table).await? {
            return Err(CommandError::new(format!(
                "table {table} does not exist in this database; run `migrate` first"
            )));
        }
    }
    Ok(())
}

async fn find_user(
    db: &DatabaseConnection,
    users: &UserModel,
    username: &str,
) -> Result<User, CommandError> {
    users
        .find_by_username(db, username)
        .await?
        .ok_or_else(|| CommandError::new(format!("user '{username}' does not exist")))
}

async fn migrate(
    db: &DatabaseConnection,
    users: &UserModel,
    console: &mut Console<'_>,
) -> Result<(), CommandError> {
    let report = migrations::migrate_with(db, users).await?;
    for table in &report.created {
        line(console.out, format_args!("Created table {table}"))?;
    }
    for table in &report.existing {
        line(
            console.out,
            format_args!("Table {table} already exists (left unchanged)"),
        )?;
    }
    for table in &report.skipped {
        line(
            console.out,
            format_args!(
                "Table {table} is missing and references the custom user table {}: \
                 create it with Django's migrate",
                users.table()
            ),
        )?;
    }
    Ok(())
}

/// DRF's `drf_create_token` management command, message for message.
async fn create_token(
    env: &Environment,
    console: &mut Console<'_>,
    args: CreateTokenArgs,
) -> Result<(), CommandError> {
    let (db, users) = (env.db(), &env.settings().user_model);
    require_tables(db, &[users.table(), "authtoken_token"]).await?;
    let username = args.username;
    let Some(found) = users.find_by_username(db, &username).await? else {
        return Err(CommandError::new(format!(
            "Cannot create the Token: user {username} does not exist"
        )));
    };
    if args.reset {
        token::delete_for_user(db, found.id).await?;
        forget_cached(env, found.id);
    }
    let created = token::get_or_create(db, found.id).await?;
    line(
        console.out,
        format_args!("Generated token {} for user {username}", created.key),
    )
}

/// The first characters of a key, never the whole of it: at most 4, at most half of the key.
fn key_hint(key: &str) -> String {
    let shown = (key.chars().count() / 2).min(4);
    let prefix: String = key.chars().take(shown).collect();
    format!("{prefix}…")
}

async fn list_tokens(
    db: &DatabaseConnection,
    users: &UserModel,
    console: &mut Console<'_>,
) -> Result<(), CommandError> {
    require_tables(db, &[users.table(), "authtoken_token"]).await?;
    let tokens = token::select_rows(db)
        .order_by_asc(token::Column::Created)
        .order_by_asc(token::Column::UserId)
        .all(db)
        .await?;
    if tokens.is_empty() {
        return line(console.out, format_args!("No tokens."));
    }
    // One lookup per token: the user table is the configured one, so there is no static join.
    let mut rows = Vec::with_capacity(tokens.len());
    for token in tokens {
        let owner = users.find_by_id(db, token.user_id).await?;
        rows.push((token, owner));
    }
    let owner = |(row, owner): &(token::Model, Option<User>)| match owner {
        Some(owner) => owner.username.clone(),
        None => format!("<user #{}>", row.user_id),
    };
    let width = rows
        .iter()
        .map(|row| owner(row).chars().count())
        .max()
        .unwrap_or(0);
    for row in &rows {
        line(
            console.out,
            format_args!(
                "{:<width$}  {}  {}",
                owner(row),
                row.0.created.format("%Y-%m-%d %H:%M:%S UTC"),
                key_hint(&row.0.key),
            ),
        )?;
    }
    Ok(())
}

async fn revoke_token(
    env: &Environment,
    console: &mut Console<'_>,
    args: RevokeTokenArgs,
) -> Result<(), CommandError> {
    let (db, users) = (env.db(), &env.settings().user_model);
    require_tables(db, &[users.table(), "authtoken_token"]).await?;
    let found = find_user(db, users, &args.username).await?;
    let Some(existing) = token::find_for_user(db, found.id).await? else {
        return Err(CommandError::new(format!(
            "user '{}' has no token",
            found.username
        )));
    };
    token::delete_for_user(db, found.id).await?;
    forget_cached(env, found.id);
    line(
        console.out,
        format_args!(
            "Deleted token {} of user {}",
            key_hint(&existing.key),
            found.username
        ),
    )
}

async fn clearsessions(
    db: &DatabaseConnection,
    console: &mut Console<'_>,
) -> Result<(), CommandError> {
    require_tables(db, &["django_session"]).await?;
    let deleted = session::clear_expired(db, auth_core::store::datetime::now()).await?;
    let plural = if deleted == 1 { "" } else { "s" };
    line(
        console.out,
        format_args!("Deleted {deleted} expired session{plural}."),
    )
}

/// simplejwt's `flushexpiredtokens`: `OutstandingToken.objects.filter(expires_at__lte=now)
/// .delete()`, the blacklist rows with them. simplejwt prints nothing; this says how many went,
/// as `clearsessions` does here.
#[cfg(feature = "simplejwt")]
async fn flushexpiredtokens(
    db: &DatabaseConnection,
    console: &mut Console<'_>,
) -> Result<(), CommandError> {
    use auth_core::store::token_blacklist;

    require_tables(
        db,
        &[
            token_blacklist::OUTSTANDING_TABLE,
            token_blacklist::BLACKLISTED_TABLE,
        ],
    )
    .await?;
    let deleted = token_blacklist::flush_expired(db, auth_core::store::datetime::now()).await?;
    let plural = if deleted == 1 { "" } else { "s" };
    line(
        console.out,
        format_args!("Deleted {deleted} expired outstanding token{plural}."),
    )
}

/// django-oauth-toolkit's `cleartokens` (`clear_expired()`), with DOT's warning when refresh
/// tokens never age out. DOT logs each count; this prints DOT's log lines.
#[cfg(feature = "oauth2")]
async fn cleartokens(
    db: &DatabaseConnection,
    console: &mut Console<'_>,
    args: crate::cli::CleartokensArgs,
) -> Result<(), CommandError> {
    use std::time::Duration;

    use auth_core::store::oauth2_clear_expired::{self, ClearExpiredSettings};

    require_tables(db, &oauth2_clear_expired::TABLES).await?;
    let settings = ClearExpiredSettings {
        refresh_token_expire: args
            .refresh_token_expire_seconds
            .filter(|seconds| *seconds > 0)
            .map(|seconds| Duration::from_secs(u64::from(seconds))),
        refresh_token_grace_period: Duration::from_secs(u64::from(
            args.refresh_token_grace_period_seconds,
        )),
        refresh_token_reuse_protection: args.refresh_token_reuse_protection,
    };
    if settings.refresh_token_expire.is_none() {
        line(
            console.err,
            format_args!(
                "REFRESH_TOKEN_EXPIRE_SECONDS is not set (or is 0), so refresh tokens never \
                 age-expire. cleartokens will only remove revoked and orphaned refresh tokens; \
                 expired access and ID tokens that are still bound to a refresh token are kept \
                 as long as that refresh token lives. Set REFRESH_TOKEN_EXPIRE_SECONDS to enable \
                 expiry-based cleanup."
            ),
        )?;
    }
    let cleared =
        oauth2_clear_expired::clear_expired(db, &settings, auth_core::store::datetime::now())
            .await?;
    let revoked_kept =
        settings.refresh_token_reuse_protection && settings.refresh_token_expire.is_none();
    if revoked_kept {
        line(
            console.out,
            format_args!("refresh_revoked_at is None. No revoked refresh tokens deleted."),
        )?;
    } else {
        line(
            console.out,
            format_args!(
                "{} Revoked refresh tokens deleted",
                cleared.revoked_refresh_tokens
            ),
        )?;
    }
    line(
        console.out,
        format_args!(
            "{} Orphaned refresh tokens deleted",
            cleared.orphaned_refresh_tokens
        ),
    )?;
    if settings.refresh_token_expire.is_some() {
        line(
            console.out,
            format_args!(
                "{} Expired refresh tokens deleted",
                cleared.expired_refresh_tokens
            ),
        )?;
    } else {
        line(
            console.out,
            format_args!("refresh_expire_at is None. No expired refresh tokens deleted."),
        )?;
    }
    line(
        console.out,
        format_args!("{} Expired access tokens deleted", cleared.access_tokens),
    )?;
    line(
        console.out,
        format_args!("{} Expired ID tokens deleted", cleared.id_tokens),
    )?;
    line(
        console.out,
        format_args!("{} Expired grant tokens deleted", cleared.grants),
    )
}

/// A non-empty password from the environment variable `var`.
fn password_from_env(var: &str) -> Result<String, CommandError> {
    match std::env::var(var) {
        Ok(password) if password.is_empty() => Err(CommandError::new(format!(
            "Blank passwords aren't allowed (environment variable {var} is empty)."
        ))),
        Ok(password) => Ok(password),
        Err(std::env::VarError::NotPresent) => Err(CommandError::new(format!(
            "environment variable {var} is not set"
        ))),
        Err(std::env::VarError::NotUnicode(_)) => Err(CommandError::new(format!(
            "environment variable {var} is not valid UTF-8"
        ))),
    }
}

/// What a refused password may still become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OnRefusal {
    /// `createsuperuser`: ask "Bypass password validation and create user anyway? [y/N]: ".
    AskToBypass,
    /// `changepassword`: the refusal counts as a failed try.
    Retry,
}

/// Prompts for a password twice until both agree, it is not blank and
/// `AUTH_PASSWORD_VALIDATORS` accept it (their messages printed, one per line, as Django's
/// commands print them), at most [`MAX_TRIES`] times; `None` when every try failed.
fn prompt_new_password(
    console: &mut Console<'_>,
    mismatch: &str,
    validators: &[PasswordValidator],
    user: &UserAttributes,
    on_refusal: OnRefusal,
) -> Result<Option<String>, CommandError> {
    for _ in 0..MAX_TRIES {
        let first = console
            .prompter
            .prompt_password("Password: ")
            .map_err(prompt_failed)?;
        let second = console
            .prompter
            .prompt_password("Password (again): ")
            .map_err(prompt_failed)?;
        let problem = if first != second {
            mismatch
        } else if python_strip(&first).is_empty() {
            // Django's createsuperuser: `password.strip() == ""`.
            "Error: Blank passwords aren't allowed."
        } else if let Err(errors) = validate_password(&first, Some(user), validators) {
            line(console.err, format_args!("{}", messages(&errors)))?;
            if on_refusal == OnRefusal::AskToBypass {
                let answer = console
                    .prompter
                    .prompt("Bypass password validation and create user anyway? [y/N]: ")
                    .map_err(prompt_failed)?;
                if answer.to_lowercase() == "y" {
                    return Ok(Some(first));
                }
            }
            continue;
        } else {
            return Ok(Some(first));
        };
        line(console.err, format_args!("{problem}"))?;
    }
    Ok(None)
}

/// Django's `"\n".join(err.messages)`.
fn messages(errors: &[PasswordError]) -> String {
    errors
        .iter()
        .map(|error| error.message.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The password in the environment variable `var` (see [`password_from_env`]), refused with
/// every validator's message unless `skip` (the named switch for Django's behaviour, which never
/// validates a password given without a prompt).
fn given_password(
    var: &str,
    validators: &[PasswordValidator],
    user: &UserAttributes,
    skip: bool,
) -> Result<String, CommandError> {
    let password = password_from_env(var)?;
    if skip {
        return Ok(password);
    }
    validate_password(&password, Some(user), validators).map_err(|errors| {
        CommandError::new(format!(
            "{}\n(the password comes from the environment: choose another, or pass \
             --skip-password-validation to store it anyway)",
            messages(&errors)
        ))
    })?;
    Ok(password)
}

/// Django's `UnicodeUsernameValidator` and `max_length`: what is wrong with `username`, if
/// anything.
fn username_problem(username: &str) -> Option<String> {
    let length = username.chars().count();
    if username.is_empty() {
        Some("This field cannot be blank.".to_owned())
    } else if length > USERNAME_MAX_LENGTH {
        Some(format!(
            "Ensure this value has at most {USERNAME_MAX_LENGTH} characters (it has {length})."
        ))
    } else if !auth_core::django::username_validator::is_valid_username(username) {
        Some(auth_core::django::username_validator::INVALID_USERNAME.to_owned())
    } else {
        None
    }
}

/// What is wrong with a username for a new user: invalid or taken.
async fn new_username_problem(
    db: &DatabaseConnection,
    users: &UserModel,
    username: &str,
) -> Result<Option<String>, CommandError> {
    if let Some(problem) = username_problem(username) {
        return Ok(Some(problem));
    }
    if users.username_exists(db, username).await? {
        return Ok(Some("That username is already taken.".to_owned()));
    }
    Ok(None)
}

/// A blank address is allowed (Django's `email` is `blank=True`); otherwise a minimal shape
/// check: `local@domain`, no whitespace.
fn email_problem(email: &str) -> Option<&'static str> {
    let valid = email.is_empty()
        || (!email.contains(char::is_whitespace)
            && email
                .rsplit_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty()));
    (!valid).then_some("Enter a valid email address.")
}

/// What `createsuperuser` and `createuser` are asked for.
struct NewAccount {
    username: Option<String>,
    email: Option<String>,
    password_env: Option<String>,
    no_password: bool,
    interactive: bool,
    no_input: bool,
    skip_password_validation: bool,
    is_staff: bool,
    is_superuser: bool,
    groups: Vec<String>,
    /// `createsuperuser`: `DJANGO_SUPERUSER_PASSWORD` is read when nothing else gives the
    /// password, its messages name Django's variables, and no group is joined.
    superuser: bool,
}

impl From<CreateSuperuserArgs> for NewAccount {
    fn from(args: CreateSuperuserArgs) -> Self {
        Self {
            username: args.username,
            email: args.email,
            password_env: args.password_env,
            no_password: args.no_password,
            interactive: args.interactive,
            no_input: args.no_input,
            skip_password_validation: args.skip_password_validation,
            is_staff: true,
            is_superuser: true,
            groups: Vec::new(),
            superuser: true,
        }
    }
}

impl From<CreateUserArgs> for NewAccount {
    fn from(args: CreateUserArgs) -> Self {
        Self {
            username: args.username,
            email: args.email,
            password_env: args.password_env,
            no_password: args.no_password,
            interactive: args.interactive,
            no_input: args.no_input,
            skip_password_validation: args.skip_password_validation,
            // Django's `create_superuser` refuses a superuser without is_staff.
            is_staff: args.staff || args.superuser,
            is_superuser: args.superuser,
            groups: args.groups,
            superuser: false,
        }
    }
}

/// `createsuperuser` (Django's command) and `createuser`: the username, e-mail and password
/// asked for or given, validated as Django's command validates them, then the user and its
/// groups.
async fn create_account(
    env: &Environment,
    console: &mut Console<'_>,
    args: NewAccount,
) -> Result<(), CommandError> {
    let (db, users) = (env.db(), &env.settings().user_model);
    require_tables(db, &[users.table()]).await?;
    if !args.groups.is_empty() {
        // Before the user is made: a missing table or a name `auth_group.name` cannot hold
        // must not leave half an account.
        require_permission_tables(env).await?;
        if let Some(name) = args
            .groups
            .iter()
            .find(|name| name.is_empty() || name.chars().count() > 150)
        {
            return Err(CommandError::new(format!(
                "Error: group name {name:?} must have 1 to 150 characters."
            )));
        }
    }
    let env_password_set = args.superuser && std::env::var_os(SUPERUSER_PASSWORD_ENV).is_some();
    let password_missing = !args.no_password && args.password_env.is_none() && !env_password_set;
    let interactive = args.interactive
        || (!args.no_input
            && console.prompter.is_interactive()
            && (args.username.is_none() || password_missing));

    let username = match args.username {
        Some(username) => {
            if let Some(problem) = new_username_problem(db, users, &username).await? {
                return Err(CommandError::new(format!("Error: {problem}")));
            }
            username
        }
        None if interactive => prompt_username(db, users, console).await?,
        None if args.superuser => {
            return Err(CommandError::new(
                "You must use --username (or set DJANGO_SUPERUSER_USERNAME) when not running \
                 interactively.",
            ));
        }
        None => {
            return Err(CommandError::new(
                "You must use --username when not running interactively.",
            ));
        }
    };

    let email = match args.email {
        Some(email) => match email_problem(&email) {
            Some(problem) => return Err(CommandError::new(format!("Error: {problem}"))),
            None => email,
        },
        None if interactive => prompt_email(console)?,
        None => String::new(),
    };

    let validators = &env.settings().password_validators;
    let attributes = UserAttributes::of_user(users.username_field(), &username, "", "", &email);
    let password = if args.no_password {
        None
    } else if let Some(var) = &args.password_env {
        Some(given_password(
            var,
            validators,
            &attributes,
            args.skip_password_validation,
        )?)
    } else if interactive {
        let password = prompt_new_password(
            console,
            "Error: Your passwords didn't match.",
            validators,
            &attributes,
            OnRefusal::AskToBypass,
        )?;
        Some(password.ok_or_else(|| {
            CommandError::new(format!(
                "Aborting: no password given after {MAX_TRIES} attempts"
            ))
        })?)
    } else if env_password_set {
        Some(given_password(
            SUPERUSER_PASSWORD_ENV,
            validators,
            &attributes,
            args.skip_password_validation,
        )?)
    } else if args.superuser {
        return Err(CommandError::new(format!(
            "no password given: set {SUPERUSER_PASSWORD_ENV}, use --password-env VAR, or \
             --no-password for an unusable password"
        )));
    } else {
        return Err(CommandError::new(
            "no password given: use --password-env VAR, or --no-password for an unusable \
             password",
        ));
    };

    let fields = UserFields {
        email: &email,
        password: password.as_deref(),
        is_staff: args.is_staff,
        is_superuser: args.is_superuser,
    };
    let user = create_user(env, &username, fields)
        .await
        .map_err(|error| match error {
            CreateUserError::UsernameTaken => {
                CommandError::new("Error: That username is already taken.")
            }
            CreateUserError::Store(error) => error.into(),
            other => CommandError::new(other.to_string()),
        })?;
    if args.superuser {
        return line(console.out, format_args!("Superuser created successfully."));
    }
    line(console.out, format_args!("User created successfully."))?;
    join_groups(env, console, &user, &args.groups).await
}

async fn prompt_username(
    db: &DatabaseConnection,
    users: &UserModel,
    console: &mut Console<'_>,
) -> Result<String, CommandError> {
    for _ in 0..MAX_TRIES {
        let username = console
            .prompter
            .prompt("Username: ")
            .map_err(prompt_failed)?;
        match new_username_problem(db, users, &username).await? {
            None => return Ok(username),
            Some(problem) => line(console.err, format_args!("Error: {problem}"))?,
        }
    }
    Err(CommandError::new(format!(
        "Aborting: no valid username after {MAX_TRIES} attempts"
    )))
}

fn prompt_email(console: &mut Console<'_>) -> Result<String, CommandError> {
    for _ in 0..MAX_TRIES {
        let email = console
            .prompter
            .prompt("Email address: ")
            .map_err(prompt_failed)?;
        match email_problem(&email) {
            None => return Ok(email),
            Some(problem) => line(console.err, format_args!("Error: {problem}"))?,
        }
    }
    Err(CommandError::new(format!(
        "Aborting: no valid email address after {MAX_TRIES} attempts"
    )))
}

async fn changepassword(
    env: &Environment,
    console: &mut Console<'_>,
    args: ChangePasswordArgs,
) -> Result<(), CommandError> {
    let (db, users) = (env.db(), &env.settings().user_model);
    require_tables(db, &[users.table()]).await?;
    let found = find_user(db, users, &args.username).await?;
    let validators = &env.settings().password_validators;
    let attributes = UserAttributes::of_user(
        users.username_field(),
        &found.username,
        &found.first_name,
        &found.last_name,
        &found.email,
    );
    let password = match &args.password_env {
        Some(var) => given_password(var, validators, &attributes, args.skip_password_validation)?,
        None => {
            if !console.prompter.is_interactive() {
                return Err(CommandError::new(
                    "cannot prompt for the new password: standard input is not a terminal \
                     (use --password-env VAR)",
                ));
            }
            line(
                console.out,
                format_args!("Changing password for user '{}'", found.username),
            )?;
            prompt_new_password(
                console,
                "Passwords do not match. Please try again.",
                validators,
                &attributes,
                OnRefusal::Retry,
            )?
            .ok_or_else(|| {
                CommandError::new(format!(
                    "Aborting password change for user '{}' after {MAX_TRIES} attempts",
                    found.username
                ))
            })?
        }
    };
    let encoded = make_password(env, &password)
        .await
        .map_err(|_| CommandError::new("password hashing failed"))?;
    users.save_password(db, found.id, encoded).await?;
    forget_cached(env, found.id);
    // A new password ends the user's JWTs in a process that serves them (see
    // `auth_core::jwt_revocation`).
    #[cfg(feature = "simplejwt")]
    if env.services().credential_cache().is_some() {
        auth_core::jwt_revocation::revoke_user_tokens(env, found.id);
    }
    line(
        console.out,
        format_args!(
            "Password changed successfully for user '{}'",
            found.username
        ),
    )
}

/// Django's permission tables, which its `migrate` creates (this library's does not yet), and
/// the user model's two many-to-many tables.
async fn require_permission_tables(env: &Environment) -> Result<(), CommandError> {
    let users = &env.settings().user_model;
    require_tables(env.db(), &[users.table()]).await?;
    let (groups, user_permissions) = (users.groups_table(), users.user_permissions_table());
    let backend = env.db().get_database_backend();
    for table in [
        "django_content_type",
        "auth_permission",
        "auth_group",
        "auth_group_permissions",
        groups.as_str(),
        user_permissions.as_str(),
    ] {
        if !migrations::table_exists(env.db(), backend, table).await? {
            return Err(CommandError::new(format!(
                "table {table} does not exist in this database: Django's `migrate` creates the \
                 permission tables"
            )));
        }
    }
    Ok(())
}

async fn permissions(
    env: &Environment,
    console: &mut Console<'_>,
    username: &str,
) -> Result<(), CommandError> {
    require_permission_tables(env).await?;
    let user = find_user(env.db(), &env.settings().user_model, username).await?;
    let user = RequestUser::User(std::sync::Arc::new(user));
    let all = ModelBackend::default()
        .get_all_permissions(env, &user)
        .await
        .map_err(|_| CommandError::new("the permissions could not be read"))?;
    for permission in all.iter() {
        line(console.out, format_args!("{permission}"))?;
    }
    Ok(())
}

async fn change_permissions(
    env: &Environment,
    console: &mut Console<'_>,
    args: PermissionArgs,
    add: bool,
) -> Result<(), CommandError> {
    require_permission_tables(env).await?;
    let (db, users) = (env.db(), &env.settings().user_model);
    let user = find_user(db, users, &args.username).await?;
    // Every name is checked before anything is written.
    let mut ids = Vec::with_capacity(args.permissions.len());
    for name in &args.permissions {
        match permission::permission_id(db, name).await? {
            Some(id) => ids.push((name, id)),
            None => {
                return Err(CommandError::new(format!(
                    "Permission '{name}' does not exist (expected \"app_label.codename\", as in \
                     auth_permission)"
                )));
            }
        }
    }
    for (name, id) in ids {
        let username = &user.username;
        if add {
            if permission::grant(db, users, user.id, id).await? {
                line(
                    console.out,
                    format_args!("Added permission {name} to user '{username}'"),
                )?;
            } else {
                line(
                    console.out,
                    format_args!("User '{username}' already has permission {name}"),
                )?;
            }
        } else if permission::revoke(db, users, user.id, id).await? {
            line(
                console.out,
                format_args!("Removed permission {name} from user '{username}'"),
            )?;
        } else {
            line(
                console.out,
                format_args!("User '{username}' has no permission {name} of its own"),
            )?;
        }
    }
    Ok(())
}

async fn add_groups(
    env: &Environment,
    console: &mut Console<'_>,
    args: GroupArgs,
) -> Result<(), CommandError> {
    require_permission_tables(env).await?;
    let (db, users) = (env.db(), &env.settings().user_model);
    let user = find_user(db, users, &args.username).await?;
    join_groups(env, console, &user, &args.groups).await
}

/// `user.groups.add(…)` for each named group, made when missing (`Group.objects.get_or_create`).
async fn join_groups(
    env: &Environment,
    console: &mut Console<'_>,
    user: &User,
    groups: &[String],
) -> Result<(), CommandError> {
    let (db, users) = (env.db(), &env.settings().user_model);
    let username = &user.username;
    for name in groups {
        let (group, created) = permission::group_get_or_create(db, name).await?;
        if created {
            line(console.out, format_args!("Created group '{name}'"))?;
        }
        if permission::add_to_group(db, users, user.id, group).await? {
            line(
                console.out,
                format_args!("Added user '{username}' to group '{name}'"),
            )?;
        } else {
            line(
                console.out,
                format_args!("User '{username}' is already in group '{name}'"),
            )?;
        }
    }
    // Permissions are read per request, never cached: nothing to forget.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_hint_never_shows_the_whole_key() {
        assert_eq!(
            key_hint("0123456789abcdef0123456789abcdef01234567"),
            "0123…"
        );
        assert_eq!(key_hint("abcd1234"), "abcd…");
        assert_eq!(key_hint("abc"), "a…");
        assert_eq!(key_hint("a"), "…");
    }

    #[test]
    fn usernames_follow_djangos_validator() {
        assert_eq!(username_problem("john.doe+x@example-1_2"), None);
        assert_eq!(username_problem("walterwhité"), None);
        assert!(username_problem("").is_some());
        assert!(username_problem("has space").is_some());
        assert!(username_problem(&"a".repeat(151)).is_some());
        assert_eq!(username_problem(&"a".repeat(150)), None);
    }

    #[test]
    fn emails_may_be_blank_but_not_malformed() {
        assert_eq!(email_problem(""), None);
        assert_eq!(email_problem("a@example.com"), None);
        assert!(email_problem("nope").is_some());
        assert!(email_problem("@example.com").is_some());
        assert!(email_problem("a b@example.com").is_some());
    }
}
