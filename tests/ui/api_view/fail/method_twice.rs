use auth_actix::{Auth, api_view};

#[api_view(GET, post, POST)]
async fn articles(auth: Auth) -> String {
    auth.user().to_string()
}

fn main() {}
