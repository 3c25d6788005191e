//! The obtain-token endpoint (spec §5.3): every row of the reference table, the default
//! authentication classes running first, customised responses, body limits, and automatic
//! tokens.

use actix_web::test;
use auth_actix::authentication::{UserFields, create_user};
use auth_actix::store::{token, user};
use auth_actix::views::{AuthTokenResponse, obtain_auth_token_resource};
use auth_actix::{IsAuthenticated, TokenAuthentication};
use test_support::*;

/// The suite's app: the library on `db` with these routes.
async fn suite_app(settings: &AuthSettings, db: &DatabaseConnection) -> impl TestApp + use<> {
    session_app(settings, db, |routes| {
        routes
            .service(obtain_auth_token_resource("/api-token-auth/"))
            .service(obtain_auth_token_resource("/custom-token-auth/").app_data(AuthTokenResponse::new(
                |token, user| serde_json::json!({"token": token.key, "user_id": user.id, "email": user.email}),
            )))
            .service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"));
    })
    .await
}

fn post_json(body: &str) -> test::TestRequest {
    test::TestRequest::post()
        .uri("/api-token-auth/")
        .insert_header(("Content-Type", "application/json"))
        .set_payload(body.to_owned())
}

const UNABLE: &str = r#"{"non_field_errors":["Unable to log in with provided credentials."]}"#;

#[actix_web::test]
async fn reference_table() {
    // More attempts than the login scope's default rate allows; brute-force throttling is
    // tested in throttling.rs.
    let settings = settings_builder()
        .throttle_rate_none("login")
        .build()
        .unwrap();
    let db = database(&settings).await;
    add_user(&db, &settings, "spaced", "test pass ", true, false).await;
    let app = suite_app(&settings, &db).await;
    let rows: Vec<(&str, u16, &str)> = vec![
        (
            r#"{"username":"john","password":"password"}"#,
            200,
            r#"{"token":"abcd1234"}"#,
        ),
        (r#"{"username":"john","password":"wrong"}"#, 400, UNABLE),
        (
            r#"{"username":"nobody","password":"password"}"#,
            400,
            UNABLE,
        ),
        (
            r#"{"username":"inactive","password":"password"}"#,
            400,
            UNABLE,
        ),
        (
            r#"{"username":"john"}"#,
            400,
            r#"{"password":["This field is required."]}"#,
        ),
        (
            "{}",
            400,
            r#"{"username":["This field is required."],"password":["This field is required."]}"#,
        ),
        (
            "",
            400,
            r#"{"username":["This field is required."],"password":["This field is required."]}"#,
        ),
        (
            r#"{"username":"","password":""}"#,
            400,
            r#"{"username":["This field may not be blank."],"password":["This field may not be blank."]}"#,
        ),
        (
            r#"{"username":null,"password":null}"#,
            400,
            r#"{"username":["This field may not be null."],"password":["This field may not be null."]}"#,
        ),
        (
            r#"{"username":"  john  ","password":"password"}"#,
            200,
            r#"{"token":"abcd1234"}"#,
        ),
        (
            r#"{"username":"john","password":" password "}"#,
            400,
            UNABLE,
        ),
        (r#"{"username":"spaced","password":"test pass "}"#, 200, ""),
        (
            r#"{"username":true,"password":{"a":1}}"#,
            400,
            r#"{"username":["Not a valid string."],"password":["Not a valid string."]}"#,
        ),
        (
            "[]",
            400,
            r#"{"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}"#,
        ),
    ];
    for (body, status, expected) in rows {
        let reply = send(&app, post_json(body)).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.body);
        assert_eq!(
            reply.content_type.as_deref(),
            Some("application/json"),
            "{body}"
        );
        if !expected.is_empty() {
            assert_eq!(reply.body, expected, "{body}");
        }
    }
}

#[actix_web::test]
async fn form_and_multipart_bodies_work_too() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let form = test::TestRequest::post()
        .uri("/api-token-auth/")
        .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
        .set_payload("username=john&password=password");
    assert_eq!(send(&app, form).await.body, r#"{"token":"abcd1234"}"#);
    let multipart = test::TestRequest::post()
        .uri("/api-token-auth/")
        .insert_header(("Content-Type", "multipart/form-data; boundary=B"))
        .set_payload("--B\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\njohn\r\n--B\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\npassword\r\n--B--\r\n");
    assert_eq!(send(&app, multipart).await.body, r#"{"token":"abcd1234"}"#);
}

#[actix_web::test]
async fn parser_errors_method_and_negotiation() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, post_json("{bad")).await;
    assert_eq!(reply.status, 400);
    assert!(
        reply.body.starts_with(r#"{"detail":"JSON parse error - "#),
        "{}",
        reply.body
    );
    let text = test::TestRequest::post()
        .uri("/api-token-auth/")
        .insert_header(("Content-Type", "text/plain"))
        .set_payload("username=john");
    let reply = send(&app, text).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (
            415,
            r#"{"detail":"Unsupported media type \"text/plain\" in request."}"#
        )
    );

    let response = test::call_service(&app, get("/api-token-auth/").to_request()).await;
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(response.headers().get("Allow").unwrap(), "POST, OPTIONS");
    assert_eq!(
        test::read_body(response).await,
        r#"{"detail":"Method \"GET\" not allowed."}"#
    );

    let reply = send(&app, post_json("{}").insert_header(("Accept", "text/html"))).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (
            406,
            r#"{"detail":"Could not satisfy the request Accept header."}"#
        )
    );
}

#[actix_web::test]
async fn the_default_authentication_classes_run_first() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let bad_basic = post_json(r#"{"username":"john","password":"password"}"#)
        .insert_header(("Authorization", basic(b"john:wrong")));
    let reply = send(&app, bad_basic).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (403, r#"{"detail":"Invalid username/password."}"#)
    );

    // A logged-in session user without a CSRF token.
    let login = test::TestRequest::post()
        .uri("/api-token-auth/")
        .insert_header(("Content-Type", "application/json"))
        .set_payload(r#"{"username":"john","password":"password"}"#);
    let john = user::AUTH_USER
        .find_by_username(&db, "john")
        .await
        .unwrap()
        .unwrap();
    let data = serde_json::Map::from_iter([
        (
            "_auth_user_id".to_owned(),
            serde_json::json!(john.id.to_string()),
        ),
        (
            "_auth_user_backend".to_owned(),
            serde_json::json!("django.contrib.auth.backends.ModelBackend"),
        ),
        (
            "_auth_user_hash".to_owned(),
            serde_json::json!(auth_actix::django::session_data::session_auth_hash(
                &john.password,
                SECRET_KEY
            )),
        ),
    ]);
    let now = chrono::Utc::now();
    let encoded = auth_actix::django::session_data::encode(
        &data,
        SECRET_KEY,
        u64::try_from(now.timestamp()).unwrap(),
    );
    auth_actix::store::session::insert(
        &db,
        "sessionkeysessionkey1234".into(),
        encoded,
        now + chrono::TimeDelta::days(1),
    )
    .await
    .unwrap();
    let reply = send(
        &app,
        login.cookie(actix_web::cookie::Cookie::new(
            "sessionid",
            "sessionkeysessionkey1234",
        )),
    )
    .await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (403, r#"{"detail":"CSRF Failed: CSRF cookie not set."}"#)
    );
}

#[actix_web::test]
async fn a_user_without_a_token_gets_a_new_one_that_authenticates() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(
        &app,
        post_json(r#"{"username":"admin","password":"password"}"#),
    )
    .await;
    assert_eq!(reply.status, 200);
    let body: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let key = body["token"].as_str().unwrap().to_owned();
    assert_eq!(key.len(), 40);
    assert!(
        key.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    // Get-or-create: the same key again, never rotated.
    let again = send(
        &app,
        post_json(r#"{"username":"admin","password":"password"}"#),
    )
    .await;
    assert_eq!(again.body, reply.body);
    let reply = send(&app, with_auth(get("/token/"), format!("Token {key}"))).await;
    assert_eq!(reply.body, json_body("admin", &key));
}

#[actix_web::test]
async fn the_response_can_carry_more_than_the_token() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let request =
        post_json(r#"{"username":"john","password":"password"}"#).uri("/custom-token-auth/");
    let reply = send(&app, request).await;
    assert_eq!(reply.body, r#"{"token":"abcd1234","user_id":1,"email":""}"#);
}

#[actix_web::test]
async fn an_oversized_body_is_refused_with_413() {
    let settings = settings_builder().max_body_size(64).build().unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let body = format!(r#"{{"username":"john","password":"{}"}}"#, "x".repeat(100));
    let reply = send(&app, post_json(&body)).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (413, r#"{"detail":"Request body is too large."}"#)
    );
}

#[actix_web::test]
async fn tokens_are_created_with_users_when_configured_and_in_bulk() {
    let settings = settings_builder()
        .create_token_on_user_creation(true)
        .build()
        .unwrap();
    let db = database(&settings).await;
    let created = create_user(
        &settings.environment(db.clone()),
        "newcomer",
        UserFields {
            password: Some("pw"),
            ..UserFields::default()
        },
    )
    .await
    .unwrap();
    assert!(
        token::find_for_user(&db, created.id)
            .await
            .unwrap()
            .is_some()
    );

    // The seed's loop: every user without a token gets one (admin and walterwhité here).
    assert_eq!(
        token::create_missing(&db, &user::AUTH_USER).await.unwrap(),
        2
    );
    assert_eq!(
        token::create_missing(&db, &user::AUTH_USER).await.unwrap(),
        0
    );
    let plain = settings_builder().build().unwrap();
    let other = create_user(
        &plain.environment(db.clone()),
        "tokenless",
        UserFields::default(),
    )
    .await
    .unwrap();
    assert!(token::find_for_user(&db, other.id).await.unwrap().is_none());
}
