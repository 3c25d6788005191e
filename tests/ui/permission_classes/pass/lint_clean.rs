//! The expansion adds no warning, even under `deny(warnings, unused_qualifications)`.
#![deny(warnings, unused_qualifications)]

use actix_web::{get, App, HttpResponse};
use auth_actix::{
    authentication_classes, permission_classes, Authentication, BasicAuthentication, IsAdminUser,
    IsAuthenticated, PolicyGuard, ReadOnly,
};

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
