use auth_actix::{BasicAuthentication, authentication_classes};

#[authentication_classes(BasicAuthentication)]
struct Handler {
    name: String,
}

fn main() {
    let handler = Handler { name: String::new() };
    let _ = handler.name;
}
