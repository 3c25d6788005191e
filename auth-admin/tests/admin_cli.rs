//! The `auth-admin` command line: the built binary run against temporary
//! SQLite files, checking output, exit status and database state; DRF's `drf_create_token`
//! message for message; and the interactive paths in-process with a scripted
//! prompter.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::VecDeque;
use std::io;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use auth_actix::django::hashers::{PasswordHashers, is_password_usable};
use auth_actix::store::sea_orm::DatabaseConnection;
use auth_actix::store::{self, migrations, session, token, user};
use auth_actix::{IsAuthenticated, TokenAuthentication};
use auth_admin::clap::Parser;
use auth_admin::{self as admin, AdminCli, Console, NoPrompter, Prompter};
use test_support::*;

/// The `auth-admin` binary of this package, as `cargo install` builds it.
const BIN: &str = env!("CARGO_BIN_EXE_auth-admin");
const TABLES: [&str; 3] = ["auth_user", "authtoken_token", "django_session"];

/// A directory of its own for one test's SQLite file; removed afterwards.
struct TempDb {
    dir: PathBuf,
    url: String,
}

impl TempDb {
    fn new(name: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "auth-admin-{}-{}-{name}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.join("db.sqlite3").display());
        Self { dir, url }
    }

    fn file(&self) -> PathBuf {
        self.dir.join("db.sqlite3")
    }

    async fn connect(&self) -> DatabaseConnection {
        store::connect(&self.url).await.unwrap()
    }

    /// The tables, `john`/`password` with token `abcd1234`, and `alice`/`password` without one.
    async fn seeded(&self) -> DatabaseConnection {
        let settings = settings();
        let db = store::connect_and_migrate(&self.url).await.unwrap();
        let john = add_user(&db, &settings, "john", "password", true, false).await;
        add_user(&db, &settings, "alice", "password", true, false).await;
        token::create_with_key(&db, john.id, "abcd1234")
            .await
            .unwrap();
        db
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[derive(Debug)]
struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary with `args`, a clean environment for the variables it reads plus `envs`, no
/// standard input (so: not interactive) and backtraces on (so a panic would show).
fn run_bin(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .stdin(Stdio::null())
        .env("RUST_BACKTRACE", "1");
    for var in [
        "DATABASE_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "NUM_PROXIES",
        "DENY_BY_DEFAULT",
        "DATABASE_PASSWORD",
        "DJANGO_SUPERUSER_USERNAME",
        "DJANGO_SUPERUSER_EMAIL",
        "DJANGO_SUPERUSER_PASSWORD",
    ] {
        command.env_remove(var);
    }
    command.envs(envs.iter().copied());
    let output = command.output().unwrap();
    Output {
        code: output.status.code().expect("exited normally"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// Runs `auth-admin --database-url <db> <args>`.
fn cli(db: &TempDb, args: &[&str]) -> Output {
    cli_env(db, args, &[])
}

fn cli_env(db: &TempDb, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut full = vec!["--database-url", db.url.as_str()];
    full.extend_from_slice(args);
    run_bin(&full, envs)
}

fn assert_success(output: &Output) {
    assert_eq!(output.code, 0, "{output:?}");
    assert_eq!(output.stderr, "", "{output:?}");
}

fn assert_command_error(output: &Output, stderr: &str) {
    assert_eq!(output.code, 1, "{output:?}");
    assert_eq!(output.stdout, "", "{output:?}");
    assert_eq!(output.stderr, stderr, "{output:?}");
}

/// The key in `Generated token <key> for user <username>\n`, checking the whole line.
fn generated_key(output: &Output, username: &str) -> String {
    assert_success(output);
    let key = output
        .stdout
        .strip_prefix("Generated token ")
        .and_then(|rest| rest.strip_suffix(&format!(" for user {username}\n")))
        .unwrap_or_else(|| panic!("unexpected output {:?}", output.stdout));
    key.to_owned()
}

async fn stored_user(db: &DatabaseConnection, username: &str) -> Option<user::User> {
    user::AUTH_USER
        .find_by_username(db, username)
        .await
        .unwrap()
}

async fn stored_key(db: &DatabaseConnection, username: &str) -> Option<String> {
    let owner = stored_user(db, username).await.unwrap();
    token::find_for_user(db, owner.id)
        .await
        .unwrap()
        .map(|found| found.key)
}

fn verifies(hashers: &PasswordHashers, password: &str, encoded: &str) -> bool {
    hashers
        .verify_password(Some(password), Some(encoded))
        .correct
}

// --- migrate -------------------------------------------------------------------------------

#[actix_web::test]
async fn migrate_creates_the_tables_in_an_empty_file_then_leaves_them_alone() {
    let db = TempDb::new("migrate");
    assert!(!db.file().exists());

    let first = cli(&db, &["migrate"]);
    assert_success(&first);
    // Every table the library knows, in dependency order; these three at least.
    let created: Vec<&str> = first
        .stdout
        .lines()
        .map(|line| {
            line.strip_prefix("Created table ")
                .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        })
        .collect();
    assert_eq!(created[..3], TABLES);
    assert!(db.file().exists());
    let conn = db.connect().await;
    for table in &created {
        let backend = conn.get_database_backend();
        assert!(
            migrations::table_exists(&conn, backend, table)
                .await
                .unwrap(),
            "{table}"
        );
    }

    let second = cli(&db, &["migrate"]);
    assert_success(&second);
    let expected: String = created
        .iter()
        .map(|table| format!("Table {table} already exists (left unchanged)\n"))
        .collect();
    assert_eq!(second.stdout, expected);
}

#[actix_web::test]
async fn commands_on_a_database_without_tables_say_to_migrate() {
    let db = TempDb::new("unmigrated");
    let output = cli(&db, &["create-token", "john"]);
    assert_command_error(
        &output,
        "CommandError: table auth_user does not exist in this database; run `migrate` first\n",
    );
    let output = cli(&db, &["clearsessions"]);
    assert_command_error(
        &output,
        "CommandError: table django_session does not exist in this database; run `migrate` first\n",
    );
}

// --- createsuperuser -----------------------------------------------------------------------

#[actix_web::test]
async fn createsuperuser_from_the_environment_creates_a_staff_superuser() {
    let db = TempDb::new("superuser");
    let conn = db.seeded().await;
    let password = "correct horse battery staple";

    let output = cli_env(
        &db,
        &[
            "createsuperuser",
            "--username",
            "boss",
            "--email",
            "Boss@EXAMPLE.COM",
        ],
        &[("DJANGO_SUPERUSER_PASSWORD", password)],
    );
    assert_success(&output);
    assert_eq!(output.stdout, "Superuser created successfully.\n");

    let boss = stored_user(&conn, "boss").await.unwrap();
    assert!(boss.is_staff && boss.is_superuser && boss.is_active);
    assert_eq!(boss.email, "Boss@example.com");
    assert!(
        boss.password.starts_with("pbkdf2_sha256$1500000$"),
        "Django's default hasher"
    );
    let hashers = PasswordHashers::django_default();
    assert!(verifies(&hashers, password, &boss.password));
    assert!(!verifies(&hashers, "wrong", &boss.password));
}

#[actix_web::test]
async fn createsuperuser_reads_a_named_variable_or_stores_an_unusable_password() {
    let db = TempDb::new("superuser-sources");
    let conn = db.seeded().await;

    // The username and e-mail from Django's variables too.
    let output = cli_env(
        &db,
        &["createsuperuser", "--password-env", "ADMIN_PASSWORD"],
        &[
            ("ADMIN_PASSWORD", "from-a-named-variable"),
            ("DJANGO_SUPERUSER_USERNAME", "ops"),
            ("DJANGO_SUPERUSER_EMAIL", "ops@example.com"),
        ],
    );
    assert_success(&output);
    assert!(!output.stdout.contains("from-a-named-variable"));
    let ops = stored_user(&conn, "ops").await.unwrap();
    assert_eq!(ops.email, "ops@example.com");
    assert!(verifies(
        &PasswordHashers::django_default(),
        "from-a-named-variable",
        &ops.password
    ));

    let output = cli(
        &db,
        &["createsuperuser", "--username", "robot", "--no-password"],
    );
    assert_success(&output);
    assert_eq!(output.stdout, "Superuser created successfully.\n");
    let robot = stored_user(&conn, "robot").await.unwrap();
    assert!(robot.is_staff && robot.is_superuser);
    assert!(robot.password.starts_with('!'));
    assert!(!is_password_usable(Some(&robot.password)));
    assert_eq!(robot.email, "");
}

#[actix_web::test]
async fn createsuperuser_refuses_missing_blank_invalid_or_taken_input() {
    let db = TempDb::new("superuser-refused");
    let conn = db.seeded().await;

    let no_password = cli(&db, &["createsuperuser", "--username", "boss"]);
    assert_command_error(
        &no_password,
        "CommandError: no password given: set DJANGO_SUPERUSER_PASSWORD, use --password-env \
         VAR, or --no-password for an unusable password\n",
    );

    let blank = cli_env(
        &db,
        &["createsuperuser", "--username", "boss"],
        &[("DJANGO_SUPERUSER_PASSWORD", "")],
    );
    assert_command_error(
        &blank,
        "CommandError: Blank passwords aren't allowed (environment variable \
         DJANGO_SUPERUSER_PASSWORD is empty).\n",
    );

    let unset = cli(
        &db,
        &[
            "createsuperuser",
            "--username",
            "boss",
            "--password-env",
            "UNSET_VARIABLE_XYZ",
        ],
    );
    assert_command_error(
        &unset,
        "CommandError: environment variable UNSET_VARIABLE_XYZ is not set\n",
    );

    let no_username = cli_env(
        &db,
        &["createsuperuser", "--no-input"],
        &[("DJANGO_SUPERUSER_PASSWORD", "pw-123456")],
    );
    assert_command_error(
        &no_username,
        "CommandError: You must use --username (or set DJANGO_SUPERUSER_USERNAME) when not \
         running interactively.\n",
    );

    let invalid = cli_env(
        &db,
        &["createsuperuser", "--username", "big boss"],
        &[("DJANGO_SUPERUSER_PASSWORD", "pw-123456")],
    );
    assert_command_error(
        &invalid,
        "CommandError: Error: Enter a valid username. This value may contain only letters, \
         numbers, and @/./+/-/_ characters.\n",
    );

    let taken = cli_env(
        &db,
        &["createsuperuser", "--username", "john"],
        &[("DJANGO_SUPERUSER_PASSWORD", "pw-123456")],
    );
    assert_command_error(
        &taken,
        "CommandError: Error: That username is already taken.\n",
    );
    let john = stored_user(&conn, "john").await.unwrap();
    assert!(!john.is_superuser, "the existing user is untouched");

    let conflicting = cli(
        &db,
        &[
            "createsuperuser",
            "--username",
            "boss",
            "--no-password",
            "--password-env",
            "X",
        ],
    );
    assert_eq!(conflicting.code, 2, "{conflicting:?}");

    assert!(stored_user(&conn, "boss").await.is_none());
    assert!(stored_user(&conn, "big boss").await.is_none());
}

/// Answers prompts from a list; records the labels it was shown.
#[derive(Debug, Default)]
struct Script {
    answers: VecDeque<&'static str>,
    asked: Vec<String>,
}

impl Script {
    fn new(answers: &[&'static str]) -> Self {
        Self {
            answers: answers.iter().copied().collect(),
            asked: Vec::new(),
        }
    }
}

impl Prompter for Script {
    fn is_interactive(&self) -> bool {
        true
    }

    fn prompt(&mut self, label: &str) -> io::Result<String> {
        self.asked.push(label.to_owned());
        self.answers
            .pop_front()
            .map(str::to_owned)
            .ok_or_else(|| io::ErrorKind::UnexpectedEof.into())
    }

    fn prompt_password(&mut self, label: &str) -> io::Result<String> {
        self.prompt(label)
    }
}

struct InProcess {
    code: i32,
    out: String,
    err: String,
}

/// Runs `args` in-process through `run_with`, with the suite's fast settings.
async fn run_in_process(url: &str, args: &[&str], prompter: &mut dyn Prompter) -> InProcess {
    let mut argv = vec!["auth-admin"];
    argv.extend_from_slice(args);
    let cli = AdminCli::try_parse_from(argv).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = {
        let mut console = Console {
            out: &mut out,
            err: &mut err,
            prompter,
        };
        admin::run_with(cli.command, url, &settings(), &mut console).await
    };
    InProcess {
        code,
        out: String::from_utf8(out).unwrap(),
        err: String::from_utf8(err).unwrap(),
    }
}

#[actix_web::test]
async fn createsuperuser_interactive_prompts_and_asks_again_after_mistakes() {
    let db = TempDb::new("superuser-interactive");
    let conn = db.seeded().await;
    let mut script = Script::new(&[
        "john",             // taken
        "boss",             //
        "not-an-address",   // invalid
        "boss@example.com", //
        "first-try",        // mismatch
        "second-try",       //
        "",                 // blank
        "",                 //
        "s3cret-pass",      //
        "s3cret-pass",      //
    ]);
    let result = run_in_process(&db.url, &["createsuperuser", "--interactive"], &mut script).await;
    assert_eq!(result.code, 0, "{}", result.err);
    assert_eq!(result.out, "Superuser created successfully.\n");
    assert_eq!(
        result.err,
        "Error: That username is already taken.\n\
         Error: Enter a valid email address.\n\
         Error: Your passwords didn't match.\n\
         Error: Blank passwords aren't allowed.\n"
    );
    assert_eq!(
        script.asked,
        [
            "Username: ",
            "Username: ",
            "Email address: ",
            "Email address: ",
            "Password: ",
            "Password (again): ",
            "Password: ",
            "Password (again): ",
            "Password: ",
            "Password (again): ",
        ]
    );
    for secret in ["first-try", "second-try", "s3cret-pass"] {
        assert!(!result.out.contains(secret) && !result.err.contains(secret));
    }
    let boss = stored_user(&conn, "boss").await.unwrap();
    assert!(boss.is_staff && boss.is_superuser);
    assert_eq!(boss.email, "boss@example.com");
    assert!(verifies(
        &settings().settings().password_hashers,
        "s3cret-pass",
        &boss.password
    ));
}

#[actix_web::test]
async fn createsuperuser_interactive_end_of_input_cancels_without_creating() {
    let db = TempDb::new("superuser-eof");
    let conn = db.seeded().await;
    let mut script = Script::new(&["boss", "", "only-once"]);
    let result = run_in_process(&db.url, &["createsuperuser", "--interactive"], &mut script).await;
    assert_eq!(result.code, 1);
    assert_eq!(result.err, "CommandError: Operation cancelled.\n");
    assert!(stored_user(&conn, "boss").await.is_none());

    // Without a terminal and without --interactive, nothing is asked.
    let result = run_in_process(&db.url, &["createsuperuser"], &mut NoPrompter).await;
    assert_eq!(result.code, 1);
    assert!(
        result
            .err
            .starts_with("CommandError: You must use --username")
    );
}

// --- changepassword ------------------------------------------------------------------------

#[actix_web::test]
async fn changepassword_from_the_environment_saves_a_new_hash() {
    let db = TempDb::new("changepassword");
    let conn = db.seeded().await;
    let output = cli_env(
        &db,
        &["changepassword", "john", "--password-env", "NEW_PASSWORD"],
        &[("NEW_PASSWORD", "brand-new-password")],
    );
    assert_success(&output);
    assert_eq!(
        output.stdout,
        "Password changed successfully for user 'john'\n"
    );
    let john = stored_user(&conn, "john").await.unwrap();
    let hashers = PasswordHashers::django_default();
    assert!(verifies(&hashers, "brand-new-password", &john.password));
    assert!(!verifies(&hashers, "password", &john.password));
}

#[actix_web::test]
async fn changepassword_refuses_unknown_users_and_missing_terminals() {
    let db = TempDb::new("changepassword-refused");
    let conn = db.seeded().await;
    let before = stored_user(&conn, "john").await.unwrap().password;

    let unknown = cli_env(
        &db,
        &["changepassword", "nobody", "--password-env", "NEW_PASSWORD"],
        &[("NEW_PASSWORD", "brand-new-password")],
    );
    assert_command_error(&unknown, "CommandError: user 'nobody' does not exist\n");

    let no_terminal = cli(&db, &["changepassword", "john"]);
    assert_command_error(
        &no_terminal,
        "CommandError: cannot prompt for the new password: standard input is not a terminal \
         (use --password-env VAR)\n",
    );

    let missing = cli(&db, &["changepassword"]);
    assert_eq!(missing.code, 2, "{missing:?}");
    assert_eq!(stored_user(&conn, "john").await.unwrap().password, before);
}

#[actix_web::test]
async fn changepassword_interactive_prompts_twice_and_gives_up_after_three_mismatches() {
    let db = TempDb::new("changepassword-interactive");
    let conn = db.seeded().await;
    let before = stored_user(&conn, "john").await.unwrap().password;

    let mut script = Script::new(&["a1", "b1", "a2", "b2", "a3", "b3"]);
    let result = run_in_process(&db.url, &["changepassword", "john"], &mut script).await;
    assert_eq!(result.code, 1);
    assert_eq!(result.out, "Changing password for user 'john'\n");
    assert_eq!(
        result.err,
        "Passwords do not match. Please try again.\n\
         Passwords do not match. Please try again.\n\
         Passwords do not match. Please try again.\n\
         CommandError: Aborting password change for user 'john' after 3 attempts\n"
    );
    assert_eq!(stored_user(&conn, "john").await.unwrap().password, before);

    let mut script = Script::new(&["typo", "other", "new-secret", "new-secret"]);
    let result = run_in_process(&db.url, &["changepassword", "john"], &mut script).await;
    assert_eq!(result.code, 0, "{}", result.err);
    assert_eq!(
        result.out,
        "Changing password for user 'john'\nPassword changed successfully for user 'john'\n"
    );
    let john = stored_user(&conn, "john").await.unwrap();
    assert!(verifies(
        &settings().settings().password_hashers,
        "new-secret",
        &john.password
    ));
}

// --- create-token (DRF's drf_create_token, spec §5.4) --------------------------------------

#[actix_web::test]
async fn create_token_prints_the_reference_line_and_keeps_the_key_until_reset() {
    let db = TempDb::new("create-token");
    let conn = db.seeded().await;

    let first = generated_key(&cli(&db, &["create-token", "alice"]), "alice");
    assert_eq!(first.len(), 40);
    assert!(
        first
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
    assert_eq!(stored_key(&conn, "alice").await.as_deref(), Some(&*first));

    let again = generated_key(&cli(&db, &["create-token", "alice"]), "alice");
    assert_eq!(again, first, "get-or-create: the same key");

    let reset = generated_key(&cli(&db, &["create-token", "-r", "alice"]), "alice");
    assert_ne!(reset, first);
    assert_eq!(stored_key(&conn, "alice").await.as_deref(), Some(&*reset));

    let long_reset = generated_key(&cli(&db, &["create-token", "alice", "--reset"]), "alice");
    assert_ne!(long_reset, reset);

    // An existing token is printed as it is; DRF's command name works as an alias.
    let existing = generated_key(&cli(&db, &["drf_create_token", "john"]), "john");
    assert_eq!(existing, "abcd1234");
}

#[actix_web::test]
async fn create_token_for_an_unknown_user_is_a_command_error() {
    let db = TempDb::new("create-token-unknown");
    let conn = db.seeded().await;
    let output = cli(&db, &["create-token", "nobody"]);
    assert_command_error(
        &output,
        "CommandError: Cannot create the Token: user nobody does not exist\n",
    );
    // The lookup is exact: another case is another user.
    let output = cli(&db, &["create-token", "John"]);
    assert_command_error(
        &output,
        "CommandError: Cannot create the Token: user John does not exist\n",
    );
    assert!(stored_key(&conn, "alice").await.is_none());
}

#[test]
fn create_token_without_a_username_is_a_usage_error() {
    let output = run_bin(&["create-token"], &[]);
    assert_eq!(output.code, 2, "{output:?}");
    assert_eq!(output.stdout, "");
    assert!(output.stderr.contains("<USERNAME>"), "{}", output.stderr);
    assert!(output.stderr.contains("Usage:"), "{}", output.stderr);

    let parsed = AdminCli::try_parse_from(["auth-admin", "create-token"]).unwrap_err();
    assert_eq!(parsed.exit_code(), admin::EXIT_USAGE);
}

#[test]
fn every_command_has_help() {
    let help = run_bin(&["create-token", "--help"], &[]);
    assert_eq!(help.code, 0, "{help:?}");
    assert!(
        help.stdout
            .starts_with("Create DRF Token for a given user\n")
    );
    assert!(help.stdout.contains("-r, --reset"));
    assert!(
        help.stdout
            .contains("Reset existing User token and create a new one")
    );
    for command in [
        "migrate",
        "createsuperuser",
        "createuser",
        "changepassword",
        "list-tokens",
        "revoke-token",
        "clearsessions",
        #[cfg(feature = "oauth2")]
        "createapplication",
        #[cfg(feature = "oauth2")]
        "listapplications",
        #[cfg(feature = "oauth2")]
        "deleteapplication",
    ] {
        let help = run_bin(&[command, "--help"], &[]);
        assert_eq!(help.code, 0, "{command}: {help:?}");
        assert!(help.stdout.contains("--database-url"), "{command}");
    }
    let top = run_bin(&["--help"], &[]);
    assert_eq!(top.code, 0);
    assert!(top.stdout.contains("create-token"));
}

// --- list-tokens and revoke-token ----------------------------------------------------------

#[actix_web::test]
async fn list_tokens_shows_owner_time_and_only_a_prefix_of_each_key() {
    let db = TempDb::new("list-tokens");
    let conn = db.seeded().await;
    let alice = stored_user(&conn, "alice").await.unwrap();
    let key = token::create(&conn, alice.id).await.unwrap().key;

    let output = cli(&db, &["list-tokens"]);
    assert_success(&output);
    let lines: Vec<&str> = output.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", output.stdout);
    assert!(lines[0].starts_with("john   "), "{}", lines[0]);
    assert!(lines[0].ends_with("  abcd…"), "{}", lines[0]);
    assert!(lines[1].starts_with("alice  "), "{}", lines[1]);
    assert!(
        lines[1].ends_with(&format!("  {}…", &key[..4])),
        "{}",
        lines[1]
    );
    for line in &lines {
        assert!(line.contains(" UTC "), "{line}");
    }
    assert!(
        !output.stdout.contains(&key[..5]),
        "never more than 4 characters of a key"
    );
    assert!(!output.stdout.contains("abcd1"));

    let empty = TempDb::new("list-tokens-empty");
    store::connect_and_migrate(&empty.url).await.unwrap();
    let output = cli(&empty, &["list-tokens"]);
    assert_success(&output);
    assert_eq!(output.stdout, "No tokens.\n");
}

#[actix_web::test]
async fn revoke_token_deletes_the_token_and_reports_what_it_cannot_do() {
    let db = TempDb::new("revoke-token");
    let conn = db.seeded().await;

    let output = cli(&db, &["revoke-token", "john"]);
    assert_success(&output);
    assert_eq!(output.stdout, "Deleted token abcd… of user john\n");
    assert!(stored_key(&conn, "john").await.is_none());

    let again = cli(&db, &["revoke-token", "john"]);
    assert_command_error(&again, "CommandError: user 'john' has no token\n");

    let unknown = cli(&db, &["revoke-token", "nobody"]);
    assert_command_error(&unknown, "CommandError: user 'nobody' does not exist\n");
}

// --- clearsessions -------------------------------------------------------------------------

#[actix_web::test]
async fn clearsessions_deletes_only_expired_sessions_and_prints_the_count() {
    let db = TempDb::new("clearsessions");
    let conn = db.seeded().await;
    let now = chrono::Utc::now();
    let expired = now - chrono::Duration::hours(1);
    let live = now + chrono::Duration::days(14);
    for (key, expire) in [
        ("expired1", expired),
        ("expired2", expired),
        ("live1", live),
    ] {
        session::insert(&conn, key.to_owned(), "data".to_owned(), expire)
            .await
            .unwrap();
    }

    let output = cli(&db, &["clearsessions"]);
    assert_success(&output);
    assert_eq!(output.stdout, "Deleted 2 expired sessions.\n");
    assert!(session::exists(&conn, "live1").await.unwrap());
    assert!(!session::exists(&conn, "expired1").await.unwrap());

    let again = cli(&db, &["clearsessions"]);
    assert_success(&again);
    assert_eq!(again.stdout, "Deleted 0 expired sessions.\n");
}

// --- the database URL ----------------------------------------------------------------------

#[test]
fn bad_database_urls_fail_with_one_clean_line_without_the_password() {
    let missing_dir = std::env::temp_dir()
        .join("auth-admin-no-such-directory")
        .join("nested")
        .join("db.sqlite3");
    let missing_dir = format!("sqlite://{}?mode=rwc", missing_dir.display());
    for url in [
        "nosuchdb://admin:Sup3rSecretPw@db.example:5432/app",
        "nosuchdb://db.example/app?user=admin&password=Sup3rSecretPw",
        "not a url",
        missing_dir.as_str(),
    ] {
        for output in [
            run_bin(&["--database-url", url, "list-tokens"], &[]),
            run_bin(&["create-token", "john"], &[("DATABASE_URL", url)]),
        ] {
            assert_eq!(output.code, 1, "{url}: {output:?}");
            assert_eq!(output.stdout, "", "{url}");
            assert!(
                output
                    .stderr
                    .starts_with("CommandError: cannot open the database "),
                "{url}: {}",
                output.stderr
            );
            assert_eq!(output.stderr.lines().count(), 1, "{url}: {}", output.stderr);
            assert!(
                !output.stderr.contains("Sup3rSecretPw"),
                "{}",
                output.stderr
            );
            assert!(!output.stderr.contains("panicked"), "{}", output.stderr);
            assert!(!output.stderr.contains("backtrace"), "{}", output.stderr);
        }
    }
    let secret = run_bin(
        &["list-tokens"],
        &[(
            "DATABASE_URL",
            "nosuchdb://admin:Sup3rSecretPw@db.example/app",
        )],
    );
    assert!(
        secret
            .stderr
            .contains("nosuchdb://admin:********@db.example/app"),
        "{}",
        secret.stderr
    );

    let empty = run_bin(&["--database-url", "", "migrate"], &[]);
    assert_eq!(empty.code, 1, "{empty:?}");
    assert_eq!(
        empty.stderr,
        "CommandError: no database URL: pass --database-url or set DATABASE_URL\n"
    );

    // The help shows the variable's name, never its value.
    let help = run_bin(
        &["--help"],
        &[(
            "DATABASE_URL",
            "nosuchdb://admin:Sup3rSecretPw@db.example/app",
        )],
    );
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("DATABASE_URL"));
    assert!(!help.stdout.contains("Sup3rSecretPw"));
}

#[actix_web::test]
async fn the_database_url_comes_from_the_environment_too() {
    let db = TempDb::new("env-url");
    db.seeded().await;
    let output = run_bin(&["create-token", "john"], &[("DATABASE_URL", &db.url)]);
    assert_eq!(generated_key(&output, "john"), "abcd1234");
}

// --- embedding and the token scheme --------------------------------------------------------

#[actix_web::test]
async fn run_in_process_writes_to_the_given_writers() {
    let db = TempDb::new("in-process");
    let conn = db.seeded().await;
    let cli = AdminCli::try_parse_from(["auth-admin", "create-token", "alice"]).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = admin::run(cli.command, &db.url, &mut out, &mut err).await;
    assert_eq!(code, admin::EXIT_SUCCESS);
    assert_eq!(err, b"");
    let key = stored_key(&conn, "alice").await.unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        format!("Generated token {key} for user alice\n")
    );

    let cli = AdminCli::try_parse_from(["auth-admin", "create-token", "nobody"]).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = admin::run(cli.command, &db.url, &mut out, &mut err).await;
    assert_eq!(code, admin::EXIT_FAILURE);
    assert_eq!(out, b"");
    assert_eq!(
        String::from_utf8(err).unwrap(),
        "CommandError: Cannot create the Token: user nobody does not exist\n"
    );
}

#[actix_web::test]
async fn a_token_from_create_token_authenticates_with_the_token_scheme() {
    let db = TempDb::new("token-scheme");
    db.seeded().await;
    let key = generated_key(&cli(&db, &["create-token", "alice"]), "alice");

    let settings = settings();
    let conn = db.connect().await;
    let app = app(&settings, &conn, |routes| {
        routes.service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"));
    })
    .await;
    let reply = send(&app, with_auth(get("/token/"), format!("Token {key}"))).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.body, json_body("alice", &key));

    // Revoked with the tool: the next request is refused.
    assert_success(&cli(&db, &["revoke-token", "alice"]));
    let reply = send(&app, with_auth(get("/token/"), format!("Token {key}"))).await;
    assert_eq!(reply.status, 401, "{reply:?}");
    assert_eq!(reply.body, r#"{"detail":"Invalid token."}"#);
}

#[cfg(unix)]
#[test]
fn a_new_sqlite_database_is_created_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;

    let path = std::env::temp_dir().join(format!(
        "auth-admin-private-{}-{}.db",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let output = run_bin(&["--database-url", &url, "migrate"], &[]);
    assert_eq!(output.code, 0, "{output:?}");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn the_database_password_comes_from_a_file_or_the_environment() {
    let file = std::env::temp_dir().join(format!(
        "auth-admin-password-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::write(&file, "Sup3rSecretPw\n").unwrap();
    let file = file.display().to_string();
    // A URL without a user has nowhere to take the password: said, without the password.
    for output in [
        run_bin(
            &[
                "--database-url",
                "postgres://127.0.0.1:1/app",
                "--database-password-file",
                &file,
                "list-tokens",
            ],
            &[],
        ),
        run_bin(
            &[
                "--database-url",
                "postgres://127.0.0.1:1/app",
                "list-tokens",
            ],
            &[("DATABASE_PASSWORD", "Sup3rSecretPw")],
        ),
    ] {
        assert_eq!(output.code, 1, "{output:?}");
        assert!(output.stderr.contains("names no user"), "{}", output.stderr);
        assert!(
            !output.stderr.contains("Sup3rSecretPw"),
            "{}",
            output.stderr
        );
    }
    // With a user, the password is used (and never shown): the connection to a closed port
    // fails with the URL redacted.
    let output = run_bin(
        &[
            "--database-url",
            "postgres://admin@127.0.0.1:1/app",
            "--database-password-file",
            &file,
            "list-tokens",
        ],
        &[],
    );
    assert_eq!(output.code, 1, "{output:?}");
    assert!(
        output.stderr.starts_with(
            "CommandError: cannot open the database postgres://admin:********@127.0.0.1:1/app"
        ),
        "{}",
        output.stderr
    );
    assert!(
        !output.stderr.contains("Sup3rSecretPw"),
        "{}",
        output.stderr
    );
    std::fs::remove_file(&file).unwrap();
}

/// `check --deploy` on a deliberately weak configuration names each problem and fails; on a good
/// one it passes. `check` without `--deploy` fails on errors only, as Django's does.
#[test]
fn check_deploy_reports_a_weak_configuration_and_passes_a_good_one() {
    let missing = std::env::temp_dir().join(format!(
        "auth-admin-check-missing-{}.db",
        std::process::id()
    ));
    let missing_url = format!("sqlite://{}?mode=rwc", missing.display());
    let weak = [
        ("SECRET_KEY", "django-insecure-short"),
        ("DENY_BY_DEFAULT", "false"),
        ("ALLOWED_HOSTS", "*"),
    ];
    let output = run_bin(
        &["--database-url", &missing_url, "check", "--deploy"],
        &weak,
    );
    assert_eq!(output.code, 1, "{output:?}");
    assert_eq!(output.stdout, "");
    assert!(
        output.stderr.starts_with(
            "SystemCheckError: System check identified some issues:\n\nERRORS:\n?: (auth.E001)"
        ),
        "{}",
        output.stderr
    );
    for id in [
        "(security.W009)",
        "(auth.E001)",
        "(auth.W001)",
        "(auth.W002)",
        "(auth.W003)",
        "(security.W012)",
        "(security.W016)",
        "(auth.W004)",
    ] {
        assert!(
            output.stderr.contains(id),
            "{id} missing: {}",
            output.stderr
        );
    }
    assert!(
        output
            .stderr
            .ends_with("System check identified 8 issues (0 silenced).\n"),
        "{}",
        output.stderr
    );
    assert!(!missing.exists(), "checking does not create the database");
    // Without --deploy: warnings only (the deployment's errors are not checked), exit 0.
    let output = run_bin(&["--database-url", "sqlite::memory:", "check"], &weak);
    assert_eq!(output.code, 0, "{output:?}");
    assert!(output.stderr.contains("(auth.W001)"), "{}", output.stderr);

    // A good deployment: a long key, the service's host, one proxy, secure cookies, a default
    // throttle, and an existing private database file.
    let db = TempDb::new("check");
    assert_success(&cli(&db, &["migrate"]));
    let good = [
        (
            "SECRET_KEY",
            "vq3^s8@m!2kz$wq#0r7e%x9(t6u)b1y-c4d5f_g+h=i~j{k}l[m]n;o:p,r.s<t>",
        ),
        ("ALLOWED_HOSTS", "api.example.com"),
        ("NUM_PROXIES", "1"),
        ("SESSION_COOKIE_SECURE", "true"),
        ("CSRF_COOKIE_SECURE", "true"),
        ("DEFAULT_THROTTLE_CLASSES", "AnonRateThrottle"),
    ];
    let output = run_bin(&["--database-url", &db.url, "check", "--deploy"], &good);
    assert_eq!(output.code, 0, "{output:?}");
    assert_eq!(
        output.stdout,
        "System check identified no issues (0 silenced).\n"
    );
}

// --- flushexpiredtokens --------------------------------------------------------------------

#[cfg(feature = "simplejwt")]
#[actix_web::test]
async fn flushexpiredtokens_deletes_expired_outstanding_tokens_and_their_blacklist_rows() {
    use auth_core::store::token_blacklist::{self, OutstandingToken};

    let db = TempDb::new("flushexpiredtokens");
    let conn = db.seeded().await;
    let now = chrono::Utc::now();
    let row = |jti: &str, expires_at| OutstandingToken {
        jti: jti.to_owned(),
        user_id: None,
        token: format!("token-{jti}"),
        created_at: now - chrono::Duration::days(2),
        expires_at,
    };
    let expired = now - chrono::Duration::seconds(1);
    let live = now + chrono::Duration::days(1);
    token_blacklist::create(&conn, &row("old", expired))
        .await
        .unwrap();
    token_blacklist::blacklist(&conn, &row("oldbl", expired), now)
        .await
        .unwrap();
    token_blacklist::blacklist(&conn, &row("livebl", live), now)
        .await
        .unwrap();
    token_blacklist::create(&conn, &row("live", live))
        .await
        .unwrap();

    let output = cli(&db, &["flushexpiredtokens"]);
    assert_success(&output);
    assert_eq!(output.stdout, "Deleted 2 expired outstanding tokens.\n");
    // The live blacklisted token stays blacklisted; the expired one's row went with it.
    assert!(
        token_blacklist::is_blacklisted(&conn, "livebl")
            .await
            .unwrap()
    );
    assert!(
        !token_blacklist::is_blacklisted(&conn, "oldbl")
            .await
            .unwrap()
    );
    let again = cli(&db, &["flushexpiredtokens"]);
    assert_eq!(again.stdout, "Deleted 0 expired outstanding tokens.\n");
}

// --- AUTH_PASSWORD_VALIDATORS --------------------------------------------------------------

#[actix_web::test]
async fn createsuperuser_validates_an_environment_password_unless_told_to_skip() {
    let db = TempDb::new("superuser-weak");
    let conn = db.seeded().await;
    let args = [
        "createsuperuser",
        "--username",
        "boss",
        "--email",
        "boss@example.com",
    ];
    let output = cli_env(&db, &args, &[("DJANGO_SUPERUSER_PASSWORD", "bossy")]);
    assert_eq!(output.code, 1, "{output:?}");
    assert!(
        output.stderr.starts_with(
            "CommandError: The password is too similar to the username.\n\
             This password is too short. It must contain at least 8 characters.\n"
        ),
        "{output:?}"
    );
    assert!(stored_user(&conn, "boss").await.is_none());
    // Django's behaviour (it never validates DJANGO_SUPERUSER_PASSWORD), by name.
    let mut skipping = args.to_vec();
    skipping.push("--skip-password-validation");
    let output = cli_env(&db, &skipping, &[("DJANGO_SUPERUSER_PASSWORD", "bossy")]);
    assert_success(&output);
    let boss = stored_user(&conn, "boss").await.unwrap();
    assert!(verifies(
        &PasswordHashers::django_default(),
        "bossy",
        &boss.password
    ));
}

#[actix_web::test]
async fn createsuperuser_interactive_prints_djangos_messages_and_asks_to_bypass() {
    let db = TempDb::new("superuser-bypass");
    let conn = db.seeded().await;
    let mut script = Script::new(&[
        "boss",             //
        "boss@example.com", //
        "12345678",         // common and numeric
        "12345678",         //
        "n",                // do not bypass: asked again
        "bossy",            // similar and short
        "bossy",            //
        "y",                // bypass
    ]);
    let result = run_in_process(&db.url, &["createsuperuser", "--interactive"], &mut script).await;
    assert_eq!(result.code, 0, "{}", result.err);
    assert_eq!(
        result.err,
        "This password is too common.\n\
         This password is entirely numeric.\n\
         The password is too similar to the username.\n\
         This password is too short. It must contain at least 8 characters.\n"
    );
    let bypass = "Bypass password validation and create user anyway? [y/N]: ";
    assert_eq!(
        script.asked[2..],
        [
            "Password: ",
            "Password (again): ",
            bypass,
            "Password: ",
            "Password (again): ",
            bypass,
        ]
    );
    let boss = stored_user(&conn, "boss").await.unwrap();
    assert!(verifies(
        &settings().settings().password_hashers,
        "bossy",
        &boss.password
    ));
}

#[actix_web::test]
async fn changepassword_counts_a_refused_password_as_a_try() {
    let db = TempDb::new("changepassword-weak");
    let conn = db.seeded().await;
    let mut script = Script::new(&[
        "alice",
        "alice",
        "password",
        "password",
        "a-much-better-one",
        "a-much-better-one",
    ]);
    let result = run_in_process(&db.url, &["changepassword", "alice"], &mut script).await;
    assert_eq!(result.code, 0, "{}", result.err);
    assert_eq!(
        result.err,
        "The password is too similar to the username.\n\
         This password is too short. It must contain at least 8 characters.\n\
         This password is too common.\n\
         This password is too common.\n"
    );
    let alice = stored_user(&conn, "alice").await.unwrap();
    assert!(verifies(
        &settings().settings().password_hashers,
        "a-much-better-one",
        &alice.password
    ));

    // Three refusals end it, as Django's `MAX_TRIES`.
    let mut script = Script::new(&["alice", "alice", "password", "password", "1", "1"]);
    let result = run_in_process(&db.url, &["changepassword", "alice"], &mut script).await;
    assert_eq!(result.code, 1);
    assert!(
        result
            .err
            .ends_with("Aborting password change for user 'alice' after 3 attempts\n"),
        "{}",
        result.err
    );

    // From the environment: refused unless skipped.
    let output = cli_env(
        &db,
        &["changepassword", "alice", "--password-env", "NEW_PASSWORD"],
        &[("NEW_PASSWORD", "12345")],
    );
    assert_eq!(output.code, 1, "{output:?}");
    assert!(
        output.stderr.contains("This password is entirely numeric."),
        "{output:?}"
    );
    let output = cli_env(
        &db,
        &[
            "changepassword",
            "alice",
            "--password-env",
            "NEW_PASSWORD",
            "--skip-password-validation",
        ],
        &[("NEW_PASSWORD", "12345")],
    );
    assert_success(&output);
}

// --- permissions ---------------------------------------------------------------------------

#[actix_web::test]
async fn permissions_are_granted_grouped_listed_and_removed_in_djangos_tables() {
    use test_support::permission_tables::{create_permission_tables, join_group, permission};

    let db = TempDb::new("permissions");
    let conn = db.seeded().await;
    let output = cli(&db, &["permissions", "john"]);
    assert_eq!(output.code, 1, "{output:?}");
    assert!(
        output
            .stderr
            .contains("Django's `migrate` creates the permission tables"),
        "{output:?}"
    );

    create_permission_tables(&conn).await;
    for name in [
        "blog.add_article",
        "blog.change_article",
        "blog.delete_article",
    ] {
        permission(&conn, name).await;
    }
    let output = cli(
        &db,
        &["addperm", "john", "blog.add_article", "blog.change_article"],
    );
    assert_success(&output);
    assert_eq!(
        output.stdout,
        "Added permission blog.add_article to user 'john'\n\
         Added permission blog.change_article to user 'john'\n"
    );
    let output = cli(&db, &["addperm", "john", "blog.add_article"]);
    assert_eq!(
        output.stdout,
        "User 'john' already has permission blog.add_article\n"
    );
    // Nothing is written when one name is unknown.
    let output = cli(
        &db,
        &[
            "addperm",
            "john",
            "blog.delete_article",
            "blog.publish_article",
        ],
    );
    assert_eq!(output.code, 1, "{output:?}");
    assert!(
        output
            .stderr
            .contains("Permission 'blog.publish_article' does not exist"),
        "{output:?}"
    );

    let output = cli(&db, &["addgroup", "john", "editors"]);
    assert_eq!(
        output.stdout,
        "Created group 'editors'\nAdded user 'john' to group 'editors'\n"
    );
    let alice = stored_user(&conn, "alice").await.unwrap();
    join_group(&conn, alice.id, "editors", &["blog.delete_article"]).await;
    let output = cli(&db, &["permissions", "john"]);
    assert_success(&output);
    assert_eq!(
        output.stdout, "blog.add_article\nblog.change_article\nblog.delete_article\n",
        "own and the group's"
    );
    let output = cli(
        &db,
        &[
            "removeperm",
            "john",
            "blog.change_article",
            "blog.delete_article",
        ],
    );
    assert_eq!(
        output.stdout,
        "Removed permission blog.change_article from user 'john'\n\
         User 'john' has no permission blog.delete_article of its own\n"
    );
    let output = cli(&db, &["permissions", "john"]);
    assert_eq!(output.stdout, "blog.add_article\nblog.delete_article\n");
}

#[actix_web::test]
async fn createuser_makes_a_plain_staff_or_super_user_in_groups_made_when_missing() {
    use test_support::permission_tables::{create_permission_tables, permission};

    let db = TempDb::new("createuser");
    let conn = db.seeded().await;
    let password = "correct horse battery staple";
    // Groups need Django's permission tables: nothing is created without them.
    let output = cli_env(
        &db,
        &[
            "createuser",
            "--username",
            "editor",
            "--password-env",
            "NEW_PASSWORD",
            "--group",
            "editors",
        ],
        &[("NEW_PASSWORD", password)],
    );
    assert_eq!(output.code, 1, "{output:?}");
    assert!(stored_user(&conn, "editor").await.is_none());

    create_permission_tables(&conn).await;
    permission(&conn, "blog.change_article").await;
    let output = cli_env(
        &db,
        &[
            "createuser",
            "--username",
            "editor",
            "--email",
            "Ed@EXAMPLE.COM",
            "--password-env",
            "NEW_PASSWORD",
            "--group",
            "editors",
            "--group",
            "writers",
        ],
        &[("NEW_PASSWORD", password)],
    );
    assert_success(&output);
    assert_eq!(
        output.stdout,
        "User created successfully.\n\
         Created group 'editors'\nAdded user 'editor' to group 'editors'\n\
         Created group 'writers'\nAdded user 'editor' to group 'writers'\n"
    );
    let editor = stored_user(&conn, "editor").await.unwrap();
    assert!(!editor.is_staff && !editor.is_superuser && editor.is_active);
    assert_eq!(editor.email, "Ed@example.com");
    assert!(verifies(
        &PasswordHashers::django_default(),
        password,
        &editor.password
    ));
    let output = cli(&db, &["addgroup", "editor", "editors"]);
    assert_eq!(
        output.stdout,
        "User 'editor' is already in group 'editors'\n"
    );

    // --superuser implies --staff, as Django's create_superuser insists; --no-password.
    let output = cli(
        &db,
        &[
            "createuser",
            "--username",
            "root2",
            "--superuser",
            "--no-password",
        ],
    );
    assert_success(&output);
    let root = stored_user(&conn, "root2").await.unwrap();
    assert!(root.is_staff && root.is_superuser && root.password.starts_with('!'));
    let output = cli(
        &db,
        &[
            "createuser",
            "--username",
            "staff2",
            "--staff",
            "--no-password",
        ],
    );
    assert_success(&output);
    let staff = stored_user(&conn, "staff2").await.unwrap();
    assert!(staff.is_staff && !staff.is_superuser);

    // createsuperuser's variable is not read; the validators are; a taken name is refused.
    let output = cli_env(
        &db,
        &["createuser", "--username", "nopass", "--no-input"],
        &[("DJANGO_SUPERUSER_PASSWORD", password)],
    );
    assert_command_error(
        &output,
        "CommandError: no password given: use --password-env VAR, or --no-password for an \
         unusable password\n",
    );
    let output = cli_env(
        &db,
        &[
            "createuser",
            "--username",
            "weak",
            "--password-env",
            "NEW_PASSWORD",
        ],
        &[("NEW_PASSWORD", "12345")],
    );
    assert_eq!(output.code, 1, "{output:?}");
    assert!(stored_user(&conn, "weak").await.is_none());
    let output = cli(
        &db,
        &["createuser", "--username", "editor", "--no-password"],
    );
    assert_command_error(
        &output,
        "CommandError: Error: That username is already taken.\n",
    );
    // A group name auth_group.name cannot hold is refused before the user is made.
    let output = cli(
        &db,
        &[
            "createuser",
            "--username",
            "longgroup",
            "--no-password",
            "--group",
            "ggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg",
        ],
    );
    assert_eq!(output.code, 1, "{output:?}");
    assert!(
        output.stderr.contains("must have 1 to 150 characters"),
        "{output:?}"
    );
    assert!(stored_user(&conn, "longgroup").await.is_none());
    let output = cli(&db, &["createuser", "--no-input", "--no-password"]);
    assert_command_error(
        &output,
        "CommandError: You must use --username when not running interactively.\n",
    );
}

// --- django-oauth-toolkit's applications ---------------------------------------------------

/// The stored columns of the application `client_id` that `createapplication` decides besides
/// the credentials, as SQLite's `json_array` gives them (booleans as 0/1, `NULL` as null).
#[cfg(feature = "oauth2")]
async fn application_row(conn: &DatabaseConnection, client_id: &str) -> serde_json::Value {
    let sql = format!(
        "SELECT json_array(redirect_uris, post_logout_redirect_uris, client_type, \
         authorization_grant_type, hash_client_secret, name, user_id, skip_authorization, \
         algorithm, allowed_origins, registration_source, cimd_expires_at, created = updated) \
         FROM oauth2_provider_application WHERE client_id = '{client_id}'"
    );
    let text: String = sql_value(conn, &sql).await;
    serde_json::from_str(&text).unwrap()
}

/// The first column of the first row of `sql`.
#[cfg(feature = "oauth2")]
async fn sql_value<T: store::sea_orm::TryGetable>(conn: &DatabaseConnection, sql: &str) -> T {
    use store::sea_orm::{ConnectionTrait, Statement};
    conn.query_one_raw(Statement::from_string(
        conn.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .unwrap()
    .unwrap_or_else(|| panic!("no row: {sql}"))
    .try_get_by_index::<T>(0)
    .unwrap()
}

#[cfg(feature = "oauth2")]
async fn sql_execute(conn: &DatabaseConnection, sql: &str) {
    use store::sea_orm::ConnectionTrait;
    conn.execute_unprepared(sql).await.unwrap();
}

#[cfg(feature = "oauth2")]
fn is_generated(text: &str, length: usize) -> bool {
    text.len() == length && text.bytes().all(|byte| byte.is_ascii_alphanumeric())
}

#[cfg(feature = "oauth2")]
#[actix_web::test]
async fn createapplication_generates_the_credentials_and_stores_the_secret_hashed() {
    use auth_actix::store::oauth2_application::{self, ClientType};

    let db = TempDb::new("createapplication");
    let conn = db.seeded().await;
    let output = cli(
        &db,
        &[
            "createapplication",
            "confidential",
            "client-credentials",
            "--name",
            "Billing",
        ],
    );
    assert_success(&output);
    // DOT's two lines; the secret is shown once, here.
    let secret = output
        .stdout
        .strip_prefix("New application Billing created successfully.\nclient_secret: ")
        .and_then(|rest| rest.strip_suffix('\n'))
        .unwrap_or_else(|| panic!("unexpected output {:?}", output.stdout));
    assert!(is_generated(secret, 128), "{secret}");

    let applications = oauth2_application::list(&conn).await.unwrap();
    assert_eq!(applications.len(), 1);
    let application = &applications[0];
    assert!(is_generated(&application.client_id, 40), "{application:?}");
    assert_eq!(application.client_type, ClientType::Confidential);
    assert_eq!(application.authorization_grant_type, "client-credentials");
    // A Django password hash of the first hasher, which checks the printed secret.
    assert!(application.client_secret.starts_with("pbkdf2_sha256$"));
    let hashers = PasswordHashers::django_default();
    assert!(verifies(&hashers, secret, &application.client_secret));
    assert_eq!(
        application_row(&conn, &application.client_id).await,
        serde_json::json!([
            "",
            "",
            "confidential",
            "client-credentials",
            1,
            "Billing",
            null,
            0,
            "",
            "",
            "manual",
            null,
            1
        ])
    );
    // `created` in Django's SQLite text.
    let created: String = sql_value(
        &conn,
        "SELECT created FROM oauth2_provider_application LIMIT 1",
    )
    .await;
    let parsed = chrono::NaiveDateTime::parse_from_str(&created, "%Y-%m-%d %H:%M:%S%.f");
    assert!(parsed.is_ok() && !created.contains('T'), "{created}");
}

#[cfg(feature = "oauth2")]
#[actix_web::test]
async fn createapplication_stores_the_given_values_and_prints_no_given_secret() {
    use auth_actix::store::oauth2_application;

    let db = TempDb::new("createapplication-given");
    let conn = db.seeded().await;
    let john = stored_user(&conn, "john").await.unwrap();
    let john_id = john.id.to_string();
    let output = cli(
        &db,
        &[
            "createapplication",
            "confidential",
            "authorization-code",
            "--client-id",
            "web-client",
            "--user",
            &john_id,
            "--redirect-uris",
            "https://app.example.com/cb http://localhost:8000/cb?x=1",
            "--post-logout-redirect-uris",
            "https://app.example.com/bye",
            "--client-secret",
            "s3cret-for-hs256",
            "--no-hash-client-secret",
            "--skip-authorization",
            "--algorithm",
            "HS256",
        ],
    );
    assert_success(&output);
    // No name: DOT names the application by its client id; the secret given is not printed.
    assert_eq!(
        output.stdout,
        "New application web-client created successfully.\n"
    );
    let application = oauth2_application::by_client_id(&conn, "web-client")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(application.client_secret, "s3cret-for-hs256");
    assert_eq!(application.user_id, Some(john.id));
    assert_eq!(
        application_row(&conn, "web-client").await,
        serde_json::json!([
            "https://app.example.com/cb http://localhost:8000/cb?x=1",
            "https://app.example.com/bye",
            "confidential",
            "authorization-code",
            0,
            "",
            john.id.as_int().unwrap(),
            1,
            "HS256",
            "",
            "manual",
            null,
            1
        ])
    );

    // A secret that is already a Django hash is stored as it is (`ClientSecretField.pre_save`).
    let hashed = PasswordHashers::django_default().make_password("pre-hashed");
    let output = cli(
        &db,
        &[
            "createapplication",
            "public",
            "password",
            "--client-id",
            "pre-hashed",
            "--client-secret",
            &hashed,
            "--name",
            "Mobile",
        ],
    );
    assert_success(&output);
    assert_eq!(
        output.stdout,
        "New application Mobile created successfully.\n"
    );
    let application = oauth2_application::by_client_id(&conn, "pre-hashed")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(application.client_secret, hashed);
}

#[cfg(feature = "oauth2")]
#[actix_web::test]
async fn createapplication_reports_what_dots_full_clean_reports_and_saves_nothing() {
    let db = TempDb::new("createapplication-invalid");
    let conn = db.seeded().await;
    assert_success(&cli(
        &db,
        &[
            "createapplication",
            "public",
            "password",
            "--client-id",
            "taken",
        ],
    ));
    let hs256_hashed = "You cannot use HS256 with a hashed client secret. For HS256 the client \
        secret is the shared signing key and must be stored unhashed so the relying party can \
        verify the token; set hash_client_secret=False and store an unhashed client_secret on \
        this application.";
    let long = "n".repeat(256);
    // DOT 3.4.1's `createapplication` output for the same arguments, word for word.
    let cases: Vec<(Vec<&str>, String)> = vec![
        (
            vec!["foo", "bar"],
            " - client_type: [\"Value 'foo' is not a valid choice.\"]\n \
             - authorization_grant_type: [\"Value 'bar' is not a valid choice.\"]"
                .to_owned(),
        ),
        (
            vec!["", "password"],
            " - client_type: ['This field cannot be blank.']".to_owned(),
        ),
        (
            vec!["public", "authorization-code", "--redirect-uris", "   "],
            " - redirect_uris: ['redirect_uris cannot be empty with grant_type \
             authorization-code']"
                .to_owned(),
        ),
        (
            vec![
                "public",
                "implicit",
                "--redirect-uris",
                "http://ok.example/cb https://a.b/c#frag ftp://x.com http:/nohost \
                 http://-bad.com http://[::1 http://[1.2.3.4]/",
            ],
            " - redirect_uris: ['redirect uri URI validation error. fragment not allowed: \
             https://a.b/c#frag', 'redirect uri URI Validation error. invalid_scheme: \
             ftp://x.com', 'redirect uri URI validation error. missing host: http:/nohost', \
             \"redirect uri URI validation error. ['Enter a valid URL.']: http://-bad.com\", \
             'redirect uri URI validation error. Invalid IPv6 URL: http://[::1', \
             'redirect uri URI validation error. An IPv4 address cannot be in brackets: \
             http://[1.2.3.4]/']"
                .to_owned(),
        ),
        (
            vec!["public", "password", "--algorithm", "HS256"],
            format!(
                " - algorithm: ['You cannot use HS256 with public grants or clients']\n \
                 - hash_client_secret: ['{hs256_hashed}']"
            ),
        ),
        (
            vec![
                "confidential",
                "password",
                "--algorithm",
                "HS256",
                "--no-hash-client-secret",
                "--client-secret",
                "pbkdf2_sha256$1$salt$hash",
            ],
            format!(" - client_secret: ['{hs256_hashed}']"),
        ),
        (
            vec!["confidential", "password", "--algorithm", "RS256"],
            " - algorithm: ['You must set OIDC_RSA_PRIVATE_KEY to use RSA algorithm']".to_owned(),
        ),
        (
            vec!["confidential", "password", "--algorithm", "hs256"],
            " - algorithm: [\"Value 'hs256' is not a valid choice.\"]".to_owned(),
        ),
        (
            vec!["confidential", "password", "--user", "abc"],
            " - user: ['“abc” value must be an integer.']".to_owned(),
        ),
        (
            vec!["confidential", "password", "--user", "-3"],
            " - user: ['user instance with id -3 is not a valid choice.']".to_owned(),
        ),
        (
            vec![
                "confidential",
                "password",
                "--user",
                "99999999999999999999999",
            ],
            " - user: ['user instance with id 99999999999999999999999 is not a valid \
             choice.']"
                .to_owned(),
        ),
        (
            vec!["confidential", "password", "--name", &long],
            " - name: ['Ensure this value has at most 255 characters (it has 256).']".to_owned(),
        ),
        (
            vec![
                "confidentialx",
                "password",
                "--client-id",
                "taken",
                "--algorithm",
                "RS256",
                "--redirect-uris",
                "bad",
            ],
            " - client_type: [\"Value 'confidentialx' is not a valid choice.\"]\n \
             - redirect_uris: ['redirect uri URI Validation error. invalid_scheme: bad']\n \
             - algorithm: ['You must set OIDC_RSA_PRIVATE_KEY to use RSA algorithm']\n \
             - client_id: ['Application with this Client ID already exists.']"
                .to_owned(),
        ),
    ];
    for (args, errors) in cases {
        let mut full = vec!["createapplication"];
        full.extend(&args);
        let output = cli(&db, &full);
        assert_command_error(
            &output,
            &format!("CommandError: Please correct the following errors:\n{errors}\n"),
        );
    }
    let count: i64 = sql_value(&conn, "SELECT COUNT(*) FROM oauth2_provider_application").await;
    assert_eq!(count, 1);

    // What this command does not judge is refused, not guessed.
    let output = cli(
        &db,
        &[
            "createapplication",
            "public",
            "authorization-code",
            "--redirect-uris",
            "https://bücher.example/cb",
        ],
    );
    assert_command_error(
        &output,
        "CommandError: the redirect URI \"https://bücher.example/cb\" is not checked by this \
         command: its host has characters outside ASCII (write it in its ASCII, IDNA, form); \
         create the application with django-oauth-toolkit's createapplication\n",
    );
    // A native app's private-use scheme, once allowed (ALLOWED_REDIRECT_URI_SCHEMES).
    let native = [
        "createapplication",
        "public",
        "authorization-code",
        "--redirect-uris",
        "com.example.app:/callback",
    ];
    assert_command_error(
        &cli(&db, &native),
        "CommandError: Please correct the following errors:\n - redirect_uris: ['redirect uri \
         URI Validation error. invalid_scheme: com.example.app:/callback']\n",
    );
    let mut allowed = native.to_vec();
    allowed.extend([
        "--allowed-redirect-uri-schemes",
        "https,com.example.app",
        "--name",
        "native",
    ]);
    let output = cli(&db, &allowed);
    assert_success(&output);
    assert!(
        output
            .stdout
            .starts_with("New application native created successfully.\nclient_secret: ")
    );
    // RS256 once OIDC_RSA_PRIVATE_KEY is set: only whether it is empty matters.
    let key = db.dir.join("oidc.pem");
    std::fs::write(&key, "").unwrap();
    let key_path = key.to_str().unwrap();
    let rs256 = |name: &'static str| {
        vec![
            "createapplication",
            "confidential",
            "password",
            "--algorithm",
            "RS256",
            "--name",
            name,
            "--oidc-rsa-private-key-file",
            key_path,
        ]
    };
    assert_command_error(
        &cli(&db, &rs256("rsa")),
        "CommandError: Please correct the following errors:\n - algorithm: ['You must set \
         OIDC_RSA_PRIVATE_KEY to use RSA algorithm']\n",
    );
    std::fs::write(&key, "-----BEGIN PRIVATE KEY-----\n").unwrap();
    assert_success(&cli(&db, &rs256("rsa")));
    std::fs::remove_file(&key).unwrap();
    let output = cli(&db, &rs256("rsa2"));
    assert_eq!(output.code, 1, "{output:?}");
    assert!(
        output
            .stderr
            .starts_with("CommandError: cannot read --oidc-rsa-private-key-file: "),
        "{output:?}"
    );
}

#[cfg(feature = "oauth2")]
#[test]
fn createapplication_never_shows_the_client_secret_in_debug_output() {
    let cli = AdminCli::try_parse_from([
        "auth-admin",
        "createapplication",
        "confidential",
        "password",
        "--client-secret",
        "hunter2-secret",
    ])
    .unwrap();
    let shown = format!("{cli:?}");
    assert!(!shown.contains("hunter2-secret"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

#[cfg(feature = "oauth2")]
#[actix_web::test]
async fn listapplications_prints_one_line_per_application_and_never_a_secret() {
    let db = TempDb::new("listapplications");
    let conn = db.seeded().await;
    let output = cli(&db, &["listapplications"]);
    assert_success(&output);
    assert_eq!(output.stdout, "No applications.\n");

    let john = stored_user(&conn, "john").await.unwrap();
    let john_id = john.id.to_string();
    let created = cli(
        &db,
        &[
            "createapplication",
            "confidential",
            "client-credentials",
            "--user",
            &john_id,
            "--name",
            "Billing\nexport",
        ],
    );
    assert_success(&created);
    assert_success(&cli(
        &db,
        &[
            "createapplication",
            "public",
            "authorization-code",
            "--client-id",
            "spa",
            "--redirect-uris",
            "https://spa.example.com/cb",
        ],
    ));
    let generated: String = sql_value(
        &conn,
        "SELECT client_id FROM oauth2_provider_application WHERE client_id <> 'spa'",
    )
    .await;
    let output = cli(&db, &["listapplications"]);
    assert_success(&output);
    assert_eq!(
        output.stdout,
        format!(
            "1  {generated}  confidential  client-credentials  john    Billing\\nexport\n\
             2  {:<40}  public        authorization-code  <none>\n",
            "spa"
        )
    );
    let secret = created.stdout.rsplit(' ').next().unwrap().trim();
    assert!(is_generated(secret, 128));
    assert!(!output.stdout.contains(secret));
    assert!(!output.stdout.contains("pbkdf2"));
}

#[cfg(feature = "oauth2")]
#[actix_web::test]
async fn deleteapplication_deletes_what_djangos_collector_deletes_with_it() {
    let db = TempDb::new("deleteapplication");
    let conn = db.seeded().await;
    let john = stored_user(&conn, "john").await.unwrap();
    let john_id = john.id.to_string();
    for (client_id, name) in [("doomed", "Doomed app"), ("kept", "Kept app")] {
        assert_success(&cli(
            &db,
            &[
                "createapplication",
                "confidential",
                "password",
                "--client-id",
                client_id,
                "--name",
                name,
                "--user",
                &john_id,
            ],
        ));
    }
    let id_of = async |client_id: &str| -> i64 {
        sql_value(
            &conn,
            &format!("SELECT id FROM oauth2_provider_application WHERE client_id = '{client_id}'"),
        )
        .await
    };
    let (doomed, kept) = (id_of("doomed").await, id_of("kept").await);
    let user = john.id.as_int().unwrap();
    let when = "'2030-01-01 00:00:00'";
    // ID tokens: two of the doomed application's (one held by an access token of the kept
    // one, which goes with it: `on_delete=CASCADE`), one of the kept one's.
    for (jti, application) in [("a1", doomed), ("a2", doomed), ("k1", kept)] {
        sql_execute(
            &conn,
            &format!(
                "INSERT INTO oauth2_provider_idtoken (jti, expires, scope, created, updated, \
                 application_id, user_id) VALUES ('{jti:0>32}', {when}, 'id-{jti}', {when}, \
                 {when}, {application}, {user})"
            ),
        )
        .await;
    }
    let id_token = async |jti: &str| -> i64 {
        sql_value(
            &conn,
            &format!("SELECT id FROM oauth2_provider_idtoken WHERE scope = 'id-{jti}'"),
        )
        .await
    };
    let (id_a1, id_a2) = (id_token("a1").await, id_token("a2").await);
    for (token, application, id_token) in [
        ("doomed-1", doomed, Some(id_a1)),
        ("doomed-2", doomed, None),
        ("kept-from-doomed-refresh", kept, None),
        ("kept-holding-doomed-id", kept, Some(id_a2)),
        ("kept-plain", kept, None),
    ] {
        let id_token = id_token.map_or("NULL".to_owned(), |id| id.to_string());
        sql_execute(
            &conn,
            &format!(
                "INSERT INTO oauth2_provider_accesstoken (token, expires, scope, application_id, \
                 user_id, created, updated, source_refresh_token_id, id_token_id, \
                 token_checksum, resource) VALUES ('{token}', {when}, '{token}', {application}, \
                 {user}, {when}, {when}, NULL, {id_token}, 'sum-{token}', '[]')"
            ),
        )
        .await;
    }
    let access = async |token: &str| -> i64 {
        sql_value(
            &conn,
            &format!("SELECT id FROM oauth2_provider_accesstoken WHERE token = '{token}'"),
        )
        .await
    };
    for (token, application, access_token) in [
        ("doomed-refresh", doomed, access("doomed-2").await),
        ("kept-refresh-of-doomed", kept, access("doomed-1").await),
        ("kept-refresh", kept, access("kept-plain").await),
    ] {
        sql_execute(
            &conn,
            &format!(
                "INSERT INTO oauth2_provider_refreshtoken (token, access_token_id, \
                 application_id, user_id, created, updated, revoked, token_family, \
                 token_checksum, resource) VALUES ('{token}', {access_token}, {application}, \
                 {user}, {when}, {when}, NULL, NULL, 'sum-{token}', '[]')"
            ),
        )
        .await;
    }
    // An access token of the kept application, from the doomed one's refresh token.
    sql_execute(
        &conn,
        "UPDATE oauth2_provider_accesstoken SET source_refresh_token_id = (SELECT id FROM \
         oauth2_provider_refreshtoken WHERE token = 'doomed-refresh') WHERE token = \
         'kept-from-doomed-refresh'",
    )
    .await;
    for (code, application) in [("doomed-code", doomed), ("kept-code", kept)] {
        sql_execute(
            &conn,
            &format!(
                "INSERT INTO oauth2_provider_grant (code, expires, redirect_uri, scope, \
                 application_id, user_id, created, updated, code_challenge, \
                 code_challenge_method, nonce, claims, resource) VALUES ('{code}', {when}, \
                 'https://x.example/cb', '', {application}, {user}, {when}, {when}, '', '', '', \
                 '', '[]')"
            ),
        )
        .await;
    }

    let output = cli(&db, &["deleteapplication", "doomed"]);
    assert_success(&output);
    assert_eq!(
        output.stdout,
        "Deleted application Doomed app and its 3 access tokens, 1 refresh token, 1 grant and \
         2 ID tokens.\n"
    );
    let rows = async |sql: &str| -> String { sql_value(&conn, sql).await };
    assert_eq!(
        rows("SELECT group_concat(client_id) FROM oauth2_provider_application").await,
        "kept"
    );
    // The pointers at rows that went are NULL (`SET_NULL`), the rest untouched.
    assert_eq!(
        rows(
            "SELECT group_concat(token || ':' || coalesce(source_refresh_token_id, '-') || ':' \
             || coalesce(id_token_id, '-'), ' ') FROM (SELECT * FROM \
             oauth2_provider_accesstoken ORDER BY token)"
        )
        .await,
        "kept-from-doomed-refresh:-:- kept-plain:-:-"
    );
    let kept_plain = access("kept-plain").await;
    assert_eq!(
        rows(
            "SELECT group_concat(token || ':' || coalesce(access_token_id, '-'), ' ') FROM \
             (SELECT * FROM oauth2_provider_refreshtoken ORDER BY token)"
        )
        .await,
        format!("kept-refresh:{kept_plain} kept-refresh-of-doomed:-")
    );
    assert_eq!(
        rows("SELECT group_concat(code) FROM oauth2_provider_grant").await,
        "kept-code"
    );
    assert_eq!(
        rows("SELECT group_concat(scope) FROM oauth2_provider_idtoken").await,
        "id-k1"
    );

    assert_command_error(
        &cli(&db, &["deleteapplication", "doomed"]),
        "CommandError: application with client id 'doomed' does not exist\n",
    );
}

#[cfg(feature = "oauth2")]
#[actix_web::test]
async fn an_application_from_createapplication_gets_tokens_at_the_token_endpoint_until_deleted() {
    use actix_web::test::TestRequest;
    use auth_actix::views::oauth2_provider_endpoints;

    let db = TempDb::new("application-token");
    db.seeded().await;
    let output = cli(
        &db,
        &[
            "createapplication",
            "confidential",
            "client-credentials",
            "--client-id",
            "service",
        ],
    );
    assert_success(&output);
    let secret = output
        .stdout
        .strip_prefix("New application service created successfully.\nclient_secret: ")
        .unwrap()
        .trim_end()
        .to_owned();

    let settings = settings();
    let conn = db.connect().await;
    let app = app(&settings, &conn, |routes| {
        routes.service(actix_web::web::scope("/o").configure(oauth2_provider_endpoints));
    })
    .await;
    let token_request = |secret: &str| {
        with_auth(
            TestRequest::post()
                .uri("/o/token/")
                .insert_header(("content-type", "application/x-www-form-urlencoded"))
                .set_payload("grant_type=client_credentials"),
            basic(format!("service:{secret}").as_bytes()),
        )
    };
    let reply = send(&app, token_request(&secret)).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let body: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert!(
        body["access_token"]
            .as_str()
            .is_some_and(|token| token.len() == 30)
    );
    let reply = send(&app, token_request("wrong-secret")).await;
    assert_eq!(reply.status, 401, "{reply:?}");

    // Deleted with the tool: its token goes, and the client is unknown from then on.
    let output = cli(&db, &["deleteapplication", "service"]);
    assert_success(&output);
    assert_eq!(
        output.stdout,
        "Deleted application service and its 1 access token, 0 refresh tokens, 0 grants and \
         0 ID tokens.\n"
    );
    let reply = send(&app, token_request(&secret)).await;
    assert_eq!(reply.status, 401, "{reply:?}");
    assert_eq!(reply.body, r#"{"error": "invalid_client"}"#);
}
