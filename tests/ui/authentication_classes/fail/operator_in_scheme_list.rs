use auth_actix::{authentication_classes, BasicAuthentication, TokenAuthentication};

#[authentication_classes(BasicAuthentication | TokenAuthentication)]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
