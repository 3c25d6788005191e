use auth_actix::Authentication;

#[derive(Authentication)]
enum ApiKey {
    Header(String),
}

fn main() {}
