//! simplejwt's six views (`../shared/spec/third-party.md` §1.1, first table), its blacklist rows,
//! `JWTStatelessUserAuthentication`, and `SIMPLE_JWT` read from JSON. The answers' bytes are
//! compared with simplejwt's own in the parity suite (`simplejwt-endpoints`); these check what
//! the suite cannot see from outside: the rows, the clock, the settings.

use actix_web::test::TestRequest;
use actix_web::web;
use auth_actix::settings::SimpleJwtSettings;
use auth_actix::store::user;
use auth_actix::views::simplejwt_endpoints;
use auth_actix::{IsAdminUser, IsAuthenticated, JwtStatelessUserAuthentication};
use auth_core::simplejwt::{Token, TokenKind};
use auth_core::store::token_blacklist;
use chrono::{TimeDelta, TimeZone as _, Utc};
use serde_json::{Map, Value, json};
use test_support::*;

const CHALLENGE: &str = r#"Bearer realm="api""#;

async fn views_app(settings: &AuthSettings, db: &DatabaseConnection) -> impl TestApp + use<> {
    app(settings, db, |routes| {
        routes
            .service(web::scope("/api").configure(simplejwt_endpoints))
            .service(route::<(JwtStatelessUserAuthentication,), IsAuthenticated>(
                "/stateless/",
            ))
            .service(route::<(JwtStatelessUserAuthentication,), IsAdminUser>(
                "/stateless-admin/",
            ));
    })
    .await
}

fn post_json(path: &str, body: Value) -> TestRequest {
    TestRequest::post().uri(path).set_json(body)
}

fn object(reply: &Reply) -> Map<String, Value> {
    match serde_json::from_str(&reply.body) {
        Ok(Value::Object(members)) => members,
        other => panic!("not a JSON object: {other:?} ({})", reply.body),
    }
}

fn member(reply: &Reply, name: &str) -> String {
    object(reply)
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no {name} in {}", reply.body))
        .to_owned()
}

fn claims(settings: &SimpleJwtSettings, token: &str) -> Map<String, Value> {
    Token::decode(TokenKind::Untyped, token, settings, Utc::now(), false)
        .unwrap()
        .payload()
        .clone()
}

fn jwt_settings() -> SimpleJwtSettings {
    SimpleJwtSettings::new(SECRET_KEY).unwrap()
}

async fn obtain(app: &impl TestApp, path: &str) -> Reply {
    send(
        app,
        post_json(path, json!({"username": "john", "password": "password"})),
    )
    .await
}

#[actix_web::test]
async fn obtain_answers_refresh_then_access_and_records_the_refresh_as_simplejwt_does() {
    let settings = settings();
    let db = database(&settings).await;
    let app = views_app(&settings, &db).await;
    let reply = obtain(&app, "/api/token/").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        object(&reply).keys().collect::<Vec<_>>(),
        ["refresh", "access"]
    );
    let refresh = member(&reply, "refresh");
    let payload = claims(&jwt_settings(), &refresh);
    let jti = payload["jti"].as_str().unwrap();
    let john = user::AUTH_USER
        .find_by_username(&db, "john")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(payload["user_id"], json!(john.id.to_string()));
    // The row: the whole token, its jti, its exp, its owner; not blacklisted.
    let rows = sea_orm_rows(
        &db,
        "SELECT token, user_id, expires_at FROM token_blacklist_outstandingtoken",
    )
    .await;
    let exp = payload["exp"].as_i64().unwrap();
    let expires_at = Utc.timestamp_opt(exp, 0).single().unwrap();
    assert_eq!(
        rows,
        vec![vec![
            Value::from(refresh.clone()),
            john.id.to_json(),
            Value::from(expires_at.format("%Y-%m-%d %H:%M:%S").to_string()),
        ]]
    );
    assert!(!token_blacklist::is_blacklisted(&db, jti).await.unwrap());
    // The access token works where a token is asked for.
    let access = member(&reply, "access");
    let verified = send(
        &app,
        post_json("/api/token/verify/", json!({"token": access})),
    )
    .await;
    assert_eq!((verified.status, verified.body.as_str()), (200, "{}"));
}

/// The rows of a query, each column as JSON (text, integer or null).
async fn sea_orm_rows(db: &DatabaseConnection, sql: &str) -> Vec<Vec<Value>> {
    use auth_actix::store::sea_orm::{ConnectionTrait, Statement};
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap();
    rows.iter()
        .map(|row| {
            (0..row.column_names().len())
                .map(|index| {
                    if let Ok(number) = row.try_get_by_index::<i64>(index) {
                        Value::from(number)
                    } else if let Ok(text) = row.try_get_by_index::<String>(index) {
                        Value::from(text)
                    } else {
                        Value::Null
                    }
                })
                .collect()
        })
        .collect()
}

#[actix_web::test]
async fn rotation_blacklists_the_old_refresh_and_records_the_new_one() {
    let mut jwt = jwt_settings();
    jwt.rotate_refresh_tokens = true;
    jwt.blacklist_after_rotation = true;
    let settings = settings_builder().simple_jwt(jwt.clone()).build().unwrap();
    let db = database(&settings).await;
    let app = views_app(&settings, &db).await;
    let old = member(&obtain(&app, "/api/token/").await, "refresh");

    let rotated = send(
        &app,
        post_json("/api/token/refresh/", json!({"refresh": old})),
    )
    .await;
    assert_eq!(rotated.status, 200, "{}", rotated.body);
    assert_eq!(
        object(&rotated).keys().collect::<Vec<_>>(),
        ["access", "refresh"]
    );
    let new = member(&rotated, "refresh");
    let (old_claims, new_claims) = (claims(&jwt, &old), claims(&jwt, &new));
    assert_ne!(old_claims["jti"], new_claims["jti"]);
    assert!(
        token_blacklist::is_blacklisted(&db, old_claims["jti"].as_str().unwrap())
            .await
            .unwrap()
    );
    let rows = sea_orm_rows(
        &db,
        "SELECT jti FROM token_blacklist_outstandingtoken ORDER BY id",
    )
    .await;
    assert_eq!(
        rows,
        vec![
            vec![old_claims["jti"].clone()],
            vec![new_claims["jti"].clone()]
        ]
    );

    let again = send(
        &app,
        post_json("/api/token/refresh/", json!({"refresh": old})),
    )
    .await;
    assert_eq!(
        (
            again.status,
            again.www_authenticate.as_deref(),
            again.body.as_str()
        ),
        (
            401,
            Some(CHALLENGE),
            r#"{"detail":"Token is blacklisted","code":"token_not_valid"}"#
        )
    );
    // With BLACKLIST_AFTER_ROTATION the verify view refuses it too, as a validation error.
    let verified = send(&app, post_json("/api/token/verify/", json!({"token": old}))).await;
    assert_eq!(
        (verified.status, verified.body.as_str()),
        (400, r#"{"non_field_errors":["Token is blacklisted"]}"#)
    );
    let fresh = send(
        &app,
        post_json("/api/token/refresh/", json!({"refresh": new})),
    )
    .await;
    assert_eq!(fresh.status, 200, "{}", fresh.body);
}

#[actix_web::test]
async fn a_sliding_token_keeps_its_id_and_slides_until_its_refresh_limit() {
    let clock = ManualClock::new();
    let settings = settings_builder().clock(clock.clone()).build().unwrap();
    let db = database(&settings).await;
    let app = views_app(&settings, &db).await;
    let jwt = jwt_settings();
    let token = member(&obtain(&app, "/api/token/sliding/").await, "token");
    let first = claims(&jwt, &token);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        ["token_type", "exp", "iat", "jti", "refresh_exp", "user_id"]
    );

    clock.advance(TimeDelta::minutes(4));
    let slid = send(
        &app,
        post_json("/api/token/sliding/refresh/", json!({"token": token})),
    )
    .await;
    assert_eq!(slid.status, 200, "{}", slid.body);
    let second = claims(&jwt, &member(&slid, "token"));
    assert_eq!(second["jti"], first["jti"]);
    assert_eq!(second["refresh_exp"], first["refresh_exp"]);
    assert_eq!(
        second["exp"].as_i64().unwrap() - first["exp"].as_i64().unwrap(),
        240
    );

    // Past `refresh_exp` (one day) it no longer slides, even freshly refreshed.
    clock.advance(TimeDelta::days(1));
    let late = send(
        &app,
        post_json(
            "/api/token/sliding/refresh/",
            json!({"token": member(&slid, "token")}),
        ),
    )
    .await;
    assert_eq!(late.status, 401);
    assert_eq!(late.www_authenticate.as_deref(), Some(CHALLENGE));
}

#[actix_web::test]
async fn a_deleted_users_refresh_is_refused_not_a_server_error() {
    let settings = settings();
    let db = database(&settings).await;
    let app = views_app(&settings, &db).await;
    add_user(&db, &settings, "leaving", "password", true, false).await;
    let reply = send(
        &app,
        post_json(
            "/api/token/",
            json!({"username": "leaving", "password": "password"}),
        ),
    )
    .await;
    let refresh = member(&reply, "refresh");
    let leaving = user::AUTH_USER
        .find_by_username(&db, "leaving")
        .await
        .unwrap()
        .unwrap();
    assert!(
        auth_actix::store::delete_user(&db, &user::AUTH_USER, leaving.id)
            .await
            .unwrap()
    );
    // Django's `on_delete=SET_NULL`: the row stays, owned by nobody.
    assert_eq!(
        sea_orm_rows(&db, "SELECT user_id FROM token_blacklist_outstandingtoken").await,
        vec![vec![Value::Null]]
    );
    let refused = send(
        &app,
        post_json("/api/token/refresh/", json!({"refresh": refresh})),
    )
    .await;
    assert_eq!(
        (refused.status, refused.body.as_str()),
        (
            401,
            r#"{"detail":"No active account found for the given token."}"#
        )
    );
}

#[actix_web::test]
async fn update_last_login_writes_it_on_obtain_only_when_set() {
    for update in [false, true] {
        let mut jwt = jwt_settings();
        jwt.update_last_login = update;
        let settings = settings_builder().simple_jwt(jwt).build().unwrap();
        let db = database(&settings).await;
        let app = views_app(&settings, &db).await;
        assert_eq!(obtain(&app, "/api/token/").await.status, 200);
        let john = user::AUTH_USER
            .find_by_username(&db, "john")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(john.last_login.is_some(), update);
    }
}

#[actix_web::test]
async fn without_the_blacklist_app_nothing_is_recorded_and_blacklisting_is_a_no_op() {
    let mut jwt = jwt_settings();
    jwt.token_blacklist = false;
    let settings = settings_builder().simple_jwt(jwt).build().unwrap();
    let db = database(&settings).await;
    let app = views_app(&settings, &db).await;
    let refresh = member(&obtain(&app, "/api/token/").await, "refresh");
    let count = "SELECT COUNT(*) FROM token_blacklist_outstandingtoken";
    assert_eq!(sea_orm_rows(&db, count).await, vec![vec![json!(0)]]);
    let blacklisted = send(
        &app,
        post_json("/api/token/blacklist/", json!({"refresh": refresh})),
    )
    .await;
    assert_eq!((blacklisted.status, blacklisted.body.as_str()), (200, "{}"));
    let refreshed = send(
        &app,
        post_json("/api/token/refresh/", json!({"refresh": refresh})),
    )
    .await;
    assert_eq!(refreshed.status, 200);
    assert_eq!(sea_orm_rows(&db, count).await, vec![vec![json!(0)]]);
}

#[actix_web::test]
async fn the_password_views_are_throttled_and_the_others_are_not() {
    let settings = settings_builder()
        .throttle_rate("login", "2/min")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = views_app(&settings, &db).await;
    let wrong = || post_json("/api/token/", json!({"username": "john", "password": "no"}));
    assert_eq!(send(&app, wrong()).await.status, 401);
    assert_eq!(send(&app, wrong()).await.status, 401);
    let third = send(&app, wrong()).await;
    assert_eq!(third.status, 429, "{}", third.body);
    for _ in 0..3 {
        let verify = send(&app, post_json("/api/token/verify/", json!({"token": "x"}))).await;
        assert_eq!(verify.status, 401);
    }
}

#[actix_web::test]
async fn the_stateless_scheme_makes_a_token_user_without_reading_the_database() {
    let settings = settings();
    let db = database(&settings).await;
    let app = views_app(&settings, &db).await;
    let jwt = jwt_settings();
    // A user id no row has, with staff claims: the token alone decides.
    let mut token = Token::for_user(TokenKind::Access, &jwt, 424242, "", Utc::now());
    token.insert("username", json!("ghost"));
    token.insert("is_staff", json!(1));
    let text = token.encode().unwrap();
    let reply = send(
        &app,
        with_auth(get("/stateless/"), format!("Bearer {text}")),
    )
    .await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (200, json_body("TokenUser 424242", &text).as_str())
    );
    let admin = send(
        &app,
        with_auth(get("/stateless-admin/"), format!("Bearer {text}")),
    )
    .await;
    assert_eq!(admin.status, 200);
    token.insert("is_staff", json!(false));
    let not_staff = token.encode().unwrap();
    let refused = send(
        &app,
        with_auth(get("/stateless-admin/"), format!("Bearer {not_staff}")),
    )
    .await;
    assert_eq!(refused.status, 403);
    // Without the user claim: simplejwt's InvalidToken.
    let mut anonymous = Token::new(TokenKind::Access, &jwt, Utc::now());
    anonymous.insert("username", json!("ghost"));
    let reply = send(
        &app,
        with_auth(
            get("/stateless/"),
            format!("Bearer {}", anonymous.encode().unwrap()),
        ),
    )
    .await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (
            401,
            r#"{"detail":"Token contained no recognizable user identification","code":"token_not_valid"}"#
        )
    );
}

#[test]
fn simple_jwt_is_read_by_djangos_names_and_refuses_what_it_cannot_honour() {
    let read = |value: Value| SimpleJwtSettings::from_simple_jwt(&value, SECRET_KEY.as_bytes());
    let settings = read(json!({
        "ACCESS_TOKEN_LIFETIME": 60,
        "ROTATE_REFRESH_TOKENS": true,
        "AUTH_HEADER_TYPES": ["Bearer", "JWT"],
        "AUTH_HEADER_NAME": "HTTP_X_ACCESS_TOKEN",
        "AUTH_TOKEN_CLASSES": [
            "rest_framework_simplejwt.tokens.AccessToken",
            "rest_framework_simplejwt.tokens.SlidingToken",
        ],
        "TOKEN_TYPE_CLAIM": null,
        "AUDIENCE": "api",
    }))
    .unwrap();
    assert_eq!(settings.access_token_lifetime.as_secs(), 60);
    assert!(settings.rotate_refresh_tokens);
    assert_eq!(settings.auth_header_types, ["Bearer", "JWT"]);
    assert_eq!(settings.auth_header_name, "x-access-token");
    assert_eq!(
        settings.auth_token_classes,
        [TokenKind::Access, TokenKind::Sliding]
    );
    assert_eq!(settings.token_type_claim, None);
    // simplejwt's own message for a removed setting.
    assert_eq!(
        read(json!({"AUTH_HEADER_TYPE": "Bearer"}))
            .unwrap_err()
            .to_string(),
        "SIMPLE_JWT: The 'AUTH_HEADER_TYPE' setting has been removed. Please refer to \
         'https://django-rest-framework-simplejwt.readthedocs.io/en/latest/settings.html' for \
         available settings."
    );
    for refused in [
        json!({"ROTATE_REFRESH_TOKEN": true}),
        json!({"ALGORITHM": "none"}),
        json!({"USER_ID_FIELD": "uuid"}),
        json!({"TOKEN_USER_CLASS": "x.Y"}),
        json!({"ACCESS_TOKEN_LIFETIME": "5m"}),
        json!({"AUTH_TOKEN_CLASSES": ["my.Token"]}),
        json!(["not", "an", "object"]),
    ] {
        assert!(read(refused.clone()).is_err(), "{refused}");
    }
}

#[actix_web::test]
async fn the_header_name_setting_moves_the_token_to_another_header() {
    let jwt = SimpleJwtSettings::from_simple_jwt(
        &json!({"AUTH_HEADER_NAME": "HTTP_X_ACCESS_TOKEN"}),
        SECRET_KEY.as_bytes(),
    )
    .unwrap();
    let settings = settings_builder().simple_jwt(jwt.clone()).build().unwrap();
    let db = database(&settings).await;
    let app = views_app(&settings, &db).await;
    let text = Token::for_user(TokenKind::Access, &jwt, 1, "", Utc::now())
        .encode()
        .unwrap();
    let moved = send(
        &app,
        get("/stateless/").insert_header(("X-Access-Token", format!("Bearer {text}"))),
    )
    .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    let ignored = send(
        &app,
        with_auth(get("/stateless/"), format!("Bearer {text}")),
    )
    .await;
    assert_eq!(ignored.status, 401);
}

const RSA: &str = include_str!("../../../auth-core/tests/fixtures/jwt/rsa.pem");
const RSA_OTHER: &str = include_str!("../../../auth-core/tests/fixtures/jwt/rsa-other.pem");

#[actix_web::test]
async fn rs256_keys_rotate_by_kid_and_the_jwks_view_publishes_only_public_halves() {
    use auth_core::jwt::{Algorithm, PrivateKey, SigningKey, VerifyingKey};

    let current = PrivateKey::from_pem(Algorithm::RS256, RSA.as_bytes())
        .unwrap()
        .with_kid("2026-12");
    let retired = PrivateKey::from_pem(Algorithm::RS256, RSA_OTHER.as_bytes())
        .unwrap()
        .with_kid("2026-06");
    let jwt = jwt_settings()
        .with_signing_key(
            Algorithm::RS256,
            SigningKey::Private(Box::new(current.clone())),
        )
        .unwrap();
    let jwt = jwt.clone().with_verifying_keys(vec![
        VerifyingKey::Public(Box::new(current.public_key().clone())),
        VerifyingKey::Public(Box::new(retired.public_key().clone())),
    ]);
    let settings = settings_builder().simple_jwt(jwt.clone()).build().unwrap();
    let db = database(&settings).await;
    let app = app(&settings, &db, |routes| {
        routes
            .service(web::scope("/api").configure(simplejwt_endpoints))
            .service(auth_actix::views::jwks_resource("/jwks/"))
            .service(route::<(JwtStatelessUserAuthentication,), IsAuthenticated>(
                "/stateless/",
            ));
    })
    .await;

    // Issued with the current key: RS256, its kid in the header.
    let access = member(&obtain(&app, "/api/token/").await, "access");
    let header = access.split('.').next().unwrap();
    assert_eq!(
        header,
        "eyJhbGciOiJSUzI1NiIsImtpZCI6IjIwMjYtMTIiLCJ0eXAiOiJKV1QifQ"
    );
    let reply = send(
        &app,
        with_auth(get("/stateless/"), format!("Bearer {access}")),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    // A token the retired key signed still verifies, found by its kid.
    let mut old_settings = jwt_settings()
        .with_signing_key(Algorithm::RS256, SigningKey::Private(Box::new(retired)))
        .unwrap();
    old_settings.token_blacklist = false;
    let old = Token::for_user(TokenKind::Access, &old_settings, 1, "", Utc::now())
        .encode()
        .unwrap();
    let reply = send(&app, with_auth(get("/stateless/"), format!("Bearer {old}"))).await;
    assert_eq!(reply.status, 200, "{}", reply.body);

    let jwks = send(&app, get("/jwks/")).await;
    assert_eq!(jwks.status, 200);
    let set: Value = serde_json::from_str(&jwks.body).unwrap();
    let keys = set["keys"].as_array().unwrap();
    assert_eq!(
        keys.iter()
            .map(|key| key["kid"].clone())
            .collect::<Vec<_>>(),
        [json!("2026-12"), json!("2026-06")]
    );
    for key in keys {
        assert_eq!(
            (key["kty"].as_str(), key["alg"].as_str()),
            (Some("RSA"), Some("RS256"))
        );
        assert!(
            key.get("d").is_none() && key.get("p").is_none(),
            "private member in {key}"
        );
    }
    let not_allowed = send(&app, TestRequest::post().uri("/jwks/")).await;
    assert_eq!(not_allowed.status, 405);
}

#[actix_web::test]
async fn the_cache_answers_blacklist_lookups_both_ways_and_a_blacklisting_here_is_seen_at_once() {
    let clock = ManualClock::new();
    let settings = settings_builder()
        .clock(clock.clone())
        .auth_cache_ttl(std::time::Duration::from_secs(60))
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = views_app(&settings, &db).await;
    let jwt = jwt_settings();
    let refresh = |token: &str| post_json("/api/token/refresh/", json!({ "refresh": token }));
    let first = member(&obtain(&app, "/api/token/").await, "refresh");
    let second = member(&obtain(&app, "/api/token/").await, "refresh");

    // "Not blacklisted" is remembered for the TTL: a blacklisting made by another service
    // (simplejwt, writing the rows itself) is seen once it has passed.
    assert_eq!(send(&app, refresh(&first)).await.status, 200);
    let jti = claims(&jwt, &first)["jti"].as_str().unwrap().to_owned();
    let row = token_blacklist::OutstandingToken {
        jti: jti.clone(),
        user_id: None,
        token: first.clone(),
        created_at: Utc::now(),
        expires_at: Utc::now(),
    };
    token_blacklist::blacklist(&db, &row, Utc::now())
        .await
        .unwrap();
    assert_eq!(
        send(&app, refresh(&first)).await.status,
        200,
        "within the TTL"
    );
    clock.advance(TimeDelta::seconds(61));
    assert_eq!(
        send(&app, refresh(&first)).await.status,
        401,
        "after the TTL"
    );

    // A blacklisting made here is seen at once, and kept: the answer no longer needs the row.
    assert_eq!(send(&app, refresh(&second)).await.status, 200);
    let blacklisted = send(
        &app,
        post_json("/api/token/blacklist/", json!({ "refresh": second })),
    )
    .await;
    assert_eq!(blacklisted.status, 200);
    use auth_actix::store::sea_orm::ConnectionTrait as _;
    db.execute_unprepared("DELETE FROM token_blacklist_blacklistedtoken")
        .await
        .unwrap();
    let refused = send(&app, refresh(&second)).await;
    assert_eq!(
        (refused.status, refused.body.as_str()),
        (
            401,
            r#"{"detail":"Token is blacklisted","code":"token_not_valid"}"#
        )
    );
}

#[actix_web::test]
async fn revoking_a_users_tokens_refuses_its_access_and_refresh_tokens_everywhere_at_once() {
    let clock = ManualClock::new();
    let settings = settings_builder()
        .clock(clock.clone())
        .auth_cache_ttl(std::time::Duration::from_secs(60))
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = app(&settings, &db, |routes| {
        routes
            .service(web::scope("/api").configure(simplejwt_endpoints))
            .service(route::<(auth_actix::JwtAuthentication,), IsAuthenticated>(
                "/jwt/",
            ))
            .service(route::<(JwtStatelessUserAuthentication,), IsAuthenticated>(
                "/stateless/",
            ));
    })
    .await;
    let pair = obtain(&app, "/api/token/").await;
    let (access, refresh) = (member(&pair, "access"), member(&pair, "refresh"));
    for path in ["/jwt/", "/stateless/"] {
        let reply = send(&app, with_auth(get(path), format!("Bearer {access}"))).await;
        assert_eq!(reply.status, 200, "{path}");
    }

    // "Log out everywhere" for john, a second later.
    clock.advance(TimeDelta::seconds(1));
    let env = settings.environment(db.clone());
    let john = user::AUTH_USER
        .find_by_username(&db, "john")
        .await
        .unwrap()
        .unwrap();
    assert!(auth_core::jwt_revocation::revoke_user_tokens(&env, john.id));

    let revoked = r#"{"detail":"Given token not valid for any token type","code":"token_not_valid","messages":[{"token_class":"AccessToken","token_type":"access","message":"Token is blacklisted"}]}"#;
    for path in ["/jwt/", "/stateless/"] {
        let reply = send(&app, with_auth(get(path), format!("Bearer {access}"))).await;
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (401, revoked),
            "{path}"
        );
    }
    let blacklisted = r#"{"detail":"Token is blacklisted","code":"token_not_valid"}"#;
    for (path, body) in [
        ("/api/token/refresh/", json!({ "refresh": refresh })),
        ("/api/token/verify/", json!({ "token": access })),
    ] {
        let reply = send(&app, post_json(path, body)).await;
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (401, blacklisted),
            "{path}"
        );
    }
    // A login after the revocation gives tokens that work.
    clock.advance(TimeDelta::seconds(1));
    let fresh = member(&obtain(&app, "/api/token/").await, "access");
    let reply = send(&app, with_auth(get("/jwt/"), format!("Bearer {fresh}"))).await;
    assert_eq!(reply.status, 200);
    // Other users are untouched; without the cache nothing can be revoked.
    let plain = settings_builder().build().unwrap();
    let plain_db = database(&plain).await;
    assert!(!auth_core::jwt_revocation::revoke_user_tokens(
        &plain.environment(plain_db),
        john.id
    ));
}

#[actix_web::test]
async fn the_cookie_scheme_reads_the_header_first_then_the_cookie_and_checks_csrf_when_asked() {
    use auth_actix::JwtCookieAuthentication;
    use auth_actix::settings::JwtCookieSettings;

    for use_csrf in [false, true] {
        let cookies = JwtCookieSettings {
            access_cookie: Some("jwt-access".to_owned()),
            use_csrf,
            ..JwtCookieSettings::default()
        };
        let settings = settings_builder().jwt_cookies(cookies).build().unwrap();
        let db = database(&settings).await;
        let app = app(&settings, &db, |routes| {
            routes.service(route::<(JwtCookieAuthentication,), IsAuthenticated>(
                "/cookie/",
            ));
        })
        .await;
        let jwt = jwt_settings();
        let john = user::AUTH_USER
            .find_by_username(&db, "john")
            .await
            .unwrap()
            .unwrap();
        let token = Token::for_user(TokenKind::Access, &jwt, john.id, &john.password, Utc::now())
            .encode()
            .unwrap();
        let cookie = |request: TestRequest, value: &str| {
            request.insert_header(("Cookie", format!("jwt-access={value}")))
        };
        let reply = send(&app, cookie(get("/cookie/"), &token)).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        // The header, when present, decides alone.
        let reply = send(
            &app,
            with_auth(cookie(get("/cookie/"), &token), "Token abc"),
        )
        .await;
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (401, Reply::NOT_PROVIDED)
        );
        let reply = send(
            &app,
            with_auth(
                cookie(get("/cookie/"), "garbage"),
                format!("Bearer {token}"),
            ),
        )
        .await;
        assert_eq!(reply.status, 200);
        // An unsafe method with the cookie and no CSRF token.
        let reply = send(&app, cookie(TestRequest::post().uri("/cookie/"), &token)).await;
        if use_csrf {
            assert_eq!(
                (reply.status, reply.body.as_str()),
                (403, r#"{"detail":"CSRF Failed: CSRF cookie not set."}"#)
            );
        } else {
            assert_eq!(reply.status, 200);
        }
        // The header is exempt, as for JWTAuthentication.
        let reply = send(
            &app,
            with_auth(
                TestRequest::post().uri("/cookie/"),
                format!("Bearer {token}"),
            ),
        )
        .await;
        assert_eq!(reply.status, 200);
    }
}

#[actix_web::test]
async fn a_blacklisted_sliding_token_no_longer_authenticates_and_blacklisting_twice_writes_once() {
    let mut jwt = jwt_settings();
    jwt.auth_token_classes = vec![TokenKind::Sliding];
    let settings = settings_builder().simple_jwt(jwt.clone()).build().unwrap();
    let db = database(&settings).await;
    let app = app(&settings, &db, |routes| {
        routes
            .service(web::scope("/api").configure(simplejwt_endpoints))
            .service(route::<(auth_actix::JwtAuthentication,), IsAuthenticated>(
                "/jwt/",
            ));
    })
    .await;
    let sliding = member(&obtain(&app, "/api/token/sliding/").await, "token");
    let reply = send(&app, with_auth(get("/jwt/"), format!("Bearer {sliding}"))).await;
    assert_eq!(reply.status, 200, "{}", reply.body);

    // simplejwt's BlacklistMixin.verify: the blacklist is checked when the token authenticates.
    let row = token_blacklist::OutstandingToken {
        jti: claims(&jwt, &sliding)["jti"].as_str().unwrap().to_owned(),
        user_id: None,
        token: sliding.clone(),
        created_at: Utc::now(),
        expires_at: Utc::now(),
    };
    assert!(
        token_blacklist::blacklist(&db, &row, Utc::now())
            .await
            .unwrap()
    );
    assert!(
        !token_blacklist::blacklist(&db, &row, Utc::now())
            .await
            .unwrap()
    );
    let count = "SELECT COUNT(*) FROM token_blacklist_blacklistedtoken";
    assert_eq!(sea_orm_rows(&db, count).await, vec![vec![json!(1)]]);
    let reply = send(&app, with_auth(get("/jwt/"), format!("Bearer {sliding}"))).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (
            401,
            r#"{"detail":"Given token not valid for any token type","code":"token_not_valid","messages":[{"token_class":"SlidingToken","token_type":"sliding","message":"Token is blacklisted"}]}"#
        )
    );
}
