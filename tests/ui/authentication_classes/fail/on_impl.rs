use auth_actix::{authentication_classes, BasicAuthentication};

struct Views;

#[authentication_classes(BasicAuthentication)]
impl Views {
    async fn handler() -> &'static str {
        "hello"
    }
}

fn main() {}
