#![deny(warnings, unused_qualifications)]

use actix_web::{get, web, App, HttpResponse};
use auth_actix::{AnonRateThrottle, BasicAuthentication, IsAuthenticated, ScopedRateThrottle, UserRateThrottle, authentication_classes, permission_classes, throttle_classes, throttle_scope};

#[get("/uploads")]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
#[throttle_classes(UserRateThrottle, ScopedRateThrottle)]
#[throttle_scope("uploads")]
async fn uploads() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[throttle_scope("downloads")]
#[throttle_classes(ScopedRateThrottle)]
pub async fn downloads() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[throttle_classes(AnonRateThrottle)]
async fn anonymous() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[throttle_classes()]
async fn unthrottled() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new()
        .service(uploads)
        .route("/downloads", web::get().to(downloads))
        .route("/anonymous", web::get().to(anonymous))
        .route("/free", web::get().to(unthrottled));
}
