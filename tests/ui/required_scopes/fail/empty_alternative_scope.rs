use auth_actix::required_alternate_scopes;

required_alternate_scopes!(Oas {
    GET: [["read"], [""]],
});

fn main() {}
