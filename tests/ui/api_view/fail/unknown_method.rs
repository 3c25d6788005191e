use auth_actix::{Auth, api_view};

#[api_view(GET, FETCH)]
async fn articles(auth: Auth) -> String {
    auth.user().to_string()
}

fn main() {}
