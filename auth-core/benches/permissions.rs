//! Evaluating view-level permissions (spec §2): the composition
//! `IsAuthenticated & (IsAdminUser | ReadOnly)`, `!IsAuthenticated` and `AllowAny`, for an
//! authenticated non-staff user and for the anonymous user, on `GET` and `POST`.
//!
//! Compositions are types (`And<IsAuthenticated, Or<IsAdminUser, ReadOnly>>`), built with
//! `Default` per check as the pipeline does; what is measured is `has_permission` with DRF's
//! short-circuit order, e.g. the anonymous user stops at `IsAuthenticated`.
//!
//! Run with `cargo bench -p auth-core --bench permissions`.

// Set-up failures and wrong results must stop the run rather than be measured.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use auth_core::AuthSettings;
use auth_core::environment::Environment;
use auth_core::permissions::{
    AllowAny, And, IsAdminUser, IsAuthenticated, Not, Or, Permission, PermissionContext, ReadOnly,
};
use auth_core::request::MethodOnly;
use auth_core::store;
use auth_core::user::{AuthInfo, RequestUser, User};
use criterion::{Criterion, criterion_group, criterion_main};

/// The DRF documentation's example policy: authenticated, and staff or a safe method.
type AdminOrReadOnly = And<IsAuthenticated, Or<IsAdminUser, ReadOnly>>;

/// An authenticated, active, non-staff user.
fn john() -> RequestUser {
    RequestUser::User(Arc::new(User {
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
    }))
}

/// The built-in permissions never wait (they read the user and the method): polling once with
/// a no-op waker measures the decision without an executor's own cost, which would be larger
/// than the decision itself, and a permission that starts waiting stops the run.
fn poll_once<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => unreachable!("a built-in permission waited"),
    }
}

/// One view-level check, as the pipeline makes it: a fresh `P` asked `has_permission`.
fn allows<P: Permission>(cx: &PermissionContext<'_>) -> bool {
    poll_once(P::default().has_permission(cx)).expect("built-in permissions do not fail")
}

/// What each case must decide, checked before it is timed: `(user, method, allowed)`.
type Expected = [(&'static str, &'static str, bool); 4];

fn bench_permission<P: Permission>(
    c: &mut Criterion,
    name: &str,
    expected: Expected,
    env: &Environment,
) {
    let mut group = c.benchmark_group(name);
    // Nanosecond operations: short runs are enough, and keep the file near twenty seconds.
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(800));
    let john = john();
    for (user_name, method, allowed) in expected {
        let user = match user_name {
            "john" => &john,
            _ => &RequestUser::Anonymous,
        };
        let request = MethodOnly(method);
        let backend = auth_core::model_backend::ModelBackend::default();
        let cx = PermissionContext {
            request: &request,
            user,
            auth: &AuthInfo::None,
            env,
            backend: &backend,
        };
        assert_eq!(allows::<P>(&cx), allowed, "{name}: {user_name} {method}");
        group.bench_function(format!("{user_name}/{method}"), |b| {
            b.iter(|| allows::<P>(black_box(&cx)))
        });
    }
    group.finish();
}

fn permissions(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");
    // Required by the context; the built-in permissions never query it.
    let db = runtime
        .block_on(store::connect("sqlite::memory:"))
        .expect("in-memory SQLite");
    let settings = AuthSettings::builder()
        .secret_key("x")
        .build()
        .expect("settings");
    let env = settings.environment(db.clone());

    bench_permission::<AdminOrReadOnly>(
        c,
        "IsAuthenticated & (IsAdminUser | ReadOnly)",
        [
            ("john", "GET", true),
            ("john", "POST", false),
            ("anonymous", "GET", false),
            ("anonymous", "POST", false),
        ],
        &env,
    );
    bench_permission::<Not<IsAuthenticated>>(
        c,
        "!IsAuthenticated",
        [
            ("john", "GET", false),
            ("john", "POST", false),
            ("anonymous", "GET", true),
            ("anonymous", "POST", true),
        ],
        &env,
    );
    bench_permission::<AllowAny>(
        c,
        "AllowAny",
        [
            ("john", "GET", true),
            ("john", "POST", true),
            ("anonymous", "GET", true),
            ("anonymous", "POST", true),
        ],
        &env,
    );

    // The pool is closed inside the runtime it was opened in.
    runtime.block_on(db.close()).expect("closing the pool");
}

criterion_group!(benches, permissions);
criterion_main!(benches);
