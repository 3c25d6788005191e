//! A handler with a policy is a free function: inside an `impl` block the attribute cannot make
//! the handler value deny-by-default needs. Write the guard by hand there and register
//! `declared(Views::handler)`.
use auth_actix::{IsAuthenticated, permission_classes};

struct Views;

impl Views {
    #[permission_classes(IsAuthenticated)]
    async fn handler() -> &'static str {
        "hello"
    }
}

fn main() {}
