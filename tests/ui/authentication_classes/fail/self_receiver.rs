use auth_actix::{BasicAuthentication, authentication_classes};

struct Views;

impl Views {
    #[authentication_classes(BasicAuthentication)]
    async fn handler(&self) -> &'static str {
        "hello"
    }
}

fn main() {}
