//! The whole pipeline (DRF's `initial()`, spec §0) without I/O: `Policy::run` with its
//! `tracing` span and metrics counters (no subscriber or recorder installed, as in a service that
//! installs none), on paths that never reach the database or a throttle store:
//!
//! - `anonymous/allow_any`: no schemes, `AllowAny`, no throttles.
//! - `header_scheme/is_authenticated`: a scheme that authenticates `X-Bench-User: john` as a fixed
//!   user without a lookup, `IsAuthenticated`, no throttles: the pipeline's own cost around a
//!   scheme, with a user built per request as a lookup would.
//! - `forced/is_authenticated`: the same through `ForcedAuthentication` (the test helper's
//!   `force_authenticate`), whose user is cloned rather than built.
//! - `basic_no_credentials/is_authenticated_401`: Basic, no `Authorization` header,
//!   `IsAuthenticated`: the 401 with `WWW-Authenticate: Basic realm="api"`.
//!
//! Each run is driven by `block_on` on a current-thread tokio runtime (criterion's async support
//! is a feature this crate does not enable). `block_on_ready` measures `block_on` of a future
//! that is ready at once: that floor is part of every other number here. The pipeline's
//! `authentication_timeout` is part of what is measured (a deadline read from the clock; the
//! timer is never armed, since every path here finishes on its first poll).
//!
//! Run with `cargo bench -p auth-core --bench pipeline`.

// Set-up failures and wrong results must stop the run rather than be measured.
#![allow(clippy::expect_used)]

use std::borrow::Cow;
use std::hint::black_box;
use std::net::IpAddr;
use std::time::Duration;

use auth_core::authentication::forced::ForcedAuthentication;
use auth_core::authentication::{
    AuthContext, Authenticated, Authentication, Authenticators, BasicAuthentication, Declared,
    Outcome,
};
use auth_core::environment::Environment;
use auth_core::permissions::{AllowAny, IsAuthenticated, PermissionClasses};
use auth_core::policy::{AuthState, Policy};
use auth_core::request::RequestView;
use auth_core::response_effects::ResponseEffects;
use auth_core::store;
use auth_core::throttling::ThrottleClasses;
use auth_core::user::{AuthInfo, RequestUser, User};
use auth_core::{ApiError, AuthSettings};
use criterion::{Criterion, criterion_group, criterion_main};
use tokio::runtime::Runtime;

/// A `GET` with at most one header, `name: value`.
#[derive(Debug)]
struct Request {
    header: Option<(&'static str, &'static [u8])>,
}

impl RequestView for Request {
    fn method(&self) -> &str {
        "GET"
    }
    fn header(&self, name: &str) -> Option<Cow<'_, [u8]>> {
        let (header, value) = self.header?;
        header
            .eq_ignore_ascii_case(name)
            .then_some(Cow::Borrowed(value))
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

/// An authenticated, active, non-staff user, as a lookup would return it.
fn john() -> User {
    User {
        id: 1.into(),
        password: String::new(),
        last_login: None,
        is_superuser: false,
        username: "john".into(),
        first_name: String::new(),
        last_name: String::new(),
        email: String::new(),
        is_staff: false,
        is_active: true,
        date_joined: Default::default(),
    }
}

/// Authenticates `X-Bench-User: john` without a database.
#[derive(Debug)]
struct HeaderUser;

impl Authentication for HeaderUser {
    const NAME: &'static str = "HeaderUser";

    async fn authenticate(cx: &AuthContext<'_>) -> Outcome {
        match cx.request.header("x-bench-user").as_deref() {
            None => Outcome::NotAttempted,
            Some(b"john") => Outcome::Authenticated(Authenticated {
                user: john().into(),
                auth: AuthInfo::None,
            }),
            Some(_) => Outcome::failed("Invalid user."),
        }
    }
}

/// What the benches share: the runtime, settings and a database that is never queried.
struct Fixture {
    runtime: Runtime,
    env: Environment,
}

impl Fixture {
    fn new() -> Self {
        // With its timer: `Policy::run` bounds the pipeline by `authentication_timeout`.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread runtime");
        let db = runtime
            .block_on(store::connect("sqlite::memory:"))
            .expect("in-memory SQLite");
        let settings = AuthSettings::builder()
            .secret_key("x")
            .build()
            .expect("settings");
        Self {
            runtime,
            env: settings.environment(db),
        }
    }

    /// One request through the pipeline, with fresh response effects as each request has.
    fn run<S, P, T>(
        &self,
        policy: &Policy<S, P, T>,
        request: &Request,
    ) -> Result<AuthState, ApiError>
    where
        S: Authenticators,
        P: PermissionClasses,
        T: ThrottleClasses,
    {
        let effects = ResponseEffects::default();
        self.runtime
            .block_on(policy.run(request, &self.env, &effects))
    }
}

fn policy<S, P: Default>(authentication: S) -> Policy<S, P, ()> {
    Policy {
        authentication,
        permissions: P::default(),
        throttles: (),
        throttle_scope: None,
        throttle_first: false,
    }
}

fn pipeline(c: &mut Criterion) {
    let fixture = Fixture::new();
    let mut group = c.benchmark_group("pipeline");
    // Microsecond operations: short runs are enough, and keep the file near ten seconds.
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1));

    group.bench_function("block_on_ready", |b| {
        b.iter(|| {
            fixture
                .runtime
                .block_on(std::future::ready(black_box(0_u8)))
        })
    });

    let anonymous = policy::<_, AllowAny>(Declared::<()>::new());
    let no_header = Request { header: None };
    let state = fixture
        .run(&anonymous, &no_header)
        .expect("AllowAny admits the anonymous user");
    assert_eq!(state.user, RequestUser::Anonymous);
    assert_eq!(state.scheme, None);
    group.bench_function("anonymous/allow_any", |b| {
        b.iter(|| fixture.run(black_box(&anonymous), black_box(&no_header)))
    });

    let header_scheme = policy::<_, IsAuthenticated>(Declared::<HeaderUser>::new());
    let john_header = Request {
        header: Some(("X-Bench-User", b"john")),
    };
    let state = fixture
        .run(&header_scheme, &john_header)
        .expect("john is authenticated");
    assert_eq!(state.user.username(), "john");
    assert_eq!(state.scheme, Some(HeaderUser::NAME));
    group.bench_function("header_scheme/is_authenticated", |b| {
        b.iter(|| fixture.run(black_box(&header_scheme), black_box(&john_header)))
    });

    let forced = policy::<_, IsAuthenticated>(ForcedAuthentication {
        user: john(),
        auth: AuthInfo::None,
    });
    let state = fixture
        .run(&forced, &no_header)
        .expect("the forced user is authenticated");
    assert_eq!(state.user.username(), "john");
    assert_eq!(state.scheme, Some("ForcedAuthentication"));
    group.bench_function("forced/is_authenticated", |b| {
        b.iter(|| fixture.run(black_box(&forced), black_box(&no_header)))
    });

    let basic = policy::<_, IsAuthenticated>(Declared::<BasicAuthentication>::new());
    let Err(error) = fixture.run(&basic, &no_header) else {
        unreachable!("IsAuthenticated admitted a request without credentials");
    };
    assert_eq!(error.status(), 401);
    assert_eq!(error.code(), "not_authenticated");
    assert_eq!(error.challenge(), Some("Basic realm=\"api\""));
    group.bench_function("basic_no_credentials/is_authenticated_401", |b| {
        b.iter(|| fixture.run(black_box(&basic), black_box(&no_header)))
    });

    group.finish();
    // The pool is closed inside the runtime it was opened in.
    let Fixture { runtime, env } = fixture;
    runtime
        .block_on(env.db().clone().close())
        .expect("closing the pool");
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
