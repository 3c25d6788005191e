use auth_actix::{ScopedRateThrottle, throttle_classes, throttle_scope};

#[throttle_classes(ScopedRateThrottle)]
#[throttle_scope("uploads")]
#[throttle_scope("downloads")]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
