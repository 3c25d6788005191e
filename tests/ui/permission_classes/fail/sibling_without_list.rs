use auth_actix::{BasicAuthentication, authentication_classes, permission_classes};

#[authentication_classes(BasicAuthentication)]
#[permission_classes]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
