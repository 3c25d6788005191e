use std::sync::Arc;

use actix_web::{HttpServer, Responder, get, web};
use auth_actix::authentication::{
    ApiError, AuthContext, AuthInfo, Authenticated, RequestUser, TokenUser, Verify,
};
use auth_actix::django::crypto::constant_time_compare;
use auth_actix::settings::{ENV_PREFIX, SettingsFile};
use auth_actix::views::{obtain_auth_token_resource, session_endpoints};
use auth_actix::{
    Auth, Authentication, BasicAuthentication, IsAuthenticated, SessionAuthentication,
    SessionMiddleware, TokenAuthentication, authentication_classes, permission_classes,
};

/// Another service's API key (`X-Api-Key`): the caller has no user row, so the scheme answers
/// a token user (as simplejwt's `TokenUser`) instead of inventing one.
#[derive(Authentication)]
struct ApiKeyAuthentication {
    #[credential(header = "X-Api-Key")]
    key: String,
}

impl Verify for ApiKeyAuthentication {
    async fn verify(self, _cx: &AuthContext<'_>) -> Result<Authenticated, ApiError> {
        let expected = std::env::var("SERVICE_API_KEY").unwrap_or_default();
        if expected.is_empty() || !constant_time_compare(&self.key, &expected) {
            return Err(ApiError::authentication_failed("Invalid API key."));
        }
        let service = TokenUser {
            id: "billing".to_owned(),
            username: "billing".to_owned(),
            is_staff: false,
            is_superuser: false,
        };
        Ok(Authenticated {
            user: RequestUser::Token(Arc::new(service)),
            auth: AuthInfo::None,
        })
    }
}

#[get("/me/")]
#[authentication_classes(
    TokenAuthentication,
    SessionAuthentication,
    BasicAuthentication,
    ApiKeyAuthentication
)]
#[permission_classes(IsAuthenticated)]
async fn me(auth: Auth) -> impl Responder {
    web::Json(serde_json::json!({ "user": auth.user().to_string(), "scheme": auth.scheme() }))
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // auth.toml: SECRET_KEY, DATABASE_URL, [REST_FRAMEWORK] … by Django's names; DRF_AUTH_* wins.
    let settings = SettingsFile::new()
        .optional_file("auth.toml")
        .env(ENV_PREFIX)
        .load()?
        .build()?;
    let db = settings.connect_and_migrate().await?;
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse().ok())
        .unwrap_or(8000);
    HttpServer::new(move || {
        auth_actix::app(settings.clone(), db.clone())
            .wrap(SessionMiddleware)
            .service(web::scope("/auth").configure(session_endpoints)) // login/ logout/ csrf/
            .service(obtain_auth_token_resource("/api-token-auth/"))
            .service(me)
    })
    .bind(("127.0.0.1", port))?
    .run()
    .await?;
    Ok(())
}
