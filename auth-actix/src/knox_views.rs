//! django-rest-knox's views: `LoginView`, `LogoutView` and `LogoutAllView`.
//!
//! `web::scope("/api/auth").configure(auth_actix::views::knox_endpoints)` mounts `POST login/`,
//! `POST logout/` and `POST logoutall/`.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use auth_core::ApiError;
use auth_core::authentication::KnoxTokenAuthentication;
use auth_core::knox;
use auth_core::permissions::IsAuthenticated;
use auth_core::policy::DefaultAuthentication;
use auth_core::store::knox_token;
use auth_core::throttling::{LoginScope, ScopedRateThrottle};

use crate::default_response_headers::DefaultResponseHeaders;
use crate::error::ApiErrorResponse;
use crate::guard::{PolicyGuard, method_not_allowed};
use crate::routed_handler::{DeclaredName, declared};
use crate::runtime::runtime_of;

/// knox's per-user limit message, under the key `error` (not `detail`).
pub const TOKEN_LIMIT_EXCEEDED: &str = "Maximum amount of tokens allowed per user exceeded.";

/// Registers `login/`, `logout/` and `logoutall/` (see the module docs).
/// Other methods get DRF's 405 after the view's authentication and permissions, as in knox.
///
/// ```
/// use actix_web::{test, web};
/// use auth_actix::AuthSettings;
/// use auth_actix::views::knox_endpoints;
///
/// # actix_web::rt::System::new().block_on(async {
/// let settings = AuthSettings::builder().secret_key("example").database_url("sqlite::memory:").build()?;
/// let db = settings.connect_and_migrate().await?;
/// let app = test::init_service(
///     auth_actix::app(settings, db).service(web::scope("/api/auth").configure(knox_endpoints)),
/// )
/// .await;
/// // knox's `LoginView` authenticates with the project's default schemes (Session, then Basic);
/// // without credentials: 403, as Session comes first and has no challenge.
/// let response = test::call_service(&app, test::TestRequest::post().uri("/api/auth/login/").to_request()).await;
/// assert_eq!(response.status(), 403);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
pub fn knox_endpoints(config: &mut web::ServiceConfig) {
    // The resource names tell deny-by-default, before routing, that these handlers declare
    // their policies.
    config
        .service(
            web::resource("/login/")
                .name(KNOX_LOGIN)
                // knox's views: APIViews with `post` and DRF's default renderers.
                .app_data(DefaultResponseHeaders::methods(&["POST"]))
                .route(web::post().to(declared(login)))
                .default_service(web::to(method_not_allowed::<
                    DefaultAuthentication,
                    (IsAuthenticated,),
                >())),
        )
        .service(
            web::resource("/logout/")
                .name(KNOX_LOGOUT)
                // knox's views: APIViews with `post` and DRF's default renderers.
                .app_data(DefaultResponseHeaders::methods(&["POST"]))
                .route(web::post().to(declared(logout)))
                .default_service(web::to(method_not_allowed::<
                    (KnoxTokenAuthentication,),
                    (IsAuthenticated,),
                >())),
        )
        .service(
            web::resource("/logoutall/")
                .name(KNOX_LOGOUT_ALL)
                // knox's views: APIViews with `post` and DRF's default renderers.
                .app_data(DefaultResponseHeaders::methods(&["POST"]))
                .route(web::post().to(declared(logout_all)))
                .default_service(web::to(method_not_allowed::<
                    (KnoxTokenAuthentication,),
                    (IsAuthenticated,),
                >())),
        );
}

const KNOX_LOGIN: &str = "auth_actix::knox::login";
const KNOX_LOGOUT: &str = "auth_actix::knox::logout";
const KNOX_LOGOUT_ALL: &str = "auth_actix::knox::logoutall";
inventory::submit!(DeclaredName(KNOX_LOGIN));
inventory::submit!(DeclaredName(KNOX_LOGOUT));
inventory::submit!(DeclaredName(KNOX_LOGOUT_ALL));

fn json(status: StatusCode, body: &serde_json::Value) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        ))
        .body(body.to_string())
}

/// knox's `LoginView`: the project's default schemes and `IsAuthenticated` (so one logs in with
/// Basic credentials or a session); refuses past `TOKEN_LIMIT_PER_USER` live tokens with
/// `403 {"error":…}`; creates a token, updates `last_login`, answers
/// `{"expiry":"…Z","token":"…"}` (`expiry` is `null` for a token without one).
async fn login(
    guard: PolicyGuard<
        DefaultAuthentication,
        (IsAuthenticated,),
        (ScopedRateThrottle,),
        LoginScope,
    >,
    request: HttpRequest,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let settings = runtime.settings();
    let now = runtime.env().services().clock().now();
    let Some(user) = guard.auth().user().as_user().cloned() else {
        return Err(ApiError::not_authenticated().into());
    };
    if let Some(limit) = settings.knox.token_limit_per_user {
        let live = knox_token::count_live(runtime.db(), user.id, now)
            .await
            .map_err(ApiError::store_failure)?;
        if live >= limit {
            return Ok(json(
                StatusCode::FORBIDDEN,
                &serde_json::json!({ "error": TOKEN_LIMIT_EXCEEDED }),
            ));
        }
    }
    let created = knox_token::create(runtime.db(), &settings.knox, now, user.id)
        .await
        .map_err(ApiError::store_failure)?;
    // knox emits `user_logged_in`, whose receiver updates `last_login`.
    settings
        .user_model
        .touch_last_login(runtime.db(), user)
        .await
        .map_err(ApiError::store_failure)?;
    Ok(json(
        StatusCode::OK,
        &serde_json::json!({
            "expiry": created.row.expiry.map(knox::format_expiry),
            "token": created.token,
        }),
    ))
}

/// knox's `LogoutView`: deletes the token of this request; `204`.
async fn logout(
    guard: PolicyGuard<(KnoxTokenAuthentication,), (IsAuthenticated,)>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    if let Some(token) = guard.auth().auth().knox_token() {
        knox_token::delete(runtime.db(), &token.digest)
            .await
            .map_err(ApiError::store_failure)?;
    }
    Ok(HttpResponse::NoContent().finish())
}

/// knox's `LogoutAllView`: deletes all of the user's tokens; `204`.
async fn logout_all(
    guard: PolicyGuard<(KnoxTokenAuthentication,), (IsAuthenticated,)>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    if let Some(user_id) = guard.auth().user().id() {
        knox_token::delete_for_user(runtime.db(), user_id)
            .await
            .map_err(ApiError::store_failure)?;
    }
    Ok(HttpResponse::NoContent().finish())
}
