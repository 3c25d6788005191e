//! `auth-admin`: Django's `manage.py` commands for the users, tokens and sessions of
//! auth-actix (see `auth_actix::admin`).
//!
//! ```text
//! cargo run -p examples --bin auth-admin -- migrate
//! cargo run -p examples --bin auth-admin -- createsuperuser --username admin --email admin@example.com
//! cargo run -p examples --bin auth-admin -- create-token admin
//! cargo run -p examples --bin auth-admin -- --help
//! ```
//!
//! The database is `--database-url` or `DATABASE_URL` (default `sqlite://auth.db?mode=rwc`).

use auth_actix::admin::AdminCli;
use auth_actix::admin::clap::Parser;

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    AdminCli::parse().run().await
}
