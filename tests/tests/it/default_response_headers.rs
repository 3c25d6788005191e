//! DRF's `default_response_headers` on every response of an API view, errors included: `Allow`
//! (the view's methods, given by `DefaultResponseHeaders`) and `Vary: Accept` (DRF's two default
//! renderers), before session middleware's `Cookie`. Handlers that opted out get neither.

use actix_web::http::header;
use actix_web::{HttpResponse, get, test, web};
use auth_actix::views::{obtain_auth_token_resource, session_endpoints};
use auth_actix::{
    BasicAuthentication, DefaultResponseHeaders, IsAuthenticated, SessionAuthentication,
    login_not_required,
};
use test_support::*;

#[login_not_required]
#[get("/open/")]
async fn open() -> HttpResponse {
    HttpResponse::Ok().body("open")
}

/// Status, `Allow` and `Vary` of one request.
async fn headers_of<S, B>(
    app: &S,
    request: test::TestRequest,
) -> (u16, Option<String>, Option<String>)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let response = test::call_service(app, request.to_request()).await;
    let text = |name| {
        response
            .headers()
            .get(name)
            .and_then(|value: &header::HeaderValue| value.to_str().ok())
            .map(str::to_owned)
    };
    (
        response.status().as_u16(),
        text(header::ALLOW),
        text(header::VARY),
    )
}

fn routes(config: &mut web::ServiceConfig) {
    config
        .service(
            route::<(BasicAuthentication,), IsAuthenticated>("/basic/")
                .app_data(DefaultResponseHeaders::methods(&["GET"])),
        )
        .service(route::<(SessionAuthentication,), IsAuthenticated>(
            "/session/",
        ))
        .service(obtain_auth_token_resource("/api-token-auth/"))
        .service(web::scope("/auth").configure(session_endpoints))
        .service(open);
}

#[actix_web::test]
async fn api_views_answer_drfs_allow_and_vary_on_success_and_refusal() {
    for deny_by_default in [true, false] {
        let settings = settings_builder()
            .deny_by_default(deny_by_default)
            .build()
            .unwrap();
        let db = database(&settings).await;
        let app = session_app(&settings, &db, routes).await;
        let get_allow = Some("GET, HEAD, OPTIONS".to_owned());
        let accept = Some("Accept".to_owned());
        let ok = headers_of(&app, with_auth(get("/basic/"), basic(b"john:password"))).await;
        assert_eq!(
            ok,
            (200, get_allow.clone(), accept.clone()),
            "deny {deny_by_default}"
        );
        let refused = headers_of(&app, get("/basic/")).await;
        assert_eq!(
            refused,
            (401, get_allow, accept.clone()),
            "deny {deny_by_default}"
        );

        // Methods unknown: no `Allow`. Session authentication read the (absent) session, so
        // `Cookie` follows, as Django's session middleware adds it.
        let anonymous = headers_of(&app, get("/session/")).await;
        assert_eq!(anonymous, (403, None, Some("Accept, Cookie".to_owned())));

        // DRF's obtain_auth_token: POST only, JSON renderer only.
        let obtain = |body: &'static str| {
            test::TestRequest::post()
                .uri("/api-token-auth/")
                .insert_header(("Content-Type", "application/json"))
                .set_payload(body)
        };
        // Its default schemes read the session: `Cookie`, and no `Accept`.
        let post_allow = Some("POST, OPTIONS".to_owned());
        let cookie = Some("Cookie".to_owned());
        assert_eq!(
            headers_of(&app, obtain(r#"{"username":"john","password":"password"}"#)).await,
            (200, post_allow.clone(), cookie.clone())
        );
        assert_eq!(
            headers_of(&app, obtain("null")).await,
            (400, post_allow.clone(), cookie.clone())
        );
        assert_eq!(
            headers_of(&app, get("/api-token-auth/")).await,
            (405, post_allow, cookie)
        );

        // Not an API view.
        assert_eq!(headers_of(&app, get("/open/")).await, (200, None, None));
    }
}

#[actix_web::test]
async fn a_session_request_varies_on_accept_then_cookie() {
    let settings = settings();
    let db = database(&settings).await;
    let mut client = client(&settings, &db, routes).await;
    assert_eq!(
        client
            .login("/auth", "john", "password")
            .await
            .unwrap()
            .as_u16(),
        200
    );
    let response = client.get("/session/").await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response
            .headers()
            .get(header::VARY)
            .and_then(|v| v.to_str().ok()),
        Some("Accept, Cookie")
    );
}

#[actix_web::test]
async fn a_json_only_project_sends_no_vary_accept() {
    let settings = settings();
    let db = database(&settings).await;
    let app = test::init_service(
        auth_actix::app(settings.clone(), db.clone())
            .app_data(DefaultResponseHeaders::default().json_only())
            .configure(routes),
    )
    .await;
    let (status, allow, vary) =
        headers_of(&app, with_auth(get("/basic/"), basic(b"john:password"))).await;
    // The resource's own data wins over the app's: it names DRF's default renderers.
    assert_eq!(
        (status, allow.as_deref(), vary.as_deref()),
        (200, Some("GET, HEAD, OPTIONS"), Some("Accept"))
    );
    assert_eq!(headers_of(&app, get("/session/")).await, (403, None, None));
}
