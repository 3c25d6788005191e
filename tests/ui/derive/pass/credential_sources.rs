use actix_web::{web, App, HttpResponse};
use auth_actix::authentication::{AuthContext, Authenticated, Verify};
use auth_actix::ApiError;
use auth_actix::{Authentication, authentication_classes};
use auth_actix::authentication::AuthInfo;

#[derive(Authentication)]
#[authentication(challenge = "ApiKey")]
struct ApiKey {
    #[credential(header = "X-Api-Key")]
    key: String,
    #[credential(query = "tenant")]
    tenant: Option<u32>,
    #[credential(cookie = "region")]
    region: Option<String>,
}

impl Verify for ApiKey {
    async fn verify(self, cx: &AuthContext<'_>) -> Result<Authenticated, ApiError> {
        let _ = (self.tenant, self.region);
        match cx.settings().user_model.find_by_username(cx.db(), &self.key).await {
            Ok(Some(user)) => Ok(Authenticated { user: user.into(), auth: AuthInfo::None }),
            Ok(None) => Err(ApiError::authentication_failed("No such user")),
            Err(error) => Err(auth_actix::ApiError::store_failure(error)),
        }
    }
}

#[derive(Authentication)]
struct KeywordKey {
    #[credential(bearer = "ApiKey")]
    key: u64,
}

impl Verify for KeywordKey {
    async fn verify(self, _cx: &AuthContext<'_>) -> Result<Authenticated, ApiError> {
        Err(ApiError::authentication_failed(format!("key {} is revoked", self.key)))
    }
}

#[authentication_classes(ApiKey, KeywordKey)]
async fn handler() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().route("/", web::get().to(handler));
}
