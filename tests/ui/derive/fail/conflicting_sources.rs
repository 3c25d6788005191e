use auth_actix::Authentication;

#[derive(Authentication)]
struct ApiKey {
    #[credential(header = "X-Api-Key", cookie = "key")]
    key: String,
}

fn main() {}
