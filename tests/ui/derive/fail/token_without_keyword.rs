use auth_actix::Authentication;

#[derive(Authentication)]
#[authentication(token)]
struct BearerToken;

fn main() {}
