use auth_actix::{throttle_classes, AnonRateThrottle, ScopedRateThrottle};

#[throttle_classes(AnonRateThrottle, ScopedRateThrottle)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
