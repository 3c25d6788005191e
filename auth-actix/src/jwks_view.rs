//! A JWKS endpoint: the public halves of `SIMPLE_JWT`'s verifying keys as a JWK set
//! (RFC 7517 §5), for the services that verify this one's tokens with a public key — what
//! simplejwt's `JWK_URL` reads. simplejwt has no such view; its users ask for one (issues #9,
//! #250, #608).
//!
//! HMAC secrets are never published: a service signing with HS256 answers `{"keys":[]}`.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use auth_core::permissions::AllowAny;

use crate::default_response_headers::DefaultResponseHeaders;
use crate::error::ApiErrorResponse;
use crate::guard::{PolicyGuard, method_not_allowed};
use crate::routed_handler::{DeclaredName, declared};
use crate::runtime::runtime_of;

const JWKS: &str = "auth_actix::simplejwt::jwks";
inventory::submit!(DeclaredName(JWKS));

/// `path` answering `GET` (and `HEAD`) with the JWK set, open to anyone; other methods get DRF's
/// 405.
///
/// ```
/// use actix_web::test;
/// use auth_actix::AuthSettings;
/// use auth_actix::views::jwks_resource;
///
/// # actix_web::rt::System::new().block_on(async {
/// let settings = AuthSettings::builder().secret_key("example-secret-key-of-32-bytes-at-least").database_url("sqlite::memory:").build()?;
/// let db = settings.connect_and_migrate().await?;
/// let app = test::init_service(
///     auth_actix::app(settings, db).service(jwks_resource("/.well-known/jwks.json")),
/// )
/// .await;
/// let body: serde_json::Value = test::call_and_read_body_json(
///     &app,
///     test::TestRequest::get().uri("/.well-known/jwks.json").to_request(),
/// )
/// .await;
/// // HS256 with SECRET_KEY: nothing public to publish.
/// assert_eq!(body, serde_json::json!({"keys": []}));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
pub fn jwks_resource(path: &str) -> actix_web::Resource {
    web::resource(path)
        .name(JWKS)
        .app_data(DefaultResponseHeaders::methods(&["GET"]).json_only())
        .route(web::get().to(declared(jwks)))
        .default_service(web::to(method_not_allowed::<(), (AllowAny,)>()))
}

/// The set, cacheable for five minutes: a key added for a rotation is published before it
/// signs (add it to the verifying keys first), and a retired key stays published while tokens
/// it signed are alive.
async fn jwks(
    _guard: PolicyGuard<(), (AllowAny,)>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let jwt = runtime.settings().simple_jwt_or_default()?;
    let keys: Vec<serde_json::Value> = jwt
        .verifying_keys
        .iter()
        .filter_map(|key| key.public_jwk())
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        ))
        .insert_header((
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300"),
        ))
        .body(serde_json::json!({ "keys": keys }).to_string()))
}
