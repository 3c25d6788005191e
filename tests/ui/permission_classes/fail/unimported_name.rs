// A name of the library that the file does not import: the `use` line to add, and nothing else
// (not rustc's "you might be missing a type parameter").
use actix_web::{App, get};
use auth_actix::permission_classes;

#[get("/")]
#[permission_classes(IsAuthenticated)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _ = App::new().service(handler);
}
