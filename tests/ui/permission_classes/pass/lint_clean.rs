//! The expansion adds no warning, even under `deny(warnings, unused_qualifications)`.
#![deny(warnings, unused_qualifications)]

use actix_web::{get, App, HttpResponse};
use auth_actix::{Authentication, BasicAuthentication, IsAdminUser, IsAuthenticated, PolicyGuard, ReadOnly, authentication_classes, permission_classes};

#[get("/")]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated & (IsAdminUser | ReadOnly))]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[derive(Authentication)]
#[authentication(token, keyword = "Bearer")]
struct BearerToken;

fn main() {
    let _: Option<PolicyGuard> = None;
    let _ = App::new().service(handler);
}
