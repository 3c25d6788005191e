//! The macro-declared policy behaves exactly like the same policy written by hand with
//! `PolicyGuard` (spec §8.1 rows), whatever the attribute order and registration style.

use actix_web::{HttpResponse, Responder, get, test, web};
use auth_actix::permissions::{Not, Or};
use auth_actix::{
    AllowAny, Auth, BasicAuthentication, BearerAuthentication, IsAdminUser, IsAuthenticated,
    IsAuthenticatedOrReadOnly, RemoteUserAuthentication, TokenAuthentication,
    authentication_classes, permission_classes,
};
use test_support::*;

fn body(auth: &Auth) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({
        "user": auth.user().to_string(),
        "auth": auth.auth().to_drf_string(),
    }))
}

// Attributes below the route macro.
#[get("/basic/")]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn basic_view(auth: Auth) -> HttpResponse {
    body(&auth)
}

// Attributes above the route macro, in the other order.
#[permission_classes(IsAuthenticated)]
#[authentication_classes(TokenAuthentication)]
#[get("/token/")]
async fn token_view(auth: Auth) -> impl Responder {
    body(&auth)
}

// The route macro between the two policy attributes.
#[authentication_classes(BearerAuthentication)]
#[get("/bearer/")]
#[permission_classes(IsAuthenticated)]
async fn bearer_view(auth: Auth) -> Result<HttpResponse, actix_web::Error> {
    Ok(body(&auth))
}

// Registered with `web::route().to(…)`.
#[authentication_classes(TokenAuthentication, BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn token_basic_view(auth: Auth) -> HttpResponse {
    body(&auth)
}

#[authentication_classes()]
#[permission_classes(IsAuthenticated)]
async fn none_view(auth: Auth) -> HttpResponse {
    body(&auth)
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAdminUser)]
async fn admin_view(auth: Auth) -> HttpResponse {
    body(&auth)
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticatedOrReadOnly)]
async fn read_only_view(auth: Auth) -> HttpResponse {
    body(&auth)
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAdminUser | IsAuthenticatedOrReadOnly)]
async fn admin_or_read_only_view(auth: Auth) -> HttpResponse {
    body(&auth)
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(!IsAuthenticated)]
async fn not_authenticated_view(auth: Auth) -> HttpResponse {
    body(&auth)
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(~IsAuthenticated)]
async fn tilde_view(auth: Auth) -> HttpResponse {
    body(&auth)
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(AllowAny)]
async fn allow_any_view(auth: Auth) -> HttpResponse {
    body(&auth)
}

#[authentication_classes(RemoteUserAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn remote_user_view(auth: Auth) -> HttpResponse {
    body(&auth)
}

#[authentication_classes(TokenAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn json_view(payload: web::Json<serde_json::Value>) -> HttpResponse {
    HttpResponse::Ok().json(payload.into_inner())
}

fn declared(config: &mut web::ServiceConfig) {
    config
        .service(basic_view)
        .service(token_view)
        .service(bearer_view)
        .route("/token-basic/", web::route().to(token_basic_view))
        .route("/none/", web::route().to(none_view))
        .route("/admin/", web::route().to(admin_view))
        .route("/read-only/", web::route().to(read_only_view))
        .route(
            "/admin-or-read-only/",
            web::route().to(admin_or_read_only_view),
        )
        .route(
            "/not-authenticated/",
            web::route().to(not_authenticated_view),
        )
        .route("/tilde/", web::route().to(tilde_view))
        .route("/allow-any/", web::route().to(allow_any_view))
        .route("/remote-user/", web::route().to(remote_user_view))
        .route("/json/", web::post().to(json_view));
}

fn by_hand(config: &mut web::ServiceConfig) {
    config
        .service(route::<(BasicAuthentication,), IsAuthenticated>("/basic/"))
        .service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"))
        .service(route::<(BearerAuthentication,), IsAuthenticated>(
            "/bearer/",
        ))
        .service(route::<
            (TokenAuthentication, BasicAuthentication),
            IsAuthenticated,
        >("/token-basic/"))
        .service(route::<(), IsAuthenticated>("/none/"))
        .service(route::<(BasicAuthentication,), IsAdminUser>("/admin/"))
        .service(route::<(BasicAuthentication,), IsAuthenticatedOrReadOnly>(
            "/read-only/",
        ))
        .service(route::<
            (BasicAuthentication,),
            Or<IsAdminUser, IsAuthenticatedOrReadOnly>,
        >("/admin-or-read-only/"))
        .service(route::<(BasicAuthentication,), Not<IsAuthenticated>>(
            "/not-authenticated/",
        ))
        .service(route::<(BasicAuthentication,), Not<IsAuthenticated>>(
            "/tilde/",
        ))
        .service(route::<(BasicAuthentication,), AllowAny>("/allow-any/"))
        .service(route::<(RemoteUserAuthentication,), IsAuthenticated>(
            "/remote-user/",
        ));
}

/// One request of the table: path, method, headers.
type Row = (&'static str, &'static str, Vec<(&'static str, String)>);

/// The §8.1 requests.
fn requests() -> Vec<Row> {
    let authorization = |value: &str| vec![("Authorization", value.to_owned())];
    vec![
        ("/basic/", "GET", vec![]),
        ("/basic/", "GET", authorization(&basic(b"john:password"))),
        ("/basic/", "GET", authorization(&basic(b"john:wrong"))),
        (
            "/basic/",
            "GET",
            authorization(&basic(b"inactive:password")),
        ),
        ("/basic/", "GET", authorization("Basic")),
        ("/basic/", "GET", authorization("Basic foo bar")),
        ("/basic/", "GET", authorization("Basic =a=")),
        ("/basic/", "GET", authorization("Bearer xyz")),
        ("/basic/", "GET", vec![("Accept", "text/xml".into())]),
        ("/token/", "GET", vec![]),
        ("/token/", "GET", authorization("Token abcd1234")),
        ("/token/", "GET", authorization("Token wxyz6789")),
        ("/token/", "GET", authorization("Token")),
        ("/token/", "GET", authorization("Token foo bar")),
        ("/token/", "GET", authorization("Token inactivetoken")),
        ("/bearer/", "GET", vec![]),
        ("/bearer/", "GET", authorization("Bearer nope")),
        ("/bearer/", "GET", authorization("Bearer abcd1234")),
        ("/token-basic/", "GET", authorization(&basic(b"john:wrong"))),
        (
            "/token-basic/",
            "GET",
            authorization(&basic(b"john:password")),
        ),
        ("/none/", "GET", vec![]),
        ("/admin/", "GET", vec![]),
        ("/admin/", "GET", authorization(&basic(b"john:password"))),
        ("/admin/", "GET", authorization(&basic(b"admin:password"))),
        ("/read-only/", "GET", vec![]),
        ("/read-only/", "HEAD", vec![]),
        ("/read-only/", "OPTIONS", vec![]),
        ("/read-only/", "POST", vec![]),
        ("/admin-or-read-only/", "GET", vec![]),
        ("/admin-or-read-only/", "POST", vec![]),
        ("/not-authenticated/", "GET", vec![]),
        (
            "/not-authenticated/",
            "GET",
            authorization(&basic(b"john:password")),
        ),
        ("/tilde/", "GET", vec![]),
        ("/tilde/", "GET", authorization(&basic(b"john:password"))),
        ("/allow-any/", "GET", authorization(&basic(b"john:wrong"))),
        (
            "/remote-user/",
            "GET",
            vec![("X-Remote-User", "john".into())],
        ),
        (
            "/remote-user/",
            "GET",
            vec![("X-Remote-User", "inactive".into())],
        ),
        ("/remote-user/", "GET", vec![]),
    ]
}

#[actix_web::test]
async fn macro_declared_policies_serve_the_same_bytes_as_hand_written_guards() {
    let settings = settings_builder()
        .remote_user_header("X-Remote-User")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let macro_app = app(&settings, &db, |routes| {
        routes.configure(declared);
    })
    .await;
    let hand_app = app(&settings, &db, |routes| {
        routes.configure(by_hand);
    })
    .await;

    let mut statuses = std::collections::BTreeSet::new();
    for (path, method, headers) in requests() {
        let build = || {
            let mut request = test::TestRequest::default()
                .method(method.parse().unwrap())
                .uri(path);
            for (name, value) in &headers {
                request = request.insert_header((*name, value.as_str()));
            }
            request
        };
        let declared = send(&macro_app, build()).await;
        let written = send(&hand_app, build()).await;
        assert_eq!(declared, written, "{method} {path} {headers:?}");
        statuses.insert(declared.status);
    }
    // The table exercises every outcome, so equality is not vacuous.
    assert_eq!(
        statuses.into_iter().collect::<Vec<_>>(),
        [200, 401, 403, 406]
    );
}

#[actix_web::test]
async fn macro_guard_refuses_before_the_body_extractor_runs() {
    let settings = settings();
    let db = database(&settings).await;
    let app = app(&settings, &db, |routes| {
        routes.configure(declared);
    })
    .await;
    let malformed = test::TestRequest::post()
        .uri("/json/")
        .insert_header(("Content-Type", "application/json"))
        .set_payload("{bad");
    let reply = send(&app, malformed).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.body, Reply::NOT_PROVIDED);
}
