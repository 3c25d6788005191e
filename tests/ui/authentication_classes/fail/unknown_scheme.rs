use auth_actix::{Auth, authentication_classes};

#[authentication_classes(NopeAuthentication)]
async fn handler(auth: Auth) -> String {
    auth.user().to_string()
}

fn main() {}
