use auth_actix::{BasicAuthentication, permission_classes};

#[permission_classes(BasicAuthentication)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
