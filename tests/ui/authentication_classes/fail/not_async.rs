use auth_actix::{authentication_classes, BasicAuthentication};

#[authentication_classes(BasicAuthentication)]
fn handler() -> &'static str {
    "hello"
}

fn main() {}
