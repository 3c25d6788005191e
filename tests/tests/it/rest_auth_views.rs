//! dj-rest-auth's login and logout views: what the parity suite (`rest-auth-login`, JWT mode
//! with the reference project's settings) cannot see from outside — token mode, the rows logout
//! writes or not, the settings without cookies or blacklist, `SESSION_LOGIN` off, the login
//! throttle, an email two accounts share.

use actix_web::dev::ServiceResponse;
use actix_web::test::{TestRequest, call_service};
use actix_web::web;
use auth_actix::settings::{JwtCookieSettings, RestAuthSettings, SimpleJwtSettings};
use auth_actix::store::token;
use auth_actix::views::{
    REFRESH_NOT_IN_COOKIE, SUCCESSFULLY_LOGGED_OUT, TOKEN_NOT_DELETED, dj_rest_auth_endpoints,
};
use serde_json::{Value, json};
use test_support::*;

async fn rest_auth_app(settings: &AuthSettings, db: &DatabaseConnection) -> impl TestApp + use<> {
    session_app(settings, db, |routes| {
        routes.service(web::scope("/dj-rest-auth").configure(dj_rest_auth_endpoints));
    })
    .await
}

fn cookies<B>(response: &ServiceResponse<B>) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .collect()
}

async fn body<B: actix_web::body::MessageBody>(response: ServiceResponse<B>) -> Value {
    let bytes = actix_web::test::read_body(response).await;
    serde_json::from_slice(&bytes).unwrap()
}

fn login(body: Value) -> TestRequest {
    TestRequest::post()
        .uri("/dj-rest-auth/login/")
        .set_json(body)
}

fn logout() -> TestRequest {
    TestRequest::post().uri("/dj-rest-auth/logout/")
}

async fn count(db: &DatabaseConnection, table: &str) -> i64 {
    use auth_actix::store::sea_orm::{ConnectionTrait, Statement};
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

fn jwt_mode() -> RestAuthSettings {
    RestAuthSettings {
        use_jwt: true,
        ..RestAuthSettings::default()
    }
}

fn cookie_names() -> JwtCookieSettings {
    JwtCookieSettings {
        access_cookie: Some("jwt-access".to_owned()),
        refresh_cookie: Some("jwt-refresh".to_owned()),
        ..JwtCookieSettings::default()
    }
}

#[actix_web::test]
async fn token_mode_answers_the_users_drf_token_and_logout_deletes_it() {
    // dj-rest-auth's defaults: token mode, SESSION_LOGIN.
    let settings = settings();
    let db = database(&settings).await;
    let app = rest_auth_app(&settings, &db).await;
    let response = call_service(
        &app,
        login(json!({"username": "john", "password": "password"})).to_request(),
    )
    .await;
    assert_eq!(response.status(), 200);
    let set = cookies(&response);
    assert!(
        set.iter().any(|cookie| cookie.starts_with("sessionid=")),
        "{set:?}"
    );
    assert!(
        set.iter().any(|cookie| cookie.starts_with("csrftoken=")),
        "{set:?}"
    );
    // john's existing token, not a new one (`get_or_create`).
    assert_eq!(body(response).await, json!({"key": "abcd1234"}));

    let response = call_service(
        &app,
        logout()
            .insert_header(("Authorization", basic(b"john:password")))
            .to_request(),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        body(response).await,
        json!({"detail": SUCCESSFULLY_LOGGED_OUT})
    );
    assert!(token::find_for_user(&db, 1.into()).await.unwrap().is_none());
    let refused = send(
        &app,
        TestRequest::get()
            .uri("/dj-rest-auth/login/")
            .insert_header(("Authorization", "Token abcd1234")),
    )
    .await;
    assert_eq!(refused.status, 405);
}

#[actix_web::test]
async fn jwt_mode_without_session_login_sets_only_the_token_cookies() {
    let settings = settings_builder()
        .rest_auth(RestAuthSettings {
            use_jwt: true,
            session_login: false,
            ..RestAuthSettings::default()
        })
        .jwt_cookies(cookie_names())
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = rest_auth_app(&settings, &db).await;
    let response = call_service(
        &app,
        login(json!({"username": "john", "password": "password"})).to_request(),
    )
    .await;
    assert_eq!(response.status(), 200);
    let set = cookies(&response);
    let names: Vec<&str> = set
        .iter()
        .filter_map(|cookie| cookie.split('=').next())
        .collect();
    assert_eq!(names, ["jwt-access", "jwt-refresh"]);
    let answer = body(response).await;
    assert_eq!(answer["refresh"], "", "JWT_AUTH_HTTPONLY blanks it");
    assert_eq!(
        answer["user"],
        json!({"pk": 1, "username": "john", "email": "", "first_name": "", "last_name": ""})
    );
    // The refresh token was recorded as `RefreshToken.for_user` records it.
    assert_eq!(count(&db, "token_blacklist_outstandingtoken").await, 1);
}

#[actix_web::test]
async fn logout_without_a_refresh_token_writes_no_row_where_dj_rest_auth_blacklists_a_made_up_one()
{
    let settings = settings_builder()
        .rest_auth(jwt_mode())
        .jwt_cookies(cookie_names())
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = rest_auth_app(&settings, &db).await;
    let response = call_service(&app, logout().to_request()).await;
    assert_eq!(response.status(), 401);
    assert_eq!(cookies(&response).len(), 2, "both JWT cookies deleted");
    assert_eq!(
        body(response).await,
        json!({"detail": REFRESH_NOT_IN_COOKIE})
    );
    assert_eq!(count(&db, "token_blacklist_outstandingtoken").await, 0);
    assert_eq!(count(&db, "token_blacklist_blacklistedtoken").await, 0);

    // Readable refresh tokens: the body's `refresh`; `null` is dj-rest-auth's 200, still no row.
    let settings = settings_builder()
        .rest_auth(jwt_mode())
        .jwt_cookies(JwtCookieSettings {
            http_only: false,
            ..cookie_names()
        })
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = rest_auth_app(&settings, &db).await;
    let response = call_service(
        &app,
        logout().set_json(json!({"refresh": null})).to_request(),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(count(&db, "token_blacklist_blacklistedtoken").await, 0);
    let response = call_service(&app, logout().set_json(json!([])).to_request()).await;
    assert_eq!(response.status(), 401, "dj-rest-auth: 500");
}

#[actix_web::test]
async fn logout_says_so_when_neither_cookies_nor_the_blacklist_are_on() {
    let mut jwt = SimpleJwtSettings::new(SECRET_KEY).unwrap();
    jwt.token_blacklist = false;
    let settings = settings_builder()
        .rest_auth(jwt_mode())
        .simple_jwt(jwt)
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = rest_auth_app(&settings, &db).await;
    let response = call_service(&app, logout().to_request()).await;
    assert_eq!(response.status(), 200);
    assert_eq!(body(response).await, json!({"detail": TOKEN_NOT_DELETED}));
}

#[actix_web::test]
async fn an_email_two_accounts_share_logs_nobody_in_and_the_login_is_throttled() {
    use auth_actix::store::sea_orm::{ConnectionTrait, Statement};
    let settings = settings_builder()
        .rest_auth(jwt_mode())
        .throttle_rate("login", "3/min")
        .build()
        .unwrap();
    let db = database(&settings).await;
    for name in ["john", "admin"] {
        db.execute_raw(Statement::from_string(
            db.get_database_backend(),
            format!("UPDATE auth_user SET email = 'Shared@Example.com' WHERE username = '{name}'"),
        ))
        .await
        .unwrap();
    }
    let app = rest_auth_app(&settings, &db).await;
    let shared = send(
        &app,
        login(json!({"email": "shared@example.com", "username": "john", "password": "password"})),
    )
    .await;
    // dj-rest-auth: 500 (`MultipleObjectsReturned`).
    assert_eq!(shared.status, 400);
    assert_eq!(
        shared.body,
        r#"{"non_field_errors":["Unable to log in with provided credentials."]}"#
    );
    let by_username = send(
        &app,
        login(json!({"username": "john", "password": "password"})),
    )
    .await;
    assert_eq!(by_username.status, 200, "{}", by_username.body);
    let wrong = send(&app, login(json!({"username": "john", "password": "no"}))).await;
    assert_eq!(wrong.status, 400);
    let throttled = send(
        &app,
        login(json!({"username": "john", "password": "password"})),
    )
    .await;
    assert_eq!(throttled.status, 429, "{}", throttled.body);
}

/// `user/` reads and updates the user's names; `password/change/` by Basic saves the password
/// and, as Django's `update_session_auth_hash`, answers with a new session holding the new hash
/// (no login), while the user's DRF token stays.
#[actix_web::test]
async fn user_details_and_password_change() {
    use auth_actix::views::{NEW_PASSWORD_SAVED, PASSWORD_MISMATCH};

    let settings = settings_builder().build().unwrap();
    let db = database(&settings).await;
    let app = rest_auth_app(&settings, &db).await;
    let john = || ("Authorization", basic(b"john:password"));

    let details = call_service(
        &app,
        TestRequest::patch()
            .uri("/dj-rest-auth/user")
            .insert_header(john())
            .set_json(json!({"first_name": " John ", "email": "ignored@example.com"}))
            .to_request(),
    )
    .await;
    assert_eq!(details.status(), 200);
    let details = body(details).await;
    assert_eq!(details["first_name"], "John");
    assert_eq!(details["username"], "john");
    assert_ne!(
        details["email"], "ignored@example.com",
        "email is read-only"
    );
    let taken = call_service(
        &app,
        TestRequest::put()
            .uri("/dj-rest-auth/user/")
            .insert_header(john())
            .set_json(json!({"username": "admin", "last_name": "x".repeat(151)}))
            .to_request(),
    )
    .await;
    assert_eq!(taken.status(), 400);
    assert_eq!(
        body(taken).await,
        json!({
            "username": ["A user with that username already exists."],
            "last_name": ["Ensure this field has no more than 150 characters."],
        })
    );

    let change = |first: &str, second: &str| {
        TestRequest::post()
            .uri("/dj-rest-auth/password/change/")
            .insert_header(john())
            .set_json(json!({"new_password1": first, "new_password2": second}))
            .to_request()
    };
    let differ = call_service(&app, change("a-long-passphrase", "a-long-passphrasf")).await;
    assert_eq!(
        body(differ).await,
        json!({"new_password2": [PASSWORD_MISMATCH]})
    );
    let sessions = count(&db, "django_session").await;
    let changed = call_service(&app, change("a-long-passphrase", "a-long-passphrase")).await;
    assert_eq!(changed.status(), 200);
    assert!(
        cookies(&changed)
            .iter()
            .any(|cookie| cookie.starts_with("sessionid=")),
        "{:?}",
        cookies(&changed)
    );
    assert_eq!(body(changed).await, json!({"detail": NEW_PASSWORD_SAVED}));
    assert_eq!(count(&db, "django_session").await, sessions + 1);
    let old = call_service(
        &app,
        TestRequest::get()
            .uri("/dj-rest-auth/user/")
            .insert_header(john())
            .to_request(),
    )
    .await;
    assert_eq!(old.status(), 403, "the old password no longer logs in");
    let token = call_service(
        &app,
        TestRequest::get()
            .uri("/dj-rest-auth/user/")
            .insert_header(("Authorization", basic(b"john:a-long-passphrase")))
            .to_request(),
    )
    .await;
    assert_eq!(token.status(), 200);
    assert!(
        token::find_for_user(
            &db,
            auth_actix::store::user::AUTH_USER
                .find_by_username(&db, "john")
                .await
                .unwrap()
                .unwrap()
                .id
        )
        .await
        .unwrap()
        .is_some()
    );
}

/// Without `SessionMiddleware` (a token-only API) a password change has no session to carry
/// over: the password is saved, the answer is the usual 200, and no session is made.
#[actix_web::test]
async fn password_change_without_sessions_makes_none() {
    let settings = settings_builder()
        .rest_auth(RestAuthSettings {
            session_login: false,
            ..RestAuthSettings::default()
        })
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = app(&settings, &db, |routes| {
        routes.service(web::scope("/dj-rest-auth").configure(dj_rest_auth_endpoints));
    })
    .await;
    let changed = call_service(
        &app,
        TestRequest::post()
            .uri("/dj-rest-auth/password/change/")
            .insert_header(("Authorization", basic(b"john:password")))
            .set_json(
                json!({"new_password1": "a-long-passphrase", "new_password2": "a-long-passphrase"}),
            )
            .to_request(),
    )
    .await;
    assert_eq!(changed.status(), 200);
    assert!(cookies(&changed).is_empty(), "{:?}", cookies(&changed));
    assert_eq!(count(&db, "django_session").await, 0);
    let again = call_service(
        &app,
        TestRequest::get()
            .uri("/dj-rest-auth/user/")
            .insert_header(("Authorization", basic(b"john:a-long-passphrase")))
            .to_request(),
    )
    .await;
    assert_eq!(again.status(), 200);
}
