use auth_actix::{authentication_classes, BasicAuthentication};

#[authentication_classes(BasicAuthentication)]
struct Handler {
    name: String,
}

fn main() {
    let handler = Handler { name: String::new() };
    let _ = handler.name;
}
