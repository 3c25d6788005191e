use auth_actix::{permission_classes, BasicAuthentication};

#[permission_classes(BasicAuthentication)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
