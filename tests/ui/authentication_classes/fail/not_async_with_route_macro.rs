// A handler without `async`, registered through actix-web's route macro: one error.
use actix_web::{App, get};
use auth_actix::{BasicAuthentication, authentication_classes};

#[get("/")]
#[authentication_classes(BasicAuthentication)]
fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _ = App::new().service(handler);
}
