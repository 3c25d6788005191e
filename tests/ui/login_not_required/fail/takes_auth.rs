use auth_actix::{login_not_required, Auth};

#[login_not_required]
async fn health(auth: Auth) -> String {
    auth.user().to_string()
}

fn main() {}
