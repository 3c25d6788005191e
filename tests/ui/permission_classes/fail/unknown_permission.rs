use auth_actix::{IsAuthenticated, permission_classes};

#[permission_classes(IsAuthenticated & IsWizard)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
