use auth_actix::{Auth, BasicAuthentication, TokenAuthentication, authentication_classes};

#[authentication_classes(BasicAuthentication)]
#[authentication_classes(TokenAuthentication)]
async fn handler(auth: Auth) -> String {
    auth.user().to_string()
}

fn main() {}
