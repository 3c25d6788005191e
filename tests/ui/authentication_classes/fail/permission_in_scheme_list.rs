use auth_actix::{authentication_classes, Auth, IsAuthenticated};

#[authentication_classes(IsAuthenticated)]
async fn handler(auth: Auth) -> String {
    auth.user().to_string()
}

fn main() {}
