// A scheme inside a permission expression, the handler registered with `.route(…).to(…)`: one
// error.
use actix_web::{App, web};
use auth_actix::{BasicAuthentication, IsAdminUser, permission_classes};

#[permission_classes(IsAdminUser | BasicAuthentication)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {
    let _ = App::new().route("/", web::get().to(handler));
}
