use auth_actix::{permission_classes, IsAdminUser, ReadOnly};

#[permission_classes(IsAdminUser || ReadOnly)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
