use auth_actix::{BasicAuthentication, TokenAuthentication, authentication_classes};

#[authentication_classes(BasicAuthentication | TokenAuthentication)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
