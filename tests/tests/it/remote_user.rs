//! Remote-user authentication (spec §1.7): only a trusted channel names the user; unknown users
//! are created; inactive users stay anonymous; no challenge (403).

use actix_web::{HttpMessage, test, web};
use auth_actix::authentication::TrustedRemoteUser;
use auth_actix::store::user;
use auth_actix::{IsAuthenticated, RemoteUserAuthentication};
use test_support::*;

/// The suite's app: the library on `db` with these routes.
async fn suite_app(settings: &AuthSettings, db: &DatabaseConnection) -> impl TestApp + use<> {
    app(settings, db, |routes| {
        routes.service(route::<(RemoteUserAuthentication,), IsAuthenticated>(
            "/remote-user/",
        ));
    })
    .await
}

fn remote(name: &str) -> test::TestRequest {
    get("/remote-user/").insert_header(("X-Remote-User", name))
}

#[actix_web::test]
async fn configured_header_authenticates_existing_user() {
    let settings = settings_builder()
        .remote_user_header("X-Remote-User")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, remote("john")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, json_body("john", "None"));
}

#[actix_web::test]
async fn unknown_user_is_created_with_an_unusable_password() {
    let settings = settings_builder()
        .remote_user_header("X-Remote-User")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    assert!(
        user::AUTH_USER
            .find_by_username(&db, "newcomer")
            .await
            .unwrap()
            .is_none()
    );
    let reply = send(&app, remote("newcomer")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, json_body("newcomer", "None"));
    let created = user::AUTH_USER
        .find_by_username(&db, "newcomer")
        .await
        .unwrap()
        .unwrap();
    assert!(created.is_active);
    assert!(!created.is_staff);
    assert_eq!(created.password, "");
    // The second request finds the same row.
    assert_eq!(send(&app, remote("newcomer")).await.status, 200);
}

#[actix_web::test]
async fn creation_can_be_disabled() {
    let settings = settings_builder()
        .remote_user_header("X-Remote-User")
        .remote_user_create_unknown(false)
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, remote("newcomer")).await;
    assert_eq!(reply.status, 403);
    assert_eq!(reply.body, Reply::NOT_PROVIDED);
    assert!(
        user::AUTH_USER
            .find_by_username(&db, "newcomer")
            .await
            .unwrap()
            .is_none()
    );
}

#[actix_web::test]
async fn inactive_absent_or_empty_remote_user_is_anonymous_403() {
    let settings = settings_builder()
        .remote_user_header("X-Remote-User")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    for request in [remote("inactive"), get("/remote-user/"), remote("")] {
        let reply = send(&app, request).await;
        assert_eq!(reply.status, 403);
        assert_eq!(reply.www_authenticate, None);
        assert_eq!(reply.body, Reply::NOT_PROVIDED);
    }
}

#[actix_web::test]
async fn without_configuration_no_header_is_trusted() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    for (name, value) in [
        ("X-Remote-User", "john"),
        ("Remote-User", "john"),
        ("REMOTE_USER", "john"),
    ] {
        let reply = send(&app, get("/remote-user/").insert_header((name, value))).await;
        assert_eq!(reply.status, 403, "{name}");
        assert_eq!(reply.body, Reply::NOT_PROVIDED);
    }
}

#[actix_web::test]
async fn a_server_set_extension_is_trusted() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let request = get("/remote-user/").to_request();
    request
        .extensions_mut()
        .insert(TrustedRemoteUser("john".to_owned()));
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status().as_u16(), 200);
    let body = test::read_body(response).await;
    assert_eq!(body, web::Bytes::from(json_body("john", "None")));
}
