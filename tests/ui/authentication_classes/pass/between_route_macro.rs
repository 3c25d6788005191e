use actix_web::{route, App, HttpResponse};
use auth_actix::{BasicAuthentication, IsAuthenticated, authentication_classes, permission_classes};

#[authentication_classes(BasicAuthentication)]
#[route("/", method = "GET", method = "POST")]
#[permission_classes(IsAuthenticated)]
async fn handler() -> Result<HttpResponse, actix_web::Error> {
    Ok(HttpResponse::NoContent().finish())
}

fn main() {
    let _ = App::new().service(handler);
}
