use auth_actix::UserColumns;
use auth_actix::store::user_columns::UserColumns as _;

#[derive(UserColumns)]
struct MemberFields {
    display_name: String,
    r#type: Option<String>,
    #[user_column(name = "shoe_size")]
    size: Option<i64>,
}

fn main() {
    assert_eq!(MemberFields::COLUMNS, ["display_name", "type", "shoe_size"]);
}
