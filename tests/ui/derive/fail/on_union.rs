use auth_actix::Authentication;

#[derive(Authentication)]
union ApiKey {
    key: u64,
}

fn main() {}
