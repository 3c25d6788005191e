use auth_actix::{IsAdminUser, ReadOnly, permission_classes};

#[permission_classes(IsAdminUser || ReadOnly)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
