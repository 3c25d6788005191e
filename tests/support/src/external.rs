//! A harness for the suites that need a server of the machine (PostgreSQL, MariaDB, Redis): each
//! test runs when its servers answer, and is reported as **ignored**, with the reason, when one
//! does not: never as passed. With `AUTH_REQUIRE_EXTERNAL_SUITES=1` (set by `.ci/run`) a server
//! that does not answer fails the tests instead. A test may need more than servers (a Python
//! environment): [`run_with`] takes that prerequisite per test, treated as a missing server is.

use std::future::Future;
use std::net::{TcpStream, ToSocketAddrs};
use std::pin::Pin;
use std::time::Duration;

use libtest_mimic::{Arguments, Failed, Trial};

/// One test: its name and its body.
pub type ExternalTest = (&'static str, fn() -> Pin<Box<dyn Future<Output = ()>>>);

/// A server the suite needs: what it is, and the URL of the environment variable or default.
#[derive(Debug, Clone)]
pub struct Server {
    pub name: &'static str,
    pub url: String,
}

impl Server {
    /// PostgreSQL at `TEST_POSTGRES_URL` (default: the machine's `test` database).
    pub fn postgres() -> Self {
        Self {
            name: "PostgreSQL (TEST_POSTGRES_URL)",
            url: std::env::var("TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned()),
        }
    }

    /// MySQL or MariaDB at `TEST_MYSQL_URL` (default: the machine's `test` database, `root`
    /// without a password).
    pub fn mysql() -> Self {
        Self {
            name: "MariaDB (TEST_MYSQL_URL)",
            url: std::env::var("TEST_MYSQL_URL")
                .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".to_owned()),
        }
    }

    /// Redis at `REDIS_URL` (default: the machine's).
    pub fn redis() -> Self {
        Self {
            name: "Redis (REDIS_URL)",
            url: std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned()),
        }
    }

    /// `host:port` of a `scheme://[user[:password]@]host[:port][/…]` URL.
    pub fn address(&self) -> Option<String> {
        let rest = self.url.split_once("://")?.1;
        let authority = rest.split(['/', '?']).next()?;
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
        let default_port = if self.url.starts_with("redis") {
            6379
        } else if self.url.starts_with("mysql") || self.url.starts_with("mariadb") {
            3306
        } else {
            5432
        };
        Some(if host_port.contains(':') {
            host_port.to_owned()
        } else {
            format!("{host_port}:{default_port}")
        })
    }

    /// Whether something accepts connections at the server's address (the tests themselves find
    /// out whether it is the right server).
    fn answers(&self) -> Result<(), String> {
        let address = self
            .address()
            .ok_or_else(|| format!("{}: cannot read host and port from its URL", self.name))?;
        let resolved = address
            .to_socket_addrs()
            .map_err(|error| format!("{}: {address}: {error}", self.name))?
            .next()
            .ok_or_else(|| format!("{}: {address} resolves to nothing", self.name))?;
        TcpStream::connect_timeout(&resolved, Duration::from_secs(2))
            .map(drop)
            .map_err(|error| format!("{} does not answer at {address}: {error}", self.name))
    }
}

/// What a test needs besides the servers: `Err` says what is missing (and how to get it).
pub type Prerequisite = Result<(), String>;

/// Runs `tests`, each on its own actix system, when every one of `servers` answers.
pub fn run(servers: &[Server], tests: Vec<ExternalTest>) -> ! {
    run_with(
        servers,
        tests.into_iter().map(|test| (test, Ok(()))).collect(),
    )
}

/// [`run`], each test with a prerequisite of its own: a test whose prerequisite is missing is
/// reported (ignored, or failed when required) as one whose server does not answer.
pub fn run_with(servers: &[Server], tests: Vec<(ExternalTest, Prerequisite)>) -> ! {
    let arguments = Arguments::from_args();
    let required = std::env::var("AUTH_REQUIRE_EXTERNAL_SUITES").is_ok_and(|value| value == "1");
    let missing: Vec<String> = servers
        .iter()
        .filter_map(|server| server.answers().err())
        .collect();
    let missing = (!missing.is_empty()).then(|| missing.join("; "));
    if let Some(reason) = &missing {
        eprintln!("ignored: {reason}");
    }
    let trials = tests
        .into_iter()
        .map(|((name, test), prerequisite)| {
            let missing = match (&missing, prerequisite) {
                (Some(reason), _) => Some(reason.clone()),
                (None, Ok(())) => None,
                (None, Err(reason)) => {
                    if !required {
                        eprintln!("{name} ignored: {reason}");
                    }
                    Some(reason)
                }
            };
            match missing {
                None => Trial::test(name, move || {
                    actix_web::rt::System::new().block_on(test());
                    Ok(())
                }),
                Some(reason) => {
                    let reason = if required {
                        format!("AUTH_REQUIRE_EXTERNAL_SUITES=1 but {reason}")
                    } else {
                        reason
                    };
                    // Ignored unless required; run anyway (`--include-ignored`), it fails with
                    // the reason: never a pass.
                    Trial::test(name, move || Err(Failed::from(reason)))
                        .with_ignored_flag(!required)
                }
            }
        })
        .collect();
    libtest_mimic::run(&arguments, trials).exit()
}

/// `external_test!(name)`: an [`ExternalTest`] for the `async fn name()` in scope.
#[macro_export]
macro_rules! external_test {
    ($name:ident) => {
        (
            stringify!($name),
            (|| Box::pin($name()))
                as fn() -> ::std::pin::Pin<Box<dyn ::std::future::Future<Output = ()>>>,
        )
    };
}
