use auth_actix::{permission_classes, UserRateThrottle};

#[permission_classes(UserRateThrottle)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
