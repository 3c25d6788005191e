//! DRF's `obtain_auth_token` view: `POST` a username and password as JSON, form or multipart,
//! get the user's token (created on first use, never rotated).

use std::fmt;
use std::sync::Arc;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use auth_core::ApiError;
use auth_core::auth_token_serializer;
use auth_core::policy::{DefaultAuthentication, DefaultThrottles};
use auth_core::renderers::JSONRenderer;
use auth_core::store::token::{self, Model as Token};
use auth_core::throttling::{LoginScope, NoThrottleScope, ScopedRateThrottle};
use auth_core::user::User;

use crate::default_response_headers::DefaultResponseHeaders;
use crate::error::ApiErrorResponse;
use crate::guard::PolicyGuard;
use crate::post_data;
use crate::routed_handler::{DeclaredName, declared};
use crate::runtime::{method_not_allowed_response, runtime_of};

/// The body of a successful response, for DRF's "return more than the token" customisation
/// (the `CustomAuthToken` of DRF's documentation). Put it in the resource's `app_data`:
///
/// ```no_run
/// use auth_actix::views::{obtain_auth_token_resource, AuthTokenResponse};
///
/// let resource = obtain_auth_token_resource("/api-token-auth/").app_data(AuthTokenResponse::new(
///     |token, user| serde_json::json!({ "token": token.key, "user_id": user.id, "email": user.email }),
/// ));
/// ```
#[derive(Clone)]
pub struct AuthTokenResponse(Arc<TokenResponseBody>);

/// Builds the response body from the token and its user.
type TokenResponseBody = dyn Fn(&Token, &User) -> serde_json::Value + Send + Sync;

impl AuthTokenResponse {
    /// Answers with what `body` builds from the token and its user.
    pub fn new(body: impl Fn(&Token, &User) -> serde_json::Value + Send + Sync + 'static) -> Self {
        Self(Arc::new(body))
    }
}

impl fmt::Debug for AuthTokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthTokenResponse")
    }
}

/// The view, as DRF configures it: the project's default authentication classes (they run: a
/// logged-in session user without a CSRF token gets 403, a bad Basic header its error), no
/// permissions, parsers for JSON, form and multipart, a JSON renderer. Unlike the reference it is
/// throttled out of the box (scope `login`, default `10/min` per client; see
/// [`DEFAULT_LOGIN_RATE`](auth_core::settings::DEFAULT_LOGIN_RATE)). Use
/// [`obtain_auth_token_resource`], which also answers other methods with 405, or register it
/// for `POST` as `web::post().to(declared(obtain_auth_token))` ([`declared`](crate::policy::declared)
/// tells deny-by-default that it runs its own policy).
pub async fn obtain_auth_token(
    _guard: PolicyGuard<
        DefaultAuthentication,
        (),
        (ScopedRateThrottle,),
        LoginScope,
        (JSONRenderer,),
    >,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let settings = runtime.settings();
    let (body, post) = post_data::read(&request, payload, settings).await?;
    let credentials = post_data::credentials(&body, &post)?;

    let user = auth_token_serializer::authenticate(runtime.env(), &credentials).await?;
    let token = token::get_or_create(runtime.db(), user.id)
        .await
        .map_err(ApiError::store_failure)?;
    let body = match request.app_data::<AuthTokenResponse>() {
        Some(custom) => (custom.0)(&token, &user),
        None => serde_json::json!({ "token": token.key }),
    };
    Ok(HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        ))
        .body(body.to_string()))
}

/// `path` answering `POST` with [`obtain_auth_token`] and every other method with
/// `405 {"detail":"Method \"GET\" not allowed."}` and `Allow: POST, OPTIONS`, after running the
/// same authentication (as DRF does).
pub fn obtain_auth_token_resource(path: &str) -> actix_web::Resource {
    // The name tells deny-by-default, before routing, that the handlers declare their policy.
    web::resource(path)
        .name(OBTAIN_AUTH_TOKEN)
        // DRF's `ObtainAuthToken`: POST only, `renderer_classes = (JSONRenderer,)`.
        .app_data(DefaultResponseHeaders::methods(&["POST"]).json_only())
        .route(web::post().to(declared(obtain_auth_token)))
        .default_service(web::to(declared(not_allowed)))
}

const OBTAIN_AUTH_TOKEN: &str = "auth_actix::obtain_auth_token";
inventory::submit!(DeclaredName(OBTAIN_AUTH_TOKEN));

async fn not_allowed(
    _guard: PolicyGuard<
        DefaultAuthentication,
        (),
        DefaultThrottles,
        NoThrottleScope,
        (JSONRenderer,),
    >,
    request: HttpRequest,
) -> HttpResponse {
    method_not_allowed_response(&request, "POST, OPTIONS")
}
