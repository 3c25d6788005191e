//! The session endpoints: login, logout and a CSRF token for single-page apps.
//!
//! Mount them with one call under any prefix:
//! `web::scope("/auth").configure(auth_actix::views::session_endpoints)` gives
//! `POST /auth/login/`, `POST /auth/logout/` and `GET /auth/csrf/`.

use actix_web::http::header::{self, HeaderValue};
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use auth_core::authentication::session::enforce_csrf;
use auth_core::csrf_secret;
use auth_core::django::session_data::MODEL_BACKEND;
use auth_core::negotiation::select_renderer;
use auth_core::renderers::{DefaultRenderers, RendererClasses};
use auth_core::request::RequestView;
use auth_core::response_effects::ResponseEffects;
use auth_core::throttling::{
    LoginScope, ScopedRateThrottle, ThrottleClasses, ThrottleContext, ThrottleScope,
};
use auth_core::user::{AuthInfo, RequestUser};
use auth_core::{ApiError, auth_token_serializer, login as django_login};

use crate::error::ApiErrorResponse;
use crate::post_data;
use crate::request_view::HttpRequestView;
use crate::routed_handler::{DeclaredName, Exempt};
use crate::runtime::{AuthRuntime, method_not_allowed_response, runtime_of};

/// Registers `login/`, `logout/` and `csrf/` (see the module docs).
///
/// ```
/// use actix_web::{test, web};
/// use auth_actix::views::session_endpoints;
/// use auth_actix::{AuthSettings, SessionMiddleware};
///
/// # actix_web::rt::System::new().block_on(async {
/// let settings = AuthSettings::builder().secret_key("example").database_url("sqlite::memory:").build()?;
/// let db = settings.connect_and_migrate().await?;
/// let app = test::init_service(
///     auth_actix::app(settings, db)
///         .wrap(SessionMiddleware)
///         .service(web::scope("/auth").configure(session_endpoints)),
/// )
/// .await;
/// // `GET /auth/csrf/` sets Django's CSRF cookie, as `ensure_csrf_cookie` does.
/// let response = test::call_service(&app, test::TestRequest::get().uri("/auth/csrf/").to_request()).await;
/// assert!(response.response().cookies().any(|cookie| cookie.name() == "csrftoken"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
pub fn session_endpoints(config: &mut web::ServiceConfig) {
    // Django's login view is `login_not_required`: these run no policy under deny-by-default
    // (they check CSRF and credentials themselves). The resource names let the middleware know
    // it before routing.
    config
        .service(
            web::resource("/login/")
                .name(SESSION_LOGIN)
                .route(web::post().to(Exempt(login)))
                .default_service(web::to(Exempt(post_only))),
        )
        .service(
            web::resource("/logout/")
                .name(SESSION_LOGOUT)
                .route(web::post().to(Exempt(logout)))
                .default_service(web::to(Exempt(post_only))),
        )
        .service(
            web::resource("/csrf/")
                .name(SESSION_CSRF)
                .route(web::get().to(Exempt(csrf_token)))
                .default_service(web::to(Exempt(get_only))),
        );
}

const SESSION_LOGIN: &str = "auth_actix::session::login";
const SESSION_LOGOUT: &str = "auth_actix::session::logout";
const SESSION_CSRF: &str = "auth_actix::session::csrf";
inventory::submit!(DeclaredName(SESSION_LOGIN));
inventory::submit!(DeclaredName(SESSION_LOGOUT));
inventory::submit!(DeclaredName(SESSION_CSRF));

async fn post_only(request: HttpRequest) -> HttpResponse {
    method_not_allowed_response(&request, "POST, OPTIONS")
}

async fn get_only(request: HttpRequest) -> HttpResponse {
    method_not_allowed_response(&request, "GET, HEAD, OPTIONS")
}

/// DRF's negotiation over the view's one renderer, JSON.
fn negotiate(request: &HttpRequest) -> Result<(), ApiErrorResponse> {
    let accept = request
        .headers()
        .get_all(header::ACCEPT)
        .map(|value| value.as_bytes());
    select_renderer(accept, request.query_string(), DefaultRenderers::RENDERERS)
        .map(|_| ())
        .map_err(|refused| ApiErrorResponse::rendered_by(refused.error, refused.renderer))
}

/// A JSON response carrying the recorded cookie effects.
fn respond(
    status: actix_web::http::StatusCode,
    body: Option<serde_json::Value>,
    effects: &ResponseEffects,
    runtime: &AuthRuntime,
) -> HttpResponse {
    let mut response = match body {
        Some(body) => HttpResponse::build(status)
            .insert_header((
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ))
            .body(body.to_string()),
        None => HttpResponse::build(status).finish(),
    };
    crate::response_cookies::apply(response.headers_mut(), effects, runtime.settings());
    response
}

/// `POST login/` with `username` and `password` as JSON, form or multipart: checks CSRF (as
/// Django's login view does), the credentials (Basic plays no part), then logs the user in:
/// a new session key, `sessionid` and a rotated CSRF secret (the `csrftoken` cookie, or the session's
/// `_csrftoken` with `CSRF_USE_SESSIONS`), `last_login` updated.
/// Answers `{"id":…,"username":…,"email":…}`; bad credentials are DRF's 400.
async fn login(
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    negotiate(&request)?;
    let runtime = runtime_of(&request)?;
    let settings = runtime.settings();
    let (body, post) = post_data::read(&request, payload, settings).await?;
    let view = HttpRequestView::new(&request, settings).with_post_data(&post);
    enforce_csrf(runtime.env(), &view).await?;
    // Brute-force protection: the login scope's rate per client (an anonymous request).
    let throttle_cx = ThrottleContext {
        request: &view,
        user: &RequestUser::Anonymous,
        auth: &AuthInfo::None,
        env: runtime.env(),
        scope: LoginScope::SCOPE,
    };
    ScopedRateThrottle.check(&throttle_cx).await?;
    let credentials = post_data::credentials(&body, &post)?;

    let user = auth_token_serializer::authenticate(runtime.env(), &credentials).await?;
    let effects = ResponseEffects::default();
    let view = HttpRequestView::new(&request, settings);
    let cookie = view.cookie(&settings.session_cookie.name);
    let (_, user) = django_login::login(
        runtime.env(),
        &effects,
        cookie.as_deref(),
        &user,
        MODEL_BACKEND,
    )
    .await
    .map_err(ApiError::store_failure)?;
    let body = serde_json::json!({
        "id": user.id,
        "username": user.username,
        "email": user.email,
    });
    Ok(respond(
        actix_web::http::StatusCode::OK,
        Some(body),
        &effects,
        &runtime,
    ))
}

/// `POST logout/`: checks CSRF, flushes the session and deletes its cookie; `204`.
async fn logout(
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    negotiate(&request)?;
    let runtime = runtime_of(&request)?;
    let settings = runtime.settings();
    let (_, post) = post_data::read(&request, payload, settings).await?;
    let view = HttpRequestView::new(&request, settings).with_post_data(&post);
    enforce_csrf(runtime.env(), &view).await?;
    let effects = ResponseEffects::default();
    let cookie = view.cookie(&settings.session_cookie.name);
    django_login::logout(runtime.env(), &effects, cookie.as_deref())
        .await
        .map_err(ApiError::store_failure)?;
    Ok(respond(
        actix_web::http::StatusCode::NO_CONTENT,
        None,
        &effects,
        &runtime,
    ))
}

/// `GET csrf/`: Django's `get_token` ([`csrf_secret::get_token`]): keeps the request's valid
/// secret (unmasking a legacy 64-character one) or makes a new one, sends it as the `csrftoken`
/// cookie (with `CSRF_USE_SESSIONS`: stores it in the session, whose cookie is sent when that
/// created it), and answers a freshly masked token for the `X-CSRFToken` header:
/// `{"csrf_token":"…"}`.
async fn csrf_token(request: HttpRequest) -> Result<HttpResponse, ApiErrorResponse> {
    negotiate(&request)?;
    let runtime = runtime_of(&request)?;
    let view = HttpRequestView::new(&request, runtime.settings());
    let effects = ResponseEffects::default();
    let token = csrf_secret::get_token(runtime.env(), &view, &effects).await?;
    Ok(respond(
        actix_web::http::StatusCode::OK,
        Some(serde_json::json!({ "csrf_token": token })),
        &effects,
        &runtime,
    ))
}
