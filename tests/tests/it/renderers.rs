//! A handler that declares its renderers (`#[renderer_classes]`): content negotiation against
//! them before authentication, the refusals rendered by the chosen renderer, `?format=`, and
//! `Vary: Accept` by their number. The same routes against DRF itself are the parity suite's
//! `renderers` groups. (Handler names are unique in the test binary: deny-by-default expects a
//! route named after a declared handler to reach it.)

use actix_web::http::header;
use actix_web::{HttpResponse, get, test, web};
use auth_actix::{
    ApiError, Auth, BasicAuthentication, CSVRenderer, IsAuthenticated, JSONRenderer,
    StaticHTMLRenderer, authentication_classes, permission_classes, renderer_classes,
};
use test_support::*;

/// Chrome's `Accept` for a page.
const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,\
                       image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";

#[get("/report/")]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
#[renderer_classes(CSVRenderer, JSONRenderer)]
async fn renderers_report(auth: Auth) -> Result<HttpResponse, auth_actix::ApiErrorResponse> {
    if auth.user().to_string() != "john" {
        return Err(auth.error(ApiError::new(
            auth_actix::authentication::ErrorKind::PermissionDenied,
        )));
    }
    let renderer = auth.accepted_renderer();
    let body = match renderer.format {
        "csv" => "user\r\njohn\r\n",
        _ => r#"[{"user":"john"}]"#,
    };
    Ok(HttpResponse::Ok()
        .content_type(renderer.content_type().as_ref())
        .insert_header(("X-Accepted", auth.accepted_media_type()))
        .body(body))
}

#[get("/page/")]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
#[renderer_classes(StaticHTMLRenderer)]
async fn renderers_page(auth: Auth) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(auth.accepted_renderer().content_type().as_ref())
        .body(format!("<p>{}</p>", auth.user()))
}

#[get("/json/")]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn renderers_json_only(auth: Auth) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"user": auth.user().to_string()}))
}

fn routes(config: &mut web::ServiceConfig) {
    config
        .service(renderers_report)
        .service(renderers_page)
        .service(renderers_json_only);
}

/// Status, `Content-Type`, `Vary`, `WWW-Authenticate`, `X-Accepted` and body of one request.
async fn answer<S, B>(app: &S, request: test::TestRequest) -> [String; 6]
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let response = test::call_service(app, request.to_request()).await;
    let text = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("-")
            .to_owned()
    };
    let head = [
        response.status().as_u16().to_string(),
        text("content-type"),
        text("vary"),
        text("www-authenticate"),
        text("x-accepted"),
    ];
    let body = String::from_utf8(test::read_body(response).await.to_vec()).unwrap();
    let [a, b, c, d, e] = head;
    [a, b, c, d, e, body]
}

fn accept(request: test::TestRequest, value: &str) -> test::TestRequest {
    request.insert_header((header::ACCEPT, value))
}

const CSV: &str = "text/csv; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";
const CHALLENGE: &str = "Basic realm=\"api\"";

#[actix_web::test]
async fn a_csv_handler_answers_a_browser_and_its_refusals_are_csv() {
    let settings = settings();
    let db = database(&settings).await;
    let app = session_app(&settings, &db, routes).await;
    let john = || with_auth(get("/report/"), basic(b"john:password"));

    assert_eq!(
        answer(&app, accept(john(), BROWSER)).await,
        [
            "200",
            CSV,
            "Accept",
            "-",
            "text/csv;q=0.8",
            "user\r\njohn\r\n"
        ]
    );
    assert_eq!(
        answer(&app, accept(john(), "application/json")).await,
        [
            "200",
            "application/json",
            "Accept",
            "-",
            "application/json",
            r#"[{"user":"john"}]"#
        ]
    );
    // Refused by the permission: the chosen renderer renders DRF's data.
    assert_eq!(
        answer(&app, accept(get("/report/"), BROWSER)).await,
        [
            "401",
            CSV,
            "Accept",
            CHALLENGE,
            "-",
            "detail\r\nAuthentication credentials were not provided.\r\n"
        ]
    );
    assert_eq!(
        answer(&app, accept(get("/report/"), "application/json")).await,
        [
            "401",
            "application/json",
            "Accept",
            CHALLENGE,
            "-",
            r#"{"detail":"Authentication credentials were not provided."}"#
        ]
    );
    // A handler's own refusal, through `auth.error`.
    let admin = with_auth(get("/report/"), basic(b"admin:password"));
    assert_eq!(
        answer(&app, admin).await,
        [
            "403",
            CSV,
            "Accept",
            "-",
            "-",
            "detail\r\nYou do not have permission to perform this action.\r\n"
        ]
    );
    // No renderer answers: 406 by the first, before authentication.
    assert_eq!(
        answer(&app, accept(john(), "text/html")).await,
        [
            "406",
            CSV,
            "Accept",
            "-",
            "-",
            "detail\r\nCould not satisfy the request Accept header.\r\n"
        ]
    );
    // `?format=`: a renderer's format chooses; another is DRF's 404, rendered by the first.
    let format =
        |query: &str| with_auth(get(&format!("/report/?{query}")), basic(b"john:password"));
    assert_eq!(
        answer(&app, format("format=json")).await[1],
        "application/json"
    );
    assert_eq!(
        answer(&app, format("format=xml")).await,
        ["404", CSV, "Accept", "-", "-", "detail\r\nNot found.\r\n"]
    );
}

#[actix_web::test]
async fn html_is_served_only_where_a_renderer_declares_it() {
    let settings = settings();
    let db = database(&settings).await;
    let app = session_app(&settings, &db, routes).await;

    // JSON only (no declaration): a browser's page request is DRF's 406.
    let json_page = accept(
        with_auth(get("/json/"), basic(b"john:password")),
        "text/html",
    );
    let refused = answer(&app, json_page).await;
    assert_eq!(refused[0], "406");
    assert_eq!(
        refused[5],
        r#"{"detail":"Could not satisfy the request Accept header."}"#
    );
    let json_browser = accept(with_auth(get("/json/"), basic(b"john:password")), BROWSER);
    assert_eq!(
        answer(&app, json_browser).await[0],
        "200",
        "through */*;q=0.8"
    );

    // An HTML renderer: the page, one renderer so no `Vary: Accept`, and DRF's exception page.
    let john = accept(with_auth(get("/page/"), basic(b"john:password")), BROWSER);
    assert_eq!(
        answer(&app, john).await,
        ["200", HTML, "-", "-", "-", "<p>john</p>"]
    );
    assert_eq!(
        answer(&app, accept(get("/page/"), BROWSER)).await,
        ["401", HTML, "-", CHALLENGE, "-", "401 Unauthorized"]
    );
    assert_eq!(
        answer(&app, accept(get("/page/"), "application/json")).await,
        ["406", HTML, "-", "-", "-", "406 Not Acceptable"]
    );
}

/// Declares permissions only: its renderers are the project's `DEFAULT_RENDERER_CLASSES`.
#[get("/defaults/")]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn renderers_from_defaults(auth: Auth) -> HttpResponse {
    let renderer = auth.accepted_renderer();
    HttpResponse::Ok()
        .content_type(renderer.content_type().as_ref())
        .body(renderer.format)
}

#[actix_web::test]
async fn the_project_default_renderers_serve_views_that_declare_none() {
    let settings = settings_builder()
        .defaults(auth_actix::PolicyDefaults::new().renderer::<(CSVRenderer, JSONRenderer)>())
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = session_app(&settings, &db, |config| {
        config
            .service(renderers_from_defaults)
            .service(renderers_page);
    })
    .await;
    let john = || with_auth(get("/defaults/"), basic(b"john:password"));
    assert_eq!(
        answer(&app, accept(john(), BROWSER)).await,
        ["200", CSV, "Accept", "-", "-", "csv"]
    );
    assert_eq!(
        answer(&app, accept(get("/defaults/"), "application/json")).await[5],
        r#"{"detail":"Authentication credentials were not provided."}"#
    );
    assert_eq!(
        answer(&app, accept(john(), "text/html")).await,
        [
            "406",
            CSV,
            "Accept",
            "-",
            "-",
            "detail\r\nCould not satisfy the request Accept header.\r\n"
        ]
    );
    // A view's own list still decides for it.
    let page = accept(with_auth(get("/page/"), basic(b"john:password")), BROWSER);
    assert_eq!(answer(&app, page).await[..3], ["200", HTML, "-"]);
}

#[actix_web::test]
async fn json_is_laid_out_with_the_accepted_indent_as_drf_lays_it_out() {
    let settings = settings();
    let db = database(&settings).await;
    let app = session_app(&settings, &db, routes).await;
    let john = with_auth(get("/json/"), basic(b"john:password"));
    assert_eq!(
        answer(&app, accept(john, "application/json; indent=2")).await[5],
        "{\n  \"user\": \"john\"\n}"
    );
    assert_eq!(
        answer(&app, accept(get("/json/"), "*/*;indent=12")).await[5],
        "{\n        \"detail\": \"Authentication credentials were not provided.\"\n}",
        "from a wildcard, at most 8"
    );
    let john = with_auth(get("/json/"), basic(b"john:password"));
    assert_eq!(
        answer(&app, accept(john, "application/json;indent=0")).await[5],
        r#"{"user":"john"}"#
    );
    // Not JSON: untouched.
    assert_eq!(
        answer(&app, accept(get("/report/"), "text/csv;indent=4")).await[5],
        "detail\r\nAuthentication credentials were not provided.\r\n"
    );
}
