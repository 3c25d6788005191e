use auth_actix::Authentication;

#[derive(Authentication)]
#[authentication(token, keyword = "Bearer")]
struct BearerToken {
    #[credential(header = "X-Token")]
    key: String,
}

fn main() {}
