//! Reading the `Authorization` header as Basic, DRF token and knox authentication do, up to the
//! database lookup.
//!
//! `basic_steps`, `token_steps` and `knox_steps` replay each scheme's parsing through the public
//! functions the scheme itself calls (`Fields::parse`, `a2b_base64`,
//! `basic::credentials_text`, `knox::token_key`, `knox::digest`), in the scheme's order: what
//! every request pays before its credentials are looked up. `scheme` runs the schemes' own
//! `authenticate` on the outcomes that end before the database (not attempted, malformed
//! credentials), so it also counts building the outcome and its error.
//!
//! Run with `cargo bench -p auth-core --bench authorization_header`.

// Set-up failures and wrong results must stop the run rather than be measured.
#![allow(clippy::expect_used)]

use std::borrow::Cow;
use std::hint::black_box;
use std::net::IpAddr;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use auth_core::authentication::authorization_header::Fields;
use auth_core::authentication::{
    AuthContext, Authentication, BasicAuthentication, KnoxTokenAuthentication, Outcome,
    TokenAuthentication, basic,
};
use auth_core::compat::python::binascii::a2b_base64;
use auth_core::environment::Environment;
use auth_core::messages;
use auth_core::request::RequestView;
use auth_core::response_effects::ResponseEffects;
use auth_core::store::{self, DatabaseConnection};
use auth_core::{AuthSettings, knox};
use criterion::{
    BenchmarkGroup, Criterion, criterion_group, criterion_main, measurement::WallTime,
};

/// Where a scheme's parsing stops: the same three ways as its `authenticate`.
#[derive(Debug, PartialEq, Eq)]
enum Parsed<T> {
    NotAttempted,
    Failed(&'static str),
    Credentials(T),
}

/// Basic's steps (spec §1.4) up to the password check, handing the username and password to
/// `check` as the scheme hands them to the backend, without copying them.
fn basic_steps<T>(header: &[u8], check: impl FnOnce(&str, &str) -> T) -> Parsed<T> {
    let Some(fields) = Fields::parse(header) else {
        return Parsed::NotAttempted;
    };
    if !fields.scheme_is("basic") {
        return Parsed::NotAttempted;
    }
    let Some(encoded) = fields.credentials else {
        return Parsed::Failed(messages::BASIC_NO_CREDENTIALS);
    };
    if fields.has_extra {
        return Parsed::Failed(messages::BASIC_CONTAINS_SPACES);
    }
    let Ok(decoded) = a2b_base64(encoded) else {
        return Parsed::Failed(messages::BASIC_NOT_BASE64);
    };
    let text = basic::credentials_text(&decoded);
    match text.split_once(':') {
        Some((username, password)) => Parsed::Credentials(check(username, password)),
        None => Parsed::Failed(messages::BASIC_NOT_BASE64),
    }
}

/// DRF token's steps (spec §1.5) up to the lookup: the key.
fn token_steps<'a>(header: &'a [u8], keyword: &str) -> Parsed<&'a str> {
    let Some(fields) = Fields::parse(header) else {
        return Parsed::NotAttempted;
    };
    if !fields.scheme_is(keyword) {
        return Parsed::NotAttempted;
    }
    let Some(key) = fields.credentials else {
        return Parsed::Failed(messages::TOKEN_NO_CREDENTIALS);
    };
    if fields.has_extra {
        return Parsed::Failed(messages::TOKEN_CONTAINS_SPACES);
    }
    match std::str::from_utf8(key) {
        Ok(key) if key.contains('\0') => Parsed::Failed(messages::INVALID_TOKEN),
        Ok(key) => Parsed::Credentials(key),
        Err(_) => Parsed::Failed(messages::TOKEN_INVALID_CHARACTERS),
    }
}

/// knox's steps (spec §6.2) up to the lookup: the lookup key, and the presented token's digest
/// that knox computes before comparing it with each candidate row.
fn knox_steps<'a>(header: &'a [u8], prefix: &str) -> Parsed<(&'a str, String)> {
    let Some(fields) = Fields::parse(header) else {
        return Parsed::NotAttempted;
    };
    if !fields.scheme_is(prefix) {
        return Parsed::NotAttempted;
    }
    let Some(token) = fields.credentials else {
        return Parsed::Failed(messages::TOKEN_NO_CREDENTIALS);
    };
    if fields.has_extra {
        return Parsed::Failed(messages::TOKEN_CONTAINS_SPACES);
    }
    match std::str::from_utf8(token) {
        Ok(token) if !token.contains('\0') => {
            Parsed::Credentials((knox::token_key(token), knox::digest(token)))
        }
        _ => Parsed::Failed(messages::INVALID_TOKEN),
    }
}

/// A request that carries only an `Authorization` header.
#[derive(Debug)]
struct HeaderRequest(&'static [u8]);

impl RequestView for HeaderRequest {
    fn method(&self) -> &str {
        "GET"
    }
    fn header(&self, name: &str) -> Option<Cow<'_, [u8]>> {
        name.eq_ignore_ascii_case("authorization")
            .then_some(self.0)
            .filter(|value| !value.is_empty())
            .map(Cow::Borrowed)
    }
    fn cookie(&self, _name: &str) -> Option<Cow<'_, str>> {
        None
    }
    fn host(&self) -> Option<&str> {
        None
    }
    fn is_secure(&self) -> bool {
        false
    }
    fn peer_addr(&self) -> Option<IpAddr> {
        None
    }
    fn remote_user(&self) -> Option<Cow<'_, str>> {
        None
    }
}

/// The schemes' futures finish without waiting on the paths measured here (no database):
/// polling once with a no-op waker measures them without an executor's own cost, and a path
/// that starts waiting stops the run instead of being measured.
fn poll_once<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => unreachable!("the scheme waited: this path reaches the database"),
    }
}

/// Whether a scheme's outcome is the expected one (for a failure: with the expected detail).
fn outcome_is(outcome: &Outcome, expected: &Parsed<()>) -> bool {
    match (outcome, expected) {
        (Outcome::NotAttempted, Parsed::NotAttempted) => true,
        (Outcome::Failed(error), Parsed::Failed(detail)) => error.detail() == *detail,
        _ => false,
    }
}

/// Small, fast operations: short runs are enough, and keep the whole file near half a minute.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(800));
}

/// A named header and what parsing it must give.
type Case<T> = (&'static str, &'static [u8], Parsed<T>);

fn basic(c: &mut Criterion) {
    let credentials = |username: &str, password: &str| {
        Parsed::Credentials((username.to_owned(), password.to_owned()))
    };
    let owned = |username: &str, password: &str| (username.to_owned(), password.to_owned());
    let cases: [Case<(String, String)>; 6] = [
        (
            "valid",
            b"Basic am9objpwYXNzd29yZA==",
            credentials("john", "password"),
        ),
        (
            "odd_whitespace",
            b" \x0b Basic\x0c\tam9objpwYXNzd29yZA== \r\n",
            credentials("john", "password"),
        ),
        // Python's decoder skips the junk; so must ours (spec §1.4.1).
        (
            "junk_in_base64",
            b"Basic am9o!!!bjpwYXNzd29yZA==",
            credentials("john", "password"),
        ),
        (
            "invalid_base64",
            b"Basic am9objpwYXNzd29yZA",
            Parsed::Failed(messages::BASIC_NOT_BASE64),
        ),
        (
            "utf8",
            b"Basic d2FsdGVyd2hpdMOpOnDDpHNzd8O2cmQ=",
            credentials("walterwhit\u{e9}", "p\u{e4}ssw\u{f6}rd"),
        ),
        // `walterwhité:pässwörd` in Latin-1: not UTF-8, so decoded byte by byte.
        (
            "latin1_fallback",
            b"Basic d2FsdGVyd2hpdOk6cORzc3f2cmQ=",
            credentials("walterwhit\u{e9}", "p\u{e4}ssw\u{f6}rd"),
        ),
    ];

    let mut group = c.benchmark_group("basic_steps");
    configure(&mut group);
    for (name, header, expected) in cases {
        assert_eq!(basic_steps(header, owned), expected, "{name}");
        group.bench_function(name, |b| {
            b.iter(|| {
                basic_steps(black_box(header), |user, password| {
                    (user.len(), password.len())
                })
            })
        });
    }
    group.finish();
}

fn token(c: &mut Criterion) {
    let cases: [Case<&str>; 3] = [
        ("valid", b"Token abcd1234", Parsed::Credentials("abcd1234")),
        // A key as DRF generates it: 40 hexadecimal digits.
        (
            "valid_40_hex",
            b"Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b",
            Parsed::Credentials("9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"),
        ),
        ("wrong_keyword", b"Bearer abcd1234", Parsed::NotAttempted),
    ];

    let mut group = c.benchmark_group("token_steps");
    configure(&mut group);
    for (name, header, expected) in cases {
        assert_eq!(token_steps(header, "Token"), expected, "{name}");
        group.bench_function(name, |b| {
            b.iter(|| token_steps(black_box(header), black_box("Token")))
        });
    }
    group.finish();
}

fn knox_token(c: &mut Criterion) {
    // Spec Appendix B.1: the digest is SHA-512 of the whole token.
    assert_eq!(
        knox::digest("abc123"),
        "c70b5dd9ebfb6f51d09d4132b7170c9d20750a7852f00680f65658f0310e810056e6763c34c9a00b0e940076f54495c169fc2302cceb312039271c43469507dc"
    );
    // A token as knox generates it: 64 hexadecimal characters.
    const TOKEN: &str = "ac97d5e7d085520a0ccdc1192d9691e8377fcbbea98ca9fe71ac15c2a73d3450";
    let header = format!("Token {TOKEN}").into_bytes();
    assert_eq!(
        knox_steps(&header, "Token"),
        Parsed::Credentials(("ac97d5e7d085520", knox::digest(TOKEN)))
    );
    assert_eq!(knox_steps(b"Bearer abc", "Token"), Parsed::NotAttempted);

    let mut group = c.benchmark_group("knox_steps");
    configure(&mut group);
    group.bench_function("valid", |b| {
        b.iter(|| knox_steps(black_box(&header), black_box("Token")))
    });
    group.finish();
}

fn scheme(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");
    // Never queried: every path below ends before the lookup (and `poll_once` would notice).
    let db: DatabaseConnection = runtime
        .block_on(store::connect("sqlite::memory:"))
        .expect("in-memory SQLite");
    let settings = AuthSettings::builder()
        .secret_key("x")
        .build()
        .expect("settings");

    let env = settings.environment(db.clone());

    fn run<A: Authentication>(header: &'static [u8], env: &Environment) -> Outcome {
        let request = HeaderRequest(header);
        let effects = ResponseEffects::default();
        let cx = AuthContext {
            request: &request,
            env,
            effects: &effects,
        };
        poll_once(A::authenticate(&cx))
    }

    type Run = fn(&'static [u8], &Environment) -> Outcome;
    let cases: [(&str, Run, &'static [u8], Parsed<()>); 7] = [
        (
            "basic/no_header",
            run::<BasicAuthentication>,
            b"",
            Parsed::NotAttempted,
        ),
        (
            "basic/wrong_keyword",
            run::<BasicAuthentication>,
            b"Token abcd1234",
            Parsed::NotAttempted,
        ),
        (
            "basic/invalid_base64",
            run::<BasicAuthentication>,
            b"Basic am9objpwYXNzd29yZA",
            Parsed::Failed(messages::BASIC_NOT_BASE64),
        ),
        (
            "basic/contains_spaces",
            run::<BasicAuthentication>,
            b"Basic am9o bjpwYXNzd29yZA==",
            Parsed::Failed(messages::BASIC_CONTAINS_SPACES),
        ),
        (
            "token/wrong_keyword",
            run::<TokenAuthentication>,
            b"Bearer abcd1234",
            Parsed::NotAttempted,
        ),
        (
            "token/no_credentials",
            run::<TokenAuthentication>,
            b"Token",
            Parsed::Failed(messages::TOKEN_NO_CREDENTIALS),
        ),
        (
            "knox/contains_spaces",
            run::<KnoxTokenAuthentication>,
            b"Token abcd 1234",
            Parsed::Failed(messages::TOKEN_CONTAINS_SPACES),
        ),
    ];

    let mut group = c.benchmark_group("scheme");
    configure(&mut group);
    for (name, run, header, expected) in cases {
        let outcome = run(header, &env);
        assert!(outcome_is(&outcome, &expected), "{name}: {outcome:?}");
        group.bench_function(name, |b| b.iter(|| run(black_box(header), &env)));
    }
    group.finish();

    // The pool is closed inside the runtime it was opened in.
    runtime.block_on(db.close()).expect("closing the pool");
}

criterion_group!(benches, basic, token, knox_token, scheme);
criterion_main!(benches);
