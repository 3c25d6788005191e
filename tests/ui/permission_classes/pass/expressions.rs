use actix_web::{web, App};
use auth_actix::{AllowAny, IsAdminUser, IsAuthenticated, IsAuthenticatedOrReadOnly, ReadOnly, permission_classes};

#[permission_classes(IsAuthenticated & (IsAdminUser | ReadOnly))]
async fn nested() -> &'static str {
    "ok"
}

#[permission_classes(IsAuthenticated & IsAdminUser | ReadOnly & !IsAdminUser)]
async fn precedence() -> &'static str {
    "ok"
}

#[permission_classes(~IsAuthenticated, AllowAny, IsAuthenticatedOrReadOnly)]
async fn drf_tilde_and_list() -> &'static str {
    "ok"
}

#[permission_classes(auth_actix::IsAuthenticated | !!auth_actix::permissions::AllowAny)]
async fn paths() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new()
        .route("/1", web::get().to(nested))
        .route("/2", web::get().to(precedence))
        .route("/3", web::get().to(drf_tilde_and_list))
        .route("/4", web::get().to(paths));
}
