use auth_actix::Authentication;

#[derive(Authentication)]
#[authentication(realm = "api")]
struct ApiKey {
    #[credential(header = "X-Api-Key")]
    key: String,
}

fn main() {}
