//! Several instances behind one load balancer: one PostgreSQL database and one Redis, no state
//! in the instances. This program starts three of them (ports 8101–8103, or the three that
//! `PORTS` names), each with its own connection pool and Redis connection, as three processes
//! would have.
//!
//! ```text
//! cargo run -p examples --bin multi_instance
//! ```
//!
//! `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`) and `REDIS_URL` (default
//! `redis://127.0.0.1:6379`) point at the shared stores; `SECRET_KEY` must be the same on every
//! instance (it signs sessions); `DEMO_USER` names the demo user (default `multi`, password
//! `multi-password`). The program prints `curl` lines showing that:
//!
//! - a token obtained from one instance works on the others (the token is in the database);
//! - the throttle history is shared: `UserRateThrottle` at 5/min admits five requests in all,
//!   whichever instances they reach, then answers 429 with `Retry-After`;
//! - a token revoked through one instance is refused by all of them at once, although each
//!   instance caches tokens for five minutes (`auth_cache_ttl`): the revoking instance forgets
//!   it and tells the others through Redis publish/subscribe (`auth_cache_invalidation`), which
//!   forget it within milliseconds; were Redis unreachable, within the five minutes.

use std::sync::Arc;
use std::time::Duration;

use actix_web::{HttpResponse, HttpServer, Responder, delete, get, web};
use auth_actix::authentication::{CreateUserError, UserFields, create_user};
use auth_actix::settings::RedisCacheInvalidation;
use auth_actix::store::token;
use auth_actix::throttling::RedisStore;
use auth_actix::views::obtain_auth_token_resource;
use auth_actix::{
    Auth, AuthSettings, IsAuthenticated, TokenAuthentication, UserRateThrottle,
    authentication_classes, permission_classes, store, throttle_classes,
};

/// The ports of the three instances unless `PORTS` names others (`8101,8102,8103`).
const DEFAULT_PORTS: [u16; 3] = [8101, 8102, 8103];
/// The demo user, unless `DEMO_USER` names another (its throttle history then starts empty).
const DEMO_USER: &str = "multi";
const DEMO_PASSWORD: &str = "multi-password";

#[get("/whoami/")]
#[authentication_classes(TokenAuthentication)]
#[permission_classes(IsAuthenticated)]
#[throttle_classes(UserRateThrottle)]
async fn whoami(auth: Auth, instance: web::Data<u16>) -> impl Responder {
    web::Json(serde_json::json!({
        "user": auth.user().to_string(),
        "instance": **instance,
    }))
}

/// Revokes the caller's token (DRF has no such view; knox's logout is the same idea).
#[delete("/token/")]
#[authentication_classes(TokenAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn revoke(
    auth: Auth,
    db: web::Data<store::DatabaseConnection>,
    settings: web::Data<AuthSettings>,
) -> actix_web::Result<impl Responder> {
    if let Some(token) = auth.auth().token() {
        token::delete_for_user(db.get_ref(), token.user_id)
            .await
            .map_err(actix_web::error::ErrorServiceUnavailable)?;
        // A change the library did not make itself: tell the caches (this instance's, and
        // through Redis every other's).
        if let Some(cache) = settings.services().credential_cache() {
            cache.forget_user(token.user_id);
        }
    }
    Ok(HttpResponse::NoContent().finish())
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

/// One instance: its own settings, pool and Redis connection, sharing only the stores.
async fn instance(
    port: u16,
    database_url: &str,
    redis_url: &str,
) -> Result<actix_web::dev::Server, Box<dyn std::error::Error>> {
    let settings = AuthSettings::builder()
        // Demo value only: every instance of a real deployment sets the same SECRET_KEY.
        .secret_key("django-insecure-example-only-not-a-secret")
        .secret_key_from_env("SECRET_KEY")
        .database_url(database_url)
        .throttle_store(Arc::new(RedisStore::connect(redis_url).await?))
        .throttle_rate("user", "5/min")
        .auth_cache_ttl(Duration::from_secs(300))
        .auth_cache_invalidation(RedisCacheInvalidation::connect(redis_url).await?)
        .build()?;
    let db = store::connect(settings.database_url()).await?;
    let server = HttpServer::new(move || {
        auth_actix::app(settings.clone(), db.clone())
            .app_data(web::Data::new(db.clone()))
            .app_data(web::Data::new(settings.clone()))
            .app_data(web::Data::new(port))
            .service(obtain_auth_token_resource("/api-token-auth/"))
            .service(whoami)
            .service(revoke)
    })
    .workers(1)
    .bind(("127.0.0.1", port))?
    .run();
    Ok(server)
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let database_url = env_or("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test");
    let redis_url = env_or("REDIS_URL", "redis://127.0.0.1:6379");
    let demo_user = env_or("DEMO_USER", DEMO_USER);

    // Tables and the demo user, once (a deployment runs `auth-admin migrate` once, too).
    let setup = AuthSettings::builder()
        .secret_key("django-insecure-example-only-not-a-secret")
        .database_url(database_url.as_str())
        .build()?;
    let db = store::connect_and_migrate(setup.database_url()).await?;
    let fields = UserFields {
        password: Some(DEMO_PASSWORD),
        ..UserFields::default()
    };
    match create_user(&setup.environment(db.clone()), &demo_user, fields).await {
        Ok(_) | Err(CreateUserError::UsernameTaken) => {}
        Err(error) => return Err(error.into()),
    }

    let ports: [u16; 3] = match std::env::var("PORTS") {
        Ok(list) => list
            .split(',')
            .map(|port| port.trim().parse::<u16>())
            .collect::<Result<Vec<_>, _>>()?
            .try_into()
            .map_err(|_| "PORTS must name three ports")?,
        Err(_) => DEFAULT_PORTS,
    };
    let mut servers = Vec::new();
    for port in ports {
        servers.push(instance(port, &database_url, &redis_url).await?);
    }

    let [first, second, third] = ports;
    println!(
        "Three instances on ports {first}, {second}, {third}, sharing PostgreSQL and Redis.\n"
    );
    println!("# A token from instance {first}:");
    println!(
        "TOKEN=$(curl -s -d username={demo_user} -d password={DEMO_PASSWORD} http://127.0.0.1:{first}/api-token-auth/ | sed 's/.*\"token\":\"\\([^\"]*\\)\".*/\\1/')"
    );
    println!("\n# ... works on every instance; the 5/min user throttle counts across them:");
    println!(
        "for port in {first} {second} {third} {first} {second} {third}; do curl -s -o /dev/null -w \"$port %{{http_code}}\\n\" -H \"Authorization: Token $TOKEN\" http://127.0.0.1:$port/whoami/; done"
    );
    println!("# (five 200s, then 429 — whichever instance the sixth reaches)");
    println!(
        "\n# Revoked through instance {second}, refused by all at once (401 Invalid token.), their caches included:"
    );
    println!(
        "curl -s -X DELETE -H \"Authorization: Token $TOKEN\" http://127.0.0.1:{second}/token/"
    );
    println!("curl -i -H \"Authorization: Token $TOKEN\" http://127.0.0.1:{third}/whoami/");

    futures_join_all(servers).await?;
    Ok(())
}

/// Runs every server until all stop (Ctrl-C stops them).
async fn futures_join_all(servers: Vec<actix_web::dev::Server>) -> std::io::Result<()> {
    let handles: Vec<_> = servers.into_iter().map(actix_web::rt::spawn).collect();
    for handle in handles {
        handle.await.map_err(std::io::Error::other)??;
    }
    Ok(())
}
