// A permission among several schemes: one error, in the scheme list.
use actix_web::{App, get};
use auth_actix::{BasicAuthentication, IsAdminUser, authentication_classes, permission_classes};

#[get("/")]
#[permission_classes(IsAdminUser)]
#[authentication_classes(BasicAuthentication, IsAdminUser)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _ = App::new().service(handler);
}
