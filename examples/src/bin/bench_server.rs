//! The load benchmark's server: `bench/run.py` builds it in release mode, starts it once per
//! configuration and drives it with `wrk` (see `bench/README.md`).
//!
//! ```text
//! BENCH_MODE=bare BIND=127.0.0.1:8100 cargo run --release -p examples --bin bench_server
//! DATABASE_URL=sqlite:///abs/bench.db?mode=rwc SECRET_KEY=… cargo run --release -p examples --bin bench_server
//! ```
//!
//! Environment:
//! - `BENCH_MODE`: `bare` serves only `GET /hello/` from a plain actix `App` (no middleware, no
//!   library code: the baseline); anything else (the default) serves every route below.
//! - `BIND` (default `127.0.0.1:8100`), `WORKERS` (actix workers, default 2).
//! - `DATABASE_URL`, `SECRET_KEY`: the Django project's database and key (full mode only).
//! - `PBKDF2_ITERATIONS` (default 1500000, Django's): must match the stored hashes, or every Basic
//!   request would re-hash and write the password.
//! - `AUTH_CACHE_TTL_SECS`: turns on the token/session → user cache with this time to live
//!   (`AuthSettingsBuilder::auth_cache_ttl`; off when unset).
//! - `HASHING_THREADS`: how many password hashes may run at once
//!   (`AuthSettingsBuilder::hashing_threads`; the library's default when unset).
//!
//! The full mode runs deny-by-default (`LoginRequiredMiddleware`, as `auth_actix::app` does).
//! Routes of the full mode, each answering DRF's view body `{"user": …, "auth": …}`:
//! `/hello/` (plain text, `#[login_not_required]`, inside the full app), `/token/` (Token, IsAuthenticated),
//! `/session/` (Session, IsAuthenticated), `/basic/` (Basic, IsAuthenticated), `/macro-token/`
//! (the token policy declared with the attributes), `/hand-token/` (the same policy as a
//! `PolicyGuard` parameter written by hand), and `/token-hello/`, `/session-hello/` (the Token
//! and Session policies answering the bare hello's plain `hello`: authentication's cost alone),
//! `/jwt/` (simplejwt's JWTAuthentication, IsAuthenticated) and `/jwt-stateless/`
//! (JWTStatelessUserAuthentication, IsAuthenticated), both on simplejwt's defaults signing with
//! `SECRET_KEY`, and `/jwt-stateless-hello/` (the stateless policy answering `hello`);
//! `/oauth2/` (django-oauth-toolkit's OAuth2Authentication, IsAuthenticated).

use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, get, web};
use auth_actix::policy::declared;
use auth_actix::{
    Auth, AuthSettings, BasicAuthentication, IsAuthenticated, JwtAuthentication,
    JwtStatelessUserAuthentication, LoginRequiredMiddleware, OAuth2Authentication, PolicyGuard,
    SessionAuthentication, SessionMiddleware, TokenAuthentication, authentication_classes,
    login_not_required, permission_classes,
};

const DEFAULT_BIND: &str = "127.0.0.1:8100";
const DEFAULT_WORKERS: usize = 2;
/// Django 6.1's `PBKDF2PasswordHasher.iterations`.
const DEFAULT_PBKDF2_ITERATIONS: u32 = 1_500_000;

#[get("/hello/")]
async fn hello() -> &'static str {
    "hello"
}

/// The bare hello inside the full app, opted out of deny-by-default: what the middleware costs
/// an open route.
#[login_not_required]
#[get("/hello/")]
async fn open_hello() -> &'static str {
    "hello"
}

/// The reference view's body: who the request is, and what authenticated it.
fn whoami(auth: &Auth) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({
        "user": auth.user().to_string(),
        "auth": auth.auth().to_drf_string(),
    }))
}

#[get("/token/")]
#[authentication_classes(TokenAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn token(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[get("/session/")]
#[authentication_classes(SessionAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn session(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[get("/basic/")]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn basic(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

/// The policy of `/token/` with the bare hello's body: what authentication alone costs.
#[get("/token-hello/")]
#[authentication_classes(TokenAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn token_hello() -> &'static str {
    "hello"
}

/// The policy of `/session/` with the bare hello's body.
#[get("/session-hello/")]
#[authentication_classes(SessionAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn session_hello() -> &'static str {
    "hello"
}

/// The policy of `/token/`, declared with the attributes (the macro side of the comparison).
#[get("/macro-token/")]
#[authentication_classes(TokenAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn macro_token(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

/// The same policy written by hand (registered as `declared(hand_token)`).
async fn hand_token(guard: PolicyGuard<(TokenAuthentication,), IsAuthenticated>) -> HttpResponse {
    whoami(guard.auth())
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

fn settings() -> Result<AuthSettings, Box<dyn std::error::Error>> {
    let iterations = match env("PBKDF2_ITERATIONS") {
        Some(value) => value.parse()?,
        None => DEFAULT_PBKDF2_ITERATIONS,
    };
    let mut builder = AuthSettings::builder()
        .secret_key_from_env("SECRET_KEY")
        .database_url_from_env("DATABASE_URL")
        .pbkdf2_iterations(iterations);
    if let Some(seconds) = env("AUTH_CACHE_TTL_SECS") {
        builder = builder.auth_cache_ttl(Duration::from_secs(seconds.parse()?));
    }
    if let Some(threads) = env("HASHING_THREADS") {
        builder = builder.hashing_threads(threads.parse()?);
    }
    Ok(builder.build()?)
}

#[authentication_classes(JwtAuthentication)]
#[permission_classes(IsAuthenticated)]
#[get("/jwt/")]
async fn jwt(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(JwtStatelessUserAuthentication)]
#[permission_classes(IsAuthenticated)]
#[get("/jwt-stateless/")]
async fn jwt_stateless(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(OAuth2Authentication)]
#[permission_classes(IsAuthenticated)]
#[get("/oauth2/")]
async fn oauth2(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

/// The policy of `/jwt-stateless/` with the bare hello's body: what the scheme alone costs.
#[authentication_classes(JwtStatelessUserAuthentication)]
#[permission_classes(IsAuthenticated)]
#[get("/jwt-stateless-hello/")]
async fn jwt_stateless_hello() -> &'static str {
    "hello"
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bind = env("BIND").unwrap_or_else(|| DEFAULT_BIND.to_owned());
    let workers = match env("WORKERS") {
        Some(value) => value.parse()?,
        None => DEFAULT_WORKERS,
    };
    let bare = env("BENCH_MODE").as_deref() == Some("bare");

    let server = if bare {
        HttpServer::new(|| App::new().service(hello))
            .workers(workers)
            .bind(&bind)?
            .run()
    } else {
        let settings = settings()?;
        let db = auth_actix::store::connect_and_migrate(settings.database_url()).await?;
        // One runtime for every worker: one pool, and one cache when it is on.
        let auth = auth_actix::configure(settings, db);
        HttpServer::new(move || {
            App::new()
                .wrap(LoginRequiredMiddleware)
                .wrap(SessionMiddleware)
                .configure(auth.clone())
                .service(open_hello)
                .service(token)
                .service(session)
                .service(basic)
                .service(macro_token)
                .route("/hand-token/", web::get().to(declared(hand_token)))
                .service(token_hello)
                .service(session_hello)
                .service(jwt)
                .service(jwt_stateless)
                .service(jwt_stateless_hello)
                .service(oauth2)
        })
        .workers(workers)
        .bind(&bind)?
        .run()
    };
    println!(
        "bench_server listening on http://{bind} (mode {}, {workers} workers, pid {})",
        if bare { "bare" } else { "full" },
        std::process::id()
    );
    server.await?;
    Ok(())
}
