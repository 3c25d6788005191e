//! `auth-admin`: Django's `manage.py` commands for the users, tokens and sessions that
//! auth-actix shares with Django (see the crate documentation).
//!
//! ```text
//! cargo install --path auth-admin
//! auth-admin migrate
//! auth-admin createsuperuser --username admin --email admin@example.com
//! auth-admin create-token admin
//! auth-admin --help
//! ```
//!
//! The database is `--database-url` or `DATABASE_URL` (default `sqlite://auth.db?mode=rwc`).

use auth_admin::AdminCli;
use auth_admin::clap::Parser;

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    AdminCli::parse().run().await
}
