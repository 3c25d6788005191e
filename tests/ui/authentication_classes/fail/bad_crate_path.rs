use auth_actix::{authentication_classes, BasicAuthentication};

#[authentication_classes(BasicAuthentication, crate = "not a path!")]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
