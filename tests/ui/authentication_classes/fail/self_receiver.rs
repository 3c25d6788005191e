use auth_actix::{authentication_classes, BasicAuthentication};

struct Views;

impl Views {
    #[authentication_classes(BasicAuthentication)]
    async fn handler(&self) -> &'static str {
        "hello"
    }
}

fn main() {}
