use auth_actix::{BasicAuthentication, authentication_classes};

struct Views;

#[authentication_classes(BasicAuthentication)]
impl Views {
    async fn handler() -> &'static str {
        "hello"
    }
}

fn main() {}
