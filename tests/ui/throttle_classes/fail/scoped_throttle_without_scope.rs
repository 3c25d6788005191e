use auth_actix::{AnonRateThrottle, ScopedRateThrottle, throttle_classes};

#[throttle_classes(AnonRateThrottle, ScopedRateThrottle)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
