//! The expansions are lint-clean: this file denies all warnings, `unused_qualifications` and
//! clippy's pedantic group (CI runs clippy on every target), and only uses the macros.
#![deny(warnings, unused_qualifications, clippy::pedantic)]

use actix_web::{App, HttpResponse, get, test, web};
use auth_actix::authentication::{AuthContext, Authenticated, Verify};
use auth_actix::{
    AllowAny, ApiError, Authentication, BasicAuthentication, IsAdminUser, IsAuthenticated,
    ReadOnly, authentication_classes, permission_classes,
};

#[derive(Authentication)]
#[authentication(challenge = "ApiKey")]
struct ApiKey {
    #[credential(header = "X-Api-Key")]
    key: String,
    #[credential(query = "tenant")]
    tenant: Option<u32>,
}

impl Verify for ApiKey {
    async fn verify(self, _cx: &AuthContext<'_>) -> Result<Authenticated, ApiError> {
        Err(ApiError::authentication_failed(format!(
            "{} for tenant {:?} is revoked",
            self.key.len(),
            self.tenant
        )))
    }
}

#[derive(Authentication)]
#[authentication(token, keyword = "Bearer")]
struct BearerToken;

#[get("/")]
#[authentication_classes(ApiKey, BearerToken, BasicAuthentication)]
#[permission_classes(IsAuthenticated & (IsAdminUser | ReadOnly), AllowAny)]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[permission_classes(!IsAuthenticated)]
async fn anonymous_only() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn lint_clean_expansions_build_a_service() {
    let app = test::init_service(
        App::new()
            .service(handler)
            .route("/anonymous", web::get().to(anonymous_only)),
    )
    .await;
    // Without `configure(…)` the guard refuses with a 500 rather than running unprotected.
    let response = test::call_service(&app, test::TestRequest::get().uri("/").to_request()).await;
    assert_eq!(response.status().as_u16(), 500);
}
