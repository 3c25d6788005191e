use auth_actix::{Auth, IsAuthenticated, authentication_classes};

#[authentication_classes(IsAuthenticated)]
async fn handler(auth: Auth) -> String {
    auth.user().to_string()
}

fn main() {}
