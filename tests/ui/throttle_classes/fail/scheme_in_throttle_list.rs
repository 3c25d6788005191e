use auth_actix::{throttle_classes, BasicAuthentication};

#[throttle_classes(BasicAuthentication)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
