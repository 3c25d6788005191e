//! The token / session → user cache (`AuthSettingsBuilder::auth_cache_ttl`): what it answers
//! without the database, what this process forgets at once, and what a change made elsewhere
//! (rows changed directly in the database, as another instance or Django would) does within and
//! after the TTL. The TTL runs on the settings' clock, which these tests move by hand.

use std::sync::Arc;
use std::time::Duration;

use actix_web::{test, web};
use auth_actix::store::sea_orm::{ConnectionTrait, DatabaseConnection};
use auth_actix::store::{token, user};
use auth_actix::test::TestClient;
use auth_actix::views::session_endpoints;
use auth_actix::{AuthSettings, IsAuthenticated, SessionAuthentication, TokenAuthentication};
use auth_admin::{AdminCommand, Console, TerminalPrompter};
use chrono::TimeDelta;
use test_support::*;

const TTL: Duration = Duration::from_secs(60);

fn cached_settings(clock: Arc<ManualClock>) -> AuthSettings {
    settings_builder()
        .clock(clock)
        .auth_cache_ttl(TTL)
        .auth_cache_capacity(100)
        .build()
        .unwrap()
}

/// The suite's app: the library on `db` with these routes.
async fn suite_app(settings: &AuthSettings, db: &DatabaseConnection) -> impl TestApp + use<> {
    session_app(settings, db, |routes| {
        routes
            .service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"))
            .service(route::<(SessionAuthentication,), IsAuthenticated>(
                "/session/",
            ))
            .service(web::scope("/auth").configure(session_endpoints));
    })
    .await
}

/// A statement run behind the library's back, as another instance or Django would.
async fn elsewhere(db: &DatabaseConnection, sql: &str) {
    db.execute_unprepared(sql).await.unwrap();
}

async fn revoke_with_admin(settings: &AuthSettings, username: &str) {
    use auth_admin::clap::Parser;
    let cli =
        auth_admin::AdminCli::try_parse_from(["auth-admin", "revoke-token", username]).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut console = Console {
        out: &mut out,
        err: &mut err,
        prompter: &mut TerminalPrompter,
    };
    let AdminCommand::RevokeToken(_) = &cli.command else {
        panic!("parsed another command");
    };
    let code =
        auth_admin::run_with(cli.command, settings.database_url(), settings, &mut console).await;
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
}

#[actix_web::test]
async fn a_token_is_read_once_per_ttl_so_a_revocation_elsewhere_shows_after_the_ttl() {
    let clock = ManualClock::new();
    let settings = cached_settings(clock.clone());
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let cache = settings.services().credential_cache().unwrap();

    let first = send(&app, with_auth(get("/token/"), "Token abcd1234")).await;
    assert_eq!(first.body, json_body("john", "abcd1234"));
    assert_eq!(cache.len(), 1);

    // Deleted elsewhere: still served from the cache within the TTL (the documented window)…
    elsewhere(&db, "DELETE FROM authtoken_token WHERE key = 'abcd1234'").await;
    clock.advance(TimeDelta::seconds(59));
    let within = send(&app, with_auth(get("/token/"), "Token abcd1234")).await;
    assert_eq!(within.status, 200);
    // …and refused once the entry is older than the TTL.
    clock.advance(TimeDelta::seconds(1));
    let after = send(&app, with_auth(get("/token/"), "Token abcd1234")).await;
    assert_eq!(
        (after.status, after.body.as_str()),
        (401, r#"{"detail":"Invalid token."}"#)
    );
}

#[actix_web::test]
async fn an_unknown_token_is_remembered_as_refused_for_the_ttl() {
    let clock = ManualClock::new();
    let settings = cached_settings(clock.clone());
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let cache = settings.services().credential_cache().unwrap();

    let refused = send(&app, with_auth(get("/token/"), "Token chosenkey")).await;
    assert_eq!(refused.body, r#"{"detail":"Invalid token."}"#);
    assert_eq!(cache.refused_len(), 1);

    // A token with exactly that key created elsewhere is seen after the TTL…
    let john = user::AUTH_USER
        .find_by_username(&db, "john")
        .await
        .unwrap()
        .unwrap();
    elsewhere(&db, "DELETE FROM authtoken_token WHERE key = 'abcd1234'").await;
    token::create_with_key(&db, john.id, "chosenkey")
        .await
        .unwrap();
    assert_eq!(
        send(&app, with_auth(get("/token/"), "Token chosenkey"))
            .await
            .status,
        401
    );
    clock.advance(TimeDelta::seconds(60));
    assert_eq!(
        send(&app, with_auth(get("/token/"), "Token chosenkey"))
            .await
            .body,
        json_body("john", "chosenkey")
    );
    // …or at once by forgetting it.
    assert_eq!(
        send(&app, with_auth(get("/token/"), "Token secondkey"))
            .await
            .status,
        401
    );
    let admin = user::AUTH_USER
        .find_by_username(&db, "admin")
        .await
        .unwrap()
        .unwrap();
    token::create_with_key(&db, admin.id, "secondkey")
        .await
        .unwrap();
    cache.forget_token("secondkey");
    assert_eq!(
        send(&app, with_auth(get("/token/"), "Token secondkey"))
            .await
            .body,
        json_body("admin", "secondkey")
    );
}

#[actix_web::test]
async fn a_revocation_through_the_admin_commands_of_this_process_is_seen_at_once() {
    let clock = ManualClock::new();
    let path = std::env::temp_dir().join(format!(
        "credential-cache-{}-{}.db",
        std::process::id(),
        rand::random::<u32>()
    ));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let settings = settings_builder()
        .clock(clock)
        .auth_cache_ttl(TTL)
        .database_url(&url)
        .build()
        .unwrap();
    let db = auth_actix::store::connect_and_migrate(&url).await.unwrap();
    populate(&db, &settings).await;
    let app = suite_app(&settings, &db).await;

    assert_eq!(
        send(&app, with_auth(get("/token/"), "Token abcd1234"))
            .await
            .status,
        200
    );
    revoke_with_admin(&settings, "john").await;
    let after = send(&app, with_auth(get("/token/"), "Token abcd1234")).await;
    assert_eq!(after.body, r#"{"detail":"Invalid token."}"#);
    db.close().await.unwrap();
    std::fs::remove_file(&path).unwrap();
}

#[actix_web::test]
async fn an_inactive_user_is_refused_once_the_cache_forgets_them() {
    let clock = ManualClock::new();
    let settings = cached_settings(clock.clone());
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;

    assert_eq!(
        send(&app, with_auth(get("/token/"), "Token abcd1234"))
            .await
            .status,
        200
    );
    elsewhere(
        &db,
        "UPDATE auth_user SET is_active = 0 WHERE username = 'john'",
    )
    .await;
    let john = user::AUTH_USER
        .find_by_username(&db, "john")
        .await
        .unwrap()
        .unwrap();
    settings
        .services()
        .credential_cache()
        .unwrap()
        .forget_user(john.id);
    let refused = send(&app, with_auth(get("/token/"), "Token abcd1234")).await;
    assert_eq!(
        (refused.status, refused.body.as_str()),
        (401, r#"{"detail":"User inactive or deleted."}"#)
    );
    // The inactive verdict is itself cached from the row, not a stale active one.
    assert_eq!(
        send(&app, with_auth(get("/token/"), "Token abcd1234"))
            .await
            .status,
        401
    );
}

#[actix_web::test]
async fn a_session_is_remembered_until_logout_here_or_the_ttl_after_a_change_elsewhere() {
    let clock = ManualClock::new();
    let settings = cached_settings(clock.clone());
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let cache = settings.services().credential_cache().unwrap();

    let mut client = TestClient::new(app);
    assert_eq!(
        client
            .login("/auth", "john", "password")
            .await
            .unwrap()
            .as_u16(),
        200
    );
    assert_eq!(
        client.get("/session/").await.unwrap().status().as_u16(),
        200
    );
    assert_eq!(cache.len(), 1, "the verified session is remembered");

    // Deleted elsewhere: served within the TTL, refused after it.
    elsewhere(&db, "DELETE FROM django_session").await;
    assert_eq!(
        client.get("/session/").await.unwrap().status().as_u16(),
        200
    );
    clock.advance(TimeDelta::seconds(60));
    assert_eq!(
        client.get("/session/").await.unwrap().status().as_u16(),
        403
    );

    // Logged out here: refused at once, though the entry is fresh.
    assert_eq!(
        client
            .login("/auth", "john", "password")
            .await
            .unwrap()
            .as_u16(),
        200
    );
    assert_eq!(
        client.get("/session/").await.unwrap().status().as_u16(),
        200
    );
    let key = client.cookies()["sessionid"].clone();
    let logout = client
        .send(test::TestRequest::post().uri("/auth/logout/"))
        .await
        .unwrap();
    assert!(logout.status().is_success(), "{}", logout.status());
    assert!(cache.session(&key, chrono::Utc::now()).is_none());
    // The old cookie presented again (a request's own cookies replace the client's jar).
    let replayed = client
        .send(
            test::TestRequest::get()
                .uri("/session/")
                .cookie(actix_web::cookie::Cookie::new("sessionid", key)),
        )
        .await
        .unwrap();
    assert_eq!(replayed.status().as_u16(), 403);
}

#[actix_web::test]
async fn without_a_ttl_there_is_no_cache() {
    let settings = settings();
    assert!(settings.services().credential_cache().is_none());
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    assert_eq!(
        send(&app, with_auth(get("/token/"), "Token abcd1234"))
            .await
            .status,
        200
    );
    elsewhere(&db, "DELETE FROM authtoken_token").await;
    assert_eq!(
        send(&app, with_auth(get("/token/"), "Token abcd1234"))
            .await
            .status,
        401,
        "every request reads the database"
    );
}
