extern crate auth_actix as my_auth;

use actix_web::{web, App};
use my_auth::{authentication_classes, permission_classes, BasicAuthentication, IsAuthenticated};

#[authentication_classes(BasicAuthentication, crate = "my_auth")]
#[permission_classes(IsAuthenticated, crate = "my_auth")]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _ = App::new().route("/", web::get().to(handler));
}
