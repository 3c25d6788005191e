//! DRF token authentication (spec §1.5) and its rows of §8.1/§8.2, including a `Bearer` keyword
//! variant and the keyword setting.

use actix_web::test;
use auth_actix::store::token;
use auth_actix::{BearerAuthentication, IsAuthenticated, TokenAuthentication};
use test_support::*;

auth_actix::authentication::token_keyword!(ApiKey = "ApiKey");

/// The suite's app: the library on `db` with these routes.
async fn suite_app(settings: &AuthSettings, db: &DatabaseConnection) -> impl TestApp + use<> {
    app(settings, db, |routes| {
        routes
            .service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"))
            .service(route::<(BearerAuthentication,), IsAuthenticated>(
                "/bearer/",
            ))
            .service(route::<(TokenAuthentication<ApiKey>,), IsAuthenticated>(
                "/api-key/",
            ));
    })
    .await
}

#[actix_web::test]
async fn valid_token_authenticates_with_case_insensitive_keyword_and_auth_is_the_key() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    for header in ["Token abcd1234", "token abcd1234", "TOKEN  abcd1234 "] {
        let reply = send(&app, with_auth(get("/token/"), header)).await;
        assert_eq!(reply.status, 200, "{header}");
        assert_eq!(reply.body, json_body("john", "abcd1234"));
    }
}

#[actix_web::test]
async fn no_header_or_other_keyword_is_not_provided_with_token_challenge() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    for request in [get("/token/"), with_auth(get("/token/"), "Bearer abcd1234")] {
        let reply = send(&app, request).await;
        assert_eq!(reply.status, 401);
        assert_eq!(reply.www_authenticate.as_deref(), Some("Token"));
        assert_eq!(reply.body, Reply::NOT_PROVIDED);
    }
}

#[actix_web::test]
async fn unknown_key_and_key_in_other_case_are_invalid() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    for header in [
        "Token wxyz6789",
        "Token ABCD1234",
        "Token abcd1234abcd1234abcd1234abcd1234abcd1",
    ] {
        let reply = send(&app, with_auth(get("/token/"), header)).await;
        assert_eq!(reply.status, 401, "{header}");
        assert_eq!(reply.www_authenticate.as_deref(), Some("Token"));
        assert_eq!(reply.body, detail("Invalid token."));
    }
}

#[actix_web::test]
async fn keyword_alone_is_no_credentials() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    for (path, header) in [
        ("/token/", "Token"),
        ("/token/", "Token "),
        ("/bearer/", "Bearer "),
    ] {
        let reply = send(&app, with_auth(get(path), header)).await;
        assert_eq!(reply.status, 401);
        assert_eq!(
            reply.body,
            detail("Invalid token header. No credentials provided.")
        );
    }
}

#[actix_web::test]
async fn three_fields_are_a_token_with_spaces() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, with_auth(get("/token/"), "Token foo bar")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.body,
        detail("Invalid token header. Token string should not contain spaces.")
    );
}

#[actix_web::test]
async fn invalid_utf8_key_has_invalid_characters() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, with_auth(get("/token/"), b"Token abcd1234\xb8")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.www_authenticate.as_deref(), Some("Token"));
    assert_eq!(
        reply.body,
        detail("Invalid token header. Token string should not contain invalid characters.")
    );
}

#[actix_web::test]
async fn token_of_inactive_user_is_refused() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, with_auth(get("/token/"), "Token inactivetoken")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.body, detail("User inactive or deleted."));
    let reply = send(&app, with_auth(get("/bearer/"), "Bearer inactivetoken")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.body, detail("User inactive or deleted."));
}

#[actix_web::test]
async fn deleting_the_row_revokes_the_token_immediately() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, with_auth(get("/token/"), "Token abcd1234")).await;
    assert_eq!(reply.status, 200);
    let john = auth_actix::store::user::AUTH_USER
        .find_by_username(&db, "john")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(token::delete_for_user(&db, john.id).await.unwrap(), 1);
    let reply = send(&app, with_auth(get("/token/"), "Token abcd1234")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.body, detail("Invalid token."));
}

#[actix_web::test]
async fn bearer_variant_uses_its_keyword_for_matching_and_challenge() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, get("/bearer/")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.www_authenticate.as_deref(), Some("Bearer"));
    assert_eq!(reply.body, Reply::NOT_PROVIDED);
    let reply = send(&app, with_auth(get("/bearer/"), "Bearer nope")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.www_authenticate.as_deref(), Some("Bearer"));
    assert_eq!(reply.body, detail("Invalid token."));
    let reply = send(&app, with_auth(get("/bearer/"), "Bearer abcd1234")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, json_body("john", "abcd1234"));
    // A `Token` header on a Bearer view is another scheme: not attempted.
    let reply = send(&app, with_auth(get("/bearer/"), "Token abcd1234")).await;
    assert_eq!(reply.body, Reply::NOT_PROVIDED);
}

#[actix_web::test]
async fn a_declared_keyword_type_is_a_new_scheme_in_one_line() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, with_auth(get("/api-key/"), "apikey abcd1234")).await;
    assert_eq!(reply.status, 200);
    let reply = send(&app, get("/api-key/")).await;
    assert_eq!(reply.www_authenticate.as_deref(), Some("ApiKey"));
}

#[actix_web::test]
async fn keyword_setting_changes_the_default_token_scheme() {
    let settings = settings_builder().token_keyword("Key").build().unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, with_auth(get("/token/"), "Key abcd1234")).await;
    assert_eq!(reply.status, 200);
    let reply = send(&app, get("/token/")).await;
    assert_eq!(reply.www_authenticate.as_deref(), Some("Key"));
}

#[actix_web::test]
async fn token_post_needs_no_csrf_token() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let request = with_auth(
        test::TestRequest::post().uri("/token/").set_payload("{}"),
        "Token abcd1234",
    );
    let reply = send(&app, request).await;
    assert_eq!(reply.status, 200);
}

#[actix_web::test]
async fn generated_keys_are_40_lowercase_hex_and_distinct() {
    let keys: std::collections::HashSet<String> = (0..500).map(|_| token::generate_key()).collect();
    assert_eq!(keys.len(), 500);
    for key in &keys {
        assert_eq!(key.len(), 40);
        assert!(
            key.bytes()
                .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
        );
    }
}

#[actix_web::test]
async fn get_or_create_returns_the_existing_token_and_never_rotates() {
    let settings = settings();
    let db = database(&settings).await;
    let john = auth_actix::store::user::AUTH_USER
        .find_by_username(&db, "john")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        token::get_or_create(&db, john.id).await.unwrap().key,
        "abcd1234"
    );
    let admin = auth_actix::store::user::AUTH_USER
        .find_by_username(&db, "admin")
        .await
        .unwrap()
        .unwrap();
    let created = token::get_or_create(&db, admin.id).await.unwrap();
    assert_eq!(created.key.len(), 40);
    assert_eq!(
        token::get_or_create(&db, admin.id).await.unwrap().key,
        created.key
    );
}

#[actix_web::test]
async fn inserting_a_colliding_key_fails_and_keeps_the_existing_row() {
    let settings = settings();
    let db = database(&settings).await;
    let admin = auth_actix::store::user::AUTH_USER
        .find_by_username(&db, "admin")
        .await
        .unwrap()
        .unwrap();
    assert!(
        token::create_with_key(&db, admin.id, "abcd1234")
            .await
            .is_err()
    );
    let (row, user) = token::find_with_user(&db, &auth_actix::store::user::AUTH_USER, "abcd1234")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.username, "john");
    assert_eq!(row.user_id, user.id);
}

/// Keys are found by their first eight characters, then compared whole in constant time: keys
/// that share the prefix each find their own user, and one that shares only the prefix finds
/// nobody, whichever keys are longer or shorter than the prefix.
#[actix_web::test]
async fn keys_sharing_a_prefix_find_their_own_row_only() {
    let settings = settings();
    let db = database(&settings).await;
    add_prefix_sharing_token(&db).await;
    let app = suite_app(&settings, &db).await;
    assert_keys_sharing_a_prefix_find_their_own_rows(&app).await;
}
