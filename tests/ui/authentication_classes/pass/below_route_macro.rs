use actix_web::{get, App, Responder};
use auth_actix::{Auth, BasicAuthentication, IsAuthenticated, authentication_classes, permission_classes};

#[get("/")]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn handler(auth: Auth) -> impl Responder {
    auth.user().to_string()
}

fn main() {
    let _ = App::new().service(handler);
}
