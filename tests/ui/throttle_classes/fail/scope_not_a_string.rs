use auth_actix::{throttle_classes, throttle_scope, ScopedRateThrottle};

#[throttle_classes(ScopedRateThrottle)]
#[throttle_scope(uploads)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
