use auth_actix::Authentication;

#[derive(Authentication)]
struct ApiKey {
    #[credential(heder = "X-Api-Key")]
    key: String,
}

fn main() {}
