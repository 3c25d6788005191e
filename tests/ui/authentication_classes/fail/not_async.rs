use auth_actix::{BasicAuthentication, authentication_classes};

#[authentication_classes(BasicAuthentication)]
fn handler() -> &'static str {
    "hello"
}

fn main() {}
