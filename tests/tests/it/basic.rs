//! Basic authentication (spec §1.2–§1.4) and its rows of the §8.1 table, end to end through
//! actix-web against a real SQLite database.

use actix_web::test;
use auth_actix::store::user;
use auth_actix::{AllowAny, BasicAuthentication, IsAuthenticated};
use test_support::*;

/// The suite's app: the library on `db` with these routes.
async fn suite_app(settings: &AuthSettings, db: &DatabaseConnection) -> impl TestApp + use<> {
    app(settings, db, |routes| {
        routes
            .service(route::<(BasicAuthentication,), IsAuthenticated>("/basic/"))
            .service(route::<(BasicAuthentication,), AllowAny>(
                "/basic-allow-any/",
            ));
    })
    .await
}

const CHALLENGE: Option<&str> = Some("Basic realm=\"api\"");

#[actix_web::test]
async fn no_header_is_not_provided_with_basic_challenge() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, get("/basic/")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.www_authenticate.as_deref(), CHALLENGE);
    assert_eq!(reply.content_type.as_deref(), Some("application/json"));
    assert_eq!(reply.body, Reply::NOT_PROVIDED);
}

#[actix_web::test]
async fn valid_credentials_authenticate_with_any_scheme_case_and_whitespace() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    for header in [
        "Basic am9objpwYXNzd29yZA==",
        "basic am9objpwYXNzd29yZA==",
        "BASIC am9objpwYXNzd29yZA==",
        "  Basic    am9objpwYXNzd29yZA==  ",
        "Basic\tam9objpwYXNzd29yZA==",
    ] {
        let reply = send(&app, with_auth(get("/basic/"), header)).await;
        assert_eq!(reply.status, 200, "{header:?}");
        assert_eq!(reply.www_authenticate, None);
        assert_eq!(reply.body, json_body("john", "None"), "{header:?}");
    }
}

#[actix_web::test]
async fn wrong_password_unknown_user_inactive_user_are_indistinguishable() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    for credentials in [
        &b"john:wrong"[..],
        b"nobody:password",
        b"inactive:password",
        b"john:pass:word",
        b":",
    ] {
        let reply = send(&app, with_auth(get("/basic/"), basic(credentials))).await;
        assert_eq!(reply.status, 401, "{credentials:?}");
        assert_eq!(reply.www_authenticate.as_deref(), CHALLENGE);
        assert_eq!(reply.body, detail("Invalid username/password."));
    }
}

#[actix_web::test]
async fn password_is_split_at_the_first_colon() {
    let settings = settings();
    let db = database(&settings).await;
    add_user(&db, &settings, "colon", "pass:word", true, false).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, with_auth(get("/basic/"), basic(b"colon:pass:word"))).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, json_body("colon", "None"));
}

#[actix_web::test]
async fn keyword_alone_is_no_credentials() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    for header in ["Basic", "Basic "] {
        let reply = send(&app, with_auth(get("/basic/"), header)).await;
        assert_eq!(reply.status, 401);
        assert_eq!(reply.www_authenticate.as_deref(), CHALLENGE);
        assert_eq!(
            reply.body,
            detail("Invalid basic header. No credentials provided.")
        );
    }
}

#[actix_web::test]
async fn three_fields_are_credentials_with_spaces() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, with_auth(get("/basic/"), "Basic foo bar")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.body,
        detail("Invalid basic header. Credentials string should not contain spaces.")
    );
}

#[actix_web::test]
async fn bad_base64_or_missing_colon_is_not_correctly_encoded() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    for header in ["Basic =a=", "Basic am9obg==", "Basic am9objpwYXNzd29yZA"] {
        let reply = send(&app, with_auth(get("/basic/"), header)).await;
        assert_eq!(reply.status, 401, "{header}");
        assert_eq!(reply.www_authenticate.as_deref(), CHALLENGE);
        assert_eq!(
            reply.body,
            detail("Invalid basic header. Credentials not correctly base64 encoded.")
        );
    }
}

#[actix_web::test]
async fn lenient_decoder_skips_junk_and_stops_at_padding() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    for header in [
        "Basic am9o!!!bjpwYXNzd29yZA==",
        "Basic am9objpwYXNzd29yZA==YQ==",
        "Basic am9objpwYXNzd29yZA====",
    ] {
        let reply = send(&app, with_auth(get("/basic/"), header)).await;
        assert_eq!(reply.status, 200, "{header}");
        assert_eq!(reply.body, json_body("john", "None"));
    }
}

#[actix_web::test]
async fn other_scheme_is_not_attempted() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, with_auth(get("/basic/"), "Bearer xyz")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.www_authenticate.as_deref(), CHALLENGE);
    assert_eq!(reply.body, Reply::NOT_PROVIDED);
}

#[actix_web::test]
async fn utf8_and_latin1_credentials_both_authenticate() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let utf8 = "walterwhité:pässwörd".as_bytes().to_vec();
    let latin1: Vec<u8> = "walterwhité:pässwörd".chars().map(|c| c as u8).collect();
    assert_eq!(basic(&utf8), "Basic d2FsdGVyd2hpdMOpOnDDpHNzd8O2cmQ=");
    for credentials in [utf8, latin1] {
        let reply = send(&app, with_auth(get("/basic/"), basic(&credentials))).await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.body, json_body("walterwhité", "None"));
    }
}

#[actix_web::test]
async fn authentication_errors_are_raised_even_when_permissions_allow_any() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(
        &app,
        with_auth(get("/basic-allow-any/"), basic(b"john:wrong")),
    )
    .await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.www_authenticate.as_deref(), CHALLENGE);
    assert_eq!(reply.body, detail("Invalid username/password."));
}

#[actix_web::test]
async fn basic_post_needs_no_csrf_token() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let request = with_auth(
        test::TestRequest::post()
            .uri("/basic/")
            .set_payload("a=b")
            .insert_header(("Content-Type", "application/x-www-form-urlencoded")),
        "Basic am9objpwYXNzd29yZA==",
    );
    let reply = send(&app, request).await;
    assert_eq!(reply.status, 200);
}

#[actix_web::test]
async fn basic_does_not_log_the_user_in() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, with_auth(get("/basic/"), basic(b"john:password"))).await;
    assert_eq!(reply.status, 200);
    let john = user::AUTH_USER
        .find_by_username(&db, "john")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(john.last_login, None);
}

#[actix_web::test]
async fn outdated_hash_is_upgraded_on_success_and_only_the_password_column_changes() {
    let settings = settings_builder().pbkdf2_iterations(2000).build().unwrap();
    let db = database(&settings).await;
    let before = add_user(&db, &settings, "legacy", "password", true, false).await;
    // Appendix B.1: 1000 iterations and a 7-character salt, both outdated.
    let legacy_hash = "pbkdf2_sha256$1000$seasalt$YIWkt6M1JFXrHg5s0jZjBSc7C2Cz6QvchSJ0h8Y+i7c=";
    user::AUTH_USER
        .save_password(&db, before.id, legacy_hash.to_owned())
        .await
        .unwrap();
    let app = suite_app(&settings, &db).await;

    let reply = send(&app, with_auth(get("/basic/"), basic(b"legacy:password"))).await;
    assert_eq!(reply.status, 200);
    let after = user::AUTH_USER
        .find_by_id(&db, before.id)
        .await
        .unwrap()
        .unwrap();
    let parts: Vec<&str> = after.password.split('$').collect();
    assert_eq!(parts[0], "pbkdf2_sha256");
    assert_eq!(parts[1], "2000");
    assert_eq!(parts[2].len(), 22, "a fresh 22-character salt");
    assert_eq!(after.username, before.username);
    assert_eq!(after.date_joined, before.date_joined);
    assert_eq!(after.last_login, None);

    // The upgraded hash still authenticates.
    let reply = send(&app, with_auth(get("/basic/"), basic(b"legacy:password"))).await;
    assert_eq!(reply.status, 200);
}

#[actix_web::test]
async fn wrong_password_on_outdated_hash_is_refused_and_not_upgraded() {
    let settings = settings_builder().pbkdf2_iterations(2000).build().unwrap();
    let db = database(&settings).await;
    let before = add_user(&db, &settings, "legacy", "password", true, false).await;
    let legacy_hash = "pbkdf2_sha256$1000$seasalt$YIWkt6M1JFXrHg5s0jZjBSc7C2Cz6QvchSJ0h8Y+i7c=";
    user::AUTH_USER
        .save_password(&db, before.id, legacy_hash.to_owned())
        .await
        .unwrap();
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, with_auth(get("/basic/"), basic(b"legacy:wrong"))).await;
    assert_eq!(reply.status, 401);
    let after = user::AUTH_USER
        .find_by_id(&db, before.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.password, legacy_hash);
}
