//! simplejwt's `JWTAuthentication` (`../shared/spec/third-party.md` §1.1, second table): every
//! status, `WWW-Authenticate` and body as simplejwt 5.5.1 answers them, on tokens minted as
//! simplejwt mints them.

use std::time::Duration;

use auth_actix::store::user;
use auth_actix::{IsAuthenticated, JwtAuthentication, TokenAuthentication};
use auth_core::simplejwt::{SimpleJwtSettings, Token, TokenBackend, TokenKind};
use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};
use test_support::*;

const CHALLENGE: &str = r#"Bearer realm="api""#;

async fn suite_app(settings: &AuthSettings, db: &DatabaseConnection) -> impl TestApp + use<> {
    app(settings, db, |routes| {
        routes
            .service(route::<(JwtAuthentication,), IsAuthenticated>("/jwt/"))
            .service(route::<
                (JwtAuthentication, TokenAuthentication),
                IsAuthenticated,
            >("/both/"));
    })
    .await
}

/// simplejwt's defaults signing with the suites' `SECRET_KEY`: what the app uses when
/// `SIMPLE_JWT` is not set.
fn defaults() -> SimpleJwtSettings {
    SimpleJwtSettings::new(SECRET_KEY).unwrap()
}

async fn user_named(db: &DatabaseConnection, name: &str) -> user::User {
    user::AUTH_USER
        .find_by_username(db, name)
        .await
        .unwrap()
        .unwrap()
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// simplejwt's `InvalidToken` body for one class that refused with `message`.
fn not_valid(message: &str) -> String {
    json!({
        "detail": "Given token not valid for any token type",
        "code": "token_not_valid",
        "messages": [{"token_class": "AccessToken", "token_type": "access", "message": message}],
    })
    .to_string()
}

#[actix_web::test]
async fn a_valid_access_token_authenticates_and_auth_is_the_token() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let john = user_named(&db, "john").await;
    let jwt = defaults();
    let token = Token::for_user(TokenKind::Access, &jwt, john.id, &john.password, Utc::now())
        .encode()
        .unwrap();
    for header in [
        bearer(&token),
        format!("Bearer\t{token}"),
        format!("  Bearer   {token}  "),
    ] {
        let reply = send(&app, with_auth(get("/jwt/"), &header)).await;
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (200, json_body("john", &token).as_str()),
            "{header:?}"
        );
    }
}

#[actix_web::test]
async fn no_credentials_or_another_scheme_is_not_provided_with_the_bearer_challenge() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let john = user_named(&db, "john").await;
    let token = Token::for_user(
        TokenKind::Access,
        &defaults(),
        john.id,
        &john.password,
        Utc::now(),
    )
    .encode()
    .unwrap();
    // The type is compared as exact bytes: `bearer` is not `Bearer`.
    for request in [
        get("/jwt/"),
        with_auth(get("/jwt/"), "Token abcd1234"),
        with_auth(get("/jwt/"), format!("bearer {token}")),
        with_auth(get("/jwt/"), "   "),
    ] {
        let reply = send(&app, request).await;
        assert_eq!(reply.status, 401);
        assert_eq!(reply.www_authenticate.as_deref(), Some(CHALLENGE));
        assert_eq!(reply.body, Reply::NOT_PROVIDED);
    }
    // With a second scheme, a DRF token still authenticates through it.
    let reply = send(&app, with_auth(get("/both/"), "Token abcd1234")).await;
    assert_eq!(
        (reply.status, reply.body),
        (200, json_body("john", "abcd1234"))
    );
}

#[actix_web::test]
async fn a_header_without_exactly_one_token_is_a_bad_authorization_header() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    for header in ["Bearer", "Bearer a b", "Bearer\ta\tb"] {
        let reply = send(&app, with_auth(get("/jwt/"), header)).await;
        assert_eq!(reply.status, 401, "{header:?}");
        assert_eq!(reply.www_authenticate.as_deref(), Some(CHALLENGE));
        assert_eq!(
            reply.body,
            r#"{"detail":"Authorization header must contain two space-delimited values","code":"bad_authorization_header"}"#
        );
    }
}

#[actix_web::test]
async fn tokens_that_do_not_verify_list_each_class_and_its_reason() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let john = user_named(&db, "john").await;
    let jwt = defaults();
    let an_hour_ago = Utc::now() - TimeDelta::hours(1);
    let expired = Token::for_user(
        TokenKind::Access,
        &jwt,
        john.id,
        &john.password,
        an_hour_ago,
    )
    .encode()
    .unwrap();
    let refresh = Token::for_user(
        TokenKind::Refresh,
        &jwt,
        john.id,
        &john.password,
        Utc::now(),
    )
    .encode()
    .unwrap();
    let other_key = SimpleJwtSettings::new("another signing key").unwrap();
    let forged = Token::for_user(
        TokenKind::Access,
        &other_key,
        john.id,
        &john.password,
        Utc::now(),
    )
    .encode()
    .unwrap();
    let sign = |payload: Value| {
        let Value::Object(map) = payload else {
            unreachable!()
        };
        TokenBackend::new(&jwt).encode(&map).unwrap()
    };
    let exp = Utc::now().timestamp() + 300;
    let no_id = sign(json!({"token_type": "access", "exp": exp, "user_id": "1"}));
    for (token, message) in [
        ("garbage".to_owned(), "Token is invalid"),
        (forged, "Token is invalid"),
        (expired, "Token is expired"),
        (refresh, "Token has wrong type"),
        (no_id, "Token has no id"),
    ] {
        let reply = send(&app, with_auth(get("/jwt/"), bearer(&token))).await;
        assert_eq!(reply.status, 401, "{message}");
        assert_eq!(reply.www_authenticate.as_deref(), Some(CHALLENGE));
        assert_eq!(reply.body, not_valid(message));
    }

    // Every class of AUTH_TOKEN_CLASSES, in order.
    let mut two_classes = defaults();
    two_classes.auth_token_classes = vec![TokenKind::Access, TokenKind::Sliding];
    let settings = settings_builder().simple_jwt(two_classes).build().unwrap();
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, with_auth(get("/jwt/"), "Bearer garbage")).await;
    assert_eq!(
        reply.body,
        json!({
            "detail": "Given token not valid for any token type",
            "code": "token_not_valid",
            "messages": [
                {"token_class": "AccessToken", "token_type": "access", "message": "Token is invalid"},
                {"token_class": "SlidingToken", "token_type": "sliding", "message": "Token is invalid"},
            ],
        })
        .to_string()
    );
}

#[actix_web::test]
async fn the_tokens_user_must_exist_and_be_active() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let jwt = defaults();
    let exp = Utc::now().timestamp() + 300;
    let sign = |payload: Value| {
        let Value::Object(map) = payload else {
            unreachable!()
        };
        TokenBackend::new(&jwt).encode(&map).unwrap()
    };
    let base = json!({"token_type": "access", "exp": exp, "jti": "ab".repeat(16)});
    let with_user = |id: Value| {
        let mut payload = base.clone();
        payload["user_id"] = id;
        sign(payload)
    };
    let reply = send(&app, with_auth(get("/jwt/"), bearer(&sign(base.clone())))).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (
            401,
            r#"{"detail":"Token contained no recognizable user identification","code":"token_not_valid"}"#
        )
    );
    // simplejwt answers 500 for a user_id that is not a number; this is "User not found".
    for id in [json!("999999"), json!(999_999), json!("abc"), json!(null)] {
        let reply = send(
            &app,
            with_auth(get("/jwt/"), bearer(&with_user(id.clone()))),
        )
        .await;
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (
                401,
                r#"{"detail":"User not found","code":"user_not_found"}"#
            ),
            "{id}"
        );
    }
    // The id as text (simplejwt's) or as a number: the same user.
    let john = user_named(&db, "john").await;
    for id in [json!(john.id.to_string()), json!(john.id)] {
        let token = with_user(id);
        let reply = send(&app, with_auth(get("/jwt/"), bearer(&token))).await;
        assert_eq!((reply.status, reply.body), (200, json_body("john", &token)));
    }
    let inactive = user_named(&db, "inactive").await;
    let reply = send(
        &app,
        with_auth(
            get("/jwt/"),
            bearer(&with_user(json!(inactive.id.to_string()))),
        ),
    )
    .await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (
            401,
            r#"{"detail":"User is inactive","code":"user_inactive"}"#
        )
    );
    // CHECK_USER_IS_ACTIVE off: the inactive user is let through, as simplejwt does.
    let mut lenient = defaults();
    lenient.check_user_is_active = false;
    let settings = settings_builder().simple_jwt(lenient).build().unwrap();
    let app = suite_app(&settings, &db).await;
    let token = with_user(json!(inactive.id.to_string()));
    let reply = send(&app, with_auth(get("/jwt/"), bearer(&token))).await;
    assert_eq!(
        (reply.status, reply.body),
        (200, json_body("inactive", &token))
    );
}

#[actix_web::test]
async fn a_password_change_revokes_tokens_with_check_revoke_token() {
    let mut jwt = defaults();
    jwt.check_revoke_token = true;
    jwt.leeway = Duration::from_secs(5);
    let settings = settings_builder().simple_jwt(jwt.clone()).build().unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let john = user_named(&db, "john").await;
    let token = Token::for_user(TokenKind::Access, &jwt, john.id, &john.password, Utc::now())
        .encode()
        .unwrap();
    let reply = send(&app, with_auth(get("/jwt/"), bearer(&token))).await;
    assert_eq!((reply.status, reply.body), (200, json_body("john", &token)));
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
    let reply = send(&app, with_auth(get("/jwt/"), bearer(&token))).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (
            401,
            r#"{"detail":"The user's password has been changed.","code":"password_changed"}"#
        )
    );
    // A token without the claim is refused the same way.
    let mut plain = jwt.clone();
    plain.check_revoke_token = false;
    let token = Token::for_user(TokenKind::Access, &plain, john.id, "", Utc::now())
        .encode()
        .unwrap();
    let reply = send(&app, with_auth(get("/jwt/"), bearer(&token))).await;
    assert_eq!(reply.status, 401);
    assert!(reply.body.contains("password_changed"));
}
