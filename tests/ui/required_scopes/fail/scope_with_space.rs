use auth_actix::required_scopes;

// A token's scopes are split on whitespace: "read write" could never be granted.
required_scopes!(Orders = ["orders", "read write"]);

fn main() {}
