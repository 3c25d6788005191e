use actix_web::get;
use auth_actix::{Auth, api_view};

#[api_view(GET, POST)]
#[get("/articles/")]
async fn articles(auth: Auth) -> String {
    auth.user().to_string()
}

fn main() {}
