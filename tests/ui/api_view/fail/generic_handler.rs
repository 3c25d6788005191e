use auth_actix::permissions::Permission;
use auth_actix::{Auth, api_view, permission_classes};

#[api_view(GET)]
#[permission_classes(P)]
async fn articles<P: Permission + Default + 'static>(auth: Auth) -> String {
    auth.user().to_string()
}

fn main() {}
