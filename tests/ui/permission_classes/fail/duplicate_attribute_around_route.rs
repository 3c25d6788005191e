use actix_web::get;
use auth_actix::{IsAdminUser, IsAuthenticated, permission_classes};

#[permission_classes(IsAuthenticated)]
#[get("/")]
#[permission_classes(IsAdminUser)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
