//! Django's `LoginRequiredMiddleware` in DRF's terms: deny by default.

use actix_web::Error;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};

use crate::route_policy::{PolicySource, RoutePolicyService};

/// Runs the project's default policy (`DEFAULT_AUTHENTICATION_CLASSES`,
/// `DEFAULT_PERMISSION_CLASSES`, `DEFAULT_THROTTLE_CLASSES`) on every request whose handler
/// declares no policy of its own: handlers written without a policy attribute or
/// [`Auth`](crate::Auth), and paths no route matches. A handler that declares a policy (the
/// policy attributes, or [`declared`](crate::policy::declared) around a hand-written
/// [`PolicyGuard`](crate::PolicyGuard)) runs its own instead, which replaces the default as a
/// DRF view's classes replace DRF's defaults; `#[login_not_required]` handlers run none.
///
/// It acts when [`Settings::deny_by_default`](crate::settings::Settings::deny_by_default) is on
/// (the default), and then is required: a guard on an app it does not wrap answers 500 rather
/// than serve a route that would be open. [`app`](crate::app) installs it; by hand it must be the
/// app's first `.wrap()` (the innermost), because it learns which handler a request reaches
/// while actix-web routes it, which a middleware between them that defers the call would hide
/// (the default policy would then also run before every declared handler's own).
///
/// ```
/// use actix_web::{get, test, App, Responder};
/// use auth_actix::{AuthSettings, LoginRequiredMiddleware};
///
/// #[get("/forgotten")]
/// async fn forgotten() -> impl Responder {
///     "no policy declared"
/// }
///
/// # actix_web::rt::System::new().block_on(async {
/// let settings = AuthSettings::builder().secret_key("example").database_url("sqlite::memory:").build()?;
/// let db = settings.connect_and_migrate().await?;
/// let app = test::init_service(
///     App::new()
///         .wrap(LoginRequiredMiddleware)
///         .configure(auth_actix::configure(settings, db))
///         .service(forgotten),
/// )
/// .await;
/// let response = test::call_service(&app, test::TestRequest::get().uri("/forgotten").to_request()).await;
/// assert_eq!(response.status(), 403); // DRF's "Authentication credentials were not provided."
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct LoginRequiredMiddleware;

impl<S, B> Transform<S, ServiceRequest> for LoginRequiredMiddleware
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = RoutePolicyService<S>;
    type InitError = ();
    type Future = std::future::Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        std::future::ready(Ok(RoutePolicyService::new(service, PolicySource::Project)))
    }
}
