use auth_actix::renderer_classes;

#[renderer_classes()]
async fn handler() -> &'static str {
    "hello"
}

fn main() {}
