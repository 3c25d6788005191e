use auth_actix::{IsAdminUser, IsAuthenticated, ReadOnly, permission_classes};

#[permission_classes(IsAuthenticated & (IsAdminUser ReadOnly))]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
