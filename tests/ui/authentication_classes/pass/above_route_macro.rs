use actix_web::{post, App, HttpResponse};
use auth_actix::{Auth, IsAdminUser, TokenAuthentication, authentication_classes, permission_classes};

/// Docs stay on the handler.
#[permission_classes(IsAdminUser)]
#[authentication_classes(TokenAuthentication)]
#[post("/")]
async fn handler(auth: Auth) -> HttpResponse {
    HttpResponse::Ok().body(auth.user().to_string())
}

fn main() {
    let _ = App::new().service(handler);
}
