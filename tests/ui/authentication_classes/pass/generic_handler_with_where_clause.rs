use std::fmt::Display;

use actix_web::{web, App, HttpResponse};
use auth_actix::{Auth, BasicAuthentication, IsAuthenticated, authentication_classes, permission_classes};

#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn greet<T>(auth: Auth, path: web::Path<T>) -> HttpResponse
where
    T: Display + serde::de::DeserializeOwned + 'static,
{
    HttpResponse::Ok().body(format!("{} {}", auth.user(), path.into_inner()))
}

fn main() {
    let _ = App::new().route("/{n}", web::get().to(greet::<u32>));
}
