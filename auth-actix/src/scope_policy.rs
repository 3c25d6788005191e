//! A whole policy for every route under a `web::scope`, in the actix-extras convention
//! (`scope.wrap(…)`).

use actix_web::Error;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use auth_core::policy::PolicyDefaults;

use crate::guard::ScopeDefaults;
use crate::route_policy::{PolicySource, RoutePolicyService};

/// Applies a policy (schemes, permissions, throttles) to every route under the scope it wraps:
/// a handler that declares nothing runs it, and a handler that declares a part replaces that
/// part only, the others coming from the scope, as a DRF view's classes replace the settings'
/// defaults one by one. Parts the scope leaves out come from the project's defaults.
///
/// It is [`PolicyDefaults`] made binding: `web::scope(…).app_data(defaults)` gives the same
/// defaults to the handlers that declare a policy (or take [`Auth`](crate::Auth)) but leaves a
/// handler that declares nothing to the project's deny-by-default, while `ScopePolicy` runs the
/// scope's policy for it, whatever the project's settings. `#[login_not_required]` handlers
/// under it run no policy.
///
/// ```
/// use actix_web::{get, test, web, App, Responder};
/// use auth_actix::{AuthSettings, BasicAuthentication, IsAdminUser, PolicyDefaults, ScopePolicy};
///
/// #[get("/report")]
/// async fn report() -> impl Responder {
///     "staff only, though the handler declares nothing"
/// }
///
/// # actix_web::rt::System::new().block_on(async {
/// let settings = AuthSettings::builder().secret_key("example").database_url("sqlite::memory:").build()?;
/// let db = settings.connect_and_migrate().await?;
/// let internal = PolicyDefaults::new()
///     .authentication::<BasicAuthentication>()
///     .permission::<IsAdminUser>();
/// let app = test::init_service(
///     auth_actix::app(settings, db)
///         .service(web::scope("/internal").wrap(ScopePolicy::new(internal)).service(report)),
/// )
/// .await;
/// let response = test::call_service(&app, test::TestRequest::get().uri("/internal/report").to_request()).await;
/// assert_eq!(response.status(), 401);
/// assert_eq!(response.headers().get("www-authenticate").unwrap(), "Basic realm=\"api\"");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct ScopePolicy(PolicyDefaults);

impl ScopePolicy {
    /// The scope's policy: the parts `policy` sets, the project's defaults for the others.
    pub fn new(policy: PolicyDefaults) -> Self {
        Self(policy)
    }
}

impl<S, B> Transform<S, ServiceRequest> for ScopePolicy
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
        std::future::ready(Ok(RoutePolicyService::new(
            service,
            PolicySource::Scope(ScopeDefaults(self.0.clone())),
        )))
    }
}
