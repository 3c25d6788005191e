use actix_web::{web, App, HttpResponse};
use auth_actix::{Authentication, IsAuthenticated, authentication_classes, permission_classes};

#[derive(Authentication)]
#[authentication(token, keyword = "Bearer")]
struct BearerToken;

#[derive(Authentication)]
#[authentication(token, keyword = "ApiKey", name = "ApiKeyAuthentication")]
pub struct ApiKeyToken;

#[authentication_classes(BearerToken, ApiKeyToken)]
#[permission_classes(IsAuthenticated)]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().route("/", web::get().to(handler));
}
