//! dj-rest-auth's registration in allauth mode, with the emails read from the test outbox, in
//! what the parity suite (JWT mode) does not reach: token mode, the confirmation key byte for
//! byte (one Django's `signing.dumps` made for the same row and instant), its three-day expiry,
//! `resend-email/` without an address, and the routes' absence without allauth.

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use auth_actix::settings::RestAuthSettings;
use auth_actix::store::sea_orm::{ConnectionTrait, Statement};
use auth_actix::views::dj_rest_auth_registration_endpoints;
use auth_core::services::locmem_email_backend::LocmemEmailBackend;
use auth_core::store::{migrations, token, user};
use chrono::TimeZone;
use serde_json::json;
use test_support::*;

use crate::outbox::{address_rows, post, sent};

/// `signing.dumps(1, salt="account")` at 2026-12-06 12:00:00 UTC with this suite's
/// `SECRET_KEY`, by Django 6.1.3: allauth's confirmation key of the first address.
const DJANGO_KEY: &str = "MQ:1xaAuO:KgjjNtqHnSumV9Sfqb6tVDdgjGGLaV-I9qEfr7axGJY";

struct Setup {
    settings: AuthSettings,
    db: DatabaseConnection,
    outbox: LocmemEmailBackend,
    clock: Arc<ManualClock>,
}

/// Seconds from the manual clock's start (2030-01-01) to 2026-12-06 12:00:00 UTC.
fn made_at() -> i64 {
    let made = chrono::Utc
        .with_ymd_and_hms(2026, 12, 6, 12, 0, 0)
        .single()
        .unwrap();
    (made - chrono::Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap()).num_seconds()
}

async fn setup(allauth: bool) -> Setup {
    let clock = ManualClock::new();
    clock.set(made_at());
    let outbox = LocmemEmailBackend::default();
    let settings = settings_builder()
        .clock(clock.clone())
        .rest_auth(RestAuthSettings {
            allauth,
            ..RestAuthSettings::default()
        })
        .email_backend(Arc::new(outbox.clone()))
        .build()
        .unwrap();
    let db = database(&settings).await;
    migrations::migrate_allauth(&db, &user::AUTH_USER)
        .await
        .unwrap();
    Setup {
        settings,
        db,
        outbox,
        clock,
    }
}

async fn app(setup: &Setup) -> impl TestApp + use<> {
    session_app(&setup.settings, &setup.db, |routes| {
        routes.service(
            web::scope("/dj-rest-auth/registration").configure(dj_rest_auth_registration_endpoints),
        );
    })
    .await
}

fn register(name: &str, email: &str) -> actix_web::test::TestRequest {
    post(
        "/dj-rest-auth/registration/",
        json!({"username": name, "email": email,
               "password1": "a-long-passphrase", "password2": "a-long-passphrase"}),
    )
}

#[actix_web::test]
async fn token_mode_answers_the_token_and_emails_djangos_key() {
    let setup = setup(true).await;
    let app = app(&setup).await;
    let reply = send(&app, register("neo", "Neo@Example.COM")).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let neo = user::AUTH_USER
        .find_by_username(&setup.db, "neo")
        .await
        .unwrap()
        .unwrap();
    let key = token::find_for_user(&setup.db, neo.id)
        .await
        .unwrap()
        .unwrap()
        .key;
    assert_eq!(reply.body, format!(r#"{{"key":"{key}"}}"#));
    assert_eq!(
        neo.email, "neo@example.com",
        "allauth's user_email lower-cases"
    );
    assert!(neo.last_login.is_some(), "complete_signup logs the user in");
    let sessions = setup
        .db
        .query_one_raw(Statement::from_string(
            setup.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM django_session",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(sessions, 1, "the new user's session");
    assert_eq!(
        address_rows(&setup.db).await,
        [("neo@example.com".to_owned(), false, true)]
    );
    let messages = sent(&setup.outbox, 1).await;
    let message = &messages[0];
    assert_eq!(message.to, ["neo@example.com"]);
    assert_eq!(
        message.subject,
        "[testserver] Please Confirm Your Email Address"
    );
    assert_eq!(
        message.body,
        format!(
            "Hello from testserver!\n\nYou're receiving this email because user neo has given \
             your email address to register an account on testserver.\n\nTo confirm this is \
             correct, go to http://testserver/dj-rest-auth/registration/account-confirm-email/\
             {DJANGO_KEY}/\n\nThank you for using testserver!\ntestserver"
        )
    );

    // The key verifies the address once; then it names no unverified address.
    let verify = || {
        post(
            "/dj-rest-auth/registration/verify-email/",
            json!({"key": DJANGO_KEY}),
        )
    };
    let first = send(&app, verify()).await;
    assert_eq!(
        (first.status, first.body.as_str()),
        (200, r#"{"detail":"ok"}"#)
    );
    assert_eq!(
        address_rows(&setup.db).await,
        [("neo@example.com".to_owned(), true, true)]
    );
    let again = send(&app, verify()).await;
    assert_eq!(
        (again.status, again.body.as_str()),
        (404, r#"{"detail":"Not found."}"#)
    );
}

#[actix_web::test]
async fn a_key_expires_after_three_days() {
    let setup = setup(true).await;
    let app = app(&setup).await;
    assert_eq!(
        send(&app, register("trinity", "t@example.com"))
            .await
            .status,
        201
    );
    sent(&setup.outbox, 1).await;
    let verify = || {
        post(
            "/dj-rest-auth/registration/verify-email",
            json!({"key": DJANGO_KEY}),
        )
    };
    setup.clock.set(made_at() + 3 * 24 * 3600 + 1);
    assert_eq!(send(&app, verify()).await.status, 404);
    setup.clock.set(made_at() + 3 * 24 * 3600);
    assert_eq!(send(&app, verify()).await.status, 200);
}

#[actix_web::test]
async fn resend_without_an_address_sends_nothing() {
    // dj-rest-auth filters the rows by nothing and emails the table's first address when it is
    // unverified; here the request names no address and nothing is sent.
    let setup = setup(true).await;
    let app = app(&setup).await;
    assert_eq!(
        send(&app, register("neo", "neo@example.com")).await.status,
        201
    );
    sent(&setup.outbox, 1).await;
    let resend = |body| post("/dj-rest-auth/registration/resend-email/", body);
    let reply = send(&app, resend(json!({}))).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (200, r#"{"detail":"ok"}"#)
    );
    actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    assert!(setup.outbox.outbox().is_empty());
    // Named, the unverified address gets allauth's (non-signup) confirmation again.
    let reply = send(&app, resend(json!({"email": "neo@example.com"}))).await;
    assert_eq!(reply.status, 200);
    let messages = sent(&setup.outbox, 1).await;
    assert_eq!(messages[0].to, ["neo@example.com"]);
}

#[actix_web::test]
async fn without_allauth_the_routes_are_not_there() {
    let setup = setup(false).await;
    let app = app(&setup).await;
    for path in [
        "/dj-rest-auth/registration/",
        "/dj-rest-auth/registration/verify-email/",
        "/dj-rest-auth/registration/resend-email/",
    ] {
        let reply = send(&app, post(path, json!({}))).await;
        assert_eq!(reply.status, 404, "{path}");
    }
}
