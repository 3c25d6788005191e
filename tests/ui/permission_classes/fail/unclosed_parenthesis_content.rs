use auth_actix::{permission_classes, IsAdminUser, IsAuthenticated, ReadOnly};

#[permission_classes(IsAuthenticated & (IsAdminUser ReadOnly))]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
