use auth_actix::{IsAuthenticated, permission_classes};

#[permission_classes(IsAuthenticated &)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
