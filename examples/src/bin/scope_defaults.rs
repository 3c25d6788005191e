//! Policy defaults per group of views (DRF's per-view-set defaults): a `web::scope` wrapped in a
//! `ScopePolicy` runs its policy for every handler under it; what a handler declares replaces
//! the matching part, the rest comes from the scope, then from the project settings (DRF's
//! `DEFAULT_AUTHENTICATION_CLASSES` / `DEFAULT_PERMISSION_CLASSES`). Deny-by-default is on: the
//! handlers that declare nothing still run a policy.
//!
//! - Project: Token authentication, `IsAuthenticated`.
//! - `/public/`: anyone (`AllowAny`), still Token-aware.
//! - `/internal/`: Basic authentication, staff only (`IsAdminUser`); one view there declares its
//!   own permission, which wins over the scope's.
//!
//! ```text
//! cargo run -p examples --bin scope_defaults
//! curl -i http://127.0.0.1:8003/account/                                    # 401 (project: IsAuthenticated)
//! curl -i http://127.0.0.1:8003/public/news/                                # 200 (scope: AllowAny)
//! curl -i -u staff:staff-password http://127.0.0.1:8003/internal/stats/     # 200 (scope: Basic, IsAdminUser)
//! curl -i -u member:member-password http://127.0.0.1:8003/internal/stats/   # 403: not staff
//! curl -i -u member:member-password http://127.0.0.1:8003/internal/status/  # 200: the view's own IsAuthenticated
//! ```

use actix_web::{HttpServer, Responder, get, web};
use auth_actix::authentication::{CreateUserError, UserFields, create_user};
use auth_actix::{
    AllowAny, Auth, AuthSettings, BasicAuthentication, IsAdminUser, IsAuthenticated,
    PolicyDefaults, ScopePolicy, TokenAuthentication, permission_classes, store,
};

/// The port the server listens on (127.0.0.1) unless `PORT` names another.
const DEFAULT_PORT: u16 = 8003;

fn whoami(auth: &Auth, view: &str) -> impl Responder + use<> {
    web::Json(serde_json::json!({
        "view": view,
        "user": auth.user().to_string(),
        "scheme": auth.scheme(),
    }))
}

/// Declares nothing: the project's defaults.
#[get("/account/")]
async fn account(auth: Auth) -> impl Responder {
    whoami(&auth, "account")
}

/// Declares nothing: the `/public/` scope's defaults.
#[get("/news/")]
async fn news(auth: Auth) -> impl Responder {
    whoami(&auth, "news")
}

/// Declares nothing: the `/internal/` scope's defaults.
#[get("/stats/")]
async fn stats(auth: Auth) -> impl Responder {
    whoami(&auth, "stats")
}

/// Declares its permission; its schemes still come from the `/internal/` scope.
#[get("/status/")]
#[permission_classes(IsAuthenticated)]
async fn status(auth: Auth) -> impl Responder {
    whoami(&auth, "status")
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port = std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse().ok());
    let bind = ("127.0.0.1", port.unwrap_or(DEFAULT_PORT));
    let settings = AuthSettings::builder()
        // Demo value only: a real project sets SECRET_KEY (the Django project's own key).
        .secret_key("django-insecure-example-only-not-a-secret")
        .secret_key_from_env("SECRET_KEY")
        .database_url("sqlite://scope_defaults.db?mode=rwc")
        // The project's defaults.
        .default_authentication::<TokenAuthentication>()
        .default_permission::<IsAuthenticated>()
        .build()?;
    let db = store::connect_and_migrate(settings.database_url()).await?;
    for (username, password, is_staff) in [
        ("staff", "staff-password", true),
        ("member", "member-password", false),
    ] {
        let fields = UserFields {
            password: Some(password),
            is_staff,
            ..UserFields::default()
        };
        match create_user(&settings.environment(db.clone()), username, fields).await {
            Ok(_) | Err(CreateUserError::UsernameTaken) => {}
            Err(error) => return Err(error.into()),
        }
    }

    let base = format!("http://{}:{}", bind.0, bind.1);
    println!("Listening on {base}\n");
    println!("curl -i {base}/account/                                    # 401");
    println!("curl -i {base}/public/news/                                # 200");
    println!("curl -i -u staff:staff-password {base}/internal/stats/     # 200");
    println!("curl -i -u member:member-password {base}/internal/stats/   # 403");
    println!("curl -i -u member:member-password {base}/internal/status/  # 200");
    HttpServer::new(move || {
        auth_actix::app(settings.clone(), db.clone())
            .service(account)
            .service(
                web::scope("/public")
                    .wrap(ScopePolicy::new(
                        PolicyDefaults::new().permission::<AllowAny>(),
                    ))
                    .service(news),
            )
            .service(
                web::scope("/internal")
                    .wrap(ScopePolicy::new(
                        PolicyDefaults::new()
                            .authentication::<BasicAuthentication>()
                            .permission::<IsAdminUser>(),
                    ))
                    .service(stats)
                    .service(status),
            )
    })
    .bind(bind)?
    .run()
    .await?;
    Ok(())
}
