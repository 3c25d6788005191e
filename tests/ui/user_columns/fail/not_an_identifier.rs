use auth_actix::UserColumns;

#[derive(UserColumns)]
struct Extra {
    #[user_column(name = "display name")]
    display_name: String,
    #[user_column(rename = "x")]
    other: String,
}

fn main() {}
