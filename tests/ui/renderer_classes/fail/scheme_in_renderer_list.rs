use actix_web::{App, get};
use auth_actix::{BasicAuthentication, JSONRenderer, renderer_classes};

#[get("/")]
#[renderer_classes(JSONRenderer, BasicAuthentication)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _ = App::new().service(handler);
}
