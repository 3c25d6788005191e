use auth_actix::{permission_classes, IsAdminUser, IsAuthenticated};

#[permission_classes(IsAuthenticated & IsAdminUser, IsAuthenticated & IsAdminUser)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
