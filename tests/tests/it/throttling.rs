//! Throttling (spec §3, §4.3, §8.1) with a controllable clock: the reference's worked
//! sequences and exact `Retry-After` values, identities behind proxies, the rule that refused
//! requests are never counted, and scoped buckets.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use actix_web::{test, web};
use auth_actix::throttling::{
    HitFuture, MemoryStore, NoThrottleScope, ThrottleContext, ThrottleDecision, ThrottleStore,
    declare_throttle_scope, get_ident, rate_allow,
};
use auth_actix::{
    AllowAny, AnonRateThrottle, BasicAuthentication, IsAuthenticated, PolicyDefaults, PolicyGuard,
    ScopedRateThrottle, UserRateThrottle,
};
use test_support::*;

/// A store that records the cache keys it is asked about.
#[derive(Debug, Default)]
struct RecordingStore {
    inner: MemoryStore,
    keys: Mutex<Vec<String>>,
}

impl ThrottleStore for RecordingStore {
    fn hit<'a>(&'a self, key: &'a str, limit: u64, duration: u64, now: f64) -> HitFuture<'a> {
        self.keys.lock().unwrap().push(key.to_owned());
        self.inner.hit(key, limit, duration, now)
    }
}

/// Two rate throttles on their own scopes (the reference's 3/sec + 6/min pair).
#[derive(Debug, Default)]
struct Burst;
#[derive(Debug, Default)]
struct Sustained;

impl auth_actix::throttling::Throttle for Burst {
    async fn allow_request(
        &self,
        cx: &ThrottleContext<'_>,
    ) -> Result<ThrottleDecision, auth_actix::ApiError> {
        rate_allow(
            cx,
            "burst",
            Some(format!("throttle_burst_{}", get_ident(cx.request, None))),
        )
        .await
    }
}

impl auth_actix::throttling::Throttle for Sustained {
    async fn allow_request(
        &self,
        cx: &ThrottleContext<'_>,
    ) -> Result<ThrottleDecision, auth_actix::ApiError> {
        rate_allow(
            cx,
            "sustained",
            Some(format!(
                "throttle_sustained_{}",
                get_ident(cx.request, None)
            )),
        )
        .await
    }
}

/// Allows one request, then refuses without a wait.
#[derive(Debug, Default)]
struct OnceNoWait;

static ONCE_CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

impl auth_actix::throttling::Throttle for OnceNoWait {
    async fn allow_request(
        &self,
        _cx: &ThrottleContext<'_>,
    ) -> Result<ThrottleDecision, auth_actix::ApiError> {
        let first = ONCE_CALLS.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0;
        Ok(ThrottleDecision {
            allowed: first,
            wait: None,
        })
    }
}

declare_throttle_scope!(ScopeX = "x");
declare_throttle_scope!(ScopeY = "y");
declare_throttle_scope!(TestLimit = "test_limit");
declare_throttle_scope!(Unconfigured = "unconfigured");

fn config(config: &mut web::ServiceConfig) {
    config
        .service(
            web::resource("/user/")
                .route(web::get().to(whoami_throttled::<UserRateThrottle, NoThrottleScope>)),
        )
        .service(
            web::resource("/anon/")
                .route(web::get().to(whoami_throttled::<AnonRateThrottle, NoThrottleScope>)),
        )
        .service(
            web::resource("/pair/")
                .route(web::get().to(whoami_throttled::<(Burst, Sustained), NoThrottleScope>)),
        )
        .service(
            web::resource("/once/")
                .route(web::get().to(whoami_throttled::<OnceNoWait, NoThrottleScope>)),
        )
        .service(
            web::resource("/x/")
                .route(web::get().to(whoami_throttled::<ScopedRateThrottle, ScopeX>)),
        )
        .service(
            web::resource("/x-again/")
                .route(web::get().to(whoami_throttled::<ScopedRateThrottle, ScopeX>)),
        )
        .service(
            web::resource("/y/")
                .route(web::get().to(whoami_throttled::<ScopedRateThrottle, ScopeY>)),
        )
        .service(
            web::resource("/unscoped/")
                .route(web::get().to(whoami_throttled::<ScopedRateThrottle, NoThrottleScope>)),
        )
        .service(
            web::resource("/limited/")
                .route(web::get().to(whoami_throttled::<ScopedRateThrottle, TestLimit>)),
        )
        .service(
            web::resource("/unconfigured/")
                .route(web::get().to(whoami_throttled::<ScopedRateThrottle, Unconfigured>)),
        )
        .service(web::resource("/basic-anon/").route(web::get().to(basic_anon)));
}

async fn whoami_throttled<T, Scope>(
    _guard: PolicyGuard<(BasicAuthentication,), AllowAny, T, Scope>,
) -> actix_web::HttpResponse
where
    T: auth_actix::throttling::ThrottleClasses + auth_actix::policy::Resolve + 'static,
    Scope: auth_actix::throttling::ThrottleScope,
{
    actix_web::HttpResponse::Ok().finish()
}

async fn basic_anon(
    _guard: PolicyGuard<(BasicAuthentication,), IsAuthenticated, AnonRateThrottle>,
) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

/// The suite's app: the library on `db` with these routes.
async fn suite_app(settings: &AuthSettings, db: &DatabaseConnection) -> impl TestApp + use<> {
    app(settings, db, |routes| {
        routes.configure(config);
    })
    .await
}

fn local() -> SocketAddr {
    "127.0.0.1:50000".parse().unwrap()
}

/// Status, Retry-After and body of a GET.
async fn hit<S, B>(app: &S, request: test::TestRequest) -> (u16, Option<String>, String)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let response = test::call_service(app, request.peer_addr(local()).to_request()).await;
    let status = response.status().as_u16();
    let retry = response
        .headers()
        .get("Retry-After")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = String::from_utf8(test::read_body(response).await.to_vec()).unwrap();
    (status, retry, body)
}

fn throttled(seconds: u64) -> String {
    let unit = if seconds == 1 { "second" } else { "seconds" };
    format!(r#"{{"detail":"Request was throttled. Expected available in {seconds} {unit}."}}"#)
}

#[actix_web::test]
async fn sequence_1_three_per_second_then_the_window_passes() {
    let clock = ManualClock::new();
    let settings = settings_builder()
        .clock(clock.clone())
        .throttle_rate("user", "3/sec")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    for _ in 0..3 {
        assert_eq!(hit(&app, get("/user/")).await, (200, None, String::new()));
    }
    assert_eq!(
        hit(&app, get("/user/")).await,
        (429, Some("1".into()), throttled(1))
    );
    clock.set(1);
    assert_eq!(
        hit(&app, get("/user/")).await.0,
        200,
        "entries exactly one duration old have expired"
    );
}

#[actix_web::test]
async fn sequence_2_users_have_separate_buckets() {
    let settings = settings_builder()
        .clock(ManualClock::new())
        .throttle_rate("user", "3/sec")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    for _ in 0..3 {
        assert_eq!(
            hit(&app, with_auth(get("/user/"), basic(b"john:password")))
                .await
                .0,
            200
        );
    }
    assert_eq!(
        hit(&app, with_auth(get("/user/"), basic(b"admin:password")))
            .await
            .0,
        200
    );
}

#[actix_web::test]
async fn sequences_3_and_4_every_throttle_counts_and_the_longest_wait_wins() {
    let clock = ManualClock::new();
    let store: Arc<MemoryStore> = Arc::new(MemoryStore::default());
    let settings = settings_builder()
        .clock(clock.clone())
        .throttle_store(store.clone())
        .throttle_rate("burst", "3/sec")
        .throttle_rate("sustained", "6/min")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    for _ in 0..3 {
        assert_eq!(hit(&app, get("/pair/")).await.0, 200);
    }
    assert_eq!(
        hit(&app, get("/pair/")).await,
        (429, Some("1".into()), throttled(1))
    );
    clock.set(1);
    assert_eq!(hit(&app, get("/pair/")).await.0, 200);
    assert_eq!(hit(&app, get("/pair/")).await.0, 200);
    // The 6/min throttle counted the refused 4th request at t=0.
    assert_eq!(
        hit(&app, get("/pair/")).await,
        (429, Some("59".into()), throttled(59))
    );
    clock.set(2);
    assert_eq!(
        hit(&app, get("/pair/")).await,
        (429, Some("58".into()), throttled(58))
    );

    // Sequence 4: a fresh client, 24 requests at t=0.
    clock.set(1000);
    let client = || get("/pair/").insert_header(("X-Forwarded-For", "9.9.9.9"));
    let mut answers = Vec::new();
    for _ in 0..24 {
        answers.push(hit(&app, client()).await.1);
    }
    assert!(answers[..3].iter().all(Option::is_none));
    assert!(answers[3..6].iter().all(|r| r.as_deref() == Some("1")));
    assert!(answers[6..].iter().all(|r| r.as_deref() == Some("60")));
    // The burst rate is lowered to 1/sec: its history (3) exceeds the limit, its wait is none
    // and ignored; every response waits for the 6/min throttle.
    let lowered = settings_builder()
        .clock(clock.clone())
        .throttle_store(store)
        .throttle_rate("burst", "1/sec")
        .throttle_rate("sustained", "6/min")
        .build()
        .unwrap();
    let app = suite_app(&lowered, &db).await;
    for _ in 0..24 {
        assert_eq!(
            hit(&app, client()).await,
            (429, Some("60".into()), throttled(60))
        );
    }
}

#[actix_web::test]
async fn sequences_5_and_6_per_minute() {
    let clock = ManualClock::new();
    let settings = settings_builder()
        .clock(clock.clone())
        .throttle_rate("user", "3/min")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    for _ in 0..3 {
        assert_eq!(hit(&app, get("/user/")).await.1, None);
    }
    assert_eq!(
        hit(&app, get("/user/")).await,
        (429, Some("60".into()), throttled(60))
    );
    let spaced = || get("/user/").insert_header(("X-Forwarded-For", "8.8.8.8"));
    for t in [0, 20, 40, 60, 80] {
        clock.set(t);
        assert_eq!(
            hit(&app, spaced()).await,
            (200, None, String::new()),
            "t={t}"
        );
    }
}

#[actix_web::test]
async fn sequence_7_a_refusal_without_wait_has_no_retry_after() {
    let settings = settings_builder()
        .clock(ManualClock::new())
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    assert_eq!(hit(&app, get("/once/")).await.0, 200);
    assert_eq!(
        hit(&app, get("/once/")).await,
        (
            429,
            None,
            r#"{"detail":"Request was throttled."}"#.to_owned()
        )
    );
}

#[actix_web::test]
async fn sequences_8_and_9_scoped_buckets() {
    let clock = ManualClock::new();
    let settings = settings_builder()
        .clock(clock.clone())
        .throttle_rate("x", "3/min")
        .throttle_rate("y", "1/min")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let at = |t: i64, path: &'static str| {
        clock.set(t);
        get(path)
    };
    for t in [0, 1, 2] {
        assert_eq!(hit(&app, at(t, "/x/")).await.0, 200);
    }
    assert_eq!(hit(&app, at(3, "/x/")).await.1.as_deref(), Some("57"));
    assert_eq!(hit(&app, at(4, "/y/")).await.0, 200);
    assert_eq!(hit(&app, at(5, "/y/")).await.1.as_deref(), Some("59"));
    for t in [60, 61, 62] {
        assert_eq!(hit(&app, at(t, "/x/")).await.0, 200);
    }
    assert_eq!(hit(&app, at(63, "/x/")).await.1.as_deref(), Some("57"));
    assert_eq!(hit(&app, at(64, "/y/")).await.0, 200);
    assert_eq!(hit(&app, at(65, "/y/")).await.1.as_deref(), Some("59"));
    // A view without a scope is never throttled by ScopedRateThrottle.
    for _ in 0..10 {
        assert_eq!(hit(&app, get("/unscoped/")).await.0, 200);
    }
}

#[actix_web::test]
async fn sequences_10_to_12_identity_behind_proxies() {
    let cases: [(Option<u32>, &str, &str, u16); 5] = [
        (
            Some(0),
            "0.0.0.0, 1.1.1.1, 2.2.2.2",
            "9.9.9.9, 9.9.9.9, 9.9.9.9",
            429,
        ),
        (
            Some(1),
            "0.0.0.0, 1.1.1.1, 2.2.2.2",
            "4.4.4.4, 5.5.5.5, 2.2.2.2",
            429,
        ),
        (
            Some(2),
            "0.0.0.0, 1.1.1.1, 2.2.2.2",
            "4.4.4.4, 1.1.1.1, 2.2.2.2",
            429,
        ),
        (
            Some(1),
            "0.0.0.0, 1.1.1.1, 2.2.2.2",
            "0.0.0.0, 1.1.1.1, 7.7.7.7",
            200,
        ),
        (
            Some(2),
            "0.0.0.0, 1.1.1.1, 2.2.2.2",
            "0.0.0.0, 7.7.7.7, 2.2.2.2",
            200,
        ),
    ];
    for (proxies, first, second, expected) in cases {
        let mut builder = settings_builder()
            .clock(ManualClock::new())
            .throttle_rate("test_limit", "1/day");
        if let Some(proxies) = proxies {
            builder = builder.num_proxies(proxies);
        }
        let settings = builder.build().unwrap();
        let db = database(&settings).await;
        let app = suite_app(&settings, &db).await;
        assert_eq!(
            hit(
                &app,
                get("/limited/").insert_header(("X-Forwarded-For", first))
            )
            .await
            .0,
            200
        );
        let (status, retry, body) = hit(
            &app,
            get("/limited/").insert_header(("X-Forwarded-For", second)),
        )
        .await;
        assert_eq!(status, expected, "{proxies:?} {second}");
        if status == 429 {
            assert_eq!((retry.as_deref(), body), (Some("86400"), throttled(86400)));
        }
    }
}

/// The reference's keys, except that an anonymous identity is prefixed `ident:` in the
/// user-or-client throttles (DRF's `throttle_user_<pk or ident>` lets a client claiming
/// `X-Forwarded-For: 1` share user 1's bucket).
#[actix_web::test]
async fn identity_keys_follow_the_reference_with_clients_apart_from_users() {
    let store = Arc::new(RecordingStore::default());
    let settings = settings_builder()
        .clock(ManualClock::new())
        .throttle_store(store.clone())
        .throttle_rate("anon", "100/min")
        .throttle_rate("user", "100/min")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    hit(
        &app,
        get("/anon/").insert_header(("X-Forwarded-For", "1.1.1.1, 2.2.2.2")),
    )
    .await;
    hit(&app, get("/user/")).await;
    hit(&app, with_auth(get("/user/"), basic(b"john:password"))).await;
    hit(&app, with_auth(get("/anon/"), basic(b"john:password"))).await;
    assert_eq!(
        *store.keys.lock().unwrap(),
        [
            "throttle_anon_1.1.1.1,2.2.2.2",
            "throttle_user_ident:127.0.0.1",
            "throttle_user_1"
        ],
        "an authenticated user is never throttled by AnonRateThrottle"
    );
}

#[actix_web::test]
async fn reference_rows_anon_user_and_refused_requests_never_counted() {
    let settings = settings_builder()
        .clock(ManualClock::new())
        .throttle_rate("anon", "2/min")
        .throttle_rate("user", "2/min")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    assert_eq!(hit(&app, get("/anon/")).await.0, 200);
    assert_eq!(hit(&app, get("/anon/")).await.0, 200);
    assert_eq!(
        hit(&app, get("/anon/")).await,
        (429, Some("60".into()), throttled(60))
    );
    let other = test::call_service(
        &app,
        get("/anon/")
            .peer_addr("10.0.0.2:1".parse().unwrap())
            .to_request(),
    )
    .await;
    assert_eq!(other.status().as_u16(), 200);

    for expected in [200, 200, 429] {
        assert_eq!(
            hit(&app, with_auth(get("/user/"), basic(b"john:password")))
                .await
                .0,
            expected
        );
    }
    assert_eq!(
        hit(&app, get("/user/")).await.0,
        200,
        "the anonymous bucket is throttle_user_ident:127.0.0.1"
    );

    // Refused by permissions: never counted.
    let settings = settings_builder()
        .clock(ManualClock::new())
        .throttle_rate("anon", "2/min")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    for _ in 0..5 {
        assert_eq!(hit(&app, get("/basic-anon/")).await.0, 401);
    }
    for _ in 0..3 {
        assert_eq!(
            hit(
                &app,
                with_auth(get("/basic-anon/"), basic(b"john:password"))
            )
            .await
            .0,
            200
        );
    }
}

#[actix_web::test]
async fn sequence_13_shared_scopes_and_configuration_errors() {
    let settings = settings_builder()
        .clock(ManualClock::new())
        .throttle_rate("x", "1/day")
        .throttle_rate("user", "1/day")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    assert_eq!(hit(&app, get("/user/")).await.0, 200);
    assert_eq!(hit(&app, get("/user/")).await.0, 429);
    assert_eq!(hit(&app, get("/x/")).await.0, 200);
    assert_eq!(
        hit(&app, get("/x-again/")).await.0,
        429,
        "views sharing a scope share the bucket"
    );
    assert_eq!(
        hit(&app, get("/unconfigured/")).await.0,
        500,
        "a scope without a rate is a configuration error"
    );
}

#[actix_web::test]
async fn login_endpoints_are_throttled_out_of_the_box() {
    let settings = settings_builder()
        .clock(ManualClock::new())
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = app(&settings, &db, |routes| {
        routes.service(auth_actix::views::obtain_auth_token_resource(
            "/api-token-auth/",
        ));
    })
    .await;
    let attempt = || {
        test::TestRequest::post()
            .uri("/api-token-auth/")
            .insert_header(("Content-Type", "application/json"))
            .set_payload(r#"{"username":"john","password":"guess"}"#)
    };
    for _ in 0..10 {
        assert_eq!(hit(&app, attempt()).await.0, 400);
    }
    assert_eq!(
        hit(&app, attempt()).await,
        (429, Some("60".into()), throttled(60))
    );
}

/// A view that declares nothing: its throttles are its scope's, then the project's.
async fn undeclared(_auth: auth_actix::Auth) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn a_scopes_throttle_defaults_apply_to_its_views_only() {
    let settings = settings_builder()
        .default_authentication::<()>()
        .throttle_rate("anon", "2/min")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = app(&settings, &db, |routes| {
        routes
            .service(
                web::scope("/limited")
                    .app_data(PolicyDefaults::new().throttle::<AnonRateThrottle>())
                    .route("/", web::get().to(undeclared)),
            )
            .route("/open/", web::get().to(undeclared));
    })
    .await;
    let mut limited = Vec::new();
    for _ in 0..3 {
        limited.push(hit(&app, test::TestRequest::get().uri("/limited/")).await.0);
    }
    assert_eq!(limited, [200, 200, 429]);
    // The project sets no throttles (DRF's default): views outside the scope are never throttled.
    for _ in 0..3 {
        let (status, ..) = hit(&app, test::TestRequest::get().uri("/open/")).await;
        assert_eq!(status, 200);
    }
}
