use actix_web::{web, App};
use auth_actix::{AllowAny, authentication_classes, permission_classes};

#[authentication_classes()]
#[permission_classes()]
async fn open() -> &'static str {
    "open"
}

#[authentication_classes()]
#[permission_classes(AllowAny)]
async fn also_open() -> &'static str {
    "open"
}

fn main() {
    let _ = App::new().route("/", web::get().to(open)).route("/2", web::get().to(also_open));
}
