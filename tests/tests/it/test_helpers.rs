//! The test helpers (`auth_actix::test`): `force_authenticate`, and a client that keeps
//! credentials and logs in through the real session endpoints.

use actix_web::{test, web};
use auth_actix::authentication::AuthInfo;
use auth_actix::store::user;
use auth_actix::test::{TestClient, force_authenticate};
use auth_actix::views::session_endpoints;
use auth_actix::{IsAdminUser, IsAuthenticated, SessionAuthentication, TokenAuthentication};
use test_support::*;

fn config(config: &mut web::ServiceConfig) {
    config
        .service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"))
        .service(route::<(TokenAuthentication,), IsAdminUser>("/admin/"))
        .service(route::<(SessionAuthentication,), IsAuthenticated>(
            "/session/",
        ))
        .service(web::scope("/auth").configure(session_endpoints));
}

#[actix_web::test]
async fn force_authenticate_skips_credentials_but_not_permissions() {
    let settings = settings();
    let db = database(&settings).await;
    let app = app(&settings, &db, |routes| {
        routes.configure(config);
    })
    .await;
    let john = user::AUTH_USER
        .find_by_username(&db, "john")
        .await
        .unwrap()
        .unwrap();

    let request = get("/token/").to_request();
    force_authenticate(&request, john.clone(), AuthInfo::None);
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(test::read_body(response).await, json_body("john", "None"));

    let request = get("/admin/").to_request();
    force_authenticate(&request, john, AuthInfo::None);
    assert_eq!(
        test::call_service(&app, request).await.status().as_u16(),
        403
    );
}

#[actix_web::test]
async fn a_client_keeps_its_credentials_and_forced_user() {
    let settings = settings();
    let db = database(&settings).await;
    let app = app(&settings, &db, |routes| {
        routes.configure(config);
    })
    .await;
    let mut client = TestClient::new(app);
    assert_eq!(client.get("/token/").await.unwrap().status().as_u16(), 401);
    client.credentials("Token abcd1234");
    for _ in 0..2 {
        let response = client.get("/token/").await.unwrap();
        assert_eq!(
            test::read_body(response).await,
            json_body("john", "abcd1234")
        );
    }
    client.clear_credentials();
    let admin = user::AUTH_USER
        .find_by_username(&db, "admin")
        .await
        .unwrap()
        .unwrap();
    client.force_authenticate(Some(admin), AuthInfo::None);
    assert_eq!(client.get("/admin/").await.unwrap().status().as_u16(), 200);
}

#[actix_web::test]
async fn a_client_logs_in_through_the_session_endpoints_and_sends_csrf_itself() {
    let settings = settings();
    let db = database(&settings).await;
    let app = session_app(&settings, &db, |routes| {
        routes.configure(config);
    })
    .await;
    let mut client = TestClient::new(app);
    assert_eq!(
        client
            .login("/auth", "john", "password")
            .await
            .unwrap()
            .as_u16(),
        200
    );
    assert!(client.cookies().contains_key("sessionid"));
    let response = client
        .send(test::TestRequest::post().uri("/session/"))
        .await
        .unwrap();
    assert_eq!(
        response.status().as_u16(),
        200,
        "the CSRF header went along"
    );
    assert_eq!(test::read_body(response).await, json_body("john", "None"));
    let response = client
        .send(test::TestRequest::post().uri("/auth/logout/"))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    assert!(!client.cookies().contains_key("sessionid"));
    assert_eq!(
        client.get("/session/").await.unwrap().status().as_u16(),
        403
    );
}
