//! The store against a real MariaDB (MySQL's family, the other scale-out deployment Django
//! supports): the library's MySQL DDL, token, Basic, session and knox authentication, keys the
//! columns cannot hold, a custom user model with `bigint` keys, Django's permission model, a
//! database outage, and a database that Django's own `migrate` made: the library's tables are
//! Django's to the byte (`SHOW CREATE TABLE`), and what either side writes there the other reads
//! (users and passwords, DRF and knox tokens, sessions, permissions). Each test works in a
//! database of its own, dropped at the end.
//!
//! The server is the machine's (`mysql://root@127.0.0.1:3306/test`); `TEST_MYSQL_URL` points
//! elsewhere (its user must be allowed to create databases). The Django tests drive the parity
//! environment (`bash parity/setup.sh`: Django 6.1 with mysqlclient) through
//! `manage.py migrate` and `manage.py parity_interop`. When the server or the environment is
//! missing, the tests are reported as ignored with the reason, never as passed, and fail under
//! `AUTH_REQUIRE_EXTERNAL_SUITES=1` (see `support/external.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;

use actix_web::{HttpResponse, test, web};
use auth_actix::store::sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use auth_actix::store::{self, knox_token, migrations, permission, session as session_rows, user};
use auth_actix::views::{knox_endpoints, session_endpoints};
use auth_actix::{
    Auth, BasicAuthentication, DjangoModel, DjangoModelPermissions, IsAuthenticated,
    KnoxTokenAuthentication, SessionAuthentication, TokenAuthentication, api_view,
    authentication_classes, permission_classes,
};
use test_support::permission_tables::{self, create_permission_tables, grant, join_group};
use test_support::*;

/// A fresh database on the test server.
struct Database {
    admin: DatabaseConnection,
    name: String,
    url: String,
}

impl Database {
    /// In the server's default character set (utf8mb4 on MariaDB 10.11).
    async fn create() -> Self {
        Self::create_in("").await
    }

    /// With `options` after `CREATE DATABASE name` (`CHARACTER SET utf8mb3`).
    async fn create_in(options: &str) -> Self {
        let base = external::Server::mysql().url;
        let admin = store::connect(&base)
            .await
            .expect("MariaDB must answer at TEST_MYSQL_URL");
        let name = format!("t{}_{}", std::process::id(), rand::random::<u32>());
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name} {options}"))
            .await
            .unwrap();
        let url = with_database(&base, &name);
        Self { admin, name, url }
    }

    async fn connect(&self) -> DatabaseConnection {
        store::connect_and_migrate(&self.url).await.unwrap()
    }

    async fn drop(self) {
        self.admin
            .execute_unprepared(&format!("DROP DATABASE {}", self.name))
            .await
            .unwrap();
    }
}

/// `url` (`mysql://user@host:port/db?options`) naming the database `name` instead.
fn with_database(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let query = tail.find('?').map_or("", |start| &tail[start..]);
    format!("{scheme}://{authority}/{name}{query}")
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::MySql, sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

async fn migrations_create_djangos_tables_once_and_leave_existing_ones_alone() {
    let database = Database::create().await;
    let raw = store::connect(&database.url).await.unwrap();
    // An existing Django table with a column of its own.
    raw.execute_unprepared("CREATE TABLE `auth_user` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `password` varchar(128) NOT NULL, `last_login` datetime(6) NULL, `is_superuser` bool NOT NULL, `username` varchar(150) NOT NULL UNIQUE, `first_name` varchar(150) NOT NULL, `last_name` varchar(150) NOT NULL, `email` varchar(254) NOT NULL, `is_staff` bool NOT NULL, `is_active` bool NOT NULL, `date_joined` datetime(6) NOT NULL, `nickname` varchar(20) NULL)").await.unwrap();
    let report = migrations::migrate(&raw).await.unwrap();
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
    let again = migrations::migrate(&raw).await.unwrap();
    assert!(again.created.is_empty());
    assert_eq!(again.existing.len(), 12);
    assert_eq!(
        scalar(
            &raw,
            "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() \
             AND table_name = 'auth_user' AND column_name = 'nickname'"
        )
        .await,
        1,
        "the existing table is untouched"
    );
    let indexes = "SELECT COUNT(DISTINCT index_name) FROM information_schema.statistics \
         WHERE table_schema = DATABASE() AND index_name IN ('django_session_expire_date_a5c62663', \
         'knox_authtoken_token_key_8f4f7d47', 'knox_authtoken_user_id_e5a5d899_fk_auth_user_id', \
         'token_blacklist_outstandingtoken_jti_hex_d9bdf6f7_uniq', \
         'token_blacklist_outs_user_id_83bc629a_fk_auth_user')";
    assert_eq!(scalar(&raw, indexes).await, 5, "Django's index names");
    let foreign_keys = "SELECT COUNT(*) FROM information_schema.table_constraints \
         WHERE table_schema = DATABASE() AND constraint_type = 'FOREIGN KEY' AND constraint_name IN \
         ('authtoken_token_user_id_35299eff_fk_auth_user_id', \
         'knox_authtoken_user_id_e5a5d899_fk_auth_user_id', \
         'token_blacklist_outs_user_id_83bc629a_fk_auth_user', \
         'token_blacklist_blacklistedtoken_token_id_3cc7fe56_fk')";
    assert_eq!(scalar(&raw, foreign_keys).await, 4);
    database.drop().await;
}

async fn token_basic_session_and_knox_authenticate_on_mariadb() {
    let database = Database::create().await;
    let settings = settings_builder().pbkdf2_iterations(2000).build().unwrap();
    let db = database.connect().await;
    populate(&db, &settings).await;
    let app = session_app(&settings, &db, |routes| {
        routes
            .service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"))
            .service(route::<(BasicAuthentication,), IsAuthenticated>("/basic/"))
            .service(route::<(SessionAuthentication,), IsAuthenticated>(
                "/session/",
            ))
            .service(route::<(KnoxTokenAuthentication,), IsAuthenticated>(
                "/knox/",
            ))
            .service(web::scope("/auth").configure(session_endpoints))
            .service(web::scope("/knox-auth").configure(knox_endpoints));
    })
    .await;
    let reply = send(&app, with_auth(get("/token/"), "Token abcd1234")).await;
    assert_eq!(reply.body, json_body("john", "abcd1234"));
    // The columns' collation (utf8mb4_general_ci) ignores case, so DRF on MariaDB would take
    // this key; the whole key is compared here, byte for byte.
    assert_eq!(
        send(&app, with_auth(get("/token/"), "Token ABCD1234"))
            .await
            .status,
        401,
        "case-sensitive"
    );
    // Keys are found by their prefix (`LIKE 'abcd1234%'`), then compared whole in constant time;
    // LIKE's wildcards, and MySQL's escape character, in a key are literal.
    add_prefix_sharing_token(&db).await;
    assert_keys_sharing_a_prefix_find_their_own_rows(&app).await;
    for key in ["abcd\\", "abcd1234\\", "abc\\%"] {
        let reply = send(&app, with_auth(get("/token/"), format!("Token {key}"))).await;
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (401, r#"{"detail":"Invalid token."}"#),
            "{key}"
        );
    }

    // Basic upgrades an outdated hash (1000 iterations, short salt) to the configured 2000.
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
    assert_eq!(
        send(&app, with_auth(get("/basic/"), basic(b"john:password")))
            .await
            .status,
        200
    );
    let upgraded = user::AUTH_USER
        .find_by_id(&db, john.id)
        .await
        .unwrap()
        .unwrap();
    assert!(upgraded.password.starts_with("pbkdf2_sha256$2000$"));
    // Non-ASCII usernames and passwords round-trip through the utf8mb4 columns.
    assert_eq!(
        send(
            &app,
            with_auth(get("/basic/"), basic("walterwhité:pässwörd".as_bytes()))
        )
        .await
        .body,
        json_body("walterwhité", "None")
    );

    // A session from the login endpoint, then CSRF-checked use; `last_login` is stored at
    // microseconds (`datetime(6)`) and read back as written.
    let mut client = auth_actix::test::TestClient::new(app);
    assert_eq!(
        client
            .login("/auth", "john", "password")
            .await
            .unwrap()
            .as_u16(),
        200
    );
    let response = client
        .send(test::TestRequest::post().uri("/session/"))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let key = client.cookies()["sessionid"].clone();
    let now = chrono::Utc::now();
    let session = session_rows::load(&db, &key, now).await.unwrap().unwrap();
    let left = session.expire_date - now;
    assert!(
        left > chrono::TimeDelta::days(13) && left <= chrono::TimeDelta::weeks(2),
        "SESSION_COOKIE_AGE from now: {left}"
    );
    let logged_in = user::AUTH_USER
        .find_by_id(&db, john.id)
        .await
        .unwrap()
        .unwrap();
    let last_login = logged_in.last_login.expect("login sets last_login");
    assert_eq!(last_login, store::datetime::truncate(last_login));
    assert!((now - last_login) < chrono::TimeDelta::seconds(60));

    // knox: login with Basic (the default schemes), use, logout.
    client.credentials(&basic(b"john:password"));
    let response = client
        .send(test::TestRequest::post().uri("/knox-auth/login/"))
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&test::read_body(response).await).unwrap();
    let token = body["token"].as_str().unwrap().to_owned();
    client.credentials(&format!("Token {token}"));
    assert_eq!(client.get("/knox/").await.unwrap().status().as_u16(), 200);
    assert_eq!(
        knox_token::count_live(&db, john.id, chrono::Utc::now())
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        client
            .send(test::TestRequest::post().uri("/knox-auth/logout/"))
            .await
            .unwrap()
            .status()
            .as_u16(),
        204
    );
    assert_eq!(client.get("/knox/").await.unwrap().status().as_u16(), 401);

    assert!(
        store::delete_user(&db, &user::AUTH_USER, john.id)
            .await
            .unwrap(),
        "tokens go first, as Django's ORM does"
    );
    assert!(
        user::AUTH_USER
            .find_by_id(&db, john.id)
            .await
            .unwrap()
            .is_none()
    );
    database.drop().await;
}

/// A value no row can hold matches nothing, and the lookup answers "none" without a database
/// error (a 401, not the 503 of an outage), in a database whose tables are utf8mb3 (MySQL's
/// `utf8`, the default of MySQL before 8.0 and of many Django databases made then) and in one
/// of utf8mb4. utf8mb3 holds no character outside the Basic Multilingual Plane: MariaDB refuses
/// to compare such a value with the column ("Illegal mix of collations", error 1267), as Django
/// finds out with a 500. NUL, which PostgreSQL cannot hold, is refused before any query on every
/// backend.
async fn unstorable_keys_match_nothing_without_a_database_error() {
    for charset in ["utf8mb3", "utf8mb4"] {
        let database = Database::create_in(&format!("CHARACTER SET {charset}")).await;
        let db = database.connect().await;
        let settings = settings();
        populate(&db, &settings).await;
        let app = app(&settings, &db, |routes| {
            routes
                .service(route::<(BasicAuthentication,), IsAuthenticated>("/basic/"))
                .service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"));
        })
        .await;

        // What the guard spares: on utf8mb3 the server refuses the comparison outright.
        let compared = db
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::MySql,
                "SELECT COUNT(*) FROM auth_user WHERE username = ?",
                ["jo\u{1F600}hn".into()],
            ))
            .await;
        assert_eq!(
            compared.is_err(),
            charset == "utf8mb3",
            "{charset}: {compared:?}"
        );

        for credentials in [
            "jo\0hn:password",
            "\0:password",
            "jo\u{1F600}hn:password",
            "\u{10FFFF}:password",
            "john\u{1F600}:password",
        ] {
            let reply = send(
                &app,
                with_auth(get("/basic/"), basic(credentials.as_bytes())),
            )
            .await;
            assert_eq!(
                (reply.status, reply.body.as_str()),
                (401, r#"{"detail":"Invalid username/password."}"#),
                "{charset}: {credentials:?}"
            );
        }
        // A header carries the bytes of a non-BMP character (obs-text), not a NUL.
        let reply = send(
            &app,
            with_auth(get("/token/"), "Token abcd\u{1F600}1234".as_bytes()),
        )
        .await;
        assert_eq!(reply.status, 401, "{charset}: {}", reply.body);

        let users = &user::AUTH_USER;
        let now = chrono::Utc::now();
        for value in ["jo\0hn", "jo\u{1F600}hn", "abcd\u{1F600}1234", "\u{1F600}"] {
            let what = format!("{charset}: {value:?}");
            assert!(
                users.find_by_username(&db, value).await.unwrap().is_none(),
                "{what}"
            );
            assert!(!users.username_exists(&db, value).await.unwrap(), "{what}");
            assert!(
                users
                    .find_by_email_iexact(&db, value)
                    .await
                    .unwrap()
                    .is_empty(),
                "{what}"
            );
            assert!(
                session_rows::load(&db, value, now).await.unwrap().is_none(),
                "{what}"
            );
            assert!(
                store::token::find_with_user(&db, users, value)
                    .await
                    .unwrap()
                    .is_none(),
                "{what}"
            );
            assert!(
                knox_token::candidates(&db, users, value)
                    .await
                    .unwrap()
                    .is_empty(),
                "{what}"
            );
        }
        // Where the column can hold it, such a user is stored and found: the guard refuses
        // only what cannot be there.
        if charset == "utf8mb4" {
            add_user(&db, &settings, "jo\u{1F600}hn", "password", true, false).await;
            let reply = send(
                &app,
                with_auth(get("/basic/"), basic("jo\u{1F600}hn:password".as_bytes())),
            )
            .await;
            assert_eq!(reply.body, json_body("jo\u{1F600}hn", "None"));
        }
        database.drop().await;
    }
}

/// Django 6.1's MySQL tables for a custom user model of a project made since Django 3.2
/// (`DEFAULT_AUTO_FIELD = BigAutoField`: `bigint` keys), logging in by e-mail, with DRF's and
/// knox's token tables migrated against it (`sqlmigrate` of `custom_users` 0001, `authtoken`
/// 0001–0004 and `knox` 0001–0009, each table with its final columns).
const MEMBER_TABLES: [&str; 7] = [
    "CREATE TABLE `accounts_member` (`id` bigint AUTO_INCREMENT NOT NULL PRIMARY KEY, `password` varchar(128) NOT NULL, `last_login` datetime(6) NULL, `is_superuser` bool NOT NULL, `first_name` varchar(150) NOT NULL, `last_name` varchar(150) NOT NULL, `is_staff` bool NOT NULL, `is_active` bool NOT NULL, `date_joined` datetime(6) NOT NULL, `email` varchar(254) NOT NULL UNIQUE, `display_name` varchar(100) DEFAULT '' NOT NULL, `shoe_size` integer UNSIGNED NULL CHECK (`shoe_size` >= 0))",
    "CREATE TABLE `authtoken_token` (`key` varchar(40) NOT NULL PRIMARY KEY, `created` datetime(6) NOT NULL, `user_id` bigint NOT NULL UNIQUE)",
    "ALTER TABLE `authtoken_token` ADD CONSTRAINT `authtoken_token_user_id_35299eff_fk_accounts_member_id` FOREIGN KEY (`user_id`) REFERENCES `accounts_member` (`id`)",
    "CREATE TABLE `knox_authtoken` (`digest` varchar(128) NOT NULL PRIMARY KEY, `created` datetime(6) NOT NULL, `user_id` bigint NOT NULL, `expiry` datetime(6) NULL, `token_key` varchar(25) NOT NULL)",
    "ALTER TABLE `knox_authtoken` ADD CONSTRAINT `knox_authtoken_user_id_e5a5d899_fk_accounts_member_id` FOREIGN KEY (`user_id`) REFERENCES `accounts_member` (`id`)",
    "CREATE INDEX `knox_authtoken_token_key_8f4f7d47` ON `knox_authtoken` (`token_key`)",
    // Ids from 70000: the id the driver reports for an insert must be the row's.
    "ALTER TABLE `accounts_member` AUTO_INCREMENT = 70000",
];

/// A custom user model with `bigint` keys: users, DRF and knox tokens and remote-user creation.
async fn a_custom_user_model_with_bigint_keys_works_on_mariadb() {
    let database = Database::create().await;
    let members = user::UserModel::new("accounts_member", "email").unwrap();
    let settings = settings_builder()
        .user_model(members.clone())
        .remote_user_header("X-Remote-User")
        .build()
        .unwrap();
    let db = store::connect(&database.url).await.unwrap();
    for sql in MEMBER_TABLES {
        db.execute_unprepared(sql).await.unwrap();
    }
    let report = migrations::migrate_with(&db, &members).await.unwrap();
    assert_eq!(report.created, ["django_session"]);
    let fields = auth_actix::authentication::UserFields {
        password: Some("password"),
        ..Default::default()
    };
    let ann = auth_actix::authentication::create_user(
        &settings.environment(db.clone()),
        "ann@example.com",
        fields,
    )
    .await
    .unwrap();
    assert_eq!(ann.id, 70000, "the id the driver reports for the insert");
    store::token::create_with_key(&db, ann.id, "annstoken")
        .await
        .unwrap();
    let app = app(&settings, &db, |routes| {
        routes
            .service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"))
            .service(route::<(BasicAuthentication,), IsAuthenticated>("/basic/"))
            .service(route::<(KnoxTokenAuthentication,), IsAuthenticated>(
                "/knox/",
            ))
            .service(route::<
                (auth_actix::RemoteUserAuthentication,),
                IsAuthenticated,
            >("/remote-user/"))
            .service(web::scope("/knox-auth").configure(knox_endpoints));
    })
    .await;
    let basic_reply = send(
        &app,
        with_auth(get("/basic/"), basic(b"ann@example.com:password")),
    )
    .await;
    assert_eq!(basic_reply.body, json_body("ann@example.com", "None"));
    let token_reply = send(&app, with_auth(get("/token/"), "Token annstoken")).await;
    assert_eq!(token_reply.body, json_body("ann@example.com", "annstoken"));

    let login = send(
        &app,
        with_auth(
            test::TestRequest::post().uri("/knox-auth/login/"),
            basic(b"ann@example.com:password"),
        ),
    )
    .await;
    assert_eq!(login.status, 200, "{}", login.body);
    let body: serde_json::Value = serde_json::from_str(&login.body).unwrap();
    let knox = body["token"].as_str().unwrap();
    let knox_reply = send(&app, with_auth(get("/knox/"), format!("Token {knox}"))).await;
    let knox_body: serde_json::Value = serde_json::from_str(&knox_reply.body).unwrap();
    assert_eq!(knox_body["user"], "ann@example.com");
    // knox's `str(AuthToken)`: `<digest> : <user>`.
    assert!(
        knox_body["auth"]
            .as_str()
            .unwrap()
            .ends_with(" : ann@example.com"),
        "{knox_body}"
    );

    let created = send(
        &app,
        get("/remote-user/").insert_header(("X-Remote-User", "new@example.com")),
    )
    .await;
    assert_eq!(created.body, json_body("new@example.com", "None"));
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM accounts_member WHERE email = 'new@example.com' \
             AND id = 70001 AND display_name = '' AND shoe_size IS NULL"
        )
        .await,
        1
    );
    database.drop().await;
}

/// `uuid_users.Person` as Django 6.1 writes it for MariaDB 10.7+: native `uuid` keys.
const PERSON_TABLES: [&str; 3] = [
    "CREATE TABLE `uuid_users_person` (`password` varchar(128) NOT NULL, `last_login` datetime(6) NULL, `is_superuser` bool NOT NULL, `username` varchar(150) NOT NULL UNIQUE, `first_name` varchar(150) NOT NULL, `last_name` varchar(150) NOT NULL, `email` varchar(254) NOT NULL, `is_staff` bool NOT NULL, `is_active` bool NOT NULL, `date_joined` datetime(6) NOT NULL, `id` uuid NOT NULL PRIMARY KEY)",
    "CREATE TABLE `authtoken_token` (`key` varchar(40) NOT NULL PRIMARY KEY, `created` datetime(6) NOT NULL, `user_id` uuid NOT NULL UNIQUE REFERENCES `uuid_users_person` (`id`))",
    "CREATE TABLE `knox_authtoken` (`digest` varchar(128) NOT NULL PRIMARY KEY, `created` datetime(6) NOT NULL, `user_id` uuid NOT NULL REFERENCES `uuid_users_person` (`id`), `expiry` datetime(6) NULL, `token_key` varchar(25) NOT NULL)",
];

/// A user model with a UUID primary key on MariaDB's `uuid` type: made here with a version-4
/// key, read back, authenticated by Token, Basic and knox.
async fn a_user_model_with_uuid_keys_works_on_mariadb() {
    use auth_actix::store::user::{UserId, UserIdKind};

    let database = Database::create().await;
    let persons = user::UserModel::new("uuid_users_person", "username")
        .unwrap()
        .with_auth_user_model("uuid_users.Person")
        .unwrap()
        .with_id_kind(UserIdKind::Uuid);
    let settings = settings_builder()
        .user_model(persons.clone())
        .build()
        .unwrap();
    let db = store::connect(&database.url).await.unwrap();
    for sql in PERSON_TABLES {
        db.execute_unprepared(sql).await.unwrap();
    }
    migrations::migrate_with(&db, &persons).await.unwrap();
    let fields = auth_actix::authentication::UserFields {
        password: Some("password"),
        ..Default::default()
    };
    let ann =
        auth_actix::authentication::create_user(&settings.environment(db.clone()), "ann", fields)
            .await
            .unwrap();
    assert!(matches!(ann.id, UserId::Uuid(_)), "{:?}", ann.id);
    assert_eq!(
        scalar(
            &db,
            &format!(
                "SELECT COUNT(*) FROM uuid_users_person WHERE id = '{}'",
                ann.id
            )
        )
        .await,
        1,
        "the uuid column holds str(pk)"
    );
    assert_eq!(persons.ids(&db).await.unwrap(), [ann.id]);
    store::token::create_with_key(&db, ann.id, "annstoken")
        .await
        .unwrap();
    let app = app(&settings, &db, |routes| {
        routes
            .service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"))
            .service(route::<(BasicAuthentication,), IsAuthenticated>("/basic/"))
            .service(route::<(KnoxTokenAuthentication,), IsAuthenticated>(
                "/knox/",
            ))
            .service(web::scope("/knox-auth").configure(knox_endpoints));
    })
    .await;
    let reply = send(&app, with_auth(get("/basic/"), basic(b"ann:password"))).await;
    assert_eq!(reply.body, json_body("ann", "None"));
    let reply = send(&app, with_auth(get("/token/"), "Token annstoken")).await;
    assert_eq!(reply.body, json_body("ann", "annstoken"));
    let login = send(
        &app,
        with_auth(
            test::TestRequest::post().uri("/knox-auth/login/"),
            basic(b"ann:password"),
        ),
    )
    .await;
    assert_eq!(login.status, 200, "{}", login.body);
    let body: serde_json::Value = serde_json::from_str(&login.body).unwrap();
    let knox = body["token"].as_str().unwrap();
    let reply = send(&app, with_auth(get("/knox/"), format!("Token {knox}"))).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(store::delete_user(&db, &persons, ann.id).await.unwrap());
    database.drop().await;
}

/// `blog.Article`.
struct Article;

impl DjangoModel for Article {
    const APP_LABEL: &'static str = "blog";
    const MODEL_NAME: &'static str = "article";
}

/// `DjangoModelPermissions` on `blog.Article`; the answer is the user's permissions as
/// `request.user.get_all_permissions()` and `has_perm` see them.
#[api_view(GET, POST, PUT, DELETE)]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(DjangoModelPermissions<Article>)]
async fn articles(auth: Auth) -> Result<HttpResponse, auth_actix::ApiErrorResponse> {
    let perms = auth.get_all_permissions().await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "perms": perms.iter().collect::<Vec<_>>(),
        "add": auth.has_perm("blog.add_article").await?,
        "delete": auth.has_perm("blog.delete_article").await?,
        "blog": auth.has_module_perms("blog").await?,
    })))
}

/// Django's permission model on its MySQL tables: a user's own permissions and those of their
/// groups (`store::permission`, granting and revoking), `has_perm`, `get_all_permissions` and
/// `DjangoModelPermissions`; a superuser has every permission.
async fn the_permission_model_reads_djangos_tables_on_mariadb() {
    let database = Database::create().await;
    let settings = settings();
    let db = database.connect().await;
    create_permission_tables(&db).await;
    let adder = add_user(&db, &settings, "adder", "password", true, false).await;
    grant(&db, adder.id, "blog.add_article").await;
    let editor = add_user(&db, &settings, "editor", "password", true, false).await;
    grant(&db, editor.id, "blog.add_article").await;
    join_group(
        &db,
        editor.id,
        "editors",
        &["blog.change_article", "blog.delete_article"],
    )
    .await;
    let inactive = add_user(&db, &settings, "inactive", "password", false, false).await;
    join_group(&db, inactive.id, "editors", &[]).await;
    let boss = add_user(&db, &settings, "boss", "password", true, false).await;
    db.execute_unprepared(&format!(
        "UPDATE auth_user SET is_superuser = 1 WHERE id = {}",
        boss.id
    ))
    .await
    .unwrap();
    add_user(&db, &settings, "nobody", "password", true, false).await;
    permission_tables::permission(&db, "shop.add_order").await;

    // The store's queries.
    let users = &user::AUTH_USER;
    let names = |list: &[&str]| -> std::collections::BTreeSet<String> {
        list.iter().map(|&name| name.to_owned()).collect()
    };
    assert_eq!(
        permission::user_permissions(&db, users, editor.id)
            .await
            .unwrap(),
        names(&["blog.add_article"])
    );
    assert_eq!(
        permission::group_permissions(&db, users, editor.id)
            .await
            .unwrap(),
        names(&["blog.change_article", "blog.delete_article"])
    );
    assert_eq!(
        permission::all_permissions(&db).await.unwrap(),
        names(&[
            "blog.add_article",
            "blog.change_article",
            "blog.delete_article",
            "shop.add_order"
        ])
    );
    let order = permission::permission_id(&db, "shop.add_order")
        .await
        .unwrap()
        .unwrap();
    assert!(
        permission::grant(&db, users, adder.id, order)
            .await
            .unwrap()
    );
    assert!(
        !permission::grant(&db, users, adder.id, order)
            .await
            .unwrap(),
        "already granted"
    );
    assert!(
        permission::revoke(&db, users, adder.id, order)
            .await
            .unwrap()
    );

    let app = app(&settings, &db, |routes| {
        routes.route("/articles/", web::to(articles));
    })
    .await;
    let ask = |method: &str, who: &str| {
        let request = test::TestRequest::default()
            .method(method.parse().unwrap())
            .uri("/articles/");
        with_auth(request, basic(format!("{who}:password").as_bytes()))
    };
    let editor_reply = send(&app, ask("GET", "editor")).await;
    assert_eq!(
        editor_reply.body,
        r#"{"perms":["blog.add_article","blog.change_article","blog.delete_article"],"add":true,"delete":true,"blog":true}"#
    );
    let boss_reply = send(&app, ask("GET", "boss")).await;
    assert_eq!(
        boss_reply.body,
        r#"{"perms":["blog.add_article","blog.change_article","blog.delete_article","shop.add_order"],"add":true,"delete":true,"blog":true}"#
    );
    let adder_reply = send(&app, ask("GET", "adder")).await;
    assert_eq!(
        adder_reply.body,
        r#"{"perms":["blog.add_article"],"add":true,"delete":false,"blog":true}"#
    );
    let forbidden = detail("You do not have permission to perform this action.");
    for (method, who, status) in [
        ("POST", "adder", 200),
        ("PUT", "adder", 403),
        ("DELETE", "adder", 403),
        ("POST", "editor", 200),
        ("PUT", "editor", 200),
        ("DELETE", "editor", 200),
        ("DELETE", "boss", 200),
        ("GET", "nobody", 200),
        ("POST", "nobody", 403),
    ] {
        let reply = send(&app, ask(method, who)).await;
        assert_eq!(reply.status, status, "{method} as {who}: {}", reply.body);
        if status == 403 {
            assert_eq!(reply.body, forbidden);
        }
    }
    // An inactive member of the group is refused by Basic before any permission is read.
    assert_eq!(send(&app, ask("GET", "inactive")).await.status, 401);

    // django-guardian's object permissions (its tables as its `migrate` makes them on MariaDB,
    // indexes left out): the editor's own row on article 7, the editors group's on article 8.
    for sql in [
        "CREATE TABLE `guardian_userobjectpermission` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `object_pk` varchar(255) NOT NULL, `content_type_id` integer NOT NULL, `permission_id` integer NOT NULL, `user_id` integer NOT NULL)",
        "CREATE TABLE `guardian_groupobjectpermission` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `object_pk` varchar(255) NOT NULL, `content_type_id` integer NOT NULL, `group_id` integer NOT NULL, `permission_id` integer NOT NULL)",
    ] {
        db.execute_unprepared(sql).await.unwrap();
    }
    db.execute_unprepared(&format!(
        "INSERT INTO guardian_userobjectpermission (object_pk, content_type_id, permission_id, \
         user_id) SELECT '7', content_type_id, id, {} FROM auth_permission \
         WHERE codename = 'add_article'",
        editor.id
    ))
    .await
    .unwrap();
    db.execute_unprepared(
        "INSERT INTO guardian_groupobjectpermission (object_pk, content_type_id, permission_id, \
         group_id) SELECT '8', p.content_type_id, p.id, g.id FROM auth_permission p, auth_group g \
         WHERE p.codename = 'change_article' AND g.name = 'editors'",
    )
    .await
    .unwrap();
    for (pk, want) in [
        ("7", &["add_article"][..]),
        ("8", &["change_article"]),
        ("9", &[]),
    ] {
        let found =
            store::guardian::object_codenames(&db, users, editor.id, ("blog", "article", pk))
                .await
                .unwrap();
        assert_eq!(
            found.iter().map(String::as_str).collect::<Vec<_>>(),
            want,
            "object {pk}"
        );
    }
    database.drop().await;
}

/// The parity environment's interpreter, with Django, DRF, knox and mysqlclient, or why not.
fn django_python() -> Result<PathBuf, String> {
    static PYTHON: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    PYTHON.get_or_init(find_django_python).clone()
}

fn find_django_python() -> Result<PathBuf, String> {
    let repository = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let venv = std::env::var_os("PARITY_VENV")
        .map_or_else(|| repository.join("parity/.venv"), PathBuf::from);
    let python = venv.join("bin/python");
    let probe = Command::new(&python)
        .args(["-c", "import django, rest_framework, knox, MySQLdb"])
        .output()
        .map_err(|error| format!("no Python environment at {}: {error}", python.display()))?;
    if probe.status.success() {
        Ok(python)
    } else {
        Err(format!(
            "{} lacks Django, DRF, knox or mysqlclient: run `bash parity/setup.sh`",
            python.display()
        ))
    }
}

/// `manage.py ARGS` of the parity project on the database `url`, with the suite's secret key and
/// iteration count; its stdout.
fn manage(url: &str, args: &[&str]) -> String {
    manage_with(url, args, &[])
}

/// [`manage`] with more environment variables (`PARITY_ALLAUTH`: django-allauth installed).
fn manage_with(url: &str, args: &[&str], extra: &[(&str, &str)]) -> String {
    let python = django_python().unwrap();
    let project = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../parity/django_project");
    let output = Command::new(python)
        .arg("manage.py")
        .args(args)
        .current_dir(project)
        .env("DATABASE_URL", url)
        .env("SECRET_KEY", SECRET_KEY)
        .env("PBKDF2_ITERATIONS", TEST_ITERATIONS.to_string())
        .env("DJANGO_SETTINGS_MODULE", "parity_site.settings")
        .envs(extra.iter().copied())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "manage.py {args:?}: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// `manage.py parity_interop ARGS`: Django's ORM answers in JSON.
fn django(url: &str, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["parity_interop"];
    all.extend_from_slice(args);
    let stdout = manage(url, &all);
    serde_json::from_str(&stdout).unwrap_or_else(|error| panic!("{args:?}: {error}: {stdout}"))
}

/// `SHOW CREATE TABLE`, without the table's next `AUTO_INCREMENT` value.
async fn create_table(db: &DatabaseConnection, table: &str) -> String {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::MySql,
            format!("SHOW CREATE TABLE `{table}`"),
        ))
        .await
        .unwrap()
        .unwrap();
    let ddl: String = row.try_get_by_index(1).unwrap();
    ddl.split(' ')
        .filter(|word| !word.starts_with("AUTO_INCREMENT="))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The tables the library creates (`store::migrations`), and the permission tables the tests
/// create (`test_support::permission_tables`), are the ones Django's `migrate` creates on the
/// same server: columns, types, keys, constraint names, table options (Django OAuth Toolkit's
/// six tables included, with the access and refresh tokens' foreign keys to each other, and
/// django-allauth's `account_emailaddress`). Then the library's migration leaves Django's
/// database as it is.
async fn the_library_creates_the_tables_djangos_migrate_creates() {
    let django_made = Database::create().await;
    manage_with(
        &django_made.url,
        &["migrate", "--verbosity", "0"],
        &[("PARITY_ALLAUTH", "1")],
    );
    let library_made = Database::create().await;
    let ours = library_made.connect().await;
    create_permission_tables(&ours).await;
    migrations::migrate_allauth(&ours, &user::AUTH_USER)
        .await
        .unwrap();
    let theirs = store::connect(&django_made.url).await.unwrap();
    let tables = [
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
    ];
    let mut djangos = Vec::new();
    for table in tables
        .iter()
        .chain(&permission_tables::TABLES)
        .chain(&["account_emailaddress"])
    {
        let djangos_table = create_table(&theirs, table).await;
        assert_eq!(create_table(&ours, table).await, djangos_table, "{table}");
        djangos.push(djangos_table);
    }
    let report = migrations::migrate(&theirs).await.unwrap();
    assert!(report.created.is_empty(), "{report:?}");
    assert_eq!(report.existing, tables);
    for (table, before) in tables
        .iter()
        .chain(&permission_tables::TABLES)
        .zip(&djangos)
    {
        assert_eq!(
            &create_table(&theirs, table).await,
            before,
            "{table} was altered"
        );
    }
    library_made.drop().await;
    django_made.drop().await;
}

/// `auth.User`: the permissions Django's `migrate` creates for it.
struct DjangoUser;

impl DjangoModel for DjangoUser {
    const APP_LABEL: &'static str = "auth";
    const MODEL_NAME: &'static str = "user";
}

/// `DjangoModelPermissions` on `auth.User`, answering the user's permissions.
#[api_view(GET, PUT, DELETE)]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(DjangoModelPermissions<DjangoUser>)]
async fn django_users(auth: Auth) -> Result<HttpResponse, auth_actix::ApiErrorResponse> {
    let perms = auth.get_all_permissions().await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "all": perms.iter().collect::<Vec<_>>(),
        "has_perm": {
            "auth.change_user": auth.has_perm("auth.change_user").await?,
            "auth.delete_user": auth.has_perm("auth.delete_user").await?,
            "auth.view_group": auth.has_perm("auth.view_group").await?,
        },
    })))
}

/// A database Django's `migrate` made and Django wrote (a user, a DRF token, a knox token, a
/// session from `login()`, a group's permission): the library, connected without migrating,
/// authenticates each by Token, knox, Session and Basic, and agrees with `user.has_perm`. Then
/// the reverse: a user, tokens, a session and a permission the library writes, Django reads
/// (`check_password`, DRF's and knox's `authenticate_credentials`, the session's user and
/// password hash, `has_perm`).
async fn rows_django_writes_on_mariadb_are_read_here_and_the_reverse() {
    let database = Database::create().await;
    let url = database.url.clone();
    manage(&url, &["migrate", "--verbosity", "0"]);
    django(&url, &["create-user", "john", "password"]);
    let token = django(&url, &["create-token", "john"])["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let knox = django(&url, &["create-knox", "john"])["token"]
        .as_str()
        .unwrap()
        .to_owned();
    django(&url, &["join-group", "john", "editors", "auth.change_user"]);
    let sessionid = django(&url, &["login", "john", "password"])["sessionid"]
        .as_str()
        .unwrap()
        .to_owned();

    let db = store::connect(&url).await.unwrap();
    let settings = settings();
    let app = session_app(&settings, &db, |routes| {
        routes
            .service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"))
            .service(route::<(BasicAuthentication,), IsAuthenticated>("/basic/"))
            .service(route::<(SessionAuthentication,), IsAuthenticated>(
                "/session/",
            ))
            .service(route::<(KnoxTokenAuthentication,), IsAuthenticated>(
                "/knox/",
            ))
            .route("/users/", web::to(django_users))
            .service(web::scope("/auth").configure(session_endpoints))
            .service(web::scope("/knox-auth").configure(knox_endpoints));
    })
    .await;
    let reply = send(&app, with_auth(get("/token/"), format!("Token {token}"))).await;
    assert_eq!(reply.body, json_body("john", &token));
    let reply = send(&app, with_auth(get("/basic/"), basic(b"john:password"))).await;
    assert_eq!(reply.body, json_body("john", "None"));
    let reply = send(
        &app,
        get("/session/").insert_header(("Cookie", format!("sessionid={sessionid}"))),
    )
    .await;
    assert_eq!(reply.body, json_body("john", "None"));
    let reply = send(&app, with_auth(get("/knox/"), format!("Token {knox}"))).await;
    let body: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(body["user"], "john", "{}", reply.body);

    // `has_perm` here and in Django, and DjangoModelPermissions on `auth.User`.
    let perms = ["auth.change_user", "auth.delete_user", "auth.view_group"];
    let mut asked = vec!["has-perms", "john"];
    asked.extend(perms);
    let djangos = django(&url, &asked);
    let reply = send(&app, with_auth(get("/users/"), basic(b"john:password"))).await;
    let ours: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(ours, djangos);
    assert_eq!(djangos["all"], serde_json::json!(["auth.change_user"]));
    let put = with_auth(
        test::TestRequest::put().uri("/users/"),
        basic(b"john:password"),
    );
    assert_eq!(send(&app, put).await.status, 200);
    let delete = with_auth(
        test::TestRequest::delete().uri("/users/"),
        basic(b"john:password"),
    );
    assert_eq!(send(&app, delete).await.status, 403);

    // The reverse: rows written here, read by Django.
    let ann = add_user(&db, &settings, "ann", "s3cret pässword", true, false).await;
    let ann_token = store::token::create(&db, ann.id).await.unwrap();
    let view_group = permission::permission_id(&db, "auth.view_group")
        .await
        .unwrap()
        .expect("Django's migrate made auth.view_group");
    assert!(
        permission::grant(&db, &user::AUTH_USER, ann.id, view_group)
            .await
            .unwrap()
    );
    let mut client = auth_actix::test::TestClient::new(app);
    assert_eq!(
        client
            .login("/auth", "ann", "s3cret pässword")
            .await
            .unwrap()
            .as_u16(),
        200
    );
    let ann_session = client.cookies()["sessionid"].clone();
    client.credentials(&basic("ann:s3cret pässword".as_bytes()));
    let response = client
        .send(test::TestRequest::post().uri("/knox-auth/login/"))
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&test::read_body(response).await).unwrap();
    let ann_knox = body["token"].as_str().unwrap().to_owned();

    let checked = django(&url, &["check-password", "ann", "s3cret pässword"]);
    assert_eq!(checked["check_password"], true, "{checked}");
    assert_eq!(
        django(&url, &["authenticate-token", &ann_token.key]),
        serde_json::json!({"user": "ann", "key": ann_token.key})
    );
    let knox_auth = django(&url, &["authenticate-knox", &ann_knox]);
    assert_eq!(knox_auth["user"], "ann", "{knox_auth}");
    let session = django(&url, &["decode-session", &ann_session]);
    assert_eq!(session["exists"], true, "{session}");
    assert_eq!(session["expired"], false, "{session}");
    assert_eq!(session["username"], "ann", "{session}");
    assert_eq!(session["hash_matches_user"], true, "{session}");
    assert_eq!(
        django(&url, &["has-perms", "ann", "auth.view_group"])["has_perm"],
        serde_json::json!({"auth.view_group": true})
    );
    // And Django's answers for a revoked token and a logged-out knox token.
    store::token::delete_for_user(&db, ann.id).await.unwrap();
    assert_eq!(
        django(&url, &["authenticate-token", &ann_token.key]),
        serde_json::json!({"error": "Invalid token."})
    );
    client.credentials(&format!("Token {ann_knox}"));
    let logout = client
        .send(test::TestRequest::post().uri("/knox-auth/logout/"))
        .await
        .unwrap();
    assert_eq!(logout.status().as_u16(), 204);
    assert_eq!(
        django(&url, &["authenticate-knox", &ann_knox]),
        serde_json::json!({"error": "Invalid token."})
    );
    database.drop().await;
}

/// The database cut, then black-holed, under a running server, then restored: protected routes
/// answer only the generic 503 while it is away (never a success, never a 500, never the
/// driver's error text), no request outlives the authentication timeout by more than a margin,
/// and service comes back without a restart.
async fn a_database_outage_is_a_bounded_generic_503_and_recovers_on_its_own() {
    use futures_util::future::join_all;
    use std::time::{Duration, Instant};

    const TIMEOUT: Duration = Duration::from_secs(2);
    const UNAVAILABLE: &str = r#"{"detail":"Service temporarily unavailable, try again later."}"#;

    let database = Database::create().await;
    let settings = settings_builder()
        .authentication_timeout(TIMEOUT)
        .build()
        .unwrap();
    populate(&database.connect().await, &settings).await;
    let upstream = external::Server::mysql().address().unwrap();
    let proxy = tcp_proxy::Proxy::start(upstream.clone()).await;
    let proxied_url = database
        .url
        .replacen(&upstream, &proxy.address.to_string(), 1);
    assert_ne!(proxied_url, database.url, "the URL names {upstream}");
    let db = store::connect(&proxied_url).await.unwrap();
    let app = app(&settings, &db, |routes| {
        routes
            .service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"))
            .service(route::<(BasicAuthentication,), IsAuthenticated>("/basic/"));
    })
    .await;
    let burst = || {
        let app = &app;
        join_all((0..16).map(move |n| async move {
            let request = if n % 2 == 0 {
                with_auth(get("/token/"), "Token abcd1234")
            } else {
                with_auth(get("/basic/"), basic(b"john:password"))
            };
            let started = Instant::now();
            let reply = send(app, request).await;
            (reply, started.elapsed())
        }))
    };

    for (reply, _) in burst().await {
        assert_eq!(reply.status, 200, "{}", reply.body);
    }

    for (phase, cut) in [("cut", true), ("black hole", false)] {
        if cut {
            proxy.cut();
        } else {
            proxy.black_hole();
        }
        for (reply, elapsed) in burst().await {
            assert_eq!(
                (reply.status, reply.body.as_str()),
                (503, UNAVAILABLE),
                "{phase}"
            );
            assert!(
                elapsed < TIMEOUT + Duration::from_secs(3),
                "{phase}: a request took {elapsed:?}"
            );
        }
    }

    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let replies = burst().await;
        if replies.iter().all(|(reply, _)| reply.status == 200) {
            break;
        }
        for (reply, _) in &replies {
            assert!(
                reply.status == 200 || (reply.status, reply.body.as_str()) == (503, UNAVAILABLE),
                "while recovering: {} {}",
                reply.status,
                reply.body
            );
        }
        assert!(Instant::now() < deadline, "no recovery within 20 s");
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    }
    database.drop().await;
}

/// DOT's provider under real concurrency on MariaDB: four instances, one pool each
/// (`test_support::oauth2_race`).
async fn concurrent_refreshes_and_redemptions_issue_one_pair_on_mariadb() {
    let database = Database::create().await;
    let settings = settings_builder()
        .throttle_rate_none("login")
        .build()
        .unwrap();
    let first = database.connect().await;
    populate(&first, &settings).await;
    let mut pools = Vec::new();
    for _ in 0..4 {
        pools.push(database.connect().await);
    }
    oauth2_race::concurrent_refreshes_and_redemptions_issue_one_pair(&settings, &first, pools)
        .await;
    database.drop().await;
}

fn main() {
    let django = django_python().map(drop);
    external::run_with(
        &[external::Server::mysql()],
        vec![
            (
                external_test!(migrations_create_djangos_tables_once_and_leave_existing_ones_alone),
                Ok(()),
            ),
            (
                external_test!(token_basic_session_and_knox_authenticate_on_mariadb),
                Ok(()),
            ),
            (
                external_test!(concurrent_refreshes_and_redemptions_issue_one_pair_on_mariadb),
                Ok(()),
            ),
            (
                external_test!(unstorable_keys_match_nothing_without_a_database_error),
                Ok(()),
            ),
            (
                external_test!(a_custom_user_model_with_bigint_keys_works_on_mariadb),
                Ok(()),
            ),
            (
                external_test!(a_user_model_with_uuid_keys_works_on_mariadb),
                Ok(()),
            ),
            (
                external_test!(the_permission_model_reads_djangos_tables_on_mariadb),
                Ok(()),
            ),
            (
                external_test!(a_database_outage_is_a_bounded_generic_503_and_recovers_on_its_own),
                Ok(()),
            ),
            (
                external_test!(the_library_creates_the_tables_djangos_migrate_creates),
                django.clone(),
            ),
            (
                external_test!(rows_django_writes_on_mariadb_are_read_here_and_the_reverse),
                django,
            ),
        ],
    );
}
