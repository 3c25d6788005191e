use auth_actix::{BasicAuthentication, authentication_classes};

#[authentication_classes(BasicAuthentication, crate = "not a path!")]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
