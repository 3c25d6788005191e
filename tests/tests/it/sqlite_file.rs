//! A SQLite *file* (the embedded deployment): the token, session and user reads take the
//! synchronous path on the request's thread (`store::sqlite_reader`), and must answer exactly as
//! sea-orm does, including rows changed behind the server's back.
//! (The other suites use in-memory databases, which always go through sea-orm; the parity and
//! interop suites run this path against files Django wrote.)

use std::path::PathBuf;

use actix_web::web;
use auth_actix::store::sea_orm::{ConnectionTrait, DatabaseConnection};
use auth_actix::store::{self, user};
use auth_actix::test::TestClient;
use auth_actix::views::session_endpoints;
use auth_actix::{AuthSettings, IsAuthenticated, SessionAuthentication, TokenAuthentication};
use test_support::*;

struct File {
    path: PathBuf,
}

impl File {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "sqlite-file-{name}-{}-{}.db",
            std::process::id(),
            rand::random::<u32>()
        ));
        Self { path }
    }

    fn url(&self) -> String {
        format!("sqlite://{}?mode=rwc", self.path.display())
    }

    async fn database(&self, settings: &AuthSettings) -> DatabaseConnection {
        let db = store::connect_and_migrate(&self.url()).await.unwrap();
        populate(&db, settings).await;
        db
    }
}

impl Drop for File {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
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

#[actix_web::test]
async fn tokens_read_from_a_file_answer_as_the_reference() {
    let file = File::new("token");
    let settings = settings();
    let db = file.database(&settings).await;
    let app = suite_app(&settings, &db).await;

    let ok = send(&app, with_auth(get("/token/"), "Token abcd1234")).await;
    assert_eq!(ok.body, json_body("john", "abcd1234"));
    let case = send(&app, with_auth(get("/token/"), "Token ABCD1234")).await;
    assert_eq!(
        (case.status, case.body.as_str()),
        (401, r#"{"detail":"Invalid token."}"#)
    );
    let inactive = send(&app, with_auth(get("/token/"), "Token inactivetoken")).await;
    assert_eq!(inactive.body, r#"{"detail":"User inactive or deleted."}"#);

    // Changed by another process: seen on the next request.
    db.execute_unprepared("UPDATE authtoken_token SET key = 'rotated' WHERE key = 'abcd1234'")
        .await
        .unwrap();
    assert_eq!(
        send(&app, with_auth(get("/token/"), "Token abcd1234"))
            .await
            .status,
        401
    );
    assert_eq!(
        send(&app, with_auth(get("/token/"), "Token rotated"))
            .await
            .body,
        json_body("john", "rotated")
    );
}

/// The synchronous path finds keys as sea-orm's does: by prefix, then whole and in constant time.
#[actix_web::test]
async fn keys_sharing_a_prefix_read_from_a_file_find_their_own_row_only() {
    let file = File::new("prefix");
    let settings = settings();
    let db = file.database(&settings).await;
    add_prefix_sharing_token(&db).await;
    let app = suite_app(&settings, &db).await;
    assert_keys_sharing_a_prefix_find_their_own_rows(&app).await;
}

#[actix_web::test]
async fn a_session_read_from_a_file_follows_logout_and_password_changes() {
    let file = File::new("session");
    let settings = settings();
    let db = file.database(&settings).await;
    let app = suite_app(&settings, &db).await;
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

    // A password change elsewhere invalidates the session (the session auth hash).
    let john = user::AUTH_USER
        .find_by_username(&db, "john")
        .await
        .unwrap()
        .unwrap();
    user::AUTH_USER
        .save_password(
            &db,
            john.id,
            settings
                .settings()
                .password_hashers
                .make_password("changed"),
        )
        .await
        .unwrap();
    assert_eq!(
        client.get("/session/").await.unwrap().status().as_u16(),
        403
    );
}

/// The session row and its user are read in one read transaction: it ends with the request, so
/// a writer is never blocked by it and every request sees the rows as they are now.
#[actix_web::test]
async fn session_and_user_read_together_see_each_later_write() {
    let file = File::new("session-snapshot");
    let settings = settings();
    let db = file.database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let mut client = TestClient::new(app);
    let login = client.login("/auth", "john", "password").await.unwrap();
    assert_eq!(login.as_u16(), 200);
    for round in 0..10 {
        let active = round % 2 == 0;
        db.execute_unprepared(&format!(
            "UPDATE auth_user SET is_active = {} WHERE username = 'john'",
            i32::from(active)
        ))
        .await
        .unwrap();
        let status = client.get("/session/").await.unwrap().status().as_u16();
        assert_eq!(status, if active { 200 } else { 403 }, "round {round}");
    }
    // The session row deleted behind the server's back: gone on the next request.
    db.execute_unprepared("DELETE FROM django_session")
        .await
        .unwrap();
    assert_eq!(
        client.get("/session/").await.unwrap().status().as_u16(),
        403
    );
}
