//! knox-style tokens (spec §6): digests only, many per user, expiry with a controllable clock,
//! auto-refresh, per-user limit, prefix, login/logout/logout-all.

use std::sync::Arc;

use actix_web::{test, web};
use auth_actix::settings::{Clock, KnoxSettings, SettingsError};
use auth_actix::store::{knox_token, user};
use auth_actix::views::knox_endpoints;
use auth_actix::{IsAuthenticated, KnoxTokenAuthentication};
use chrono::TimeDelta;
use sha2::Digest;
use test_support::*;

/// The suite's app: the library on `db` with these routes.
async fn suite_app(settings: &AuthSettings, db: &DatabaseConnection) -> impl TestApp + use<> {
    app(settings, db, |routes| {
        routes
            .service(web::scope("/knox").configure(knox_endpoints))
            .service(route::<(KnoxTokenAuthentication,), IsAuthenticated>(
                "/knox-only/",
            ));
    })
    .await
}

fn knox_settings(clock: Arc<ManualClock>, knox: KnoxSettings) -> AuthSettings {
    settings_builder().clock(clock).knox(knox).build().unwrap()
}

async fn login<S, B>(app: &S, credentials: &[u8]) -> Reply
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    send(
        app,
        with_auth(
            test::TestRequest::post().uri("/knox/login/"),
            basic(credentials),
        ),
    )
    .await
}

fn token_of(reply: &Reply) -> String {
    let body: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    body["token"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn login_returns_a_token_shown_once_and_stores_only_its_digest() {
    let clock = ManualClock::new();
    let settings = knox_settings(clock.clone(), KnoxSettings::default());
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = login(&app, b"john:password").await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply
            .body
            .find(r#"{"expiry":"2030-01-01T10:00:00Z","token":""#),
        Some(0),
        "{}",
        reply.body
    );
    let token = token_of(&reply);
    assert_eq!(token.len(), 64);
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );

    let john = user::AUTH_USER
        .find_by_username(&db, "john")
        .await
        .unwrap()
        .unwrap();
    assert!(john.last_login.is_some());
    let rows = knox_token::candidates(&db, &user::AUTH_USER, &token[..15])
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let (row, _) = &rows[0];
    assert_eq!(
        row.digest,
        hex::encode(sha2::Sha512::digest(token.as_bytes()))
    );
    assert_eq!(row.token_key, &token[..15]);
    assert_ne!(row.digest, token);

    let reply = send(
        &app,
        with_auth(get("/knox-only/"), format!("Token {token}")),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        json_body("john", &format!("{} : john", row.digest))
    );
}

#[actix_web::test]
async fn login_uses_the_default_schemes_and_needs_a_user() {
    let settings = knox_settings(ManualClock::new(), KnoxSettings::default());
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = login(&app, b"john:wrong").await;
    assert_eq!(
        (reply.status, reply.body),
        (403, detail("Invalid username/password."))
    );
    let reply = send(&app, test::TestRequest::post().uri("/knox/login/")).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (403, Reply::NOT_PROVIDED)
    );
}

#[actix_web::test]
async fn every_login_is_a_new_token_and_all_of_them_work() {
    let settings = knox_settings(ManualClock::new(), KnoxSettings::default());
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let first = token_of(&login(&app, b"john:password").await);
    let second = token_of(&login(&app, b"john:password").await);
    assert_ne!(first, second);
    for token in [&first, &second] {
        let reply = send(
            &app,
            with_auth(get("/knox-only/"), format!("Token {token}")),
        )
        .await;
        assert_eq!(reply.status, 200);
    }
}

#[actix_web::test]
async fn expired_tokens_are_refused_and_deleted_with_their_expired_siblings() {
    let clock = ManualClock::new();
    let short = KnoxSettings {
        token_ttl: Some(TimeDelta::hours(1)),
        ..KnoxSettings::default()
    };
    let settings = knox_settings(clock.clone(), short);
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let expiring = token_of(&login(&app, b"john:password").await);
    let long_settings = knox_settings(
        clock.clone(),
        KnoxSettings {
            token_ttl: None,
            ..KnoxSettings::default()
        },
    );
    let long_app = suite_app(&long_settings, &db).await;
    let reply = login(&long_app, b"john:password").await;
    assert!(
        reply.body.starts_with(r#"{"expiry":null,"token":""#),
        "{}",
        reply.body
    );
    let lasting = token_of(&reply);

    clock.advance(TimeDelta::hours(2));
    // Using the lasting token deletes the user's other, expired token.
    let reply = send(
        &app,
        with_auth(get("/knox-only/"), format!("Token {lasting}")),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert!(
        knox_token::candidates(&db, &user::AUTH_USER, &expiring[..15])
            .await
            .unwrap()
            .is_empty()
    );
    let reply = send(
        &app,
        with_auth(get("/knox-only/"), format!("Token {expiring}")),
    )
    .await;
    assert_eq!((reply.status, reply.body), (401, detail("Invalid token.")));
}

#[actix_web::test]
async fn an_expired_token_met_by_itself_is_deleted() {
    let clock = ManualClock::new();
    let settings = knox_settings(
        clock.clone(),
        KnoxSettings {
            token_ttl: Some(TimeDelta::hours(1)),
            ..KnoxSettings::default()
        },
    );
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let token = token_of(&login(&app, b"john:password").await);
    clock.advance(TimeDelta::minutes(61));
    let reply = send(
        &app,
        with_auth(get("/knox-only/"), format!("Token {token}")),
    )
    .await;
    assert_eq!(
        (reply.status, reply.www_authenticate.as_deref()),
        (401, Some("Token"))
    );
    assert!(
        knox_token::candidates(&db, &user::AUTH_USER, &token[..15])
            .await
            .unwrap()
            .is_empty()
    );
}

#[actix_web::test]
async fn auto_refresh_respects_the_minimum_interval_and_the_maximum_ttl() {
    let clock = ManualClock::new();
    let start = clock.now();
    let knox = KnoxSettings {
        auto_refresh: true,
        auto_refresh_max_ttl: Some(TimeDelta::hours(11)),
        ..KnoxSettings::default()
    };
    let settings = knox_settings(clock.clone(), knox);
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let token = token_of(&login(&app, b"john:password").await);
    let expiry = || async {
        knox_token::candidates(&db, &user::AUTH_USER, &token[..15])
            .await
            .unwrap()[0]
            .0
            .expiry
            .unwrap()
    };
    assert_eq!(expiry().await, start + TimeDelta::hours(10));

    clock.advance(TimeDelta::seconds(30));
    send(
        &app,
        with_auth(get("/knox-only/"), format!("Token {token}")),
    )
    .await;
    assert_eq!(
        expiry().await,
        start + TimeDelta::hours(10),
        "30 s is under MIN_REFRESH_INTERVAL"
    );

    clock.advance(TimeDelta::minutes(30));
    send(
        &app,
        with_auth(get("/knox-only/"), format!("Token {token}")),
    )
    .await;
    assert_eq!(expiry().await, clock.now() + TimeDelta::hours(10));

    clock.advance(TimeDelta::hours(3));
    send(
        &app,
        with_auth(get("/knox-only/"), format!("Token {token}")),
    )
    .await;
    assert_eq!(
        expiry().await,
        start + TimeDelta::hours(11),
        "capped at created + AUTO_REFRESH_MAX_TTL"
    );
}

#[actix_web::test]
async fn the_per_user_limit_counts_live_tokens_only() {
    let clock = ManualClock::new();
    let knox = KnoxSettings {
        token_limit_per_user: Some(2),
        token_ttl: Some(TimeDelta::hours(1)),
        ..KnoxSettings::default()
    };
    let settings = knox_settings(clock.clone(), knox);
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    assert_eq!(login(&app, b"john:password").await.status, 200);
    assert_eq!(login(&app, b"john:password").await.status, 200);
    let reply = login(&app, b"john:password").await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (
            403,
            r#"{"error":"Maximum amount of tokens allowed per user exceeded."}"#
        )
    );
    clock.advance(TimeDelta::hours(2));
    assert_eq!(login(&app, b"john:password").await.status, 200);
}

#[actix_web::test]
async fn logout_deletes_this_token_and_logout_all_every_token() {
    let settings = knox_settings(ManualClock::new(), KnoxSettings::default());
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let a = token_of(&login(&app, b"john:password").await);
    let b = token_of(&login(&app, b"john:password").await);
    let c = token_of(&login(&app, b"john:password").await);
    let reply = send(
        &app,
        with_auth(
            test::TestRequest::post().uri("/knox/logout/"),
            format!("Token {a}"),
        ),
    )
    .await;
    assert_eq!((reply.status, reply.body.as_str()), (204, ""));
    assert_eq!(
        send(&app, with_auth(get("/knox-only/"), format!("Token {a}")))
            .await
            .status,
        401
    );
    assert_eq!(
        send(&app, with_auth(get("/knox-only/"), format!("Token {b}")))
            .await
            .status,
        200
    );
    let reply = send(
        &app,
        with_auth(
            test::TestRequest::post().uri("/knox/logoutall/"),
            format!("Token {b}"),
        ),
    )
    .await;
    assert_eq!(reply.status, 204);
    for token in [&b, &c] {
        assert_eq!(
            send(
                &app,
                with_auth(get("/knox-only/"), format!("Token {token}"))
            )
            .await
            .status,
            401
        );
    }
    // Logout needs a knox token: Basic is not accepted there.
    let reply = send(
        &app,
        with_auth(
            test::TestRequest::post().uri("/knox/logout/"),
            basic(b"john:password"),
        ),
    )
    .await;
    assert_eq!(reply.status, 401);
}

#[actix_web::test]
async fn a_prefix_is_part_of_the_token_and_of_its_lookup_key() {
    let knox = KnoxSettings {
        token_prefix: "pfx_".into(),
        ..KnoxSettings::default()
    };
    let settings = knox_settings(ManualClock::new(), knox);
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let token = token_of(&login(&app, b"john:password").await);
    assert!(token.starts_with("pfx_"));
    assert_eq!(token.len(), 68);
    let rows = knox_token::candidates(&db, &user::AUTH_USER, &token[..15])
        .await
        .unwrap();
    assert_eq!(rows[0].0.token_key, &token[..15]);
    assert_eq!(
        send(
            &app,
            with_auth(get("/knox-only/"), format!("Token {token}"))
        )
        .await
        .status,
        200
    );

    let too_long = KnoxSettings {
        token_prefix: "x".repeat(11),
        ..KnoxSettings::default()
    };
    assert_eq!(
        settings_builder().knox(too_long).build().unwrap_err(),
        SettingsError::IllegalTokenPrefixLength
    );
}

#[actix_web::test]
async fn malformed_headers_and_inactive_users_get_drfs_messages() {
    let settings = knox_settings(ManualClock::new(), KnoxSettings::default());
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let token = token_of(&login(&app, b"john:password").await);
    for (header, message) in [
        (
            b"Token".to_vec(),
            "Invalid token header. No credentials provided.",
        ),
        (
            b"Token a b".to_vec(),
            "Invalid token header. Token string should not contain spaces.",
        ),
        (b"Token abc\xb8".to_vec(), "Invalid token."),
        (b"Token nope".to_vec(), "Invalid token."),
    ] {
        let reply = send(&app, with_auth(get("/knox-only/"), &header)).await;
        assert_eq!(
            (reply.status, reply.www_authenticate.as_deref()),
            (401, Some("Token"))
        );
        assert_eq!(reply.body, detail(message));
    }
    use auth_actix::store::sea_orm::ConnectionTrait;
    db.execute_unprepared("UPDATE auth_user SET is_active = 0 WHERE username = 'john'")
        .await
        .unwrap();
    let reply = send(
        &app,
        with_auth(get("/knox-only/"), format!("Token {token}")),
    )
    .await;
    assert_eq!(
        (reply.status, reply.body),
        (401, detail("User inactive or deleted."))
    );
}
