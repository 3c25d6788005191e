use auth_actix::{UserRateThrottle, permission_classes};

#[permission_classes(UserRateThrottle)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
