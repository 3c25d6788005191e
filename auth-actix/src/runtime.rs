//! Registering the settings and the database in an actix-web `App` with one call.

use actix_web::body::{BoxBody, EitherBody};
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{App, HttpRequest, web};
use auth_core::AuthSettings;
use auth_core::environment::Environment;
use auth_core::policy::PolicyDefaults;
use auth_core::settings::Settings;
use auth_core::store::DatabaseConnection;

use crate::error::ApiErrorResponse;

/// What the guards read from the app: the environment of the schemes (settings, database,
/// services) and the project's default policy.
#[derive(Debug, Clone)]
pub struct AuthRuntime {
    env: Environment,
    defaults: PolicyDefaults,
}

impl AuthRuntime {
    /// The runtime of `settings` on `db`.
    pub fn new(settings: &AuthSettings, db: DatabaseConnection) -> Self {
        Self {
            env: settings.environment(db),
            defaults: settings.defaults().clone(),
        }
    }

    /// The settings, the database and the services.
    pub fn env(&self) -> &Environment {
        &self.env
    }

    /// The project-wide settings.
    pub fn settings(&self) -> &Settings {
        self.env.settings()
    }

    /// The database holding Django's tables.
    pub fn db(&self) -> &DatabaseConnection {
        self.env.db()
    }

    /// The project's default policy (`DEFAULT_*_CLASSES`).
    pub fn defaults(&self) -> &PolicyDefaults {
        &self.defaults
    }
}

/// Registers the settings and the database for every guard of the app:
/// `App::new().wrap(LoginRequiredMiddleware).configure(auth_actix::configure(settings, db))`,
/// which [`app`] does for you. It also registers a `web::JsonConfig` that answers actix-web's
/// `web::Json<T>` failures in DRF's shape (`{"detail":"JSON parse error - …"}`, 415, 413; see
/// `json_parser`), bodies up to `max_body_size`. With deny-by-default on (the default),
/// [`LoginRequiredMiddleware`](crate::LoginRequiredMiddleware) must wrap the app as its first
/// middleware.
///
/// Build the settings and connect once, outside `HttpServer::new`'s factory, so every worker
/// shares one pool.
///
/// ```
/// use actix_web::{get, test, App, Responder};
/// use auth_actix::{AllowAny, Auth, AuthSettings, LoginRequiredMiddleware, permission_classes};
///
/// #[get("/whoami/")]
/// #[permission_classes(AllowAny)]
/// async fn whoami(auth: Auth) -> impl Responder {
///     auth.user().to_string()
/// }
///
/// # actix_web::rt::System::new().block_on(async {
/// let settings = AuthSettings::builder().secret_key("example").database_url("sqlite::memory:").build()?;
/// let db = settings.connect_and_migrate().await?;
/// let app = test::init_service(
///     App::new()
///         .wrap(LoginRequiredMiddleware)
///         .configure(auth_actix::configure(settings, db))
///         .service(whoami),
/// )
/// .await;
/// let body = test::call_and_read_body(&app, test::TestRequest::get().uri("/whoami/").to_request()).await;
/// assert_eq!(body, "AnonymousUser");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
pub fn configure(
    settings: AuthSettings,
    db: DatabaseConnection,
) -> impl Fn(&mut web::ServiceConfig) + Clone {
    let json = crate::json_parser::json_config(settings.settings().max_body_size);
    let runtime = web::Data::new(AuthRuntime::new(&settings, db));
    move |config: &mut web::ServiceConfig| {
        config.app_data(runtime.clone()).app_data(json.clone());
    }
}

/// A new `App` with the settings and the database registered ([`configure`]) and deny-by-default
/// installed ([`LoginRequiredMiddleware`](crate::LoginRequiredMiddleware), as its innermost
/// middleware): the start of every application. Add services and middleware to it as to
/// `App::new()`.
///
/// Build the settings and connect once, outside `HttpServer::new`'s factory, so every worker
/// shares one pool.
///
/// ```
/// use actix_web::{get, test, Responder};
/// use auth_actix::{AllowAny, Auth, AuthSettings, permission_classes};
///
/// #[permission_classes(AllowAny)]
/// #[get("/whoami/")]
/// async fn whoami(auth: Auth) -> impl Responder {
///     auth.user().to_string()
/// }
///
/// # actix_web::rt::System::new().block_on(async {
/// let settings = AuthSettings::builder().secret_key("example").database_url("sqlite::memory:").build()?;
/// let db = settings.connect_and_migrate().await?;
/// let app = test::init_service(auth_actix::app(settings, db).service(whoami)).await;
/// let body = test::call_and_read_body(&app, test::TestRequest::get().uri("/whoami/").to_request()).await;
/// assert_eq!(body, "AnonymousUser");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
pub fn app(
    settings: AuthSettings,
    db: DatabaseConnection,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<EitherBody<BoxBody>>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .wrap(crate::LoginRequiredMiddleware)
        .configure(configure(settings, db))
}

/// The app's [`AuthRuntime`]; a 500 (logged) when `configure` was not registered, so a
/// misconfigured app refuses rather than serving unprotected.
pub(crate) fn runtime_of(
    request: &HttpRequest,
) -> Result<web::Data<AuthRuntime>, ApiErrorResponse> {
    request
        .app_data::<web::Data<AuthRuntime>>()
        .cloned()
        .ok_or_else(|| {
            tracing::error!("auth_actix::configure(settings, db) was not registered on this App");
            ApiErrorResponse::from(auth_core::ApiError::new(auth_core::ErrorKind::ServerError))
        })
}

/// A 405 in DRF's shape with the resource's `Allow` header.
pub(crate) fn method_not_allowed_response(
    request: &HttpRequest,
    allow: &'static str,
) -> actix_web::HttpResponse {
    let mut response = actix_web::ResponseError::error_response(&ApiErrorResponse::from(
        auth_core::ApiError::method_not_allowed(request.method().as_str()),
    ));
    response.headers_mut().insert(
        actix_web::http::header::ALLOW,
        actix_web::http::header::HeaderValue::from_static(allow),
    );
    response
}
