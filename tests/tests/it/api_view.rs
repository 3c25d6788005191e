//! `#[api_view(…)]` (DRF's `api_view`): the listed methods reach the function; after the view's
//! policy, `OPTIONS` gets DRF's metadata and any other method DRF's 405, every answer with the
//! view's `Allow`. The expected bodies are DRF 3.18's for the same functions (the parity suite's
//! `api-view` group checks them against DRF itself). (Handler names are unique in the test
//! binary: deny-by-default expects a route named after a declared handler to reach it.)

use actix_web::http::header;
use actix_web::{HttpResponse, test, web};
use auth_actix::{
    AllowAny, Auth, BasicAuthentication, CSVRenderer, IsAuthenticated, api_view,
    authentication_classes, permission_classes, renderer_classes,
};
use test_support::*;

/// Lists the articles.
///
/// Second paragraph, indented.
#[api_view(GET, POST)]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(AllowAny)]
async fn list_articles_v2(auth: Auth) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({
        "method": auth.request().method().as_str(),
        "user": auth.user().to_string(),
    }))
}

#[api_view("/api-view/guarded/", GET)]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn api_view_guarded(auth: Auth) -> HttpResponse {
    HttpResponse::Ok().json(auth.user().to_string())
}

#[api_view(get, Options)]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(AllowAny)]
#[renderer_classes(CSVRenderer)]
async fn api_view_own_options(auth: Auth) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .body(format!("method\r\n{}\r\n", auth.request().method()))
}

/// A body parameter after the guard: the methods the view does not list never reach it.
#[api_view(POST)]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(AllowAny)]
async fn api_view_with_body(auth: Auth, body: web::Json<serde_json::Value>) -> HttpResponse {
    let _ = auth;
    HttpResponse::Ok().json(body.into_inner())
}

fn routes(config: &mut web::ServiceConfig) {
    config
        .route("/api-view/articles/", web::to(list_articles_v2))
        .service(api_view_guarded)
        .route("/api-view/csv/", web::to(api_view_own_options))
        .route("/api-view/body/", web::to(api_view_with_body));
}

/// Status, `Allow`, `Content-Type` and body of one request.
async fn answer(app: &impl TestApp, request: test::TestRequest) -> (u16, String, String, String) {
    let reply = send(app, request).await;
    let text = |value: Option<String>| value.unwrap_or_else(|| "-".to_owned());
    (
        reply.status,
        text(reply.allow),
        text(reply.content_type),
        reply.body,
    )
}

fn method(name: &str, path: &str) -> test::TestRequest {
    test::TestRequest::default()
        .method(actix_web::http::Method::from_bytes(name.as_bytes()).unwrap())
        .uri(path)
}

const JOHN: &[u8] = b"john:password";

#[actix_web::test]
async fn listed_methods_reach_the_function_and_others_get_drfs_405() {
    let settings = settings();
    let db = database(&settings).await;
    let app = app(&settings, &db, routes).await;
    let allow = "GET, POST, OPTIONS";
    for name in ["GET", "POST"] {
        let (status, got_allow, _, body) = answer(&app, method(name, "/api-view/articles/")).await;
        assert_eq!(status, 200, "{name}: {body}");
        assert_eq!(got_allow, allow);
        assert_eq!(
            body,
            serde_json::json!({"method": name, "user": "AnonymousUser"}).to_string()
        );
    }
    // HEAD is not implied by GET, as in DRF's `api_view`.
    for name in ["PUT", "PATCH", "DELETE", "HEAD", "TRACE"] {
        let (status, got_allow, content_type, body) =
            answer(&app, method(name, "/api-view/articles/")).await;
        assert_eq!(status, 405, "{name}");
        assert_eq!(got_allow, allow);
        assert_eq!(content_type, "application/json");
        if name != "HEAD" {
            assert_eq!(
                body,
                format!(r#"{{"detail":"Method \"{name}\" not allowed."}}"#)
            );
        }
    }
}

#[actix_web::test]
async fn options_is_drfs_simple_metadata() {
    let settings = settings();
    let db = database(&settings).await;
    let app = app(&settings, &db, routes).await;
    let (status, allow, content_type, body) =
        answer(&app, method("OPTIONS", "/api-view/articles/")).await;
    assert_eq!(
        (status, allow.as_str(), content_type.as_str()),
        (200, "GET, POST, OPTIONS", "application/json")
    );
    // DRF 3.18, byte for byte, for the same function and docstring.
    assert_eq!(
        body,
        r#"{"name":"List Articles V2","description":"Lists the articles.\n\nSecond paragraph, indented.","renders":["application/json","text/html"],"parses":["application/json","application/x-www-form-urlencoded","multipart/form-data"]}"#
    );
    // `indent` lays it out as every JSON answer of the view.
    let (_, _, _, body) = answer(
        &app,
        method("OPTIONS", "/api-view/articles/")
            .insert_header((header::ACCEPT, "application/json; indent=2")),
    )
    .await;
    assert!(
        body.starts_with("{\n  \"name\": \"List Articles V2\",\n"),
        "{body}"
    );
}

#[actix_web::test]
async fn the_policy_runs_before_the_method_is_refused() {
    let settings = settings();
    let db = database(&settings).await;
    let app = app(&settings, &db, routes).await;
    // DRF's `initial()` first: no credentials is 401 whatever the method, with the view's Allow.
    for name in ["GET", "PUT", "OPTIONS"] {
        let response =
            test::call_service(&app, method(name, "/api-view/guarded/").to_request()).await;
        assert_eq!(response.status().as_u16(), 401, "{name}");
        assert_eq!(
            response.headers().get(header::ALLOW).unwrap(),
            "GET, OPTIONS"
        );
        assert_eq!(
            response.headers().get(header::WWW_AUTHENTICATE).unwrap(),
            r#"Basic realm="api""#
        );
    }
    let (status, allow, _, body) = answer(
        &app,
        with_auth(method("PUT", "/api-view/guarded/"), basic(JOHN)),
    )
    .await;
    assert_eq!(
        (status, allow.as_str(), body.as_str()),
        (
            405,
            "GET, OPTIONS",
            r#"{"detail":"Method \"PUT\" not allowed."}"#
        )
    );
    let (status, _, _, body) =
        answer(&app, with_auth(get("/api-view/guarded/"), basic(JOHN))).await;
    assert_eq!((status, body.as_str()), (200, r#""john""#));
}

#[actix_web::test]
async fn a_listed_options_is_the_functions_and_refusals_use_the_views_renderer() {
    let settings = settings();
    let db = database(&settings).await;
    let app = app(&settings, &db, routes).await;
    let (status, allow, _, body) = answer(&app, method("OPTIONS", "/api-view/csv/")).await;
    assert_eq!(
        (status, allow.as_str(), body.as_str()),
        (200, "GET, OPTIONS", "method\r\nOPTIONS\r\n")
    );
    let (status, allow, content_type, body) = answer(&app, method("POST", "/api-view/csv/")).await;
    assert_eq!(
        (status, allow.as_str(), content_type.as_str()),
        (405, "GET, OPTIONS", "text/csv; charset=utf-8")
    );
    assert_eq!(body, "detail\r\n\"Method \"\"POST\"\" not allowed.\"\r\n");
}

#[actix_web::test]
async fn the_method_is_answered_before_any_parameter_reads_the_body() {
    let settings = settings();
    let db = database(&settings).await;
    let app = app(&settings, &db, routes).await;
    // No body, or one the JSON parameter would refuse: DRF's 405 and metadata, not a 400.
    for request in [
        method("GET", "/api-view/body/"),
        method("PUT", "/api-view/body/")
            .insert_header((header::CONTENT_TYPE, "application/json"))
            .set_payload("{not json"),
    ] {
        let (status, allow, _, body) = answer(&app, request).await;
        assert_eq!((status, allow.as_str()), (405, "POST, OPTIONS"), "{body}");
    }
    let (status, _, content_type, body) = answer(&app, method("OPTIONS", "/api-view/body/")).await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "application/json"),
        "{body}"
    );
    assert!(
        body.starts_with(r#"{"name":"Api View With Body","#),
        "{body}"
    );
    let posted = method("POST", "/api-view/body/")
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .set_payload(r#"{"a":1}"#);
    let (status, _, _, body) = answer(&app, posted).await;
    assert_eq!((status, body.as_str()), (200, r#"{"a":1}"#));
}
