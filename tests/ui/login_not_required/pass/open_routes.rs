//! Opted-out handlers, above and below the route macro and registered by hand.
use actix_web::{get, web, App, Responder};
use auth_actix::login_not_required;

#[login_not_required]
#[get("/health")]
async fn health() -> impl Responder {
    "ok"
}

#[get("/ready")]
#[login_not_required]
async fn ready(path: web::Path<String>, query: web::Query<Vec<(String, String)>>) -> String {
    format!("{path}{}", query.len())
}

/// Documented, registered by hand.
#[login_not_required]
pub async fn robots() -> &'static str {
    "User-agent: *"
}

fn main() {
    let _ = App::new()
        .service(health)
        .service(ready)
        .route("/robots.txt", web::get().to(robots));
}
