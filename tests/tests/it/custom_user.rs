//! A Django project with a custom user model (`AUTH_USER_MODEL`): users in their own table,
//! logging in by e-mail (`USERNAME_FIELD = "email"`, `username = None`), with extra columns the
//! library does not know. Every scheme and the user-creating paths run against it.
//!
//! The tables are the ones Django 6.1's `migrate` creates on SQLite for the parity project's
//! `custom_users.Member` (`parity/django_project/custom_users/models.py`), with DRF's authtoken
//! and knox migrated against it.

use actix_web::{test, web};
use auth_actix::authentication::{UserFields, create_user};
use auth_actix::store::sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use auth_actix::store::user::{InvalidUserModel, UserModel};
use auth_actix::store::{self, migrations, token};
use auth_actix::views::{knox_endpoints, obtain_auth_token_resource};
use auth_actix::{
    AuthSettings, BasicAuthentication, IsAuthenticated, KnoxTokenAuthentication,
    RemoteUserAuthentication, TokenAuthentication,
};
use test_support::*;

const MEMBER_TABLE: &str = r#"CREATE TABLE "accounts_member" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "first_name" varchar(150) NOT NULL, "last_name" varchar(150) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "email" varchar(254) NOT NULL UNIQUE, "display_name" varchar(100) DEFAULT '' NOT NULL, "shoe_size" integer unsigned NULL CHECK ("shoe_size" >= 0))"#;

const TOKEN_TABLE: &str = r#"CREATE TABLE "authtoken_token" ("key" varchar(40) NOT NULL PRIMARY KEY, "created" datetime NOT NULL, "user_id" bigint NOT NULL UNIQUE REFERENCES "accounts_member" ("id") DEFERRABLE INITIALLY DEFERRED)"#;

const KNOX_TABLE: &str = r#"CREATE TABLE "knox_authtoken" ("digest" varchar(128) NOT NULL PRIMARY KEY, "created" datetime NOT NULL, "user_id" bigint NOT NULL REFERENCES "accounts_member" ("id") DEFERRABLE INITIALLY DEFERRED, "expiry" datetime NULL, "token_key" varchar(25) NOT NULL)"#;

const ANN: &str = "ann@example.com";

fn members() -> UserModel {
    UserModel::new("accounts_member", "email").unwrap()
}

fn member_settings() -> AuthSettings {
    settings_builder()
        .user_model(members())
        .remote_user_header("X-Remote-User")
        .build()
        .unwrap()
}

async fn execute(db: &DatabaseConnection, sql: &str) {
    db.execute_unprepared(sql).await.unwrap();
}

/// Django's tables for the custom model, `django_session` from the library's migration, and
/// `ann@example.com`/`password` with token `annstoken`.
async fn member_database(settings: &AuthSettings) -> DatabaseConnection {
    let db = store::connect("sqlite::memory:").await.unwrap();
    for sql in [MEMBER_TABLE, TOKEN_TABLE, KNOX_TABLE] {
        execute(&db, sql).await;
    }
    migrations::migrate_with(&db, &settings.settings().user_model)
        .await
        .unwrap();
    let fields = UserFields {
        password: Some("password"),
        ..UserFields::default()
    };
    let ann = create_user(&settings.environment(db.clone()), ANN, fields)
        .await
        .unwrap();
    token::create_with_key(&db, ann.id, "annstoken")
        .await
        .unwrap();
    db
}

/// The suite's app: the library on `db` with these routes.
async fn suite_app(settings: &AuthSettings, db: &DatabaseConnection) -> impl TestApp + use<> {
    app(settings, db, |routes| {
        routes
            .service(route::<(BasicAuthentication,), IsAuthenticated>("/basic/"))
            .service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"))
            .service(route::<(KnoxTokenAuthentication,), IsAuthenticated>(
                "/knox-only/",
            ))
            .service(route::<(RemoteUserAuthentication,), IsAuthenticated>(
                "/remote-user/",
            ))
            .service(obtain_auth_token_resource("/api-token-auth/"))
            .service(web::scope("/knox").configure(knox_endpoints));
    })
    .await
}

async fn text(db: &DatabaseConnection, sql: &str) -> Option<String> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()?;
    row.try_get_by_index::<Option<String>>(0).unwrap()
}

#[actix_web::test]
async fn a_user_model_names_plain_identifiers_only() {
    assert_eq!(
        UserModel::new("accounts member", "email"),
        Err(InvalidUserModel::Table("accounts member".to_owned()))
    );
    assert_eq!(
        UserModel::new("accounts_member", "password"),
        Err(InvalidUserModel::UsernameField("password".to_owned()))
    );
}

#[actix_web::test]
async fn migrate_needs_the_custom_table_and_leaves_its_dependants_to_django() {
    let db = store::connect("sqlite::memory:").await.unwrap();
    let missing = migrations::migrate_with(&db, &members()).await.unwrap_err();
    assert!(
        missing
            .to_string()
            .contains("\"accounts_member\" does not exist"),
        "{missing}"
    );

    execute(&db, MEMBER_TABLE).await;
    let report = migrations::migrate_with(&db, &members()).await.unwrap();
    assert_eq!(report.created, ["django_session"]);
    assert_eq!(
        report.skipped,
        [
            "authtoken_token",
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
    let backend = db.get_database_backend();
    for absent in [
        "auth_user",
        "authtoken_token",
        "knox_authtoken",
        "oauth2_provider_application",
        "oauth2_provider_accesstoken",
    ] {
        assert!(
            !migrations::table_exists(&db, backend, absent)
                .await
                .unwrap(),
            "{absent} was created"
        );
    }
}

#[actix_web::test]
async fn users_are_created_in_the_custom_table_by_email_with_database_defaults() {
    let settings = member_settings();
    let db = member_database(&settings).await;
    assert_eq!(
        text(&db, "SELECT email FROM accounts_member")
            .await
            .as_deref(),
        Some(ANN)
    );
    // Columns the library does not know take their database default.
    assert_eq!(
        text(&db, "SELECT display_name FROM accounts_member")
            .await
            .as_deref(),
        Some("")
    );
    assert_eq!(
        text(&db, "SELECT CAST(shoe_size AS TEXT) FROM accounts_member").await,
        None
    );
    let ann = settings
        .settings()
        .user_model
        .find_by_username(&db, ANN)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ann.username, ANN);
    assert_eq!(ann.email, ANN);
    assert!(ann.is_active && !ann.is_staff);
    assert_eq!(ann.to_string(), ANN, "str(user) is get_username()");
    let taken = create_user(
        &settings.environment(db.clone()),
        ANN,
        UserFields::default(),
    )
    .await;
    assert!(matches!(
        taken,
        Err(auth_actix::authentication::CreateUserError::UsernameTaken)
    ));
}

#[actix_web::test]
async fn basic_and_token_authenticate_members_by_email() {
    let settings = member_settings();
    let db = member_database(&settings).await;
    let app = suite_app(&settings, &db).await;

    let ok = send(
        &app,
        with_auth(get("/basic/"), basic(b"ann@example.com:password")),
    )
    .await;
    assert_eq!((ok.status, ok.body), (200, json_body(ANN, "None")));
    let wrong = send(
        &app,
        with_auth(get("/basic/"), basic(b"ann@example.com:wrong")),
    )
    .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.body, r#"{"detail":"Invalid username/password."}"#);
    // The username column is gone: a name that is not an e-mail address matches nobody.
    let by_name = send(&app, with_auth(get("/basic/"), basic(b"ann:password"))).await;
    assert_eq!(by_name.status, 401);

    let token = send(&app, with_auth(get("/token/"), "Token annstoken")).await;
    assert_eq!(
        (token.status, token.body),
        (200, json_body(ANN, "annstoken"))
    );
}

#[actix_web::test]
async fn obtain_token_and_knox_login_work_for_members() {
    let settings = member_settings();
    let db = member_database(&settings).await;
    let app = suite_app(&settings, &db).await;

    let obtained = send(
        &app,
        test::TestRequest::post()
            .uri("/api-token-auth/")
            .set_json(serde_json::json!({"username": ANN, "password": "password"})),
    )
    .await;
    assert_eq!(
        (obtained.status, obtained.body),
        (200, r#"{"token":"annstoken"}"#.to_owned())
    );

    let login = send(
        &app,
        with_auth(
            test::TestRequest::post().uri("/knox/login/"),
            basic(b"ann@example.com:password"),
        ),
    )
    .await;
    assert_eq!(login.status, 200, "{}", login.body);
    let body: serde_json::Value = serde_json::from_str(&login.body).unwrap();
    let knox = body["token"].as_str().unwrap().to_owned();
    let used = send(&app, with_auth(get("/knox-only/"), format!("Token {knox}"))).await;
    assert_eq!(used.status, 200);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&used.body).unwrap()["user"],
        ANN
    );
    // knox's login signal updated last_login in the custom table.
    assert!(
        text(&db, "SELECT last_login FROM accounts_member")
            .await
            .is_some()
    );
}

#[actix_web::test]
async fn remote_user_creates_an_unknown_member_by_email() {
    let settings = member_settings();
    let db = member_database(&settings).await;
    let app = suite_app(&settings, &db).await;

    let reply = send(
        &app,
        get("/remote-user/").insert_header(("X-Remote-User", "new@example.com")),
    )
    .await;
    assert_eq!(
        (reply.status, reply.body),
        (200, json_body("new@example.com", "None"))
    );
    assert_eq!(
        text(
            &db,
            "SELECT email || '|' || password || '|' || display_name FROM accounts_member \
             WHERE email = 'new@example.com'"
        )
        .await
        .as_deref(),
        Some("new@example.com||")
    );
}

/// `Member`'s own columns, with their types.
#[derive(Debug, PartialEq, auth_actix::UserColumns)]
struct MemberFields {
    display_name: String,
    shoe_size: Option<i32>,
}

#[auth_actix::authentication_classes(TokenAuthentication)]
#[auth_actix::permission_classes(IsAuthenticated)]
async fn profile(auth: auth_actix::Auth) -> Result<String, auth_actix::ApiErrorResponse> {
    let fields = auth.user_columns::<MemberFields>().await?;
    Ok(format!("{} {fields:?}", auth.user()))
}

#[actix_web::test]
async fn the_models_own_columns_are_read_with_their_types_beside_the_built_in_ones() {
    let settings = member_settings();
    let db = member_database(&settings).await;
    execute(
        &db,
        "UPDATE accounts_member SET display_name = 'Ann E.', shoe_size = 38",
    )
    .await;
    let ann = members().find_by_username(&db, ANN).await.unwrap().unwrap();
    let (user, fields) = members()
        .find_with_columns::<MemberFields, _>(&db, ann.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((user.id, user.username.as_str()), (ann.id, ANN));
    assert_eq!(
        fields,
        MemberFields {
            display_name: "Ann E.".to_owned(),
            shoe_size: Some(38),
        }
    );
    assert!(
        members()
            .find_with_columns::<MemberFields, _>(&db, (ann.id.as_int().unwrap() + 1).into())
            .await
            .unwrap()
            .is_none()
    );

    let app = app(&settings, &db, |routes| {
        routes.route("/profile/", web::get().to(profile));
    })
    .await;
    let reply = send(&app, with_auth(get("/profile/"), "Token annstoken")).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (
            200,
            "ann@example.com Some(MemberFields { display_name: \"Ann E.\", shoe_size: Some(38) })"
        )
    );
    // A column the table does not have is the store's error, a 503, never a wrong answer.
    #[derive(Debug, auth_actix::UserColumns)]
    struct Missing {
        #[allow(dead_code)]
        nickname: String,
    }
    let error = members()
        .find_with_columns::<Missing, _>(&db, ann.id)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("nickname"), "{error}");
}

/// djoser names its username routes by `USERNAME_FIELD`: `users/set_email/` takes `new_email`,
/// and `users/set_username/` is only `users/{id}/` (a 405 for `POST`).
#[actix_web::test]
async fn djosers_username_routes_follow_the_username_field() {
    let settings = member_settings();
    let db = member_database(&settings).await;
    let app = app(&settings, &db, |routes| {
        routes.service(web::scope("/auth").configure(auth_actix::views::djoser_endpoints));
    })
    .await;
    let post = |path: &str| {
        with_auth(
            test::TestRequest::post()
                .uri(path)
                .insert_header(("Host", "testserver"))
                .set_json(serde_json::json!({})),
            basic(b"ann@example.com:password"),
        )
    };
    let by_field = send(&app, post("/auth/users/set_email/")).await;
    assert_eq!(
        (by_field.status, by_field.body.as_str()),
        (
            400,
            r#"{"current_password":["This field is required."],"new_email":["This field is required."]}"#
        )
    );
    let other = send(&app, post("/auth/users/set_username/")).await;
    assert_eq!(
        (other.status, other.body.as_str()),
        (405, r#"{"detail":"Method \"POST\" not allowed."}"#)
    );
    let reset = send(&app, post("/auth/users/reset_email_confirm/")).await;
    assert_eq!(reset.body, r#"{"new_email":["This field is required."]}"#);
}
