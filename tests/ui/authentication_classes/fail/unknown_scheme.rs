use auth_actix::{authentication_classes, Auth};

#[authentication_classes(NopeAuthentication)]
async fn handler(auth: Auth) -> String {
    auth.user().to_string()
}

fn main() {}
