use actix_web::get;
use auth_actix::{login_not_required, permission_classes, AllowAny};

#[login_not_required]
#[get("/health")]
#[permission_classes(AllowAny)]
async fn health() -> &'static str {
    "ok"
}

fn main() {}
