// A scheme among the permissions of a handler registered through actix-web's route macro: one
// error, on the scheme's name (not the route macro's `Handler` / `Resource::to` errors).
use actix_web::{App, get};
use auth_actix::{BasicAuthentication, permission_classes};

#[get("/")]
#[permission_classes(BasicAuthentication)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _ = App::new().service(handler);
}
