//! The quickstart: a server on 127.0.0.1:8000 backed by a SQLite file, with one open endpoint
//! and one endpoint per scheme.
//!
//! ```text
//! cargo run -p examples --bin quickstart
//! ```
//!
//! It creates the tables and a demo user with a token when they are missing, then prints `curl`
//! lines to paste. Its settings are in `examples/quickstart.toml`, by Django's and DRF's names;
//! `DRF_AUTH_*` variables override them, and so do `SECRET_KEY` and `DATABASE_URL`.

use actix_web::{HttpServer, Responder, get, web};
use auth_actix::authentication::{CreateUserError, UserFields, create_user};
use auth_actix::settings::{ENV_PREFIX, SettingsFile};
use auth_actix::store::{self, token};
use auth_actix::views::{obtain_auth_token_resource, session_endpoints};
use auth_actix::{
    AllowAny, Auth, BasicAuthentication, BearerAuthentication, IsAuthenticated,
    SessionAuthentication, SessionMiddleware, TokenAuthentication, authentication_classes,
    permission_classes,
};

/// The port the server listens on (127.0.0.1) unless `PORT` names another.
const DEFAULT_PORT: u16 = 8000;
const DEMO_USER: &str = "demo";
const DEMO_PASSWORD: &str = "demo-password";

/// The reference's view body: who the request is, and what authenticated it.
fn whoami(auth: &Auth) -> impl Responder + use<> {
    web::Json(serde_json::json!({
        "user": auth.user().to_string(),
        "auth": auth.auth().to_drf_string(),
    }))
}

/// The project's default schemes, and anyone may call it.
#[get("/open/")]
#[permission_classes(AllowAny)]
async fn open(auth: Auth) -> impl Responder {
    whoami(&auth)
}

#[get("/basic/")]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn basic(auth: Auth) -> impl Responder {
    whoami(&auth)
}

#[get("/token/")]
#[authentication_classes(TokenAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn token_view(auth: Auth) -> impl Responder {
    whoami(&auth)
}

#[get("/bearer/")]
#[authentication_classes(BearerAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn bearer(auth: Auth) -> impl Responder {
    whoami(&auth)
}

/// A logged-in browser (or `curl` with a cookie jar); unsafe methods need the CSRF header.
#[actix_web::route("/session/", method = "GET", method = "POST")]
#[authentication_classes(SessionAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn session(auth: Auth) -> impl Responder {
    whoami(&auth)
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port = std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse().ok());
    let bind = ("127.0.0.1", port.unwrap_or(DEFAULT_PORT));
    let settings = SettingsFile::new()
        .file(concat!(env!("CARGO_MANIFEST_DIR"), "/quickstart.toml"))
        .env(ENV_PREFIX)
        .load()?
        .secret_key_from_env("SECRET_KEY")
        .database_url_from_env("DATABASE_URL")
        .build()?;
    let db = store::connect_and_migrate(settings.database_url()).await?;

    let fields = UserFields {
        email: "demo@example.com",
        password: Some(DEMO_PASSWORD),
        ..UserFields::default()
    };
    let user = match create_user(&settings.environment(db.clone()), DEMO_USER, fields).await {
        Ok(user) => user,
        Err(CreateUserError::UsernameTaken) => settings
            .settings()
            .user_model
            .find_by_username(&db, DEMO_USER)
            .await?
            .ok_or("the demo user disappeared")?,
        Err(error) => return Err(error.into()),
    };
    let token = token::get_or_create(&db, user.id).await?;

    let base = format!("http://{}:{}", bind.0, bind.1);
    println!("Quickstart listening on {base} (demo user {DEMO_USER} / {DEMO_PASSWORD})\n");
    println!("curl -i {base}/open/");
    println!("curl -i -u {DEMO_USER}:{DEMO_PASSWORD} {base}/basic/");
    println!(
        "curl -i -H 'Authorization: Token {}' {base}/token/",
        token.key
    );
    println!(
        "curl -i -H 'Authorization: Bearer {}' {base}/bearer/",
        token.key
    );
    println!("curl -i {base}/token/    # no credentials: 401 with WWW-Authenticate: Token");
    println!(
        "\n# Obtain the token with the password (DRF's obtain_auth_token), or from the command line:"
    );
    println!(
        "curl -i -H 'Content-Type: application/json' -d '{{\"username\":\"{DEMO_USER}\",\"password\":\"{DEMO_PASSWORD}\"}}' {base}/api-token-auth/"
    );
    println!(
        "cargo run -p auth-admin -- --database-url 'sqlite://quickstart.db?mode=rwc' create-token {DEMO_USER}"
    );
    println!("\n# A session, as a browser has it (cookie jar in ./jar):");
    println!("curl -s -c jar {base}/auth/csrf/");
    println!(
        "curl -i -b jar -c jar -H \"X-CSRFToken: $(awk '/csrftoken/ {{print $7}}' jar)\" \\\n  \
         -H 'Content-Type: application/json' -d '{{\"username\":\"{DEMO_USER}\",\"password\":\"{DEMO_PASSWORD}\"}}' {base}/auth/login/"
    );
    println!("curl -i -b jar {base}/session/");
    println!(
        "curl -i -b jar -X POST -H \"X-CSRFToken: $(awk '/csrftoken/ {{print $7}}' jar)\" {base}/session/"
    );
    println!("curl -i -b jar -X POST {base}/session/    # no CSRF header: 403 CSRF Failed");

    HttpServer::new(move || {
        auth_actix::app(settings.clone(), db.clone())
            .wrap(SessionMiddleware)
            .service(web::scope("/auth").configure(session_endpoints))
            .service(obtain_auth_token_resource("/api-token-auth/"))
            .service(session)
            .service(open)
            .service(basic)
            .service(token_view)
            .service(bearer)
    })
    .bind(bind)?
    .run()
    .await?;
    Ok(())
}
