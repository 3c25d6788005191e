use auth_actix::{IsAdminUser, IsAuthenticated, permission_classes};

#[permission_classes(IsAuthenticated, , IsAdminUser)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
