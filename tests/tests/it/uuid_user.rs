//! A Django project whose user model has a UUID primary key (`id = UUIDField(primary_key=True,
//! default=uuid.uuid4)`), on SQLite, where Django stores it as `char(32)` hex digits: users made
//! here, every scheme, simplejwt's tokens and rows, per-user revocation, and the permission
//! tables, each in Django's representation of the key.
//!
//! The tables are the ones Django 6.1's `migrate` creates on SQLite for the parity project's
//! `uuid_users.Person` (`parity/django_project/uuid_users/models.py`); the interop suite's `uuid`
//! pass runs the same model against Django itself.

use actix_web::web;
use auth_actix::authentication::{UserFields, create_user};
use auth_actix::store::sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use auth_actix::store::user::{AUTH_USER, UserId, UserIdKind, UserModel};
use auth_actix::store::{self, migrations, permission, token};
use auth_actix::views::{knox_endpoints, session_endpoints, simplejwt_endpoints};
use auth_actix::{
    AuthSettings, BasicAuthentication, IsAuthenticated, JwtAuthentication,
    JwtStatelessUserAuthentication, KnoxTokenAuthentication, SessionAuthentication,
    TokenAuthentication,
};
use serde_json::{Value, json};
use test_support::permission_tables::{self, create_permission_tables};
use test_support::*;

const PERSON_TABLES: [&str; 6] = [
    r#"CREATE TABLE "uuid_users_person" ("password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "first_name" varchar(150) NOT NULL, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "id" char(32) NOT NULL PRIMARY KEY)"#,
    r#"CREATE TABLE "authtoken_token" ("key" varchar(40) NOT NULL PRIMARY KEY, "created" datetime NOT NULL, "user_id" char(32) NOT NULL UNIQUE REFERENCES "uuid_users_person" ("id") DEFERRABLE INITIALLY DEFERRED)"#,
    r#"CREATE TABLE "knox_authtoken" ("digest" varchar(128) NOT NULL PRIMARY KEY, "created" datetime NOT NULL, "user_id" char(32) NOT NULL REFERENCES "uuid_users_person" ("id") DEFERRABLE INITIALLY DEFERRED, "expiry" datetime NULL, "token_key" varchar(25) NOT NULL)"#,
    r#"CREATE TABLE "token_blacklist_outstandingtoken" ("token" text NOT NULL, "created_at" datetime NULL, "expires_at" datetime NOT NULL, "user_id" char(32) NULL REFERENCES "uuid_users_person" ("id") DEFERRABLE INITIALLY DEFERRED, "jti" varchar(255) NOT NULL UNIQUE, "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT)"#,
    r#"CREATE TABLE "uuid_users_person_groups" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "person_id" char(32) NOT NULL REFERENCES "uuid_users_person" ("id") DEFERRABLE INITIALLY DEFERRED, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED)"#,
    r#"CREATE TABLE "uuid_users_person_user_permissions" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "person_id" char(32) NOT NULL REFERENCES "uuid_users_person" ("id") DEFERRABLE INITIALLY DEFERRED, "permission_id" integer NOT NULL REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED)"#,
];

fn persons() -> UserModel {
    UserModel::new("uuid_users_person", "username")
        .unwrap()
        .with_auth_user_model("uuid_users.Person")
        .unwrap()
        .with_id_kind(UserIdKind::Uuid)
}

fn person_settings() -> AuthSettings {
    settings_builder().user_model(persons()).build().unwrap()
}

/// With the credential cache, which keeps the per-user JWT revocation floors.
fn cached_person_settings() -> AuthSettings {
    settings_builder()
        .user_model(persons())
        .auth_cache_ttl(std::time::Duration::from_secs(60))
        .build()
        .unwrap()
}

/// Django's tables for `Person`, the rest from the library's migration, and `ann`/`password`.
async fn person_database(settings: &AuthSettings) -> (DatabaseConnection, UserId) {
    let db = store::connect("sqlite::memory:").await.unwrap();
    create_permission_tables(&db).await;
    for sql in PERSON_TABLES {
        db.execute_unprepared(sql).await.unwrap();
    }
    migrations::migrate_with(&db, &persons()).await.unwrap();
    let fields = UserFields {
        password: Some("password"),
        ..UserFields::default()
    };
    let ann = create_user(&settings.environment(db.clone()), "ann", fields)
        .await
        .unwrap();
    (db, ann.id)
}

async fn column(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).unwrap())
        .collect()
}

#[actix_web::test]
async fn a_user_made_here_gets_a_version_4_key_stored_as_djangos_32_hex_digits() {
    let settings = person_settings();
    let (db, ann) = person_database(&settings).await;
    let UserId::Uuid(bits) = ann else {
        panic!("a UUID key, got {ann:?}")
    };
    let text = ann.to_string();
    assert_eq!(&text[14..15], "4", "version 4: {text}");
    assert!(
        matches!(&text[19..20], "8" | "9" | "a" | "b"),
        "RFC 4122: {text}"
    );
    assert_eq!(
        column(&db, "SELECT id FROM uuid_users_person").await,
        [format!("{bits:032x}")]
    );
    assert_eq!(text.replace('-', ""), format!("{bits:032x}"));
    let found = persons().find_by_id(&db, ann).await.unwrap().unwrap();
    assert_eq!((found.id, found.username.as_str()), (ann, "ann"));
    assert_eq!(persons().ids(&db).await.unwrap(), [ann]);
}

#[actix_web::test]
async fn every_scheme_authenticates_a_uuid_keyed_user() {
    let settings = cached_person_settings();
    let (db, ann) = person_database(&settings).await;
    let hex = ann.to_string().replace('-', "");
    token::create_with_key(&db, ann, "annstoken").await.unwrap();
    assert_eq!(
        column(&db, "SELECT user_id FROM authtoken_token").await,
        std::slice::from_ref(&hex)
    );
    let app = app(&settings, &db, |routes| {
        routes
            .service(route::<(BasicAuthentication,), IsAuthenticated>("/basic/"))
            .service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"))
            .service(route::<(KnoxTokenAuthentication,), IsAuthenticated>(
                "/knox/",
            ))
            .service(route::<(JwtAuthentication,), IsAuthenticated>("/jwt/"))
            .service(route::<(JwtStatelessUserAuthentication,), IsAuthenticated>(
                "/stateless/",
            ))
            .service(web::scope("/knox-auth").configure(knox_endpoints))
            .service(web::scope("/api").configure(simplejwt_endpoints));
    })
    .await;
    let basic_reply = send(&app, with_auth(get("/basic/"), basic(b"ann:password"))).await;
    assert_eq!(basic_reply.body, json_body("ann", "None"));
    let token_reply = send(&app, with_auth(get("/token/"), "Token annstoken")).await;
    assert_eq!(token_reply.body, json_body("ann", "annstoken"));

    let login = send(
        &app,
        with_auth(
            actix_web::test::TestRequest::post().uri("/knox-auth/login/"),
            basic(b"ann:password"),
        ),
    )
    .await;
    let knox: Value = serde_json::from_str(&login.body).unwrap();
    let knox = knox["token"].as_str().unwrap();
    let reply = send(&app, with_auth(get("/knox/"), format!("Token {knox}"))).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        column(&db, "SELECT user_id FROM knox_authtoken").await,
        std::slice::from_ref(&hex)
    );

    // simplejwt: `user_id` is `str(user.id)`, the outstanding row's `user_id` the hex digits.
    let pair = send(
        &app,
        actix_web::test::TestRequest::post()
            .uri("/api/token/")
            .set_json(json!({"username": "ann", "password": "password"})),
    )
    .await;
    assert_eq!(pair.status, 200, "{}", pair.body);
    let pair: Value = serde_json::from_str(&pair.body).unwrap();
    let access = pair["access"].as_str().unwrap();
    let claims = auth_core::simplejwt::Token::decode(
        auth_core::simplejwt::TokenKind::Untyped,
        access,
        &auth_actix::settings::SimpleJwtSettings::new(SECRET_KEY).unwrap(),
        chrono::Utc::now(),
        false,
    )
    .unwrap()
    .payload()
    .clone();
    assert_eq!(claims["user_id"], json!(ann.to_string()));
    assert_eq!(
        column(&db, "SELECT user_id FROM token_blacklist_outstandingtoken").await,
        [hex]
    );
    for path in ["/jwt/", "/stateless/"] {
        let reply = send(&app, with_auth(get(path), format!("Bearer {access}"))).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
    }
    // The per-user revocation floor is keyed by the UUID, for both JWT schemes.
    assert!(auth_core::jwt_revocation::revoke_user_tokens(
        &settings.environment(db.clone()),
        ann
    ));
    for path in ["/jwt/", "/stateless/"] {
        let reply = send(&app, with_auth(get(path), format!("Bearer {access}"))).await;
        assert_eq!(reply.status, 401, "{path}: {}", reply.body);
    }
}

#[actix_web::test]
async fn the_session_names_the_user_by_str_pk_and_djangos_other_forms_are_read() {
    let settings = person_settings();
    let (db, ann) = person_database(&settings).await;
    let mut client = client(&settings, &db, |routes| {
        routes
            .service(route::<(SessionAuthentication,), IsAuthenticated>(
                "/session/",
            ))
            .service(web::scope("/auth").configure(session_endpoints));
    })
    .await;
    let status = client.login("/auth", "ann", "password").await.unwrap();
    assert_eq!(status.as_u16(), 200);
    assert_eq!(
        client.get("/session/").await.unwrap().status().as_u16(),
        200
    );
    let key = client.cookies()["sessionid"].clone();
    let secret = settings.settings().secret_key.expose().to_owned();
    let row = store::session::load(&db, &key, chrono::Utc::now())
        .await
        .unwrap()
        .unwrap();
    let mut data =
        auth_actix::django::session_data::decode(&row.session_data, &secret, &[]).unwrap();
    assert_eq!(data["_auth_user_id"], json!(ann.to_string()));

    // Django's `UUIDField.to_python` reads the hex digits and braces too: a session holding
    // another form of the key still names ann.
    let hex = ann.to_string().replace('-', "").to_uppercase();
    for (form, status) in [
        (hex.clone(), 200),
        (format!("{{{ann}}}"), 200),
        (format!("{ann}0"), 403),
        ("1".to_owned(), 403),
    ] {
        data.insert("_auth_user_id".to_owned(), Value::String(form.clone()));
        let encoded = auth_actix::django::session_data::encode(&data, &secret, 0);
        db.execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "UPDATE django_session SET session_data = ? WHERE session_key = ?",
            [encoded.into(), key.clone().into()],
        ))
        .await
        .unwrap();
        let answer = client.get("/session/").await.unwrap().status().as_u16();
        assert_eq!(answer, status, "{form}");
    }
}

#[actix_web::test]
async fn permissions_are_read_and_written_through_the_models_uuid_column() {
    let settings = person_settings();
    let (db, ann) = person_database(&settings).await;
    let users = persons();
    let add = permission_tables::permission(&db, "blog.add_article").await;
    let change = permission_tables::permission(&db, "blog.change_article").await;
    assert!(permission::grant(&db, &users, ann, add).await.unwrap());
    let (editors, _) = permission::group_get_or_create(&db, "editors")
        .await
        .unwrap();
    db.execute_unprepared(&format!(
        "INSERT INTO auth_group_permissions (group_id, permission_id) VALUES ({editors}, {change})"
    ))
    .await
    .unwrap();
    assert!(
        permission::add_to_group(&db, &users, ann, editors)
            .await
            .unwrap()
    );
    assert_eq!(
        column(
            &db,
            "SELECT person_id FROM uuid_users_person_user_permissions"
        )
        .await,
        [ann.to_string().replace('-', "")]
    );
    let backend = auth_actix::permissions::ModelBackend::default();
    let env = settings.environment(db.clone());
    let user = auth_actix::permissions::RequestUser::from(
        users.find_by_id(&db, ann).await.unwrap().unwrap(),
    );
    assert_eq!(
        backend
            .get_all_permissions(&env, &user)
            .await
            .unwrap()
            .iter()
            .cloned()
            .collect::<Vec<_>>(),
        ["blog.add_article", "blog.change_article"]
    );
    assert!(permission::revoke(&db, &users, ann, add).await.unwrap());
    assert!(
        !permission::revoke(&db, &users, ann, add).await.unwrap(),
        "already gone"
    );
}

#[actix_web::test]
async fn migrate_refuses_a_key_kind_that_is_not_the_tables() {
    let settings = person_settings();
    let (db, _) = person_database(&settings).await;
    let integers = UserModel::new("uuid_users_person", "username")
        .unwrap()
        .with_auth_user_model("uuid_users.Person")
        .unwrap();
    let refused = migrations::migrate_with(&db, &integers).await.unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("has UUID keys but the user model is configured with integer keys"),
        "{refused}"
    );
    migrations::migrate_with(&db, &persons()).await.unwrap();
    // And the other way round: Django's auth_user with a UUID kind.
    let plain = database(&test_support::settings()).await;
    let uuid_auth_user = AUTH_USER.with_id_kind(UserIdKind::Uuid);
    assert!(
        migrations::migrate_with(&plain, &uuid_auth_user)
            .await
            .is_err()
    );
}

#[actix_web::test]
async fn a_revocation_floor_holds_even_when_the_claim_is_read_with_the_wrong_key_kind() {
    let settings = cached_person_settings();
    let (db, ann) = person_database(&settings).await;
    let env = settings.environment(db);
    assert!(auth_core::jwt_revocation::revoke_user_tokens(&env, ann));
    let mut payload = serde_json::Map::new();
    payload.insert("user_id".to_owned(), json!(ann.to_string()));
    payload.insert("iat".to_owned(), json!(0));
    for kind in [UserIdKind::Uuid, UserIdKind::Integer] {
        assert!(
            auth_core::jwt_revocation::is_revoked(env.services(), kind, "user_id", &payload),
            "{kind:?}"
        );
    }
}
