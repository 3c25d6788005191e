//! `#[api_view]` alone (the project's defaults), with a path (`.service`), with the other policy
//! attributes above or below it, and a listed `OPTIONS`.

use actix_web::{App, HttpResponse, web};
use auth_actix::{
    Auth, BasicAuthentication, IsAuthenticated, api_view, authentication_classes,
    permission_classes,
};

/// Lists the articles.
#[api_view(GET, POST)]
async fn articles(auth: Auth) -> HttpResponse {
    HttpResponse::Ok().json(auth.user().to_string())
}

#[permission_classes(IsAuthenticated)]
#[api_view("/drafts/", GET, head, OPTIONS)]
#[authentication_classes(BasicAuthentication)]
pub async fn drafts(auth: Auth) -> HttpResponse {
    HttpResponse::Ok().json(auth.user().to_string())
}

fn main() {
    let _app = App::new()
        .route("/articles/", web::to(articles))
        .service(drafts);
}
