use auth_actix::{permission_classes, IsAuthenticated};

#[permission_classes(IsAuthenticated & IsWizard)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
