use auth_actix::{BasicAuthentication, throttle_classes};

#[throttle_classes(BasicAuthentication)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
