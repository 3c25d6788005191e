use auth_actix::Authentication;

#[derive(Authentication)]
struct ApiKey {
    #[credential(header = "X-Api-Key")]
    key: String,
}

fn main() {}
