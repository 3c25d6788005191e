use auth_actix::Authentication;

#[derive(Authentication)]
struct ApiKey;

fn main() {}
