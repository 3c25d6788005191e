//! Storage in Django's own tables (spec §5.1, §7.2): migrations create exactly Django's DDL and
//! never touch an existing table; rows Django wrote are read as they are; token authentication
//! is one SQL query.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use auth_actix::store::sea_orm::{ConnectionTrait, DbBackend, Statement};
use auth_actix::store::{self, migrations, token, user};
use auth_actix::{BasicAuthentication, IsAuthenticated, TokenAuthentication};
use test_support::*;

const DJANGO_AUTH_USER: &str = r#"CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "first_name" varchar(150) NOT NULL)"#;
const DJANGO_AUTHTOKEN: &str = r#"CREATE TABLE "authtoken_token" ("key" varchar(40) NOT NULL PRIMARY KEY, "created" datetime NOT NULL, "user_id" integer NOT NULL UNIQUE REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED)"#;

const DJANGO_SESSION: &str = r#"CREATE TABLE "django_session" ("session_key" varchar(40) NOT NULL PRIMARY KEY, "session_data" text NOT NULL, "expire_date" datetime NOT NULL)"#;

const KNOX_AUTHTOKEN: &str = r#"CREATE TABLE "knox_authtoken" ("digest" varchar(128) NOT NULL PRIMARY KEY, "created" datetime NOT NULL, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "expiry" datetime NULL, "token_key" varchar(25) NOT NULL)"#;

/// DOT 3.4.1's tables in `sqlite_master` after Django 6.1.3's `migrate` (third-party spec,
/// Appendix A), with the indexes SQLite makes for `UNIQUE` columns (no SQL), by name.
const DOT_SQLITE_MASTER: &[(&str, Option<&str>)] = &[
    (
        "oauth2_prov_token_f_996e8a_idx",
        Some(
            r#"CREATE INDEX "oauth2_prov_token_f_996e8a_idx" ON "oauth2_provider_refreshtoken" ("token_family")"#,
        ),
    ),
    (
        "oauth2_provider_accesstoken",
        Some(
            r#"CREATE TABLE "oauth2_provider_accesstoken" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "token" text NOT NULL, "expires" datetime NOT NULL, "scope" text NOT NULL, "application_id" bigint NULL REFERENCES "oauth2_provider_application" ("id") DEFERRABLE INITIALLY DEFERRED, "user_id" integer NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "created" datetime NOT NULL, "updated" datetime NOT NULL, "source_refresh_token_id" bigint NULL UNIQUE REFERENCES "oauth2_provider_refreshtoken" ("id") DEFERRABLE INITIALLY DEFERRED, "id_token_id" bigint NULL UNIQUE REFERENCES "oauth2_provider_idtoken" ("id") DEFERRABLE INITIALLY DEFERRED, "token_checksum" varchar(64) NOT NULL UNIQUE, "resource" text NOT NULL CHECK ((JSON_VALID("resource") OR "resource" IS NULL)))"#,
        ),
    ),
    (
        "oauth2_provider_accesstoken_application_id_b22886e1",
        Some(
            r#"CREATE INDEX "oauth2_provider_accesstoken_application_id_b22886e1" ON "oauth2_provider_accesstoken" ("application_id")"#,
        ),
    ),
    (
        "oauth2_provider_accesstoken_user_id_6e4c9a65",
        Some(
            r#"CREATE INDEX "oauth2_provider_accesstoken_user_id_6e4c9a65" ON "oauth2_provider_accesstoken" ("user_id")"#,
        ),
    ),
    (
        "oauth2_provider_application",
        Some(
            r#"CREATE TABLE "oauth2_provider_application" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "redirect_uris" text NOT NULL, "client_type" varchar(32) NOT NULL, "authorization_grant_type" varchar(44) NOT NULL, "client_secret" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "user_id" integer NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "skip_authorization" bool NOT NULL, "created" datetime NOT NULL, "updated" datetime NOT NULL, "algorithm" varchar(5) NOT NULL, "post_logout_redirect_uris" text NOT NULL, "hash_client_secret" bool NOT NULL, "allowed_origins" text NOT NULL, "registration_source" varchar(32) NOT NULL, "cimd_expires_at" datetime NULL, "client_id" varchar(255) NOT NULL UNIQUE)"#,
        ),
    ),
    (
        "oauth2_provider_application_client_secret_53133678",
        Some(
            r#"CREATE INDEX "oauth2_provider_application_client_secret_53133678" ON "oauth2_provider_application" ("client_secret")"#,
        ),
    ),
    (
        "oauth2_provider_application_user_id_79829054",
        Some(
            r#"CREATE INDEX "oauth2_provider_application_user_id_79829054" ON "oauth2_provider_application" ("user_id")"#,
        ),
    ),
    (
        "oauth2_provider_devicegrant",
        Some(
            r#"CREATE TABLE "oauth2_provider_devicegrant" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "device_code" varchar(100) NOT NULL, "user_code" varchar(100) NOT NULL, "interval" integer NOT NULL, "expires" datetime NOT NULL, "status" varchar(64) NOT NULL, "client_id" varchar(100) NOT NULL, "last_checked" datetime NOT NULL, "user_id" integer NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "scope" text NOT NULL, CONSTRAINT "oauth2_provider_devicegrant_unique_device_code" UNIQUE ("device_code"))"#,
        ),
    ),
    (
        "oauth2_provider_devicegrant_client_id_229dd06d",
        Some(
            r#"CREATE INDEX "oauth2_provider_devicegrant_client_id_229dd06d" ON "oauth2_provider_devicegrant" ("client_id")"#,
        ),
    ),
    (
        "oauth2_provider_devicegrant_user_id_1cec5156",
        Some(
            r#"CREATE INDEX "oauth2_provider_devicegrant_user_id_1cec5156" ON "oauth2_provider_devicegrant" ("user_id")"#,
        ),
    ),
    (
        "oauth2_provider_grant",
        Some(
            r#"CREATE TABLE "oauth2_provider_grant" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "code" varchar(255) NOT NULL UNIQUE, "expires" datetime NOT NULL, "redirect_uri" text NOT NULL, "scope" text NOT NULL, "application_id" bigint NOT NULL REFERENCES "oauth2_provider_application" ("id") DEFERRABLE INITIALLY DEFERRED, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "created" datetime NOT NULL, "updated" datetime NOT NULL, "code_challenge" varchar(128) NOT NULL, "code_challenge_method" varchar(10) NOT NULL, "nonce" varchar(255) NOT NULL, "claims" text NOT NULL, "resource" text NOT NULL CHECK ((JSON_VALID("resource") OR "resource" IS NULL)))"#,
        ),
    ),
    (
        "oauth2_provider_grant_application_id_81923564",
        Some(
            r#"CREATE INDEX "oauth2_provider_grant_application_id_81923564" ON "oauth2_provider_grant" ("application_id")"#,
        ),
    ),
    (
        "oauth2_provider_grant_user_id_e8f62af8",
        Some(
            r#"CREATE INDEX "oauth2_provider_grant_user_id_e8f62af8" ON "oauth2_provider_grant" ("user_id")"#,
        ),
    ),
    (
        "oauth2_provider_idtoken",
        Some(
            r#"CREATE TABLE "oauth2_provider_idtoken" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "jti" char(32) NOT NULL UNIQUE, "expires" datetime NOT NULL, "scope" text NOT NULL, "created" datetime NOT NULL, "updated" datetime NOT NULL, "application_id" bigint NULL REFERENCES "oauth2_provider_application" ("id") DEFERRABLE INITIALLY DEFERRED, "user_id" integer NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED)"#,
        ),
    ),
    (
        "oauth2_provider_idtoken_application_id_08c5ff4f",
        Some(
            r#"CREATE INDEX "oauth2_provider_idtoken_application_id_08c5ff4f" ON "oauth2_provider_idtoken" ("application_id")"#,
        ),
    ),
    (
        "oauth2_provider_idtoken_user_id_dd512b59",
        Some(
            r#"CREATE INDEX "oauth2_provider_idtoken_user_id_dd512b59" ON "oauth2_provider_idtoken" ("user_id")"#,
        ),
    ),
    (
        "oauth2_provider_refreshtoken",
        Some(
            r#"CREATE TABLE "oauth2_provider_refreshtoken" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "token" text NOT NULL, "access_token_id" bigint NULL UNIQUE REFERENCES "oauth2_provider_accesstoken" ("id") DEFERRABLE INITIALLY DEFERRED, "application_id" bigint NOT NULL REFERENCES "oauth2_provider_application" ("id") DEFERRABLE INITIALLY DEFERRED, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "created" datetime NOT NULL, "updated" datetime NOT NULL, "revoked" datetime NULL, "token_family" char(32) NULL, "token_checksum" varchar(64) NOT NULL, "resource" text NOT NULL CHECK ((JSON_VALID("resource") OR "resource" IS NULL)))"#,
        ),
    ),
    (
        "oauth2_provider_refreshtoken_application_id_2d1c311b",
        Some(
            r#"CREATE INDEX "oauth2_provider_refreshtoken_application_id_2d1c311b" ON "oauth2_provider_refreshtoken" ("application_id")"#,
        ),
    ),
    (
        "oauth2_provider_refreshtoken_token_checksum_revoked_46c81d1d_uniq",
        Some(
            r#"CREATE UNIQUE INDEX "oauth2_provider_refreshtoken_token_checksum_revoked_46c81d1d_uniq" ON "oauth2_provider_refreshtoken" ("token_checksum", "revoked")"#,
        ),
    ),
    (
        "oauth2_provider_refreshtoken_user_id_da837fce",
        Some(
            r#"CREATE INDEX "oauth2_provider_refreshtoken_user_id_da837fce" ON "oauth2_provider_refreshtoken" ("user_id")"#,
        ),
    ),
    ("sqlite_autoindex_oauth2_provider_accesstoken_1", None),
    ("sqlite_autoindex_oauth2_provider_accesstoken_2", None),
    ("sqlite_autoindex_oauth2_provider_accesstoken_3", None),
    ("sqlite_autoindex_oauth2_provider_application_1", None),
    ("sqlite_autoindex_oauth2_provider_devicegrant_1", None),
    ("sqlite_autoindex_oauth2_provider_grant_1", None),
    ("sqlite_autoindex_oauth2_provider_idtoken_1", None),
    ("sqlite_autoindex_oauth2_provider_refreshtoken_1", None),
];

/// The `sqlite_master` rows of DOT's tables and their indexes: (name, SQL), by name.
async fn dot_sqlite_master(db: &DatabaseConnection) -> Vec<(String, Option<String>)> {
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT name, sql FROM sqlite_master WHERE tbl_name LIKE 'oauth2\\_provider\\_%' \
             ESCAPE '\\' ORDER BY name",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|row| {
            (
                row.try_get("", "name").unwrap(),
                row.try_get("", "sql").unwrap(),
            )
        })
        .collect()
}

/// A fresh SQLite file in a temporary directory (a file, as in production).
fn database_file(name: &str) -> String {
    let directory =
        std::env::temp_dir().join(format!("drf-auth-store-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("db.sqlite3");
    let _ = std::fs::remove_file(&path);
    format!("sqlite://{}?mode=rwc", path.display())
}

async fn table_sql(db: &DatabaseConnection, table: &str) -> String {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
            [table.into()],
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "sql").unwrap()
}

#[actix_web::test]
async fn fresh_database_gets_djangos_exact_tables_and_a_rerun_changes_nothing() {
    let db = store::connect(&database_file("fresh")).await.unwrap();
    let report = migrations::migrate(&db).await.unwrap();
    assert_eq!(
        report.created,
        [
            "auth_user",
            "authtoken_token",
            "django_session",
            "knox_authtoken",
            "token_blacklist_outstandingtoken",
            "token_blacklist_blacklistedtoken",
            "oauth2_provider_application",
            "oauth2_provider_idtoken",
            "oauth2_provider_accesstoken",
            "oauth2_provider_refreshtoken",
            "oauth2_provider_grant",
            "oauth2_provider_devicegrant",
        ]
    );
    assert!(report.existing.is_empty());
    assert_eq!(table_sql(&db, "auth_user").await, DJANGO_AUTH_USER);
    assert_eq!(table_sql(&db, "authtoken_token").await, DJANGO_AUTHTOKEN);
    assert_eq!(table_sql(&db, "django_session").await, DJANGO_SESSION);
    assert_eq!(table_sql(&db, "knox_authtoken").await, KNOX_AUTHTOKEN);
    // simplejwt's blacklist tables as `sqlite_master` holds them after Django's migrate
    // (third-party spec, Appendix A).
    assert_eq!(
        table_sql(&db, "token_blacklist_outstandingtoken").await,
        r#"CREATE TABLE "token_blacklist_outstandingtoken" ("token" text NOT NULL, "created_at" datetime NULL, "expires_at" datetime NOT NULL, "user_id" integer NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "jti" varchar(255) NOT NULL UNIQUE, "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT)"#
    );
    assert_eq!(
        table_sql(&db, "token_blacklist_blacklistedtoken").await,
        r#"CREATE TABLE "token_blacklist_blacklistedtoken" ("blacklisted_at" datetime NOT NULL, "token_id" bigint NOT NULL UNIQUE REFERENCES "token_blacklist_outstandingtoken" ("id") DEFERRABLE INITIALLY DEFERRED, "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT)"#
    );
    // Django OAuth Toolkit's, with their indexes, as Django's migrate leaves them.
    let expected: Vec<(String, Option<String>)> = DOT_SQLITE_MASTER
        .iter()
        .map(|(name, sql)| ((*name).to_owned(), sql.map(str::to_owned)))
        .collect();
    assert_eq!(dot_sqlite_master(&db).await, expected);

    let again = migrations::migrate(&db).await.unwrap();
    assert!(again.created.is_empty());
    assert_eq!(
        again.existing,
        [
            "auth_user",
            "authtoken_token",
            "django_session",
            "knox_authtoken",
            "token_blacklist_outstandingtoken",
            "token_blacklist_blacklistedtoken",
            "oauth2_provider_application",
            "oauth2_provider_idtoken",
            "oauth2_provider_accesstoken",
            "oauth2_provider_refreshtoken",
            "oauth2_provider_grant",
            "oauth2_provider_devicegrant",
        ]
    );
}

#[actix_web::test]
async fn existing_django_tables_and_rows_are_left_untouched_and_read_as_they_are() {
    let db = store::connect(&database_file("django")).await.unwrap();
    // A Django deployment's table, with a column this library does not know about.
    let customised = DJANGO_AUTH_USER.replace(
        r#""first_name" varchar(150) NOT NULL)"#,
        r#""first_name" varchar(150) NOT NULL, "nickname" varchar(20) NULL)"#,
    );
    db.execute_unprepared(&customised).await.unwrap();
    // Written exactly as Django's SQLite backend writes it: naive UTC text, booleans as 0/1, and
    // the Appendix B.1 hash of "password" at 1,500,000 iterations.
    db.execute_unprepared(
        r#"INSERT INTO auth_user (password, last_login, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name, nickname)
           VALUES ('pbkdf2_sha256$1500000$seasaltseasaltseasalt1$TEMLqAa9eWQjdqgNSOH6EoaemZ2c984hqIsRe4jxPxM=', NULL, 0, 'django', '', 'd@example.com', 1, 1, '2024-01-02 03:04:05.678901', 'Dj', 'dj')"#,
    )
    .await
    .unwrap();

    let report = migrations::migrate(&db).await.unwrap();
    assert_eq!(report.existing, ["auth_user"]);
    assert_eq!(
        report.created,
        [
            "authtoken_token",
            "django_session",
            "knox_authtoken",
            "token_blacklist_outstandingtoken",
            "token_blacklist_blacklistedtoken",
            "oauth2_provider_application",
            "oauth2_provider_idtoken",
            "oauth2_provider_accesstoken",
            "oauth2_provider_refreshtoken",
            "oauth2_provider_grant",
            "oauth2_provider_devicegrant",
        ]
    );
    assert_eq!(table_sql(&db, "auth_user").await, customised);

    let row = user::AUTH_USER
        .find_by_username(&db, "django")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.date_joined.to_rfc3339(),
        "2024-01-02T03:04:05.678901+00:00"
    );
    assert!(row.is_staff && row.is_active && !row.is_superuser);
    assert_eq!(row.first_name, "Dj");

    // The Django-made hash authenticates at Django's own iteration count.
    let settings = settings_builder()
        .pbkdf2_iterations(1_500_000)
        .build()
        .unwrap();
    let app = app(&settings, &db, |routes| {
        routes.service(route::<(BasicAuthentication,), IsAuthenticated>("/basic/"));
    })
    .await;
    let reply = send(&app, with_auth(get("/basic/"), basic(b"django:password"))).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, json_body("django", "None"));
    // Nothing was outdated, so nothing was rewritten.
    let after = user::AUTH_USER
        .find_by_username(&db, "django")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.password, row.password);
}

/// The access and refresh tokens reference each other (the access token's table is created
/// first, naming the other): both references hold, and a dangling one is refused.
#[actix_web::test]
async fn dot_tables_take_rows_that_reference_each_other() {
    let db = database(&settings()).await;
    let at = "'2030-01-01 00:00:00'";
    for statement in [
        format!(
            "INSERT INTO oauth2_provider_application (redirect_uris, client_type, \
             authorization_grant_type, client_secret, name, user_id, skip_authorization, created, \
             updated, algorithm, post_logout_redirect_uris, hash_client_secret, allowed_origins, \
             registration_source, client_id) VALUES ('', 'confidential', 'authorization-code', \
             '', 'app', (SELECT id FROM auth_user WHERE username = 'john'), 0, {at}, {at}, '', \
             '', 1, '', 'manual', 'client')"
        ),
        format!(
            "INSERT INTO oauth2_provider_idtoken (jti, expires, scope, created, updated, \
             application_id, user_id) VALUES ('0123456789abcdef0123456789abcdef', {at}, 'openid', \
             {at}, {at}, 1, 1)"
        ),
        format!(
            "INSERT INTO oauth2_provider_accesstoken (token, expires, scope, application_id, \
             user_id, created, updated, id_token_id, token_checksum, resource) VALUES ('a', {at}, \
             'read', 1, 1, {at}, {at}, 1, 'a-checksum', '[]')"
        ),
        format!(
            "INSERT INTO oauth2_provider_refreshtoken (token, access_token_id, application_id, \
             user_id, created, updated, token_checksum, resource) VALUES ('r', 1, 1, 1, {at}, \
             {at}, 'r-checksum', '[]')"
        ),
        "UPDATE oauth2_provider_accesstoken SET source_refresh_token_id = 1".to_owned(),
        format!(
            "INSERT INTO oauth2_provider_grant (code, expires, redirect_uri, scope, \
             application_id, user_id, created, updated, code_challenge, code_challenge_method, \
             nonce, claims, resource) VALUES ('code', {at}, '', 'read', 1, 1, {at}, {at}, '', '', \
             '', '', '[]')"
        ),
        format!(
            "INSERT INTO oauth2_provider_devicegrant (device_code, user_code, interval, expires, \
             status, client_id, last_checked, user_id, scope) VALUES ('device', 'user', 5, {at}, \
             'authorization-pending', 'client', {at}, 1, 'read')"
        ),
    ] {
        db.execute_unprepared(&statement).await.unwrap();
    }
    let violations = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA foreign_key_check",
        ))
        .await
        .unwrap();
    assert!(violations.is_empty());
    assert!(
        db.execute_unprepared("UPDATE oauth2_provider_accesstoken SET source_refresh_token_id = 2")
            .await
            .is_err(),
        "no refresh token 2"
    );
}

#[actix_web::test]
async fn token_authentication_costs_exactly_one_query() {
    let settings = settings();
    let mut db = database(&settings).await;
    let queries = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&queries);
    db.set_metric_callback(move |_info| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let app = app(&settings, &db, |routes| {
        routes.service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"));
    })
    .await;
    let before = queries.load(Ordering::SeqCst);
    let reply = send(&app, with_auth(get("/token/"), "Token abcd1234")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(queries.load(Ordering::SeqCst) - before, 1);
}

#[actix_web::test]
async fn deleting_a_user_deletes_its_token_as_djangos_orm_does() {
    let settings = settings();
    let db = database(&settings).await;
    let john = user::AUTH_USER
        .find_by_username(&db, "john")
        .await
        .unwrap()
        .unwrap();
    // Django's DDL has no ON DELETE CASCADE: a bare DELETE is refused by the foreign key…
    assert!(
        db.execute_unprepared(&format!("DELETE FROM auth_user WHERE id = {}", john.id))
            .await
            .is_err()
    );
    // …and the ORM-style delete removes the token first.
    assert!(
        store::delete_user(&db, &user::AUTH_USER, john.id)
            .await
            .unwrap()
    );
    assert!(
        token::find_with_user(&db, &user::AUTH_USER, "abcd1234")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        user::AUTH_USER
            .find_by_id(&db, john.id)
            .await
            .unwrap()
            .is_none()
    );
}

/// Random header values (any byte an HTTP header can carry) never panic and always get a
/// DRF-shaped answer.
#[actix_web::test]
async fn arbitrary_authorization_headers_get_drf_answers() {
    use rand::RngExt;
    let settings = settings();
    let db = database(&settings).await;
    let app = app(&settings, &db, |routes| {
        routes
            .service(route::<(BasicAuthentication,), IsAuthenticated>("/basic/"))
            .service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"));
    })
    .await;
    let mut rng = rand::rng();
    let prefixes: [&[u8]; 6] = [b"Basic ", b"basic\t", b"Token ", b"token ", b"", b"Bearer "];
    for round in 0..600 {
        let mut value = prefixes[round % prefixes.len()].to_vec();
        for _ in 0..rng.random_range(0..40) {
            // Header values may hold tab, visible ASCII and obs-text bytes.
            let byte: u8 = match rng.random_range(0..4) {
                0 => b"=:+/ \t"[rng.random_range(0..6)],
                1 => rng.random_range(0x80..=0xFF),
                _ => rng.random_range(0x20..0x7F),
            };
            value.push(byte);
        }
        for path in ["/basic/", "/token/"] {
            let reply = send(&app, with_auth(get(path), &value)).await;
            assert!(
                matches!(reply.status, 401 | 403),
                "{path} {value:?}: {reply:?}"
            );
            assert_eq!(reply.content_type.as_deref(), Some("application/json"));
            let body: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
            assert!(body["detail"].is_string(), "{value:?}: {}", reply.body);
        }
    }
}

/// SQLite compares Django's datetimes as text: rows this library writes use Django's format,
/// and a row Django wrote to expire later today is still live here (a `T` separator would
/// compare above Django's space and make it look expired).
#[actix_web::test]
async fn sqlite_datetimes_are_written_and_compared_in_djangos_text_format() {
    let settings = settings();
    let db = database(&settings).await;
    let john = user::AUTH_USER
        .find_by_username(&db, "john")
        .await
        .unwrap()
        .unwrap();
    let admin = user::AUTH_USER
        .find_by_username(&db, "admin")
        .await
        .unwrap()
        .unwrap();
    token::create(&db, admin.id).await.unwrap();
    user::AUTH_USER
        .touch_last_login(&db, john.clone())
        .await
        .unwrap();
    let django_format = |text: &str| {
        let bytes = text.as_bytes();
        (text.len() == 19 || text.len() == 26)
            && bytes[10] == b' '
            && !text.contains('T')
            && !text.contains('+')
    };
    for sql in [
        "SELECT created AS v FROM authtoken_token",
        "SELECT date_joined AS v FROM auth_user",
        "SELECT last_login AS v FROM auth_user WHERE last_login IS NOT NULL",
    ] {
        let rows = db
            .query_all_raw(Statement::from_string(DbBackend::Sqlite, sql))
            .await
            .unwrap();
        assert!(!rows.is_empty(), "{sql}");
        for row in rows {
            let text: String = row.try_get("", "v").unwrap();
            assert!(django_format(&text), "{sql}: {text}");
        }
    }

    // Written by Django: later today, in its own text format.
    let later = chrono::Utc::now() + chrono::TimeDelta::seconds(5);
    let text = store::datetime::django_text(later);
    db.execute_unprepared(&format!(
        "INSERT INTO django_session (session_key, session_data, expire_date) VALUES ('laterlaterlater1', 'x', '{text}')"
    ))
    .await
    .unwrap();
    assert!(
        store::session::load(&db, "laterlaterlater1", chrono::Utc::now())
            .await
            .unwrap()
            .is_some()
    );
}
