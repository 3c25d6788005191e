use actix_web::{web, App, HttpResponse};
use auth_actix::{BasicAuthentication, TokenAuthentication, authentication_classes};

#[authentication_classes(TokenAuthentication, BasicAuthentication)]
pub(crate) async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().route("/", web::get().to(handler));
}
