//! The counters an application can export through the `metrics` facade.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use actix_web::web;
use auth_actix::store::user;
use auth_actix::{
    AllowAny, BasicAuthentication, IsAuthenticated, PolicyGuard, TokenAuthentication,
    UserRateThrottle,
};
use metrics_util::debugging::{DebugValue, DebuggingRecorder};
use test_support::*;

async fn throttled(_guard: PolicyGuard<(), AllowAny, UserRateThrottle>) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

/// A counter's name, labels and value.
type Counter = (String, Vec<(String, String)>, u64);

#[actix_web::test]
async fn requests_throttles_and_hash_upgrades_are_counted() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    recorder.install().unwrap();

    let settings = settings_builder()
        .pbkdf2_iterations(2000)
        .throttle_rate("user", "1/min")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let john = user::AUTH_USER
        .find_by_username(&db, "john")
        .await
        .unwrap()
        .unwrap();
    user::AUTH_USER
        .save_password(
            &db,
            john.id,
            "pbkdf2_sha256$1000$seasalt$YIWkt6M1JFXrHg5s0jZjBSc7C2Cz6QvchSJ0h8Y+i7c=".into(),
        )
        .await
        .unwrap();
    let app = app(&settings, &db, |routes| {
        routes
            .service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"))
            .service(route::<(BasicAuthentication,), IsAuthenticated>("/basic/"))
            .route("/throttled/", web::get().to(throttled));
    })
    .await;
    send(&app, with_auth(get("/token/"), "Token abcd1234")).await;
    send(&app, with_auth(get("/token/"), "Token abcd1234")).await;
    send(&app, get("/token/")).await;
    send(&app, with_auth(get("/basic/"), basic(b"john:password"))).await;
    send(&app, get("/throttled/")).await;
    send(&app, get("/throttled/")).await;

    let counters: Vec<Counter> = snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .filter_map(|(key, _, _, value)| match value {
            DebugValue::Counter(count) => {
                let (name, labels) = key.key().clone().into_parts();
                let labels = labels
                    .into_iter()
                    .map(|l| (l.key().to_owned(), l.value().to_owned()))
                    .collect();
                Some((name.as_str().to_owned(), labels, count))
            }
            _ => None,
        })
        .collect();
    let count = |name: &str, labels: &[(&str, &str)]| {
        counters
            .iter()
            .filter(|(n, l, _)| {
                n == name
                    && labels
                        .iter()
                        .all(|(k, v)| l.iter().any(|(lk, lv)| lk == k && lv == v))
            })
            .map(|(_, _, c)| c)
            .sum::<u64>()
    };
    assert_eq!(
        count(
            "auth_requests_total",
            &[("scheme", "TokenAuthentication"), ("outcome", "allowed")]
        ),
        2
    );
    assert_eq!(
        count("auth_requests_total", &[("outcome", "not_authenticated")]),
        1
    );
    assert_eq!(
        count(
            "auth_requests_total",
            &[("scheme", "BasicAuthentication"), ("outcome", "allowed")]
        ),
        1
    );
    assert_eq!(count("auth_requests_total", &[("outcome", "throttled")]), 1);
    assert_eq!(count("auth_throttled_total", &[]), 1);
    assert_eq!(count("auth_password_hash_upgrades_total", &[]), 1);
}
