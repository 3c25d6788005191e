use auth_actix::{authentication_classes, permission_classes, BasicAuthentication};

#[authentication_classes(BasicAuthentication)]
#[permission_classes]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
