use auth_actix::UserColumns;

#[derive(UserColumns)]
struct Extra(String, Option<i64>);

fn main() {}
