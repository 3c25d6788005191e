use actix_web::{web, App};
use auth_actix::{
    IsAuthenticated, IsAuthenticatedOrTokenHasScope, OAuth2Authentication, TokenHasReadWriteScope,
    TokenHasResourceScope, TokenHasScope, TokenMatchesOASRequirements, authentication_classes,
    permission_classes, required_alternate_scopes, required_scopes,
};

required_scopes!(
    /// The orders API's scopes.
    pub Orders = ["orders:read", "https://api.example.com/orders"]
);
required_scopes!(Admin = ["admin"]);
required_alternate_scopes!(Oas {
    GET: [["read"]],
    POST: [["create", "write"], ["admin"]],
});

#[authentication_classes(OAuth2Authentication)]
#[permission_classes(IsAuthenticated & (TokenHasScope<Orders> | !TokenHasScope<Admin>))]
async fn composed() -> &'static str {
    "ok"
}

#[authentication_classes(OAuth2Authentication)]
#[permission_classes(TokenHasReadWriteScope, TokenHasResourceScope<Orders>, TokenMatchesOASRequirements<Oas>)]
async fn listed() -> &'static str {
    "ok"
}

#[authentication_classes(OAuth2Authentication)]
#[permission_classes(IsAuthenticatedOrTokenHasScope<Admin> & TokenHasReadWriteScope<Admin>)]
async fn parameterised() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new()
        .route("/1", web::get().to(composed))
        .route("/2", web::get().to(listed))
        .route("/3", web::get().to(parameterised));
}
