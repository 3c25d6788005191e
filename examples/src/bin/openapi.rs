//! An OpenAPI document whose security comes from each handler's declared policy (the `openapi`
//! feature), served at `/openapi.json`.
//!
//! ```text
//! cargo run -p examples --bin openapi
//! curl -s http://127.0.0.1:8005/openapi.json
//! ```
//!
//! `GET /articles/` lists `[{"TokenAuthentication": []}, {"SessionAuthentication": []}, {}]`:
//! a token, or a session, or nothing (read-only for anonymous users). `POST /articles/` has no
//! `{}`, and its session alternative also needs the CSRF cookie and header. The schemes are in
//! `components.securitySchemes`.

use actix_web::{HttpResponse, HttpServer, Responder, get, post, web};
use auth_actix::openapi::PolicySecurity;
use auth_actix::{
    Auth, AuthSettings, IsAdminUser, IsAuthenticatedOrReadOnly, SessionAuthentication,
    TokenAuthentication, authentication_classes, login_not_required, permission_classes, store,
};
use utoipa::OpenApi;

/// The port the server listens on (127.0.0.1) unless `PORT` names another.
const DEFAULT_PORT: u16 = 8005;

/// The articles; anyone may read them.
#[utoipa::path(get, path = "/articles/", responses((status = 200, description = "The articles")))]
#[get("/articles/")]
#[authentication_classes(TokenAuthentication, SessionAuthentication)]
#[permission_classes(IsAuthenticatedOrReadOnly)]
async fn list_articles(auth: Auth) -> impl Responder {
    web::Json(serde_json::json!({ "reader": auth.user().to_string(), "articles": [] }))
}

/// Writes an article; signed-in users only.
#[utoipa::path(post, path = "/articles/", responses((status = 201, description = "Created")))]
#[post("/articles/")]
#[authentication_classes(TokenAuthentication, SessionAuthentication)]
#[permission_classes(IsAuthenticatedOrReadOnly)]
async fn create_article(auth: Auth) -> impl Responder {
    HttpResponse::Created().json(serde_json::json!({ "author": auth.user().to_string() }))
}

/// Staff only; the schemes are the project's defaults (Session, then Basic).
#[utoipa::path(get, path = "/admin/stats/", responses((status = 200, description = "Statistics")))]
#[get("/admin/stats/")]
#[permission_classes(IsAdminUser)]
async fn stats() -> impl Responder {
    web::Json(serde_json::json!({ "users": 1 }))
}

/// No policy at all (`#[login_not_required]`): open under deny-by-default, and marked
/// `x-login-not-required` in the document.
#[utoipa::path(get, path = "/health/", responses((status = 200, description = "Up")))]
#[get("/health/")]
#[login_not_required]
async fn health() -> impl Responder {
    "ok"
}

/// The document itself, open to anyone.
#[login_not_required]
async fn openapi_json(document: web::Data<utoipa::openapi::OpenApi>) -> impl Responder {
    HttpResponse::Ok().json(document.get_ref())
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Articles", version = "1.0.0"),
    paths(list_articles, create_article, stats, health)
)]
struct ApiDoc;

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port = std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse().ok());
    let bind = ("127.0.0.1", port.unwrap_or(DEFAULT_PORT));
    let settings = AuthSettings::builder()
        // Demo value only: a real project sets SECRET_KEY (the Django project's own key).
        .secret_key("django-insecure-openapi-example-only")
        .secret_key_from_env("SECRET_KEY")
        .database_url("sqlite::memory:")
        .database_url_from_env("DATABASE_URL")
        .build()?;
    let db = store::connect_and_migrate(settings.database_url()).await?;

    let mut document = ApiDoc::openapi();
    PolicySecurity::new(&settings).apply(&mut document)?;
    let document = web::Data::new(document);

    println!(
        "OpenAPI document at http://{}:{}/openapi.json",
        bind.0, bind.1
    );
    HttpServer::new(move || {
        auth_actix::app(settings.clone(), db.clone())
            .app_data(document.clone())
            .route("/openapi.json", web::get().to(openapi_json))
            .service(list_articles)
            .service(create_article)
            .service(stats)
            .service(health)
    })
    .bind(bind)?
    .run()
    .await?;
    Ok(())
}
