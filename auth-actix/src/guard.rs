//! The policy guard: an extractor that runs DRF's pipeline before the handler, and the [`Auth`]
//! extractor that hands the handler `request.user` and `request.auth`.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use auth_core::authentication::forced::ForcedAuthentication;
use auth_core::django::http::host::validate_host;
use auth_core::negotiation::{Accepted, select_renderer};
use auth_core::permissions::PermissionClasses;
use auth_core::policy::{
    self, AuthState, AuthenticationPolicy, DefaultAuthentication, DefaultPermissions,
    DefaultThrottles, Policy, PolicyDefaults, Resolve,
};
use auth_core::renderers::{DefaultRenderers, RendererClasses, RendererInfo};
use auth_core::request::RequestView;
use auth_core::response_effects::ResponseEffects;
use auth_core::throttling::{NoThrottleScope, ThrottleClasses, ThrottleScope};
use auth_core::user::{AuthInfo, RequestUser};

use crate::error::ApiErrorResponse;
use crate::payload_gate::Gate;
use crate::request_view::{HttpRequestView, LazyForm};
use crate::routed_handler::Declared;
use crate::runtime::runtime_of;

/// A header name made once: `contains_key("x-forwarded-for")` parses the name on every call.
const X_FORWARDED_FOR: header::HeaderName = header::HeaderName::from_static("x-forwarded-for");

/// Runs the policy `S` (schemes), `P` (permissions), `T` (throttles) before the handler: put it
/// first among the handler's parameters. When it refuses the request the handler never runs and
/// the refusal is the response (401/403/406/429/503 in DRF's shape).
///
/// `S` is a scheme or a tuple of schemes (`(TokenAuthentication, BasicAuthentication)`, `()` for
/// none); `P` a permission, an expression type (`Or<IsAdminUser, ReadOnly>`) or a tuple. Leave
/// a part as its default to take the scope's [`PolicyDefaults`], then the project's. `R` is the
/// view's renderers (`(CSVRenderer, JSONRenderer)`; by default the scope's or project's
/// `DEFAULT_RENDERER_CLASSES`, else JSON alone), negotiated first.
///
/// ```no_run
/// use actix_web::{get, Responder};
/// use auth_actix::{Auth, PolicyGuard, TokenAuthentication, IsAuthenticated};
///
/// #[get("/me")]
/// async fn me(_: PolicyGuard<(TokenAuthentication,), IsAuthenticated>, auth: Auth) -> impl Responder {
///     auth.user().to_string()
/// }
/// ```
pub struct PolicyGuard<
    S = DefaultAuthentication,
    P = DefaultPermissions,
    T = DefaultThrottles,
    Scope = NoThrottleScope,
    R = DefaultRenderers,
> {
    auth: Auth,
    policy: PolicyType<S, P, T, Scope, R>,
}

/// The policy lives only in the type; `fn() -> …` keeps the guard `Send`/`Sync`-neutral and
/// free of drop-check obligations on `S`, `P`, `T`.
type PolicyType<S, P, T, Scope, R> = PhantomData<fn() -> (S, P, T, Scope, R)>;

impl<S, P, T, Scope, R> PolicyGuard<S, P, T, Scope, R> {
    /// What authentication decided (also available as the [`Auth`] extractor).
    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    /// Takes the [`Auth`] out of the guard.
    pub fn into_auth(self) -> Auth {
        self.auth
    }
}

impl<S, P, T, Scope, R> fmt::Debug for PolicyGuard<S, P, T, Scope, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PolicyGuard")
            .field("auth", &self.auth)
            .finish()
    }
}

/// What a policy middleware around the route (a [`ScopePolicy`](crate::ScopePolicy)) gives the
/// views under it as their defaults, consulted before the scope's `app_data`.
#[derive(Debug, Clone)]
pub(crate) struct ScopeDefaults(pub(crate) PolicyDefaults);

/// Put in a request's extensions when the view's renderers are not the plain JSON default (it
/// declares them, or the scope or project lists them) or the client asked for indented JSON:
/// how many renderers the list names (for `Vary: Accept`; `None` for the default) and, once
/// negotiation chose one, the accepted renderer.
#[derive(Debug, Clone)]
pub(crate) struct Negotiation {
    pub(crate) listed: Option<usize>,
    pub(crate) accepted: Option<Accepted>,
}

/// Put in a request's extensions by [`LoginRequiredMiddleware`](crate::LoginRequiredMiddleware):
/// deny-by-default is enforced for this request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DenyByDefaultEnforced;

/// Put in a request's extensions by a policy middleware that ran its policy before routing;
/// set once routing showed that the handler reports no declaration of its own.
#[derive(Debug, Clone, Default)]
pub(crate) struct PolicyRanBeforeRouting(pub(crate) Rc<Cell<bool>>);

/// Said once per process: behind a proxy without `num_proxies`, a client's throttle identity is
/// the whole `X-Forwarded-For` it writes (DRF's `get_ident`), so it can take a new one each time.
fn warn_forwarded_without_num_proxies() {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        tracing::warn!(
            id = "auth.W003",
            "X-Forwarded-For arrived but num_proxies is not set: throttling identifies a client \
             by the whole header, which the client writes; set num_proxies(n) to the number of \
             proxies in front of the service"
        );
    }
}

/// Said once per process: a guard ran after the middleware had already run the default policy,
/// because its handler does not report that it declares one (a `PolicyGuard` written by hand
/// and not wrapped in `declared`, on a route not named after a declared handler).
fn warn_unmarked_guard(request: &HttpRequest) {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        tracing::warn!(
            path = request.path(),
            "the default policy ran before this handler's own PolicyGuard, and refuses what it \
             refuses: register a handler whose guard is written by hand as \
             `auth_actix::policy::declared(handler)` (or use the policy attributes)"
        );
    }
}

/// Runs the pipeline of the policy `S`, `P`, `T` on `request` and returns its outcome. The
/// request is only borrowed (a policy middleware runs this before actix-web routes the request,
/// which needs the request unshared).
pub(crate) async fn run_policy<S, P, T, Scope, R>(
    request: &HttpRequest,
    gate: Option<&Gate>,
) -> Result<Rc<AuthState>, ApiErrorResponse>
where
    S: AuthenticationPolicy,
    P: PermissionClasses + Resolve,
    T: ThrottleClasses + Resolve,
    Scope: ThrottleScope,
    R: RendererClasses,
{
    let runtime = runtime_of(request)?;
    let settings = runtime.settings();
    // This run's cookie and `Vary` effects replace any earlier run's (the default policy a
    // middleware ran before routing showed the handler has its own), before anything can
    // refuse: a refusal carries only what its own run did.
    let effects = Rc::new(ResponseEffects::default());
    request.extensions_mut().insert(Rc::clone(&effects));
    // Django validates the host (`request.get_host()` in `CommonMiddleware`) before any view:
    // a disallowed one is its plain 400 page. This is what stops DNS rebinding against a server
    // bound to the loopback interface. A request without any host is left to the server.
    let view = HttpRequestView::new(request, settings);
    if let Some(host) = RequestView::host(&view)
        && !validate_host(host, &settings.allowed_hosts)
    {
        let shown: String = host.chars().take(100).collect();
        tracing::warn!(
            host = %shown,
            "Invalid HTTP_HOST header: you may need to add it to ALLOWED_HOSTS (allowed_hosts)"
        );
        return Err(auth_core::ApiError::new(auth_core::ErrorKind::DisallowedHost).into());
    }
    if settings.num_proxies.is_none() && request.headers().contains_key(X_FORWARDED_FOR) {
        warn_forwarded_without_num_proxies();
    }
    let scope = request.extensions().get::<ScopeDefaults>().cloned();
    let scope = scope
        .as_ref()
        .map(|scope| &scope.0)
        .or_else(|| request.app_data::<PolicyDefaults>());
    // Content negotiation happens before authentication in the reference (DRF's
    // `APIView.initial`), against the view's renderers, else the scope's or the project's
    // `DEFAULT_RENDERER_CLASSES`, else JSON; its refusal, and every later one, is rendered by the
    // renderer it chose (the first when it chose none).
    let accept = request
        .headers()
        .get_all(header::ACCEPT)
        .map(|value| value.as_bytes());
    let defaults = if R::DECLARED {
        None
    } else {
        PolicyDefaults::resolve_renderers(scope, runtime.defaults())
    };
    let (renderers, listed) = match defaults {
        Some(list) => (list.served(), Some(list.listed_count())),
        None => (R::RENDERERS, R::DECLARED.then_some(R::RENDERERS.len())),
    };
    let negotiated = select_renderer(accept, request.query_string(), renderers);
    let indented = negotiated
        .as_ref()
        .is_ok_and(|accepted| accepted.json_indent.is_some());
    if listed.is_some() || indented {
        request.extensions_mut().insert(Negotiation {
            listed,
            accepted: negotiated.as_ref().ok().cloned(),
        });
    } else if request.extensions().contains::<Negotiation>() {
        // An earlier run (the default policy before routing) negotiated otherwise: this one
        // decides.
        request.extensions_mut().remove::<Negotiation>();
    }
    let renderer = match negotiated {
        Ok(accepted) => accepted.renderer,
        Err(refused) => {
            if refused.error.kind() == auth_core::ErrorKind::TooManyFieldsSent {
                // Django's `django.security.TooManyFieldsSent` warning.
                tracing::warn!(
                    "The number of GET/POST parameters exceeded \
                     settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
                );
            }
            return Err(ApiErrorResponse::rendered_by(
                refused.error,
                refused.renderer,
            ));
        }
    };
    let rendered = |error: auth_core::ApiError| ApiErrorResponse::rendered_by(error, renderer);
    if settings.deny_by_default
        && request
            .extensions()
            .get::<DenyByDefaultEnforced>()
            .is_none()
    {
        // Fail closed: a handler without a declaration would be open on this app.
        tracing::error!(
            "deny_by_default is on but LoginRequiredMiddleware does not wrap this App: build it \
             with auth_actix::app(settings, db), or add .wrap(auth_actix::LoginRequiredMiddleware) \
             as its first middleware"
        );
        return Err(auth_core::ApiError::new(auth_core::ErrorKind::ServerError).into());
    }
    let policy = policy::resolve::<S, P, T, Scope>(scope, runtime.defaults());
    // Session authentication's CSRF check reads `request.POST` (Django's
    // `CsrfViewMiddleware._check_token`): the body is read then, for a session user's POST only.
    let form = LazyForm::new(request, gate);
    let view = HttpRequestView::new(request, settings).with_lazy_form(&form);
    let forced = request.extensions().get::<ForcedAuthentication>().cloned();
    let state = match forced {
        // `auth_actix::test::force_authenticate`: the schemes are replaced, nothing else.
        Some(forced) => {
            let policy = Policy {
                authentication: forced,
                permissions: policy.permissions,
                throttles: policy.throttles,
                throttle_scope: policy.throttle_scope,
                throttle_first: policy.throttle_first,
            };
            policy
                .run(&view, runtime.env(), &effects)
                .await
                .map_err(rendered)?
        }
        None => policy
            .run(&view, runtime.env(), &effects)
            .await
            .map_err(rendered)?,
    };
    Ok(Rc::new(state))
}

/// Runs the policy `S`, `P`, `T` as a handler's guard: the outcome is published in `slot` (the
/// guard's, announced when it was created) or else in the request's extensions, so that [`Auth`]
/// (and anything after) reads it instead of authenticating again. One extension, not two: each
/// costs an allocation and a map entry on every request.
async fn guard_request<S, P, T, Scope, R>(
    request: HttpRequest,
    gate: Option<Gate>,
    slot: Option<Rc<PolicySlot>>,
) -> Result<Auth, ApiErrorResponse>
where
    S: AuthenticationPolicy,
    P: PermissionClasses + Resolve,
    T: ThrottleClasses + Resolve,
    Scope: ThrottleScope,
    R: RendererClasses,
{
    let unmarked = request
        .extensions()
        .get::<PolicyRanBeforeRouting>()
        .is_some_and(|ran| ran.0.get());
    if unmarked {
        warn_unmarked_guard(&request);
    }
    let state = run_policy::<S, P, T, Scope, R>(&request, gate.as_ref()).await?;
    match slot {
        Some(slot) => slot.fill(Rc::clone(&state)),
        None => {
            request.extensions_mut().insert(Rc::clone(&state));
        }
    }
    if let Some(gate) = gate {
        gate.open();
    }
    Ok(Auth { state, request })
}

impl<S, P, T, Scope, R> FromRequest for PolicyGuard<S, P, T, Scope, R>
where
    S: AuthenticationPolicy,
    P: PermissionClasses + Resolve + 'static,
    T: ThrottleClasses + Resolve + 'static,
    Scope: ThrottleScope,
    R: RendererClasses,
{
    type Error = ApiErrorResponse;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiErrorResponse>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let request = request.clone();
        // Announced synchronously, before any later extractor is created, so that an `Auth`
        // parameter after the guard waits for this outcome instead of authenticating again.
        let slot = Rc::new(PolicySlot::default());
        request.extensions_mut().insert(Rc::clone(&slot));
        let gate = Gate::install(payload);
        Box::pin(async move {
            let auth = guard_request::<S, P, T, Scope, R>(request, gate, Some(slot)).await?;
            Ok(Self {
                auth,
                policy: PhantomData,
            })
        })
    }
}

/// Where a guard publishes its outcome for the `Auth` extractors that follow it.
#[derive(Default)]
pub(crate) struct PolicySlot {
    state: RefCell<Option<Rc<AuthState>>>,
    waiting: Cell<Option<Waker>>,
    /// Filled by a policy middleware rather than a guard.
    from_middleware: bool,
}

/// Said once per process: a scope's `app_data` defaults do not reach a handler that declares
/// nothing under deny-by-default (the middleware runs before routing, where they are not yet
/// known).
fn warn_scope_defaults_unused(request: &HttpRequest) {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        tracing::warn!(
            path = request.path(),
            "a handler under a scope with `PolicyDefaults` in its app_data declares no policy: \
             deny-by-default ran the project's defaults for it, not the scope's; wrap the scope \
             in `ScopePolicy::new(defaults)` to make them its policy"
        );
    }
}

impl PolicySlot {
    /// A slot a policy middleware fills.
    pub(crate) fn for_middleware() -> Self {
        Self {
            from_middleware: true,
            ..Self::default()
        }
    }

    fn is_from_middleware(&self) -> bool {
        self.from_middleware
    }

    pub(crate) fn fill(&self, state: Rc<AuthState>) {
        *self.state.borrow_mut() = Some(state);
        if let Some(waker) = self.waiting.take() {
            waker.wake();
        }
    }

    /// The outcome, once filled.
    fn state(&self) -> Option<Rc<AuthState>> {
        self.state.borrow().clone()
    }

    fn poll_state(&self, cx: &mut Context<'_>) -> Poll<Rc<AuthState>> {
        match self.state.borrow().as_ref() {
            Some(state) => Poll::Ready(Rc::clone(state)),
            None => {
                self.waiting.set(Some(cx.waker().clone()));
                Poll::Pending
            }
        }
    }
}

/// `request.user`, `request.auth` and the scheme that authenticated, for the handler.
///
/// After a [`PolicyGuard`] it reads the guard's outcome. On its own it runs the default policy
/// (the scope's [`PolicyDefaults`], then the project's), as every DRF view does.
#[derive(Clone)]
pub struct Auth {
    state: Rc<AuthState>,
    request: HttpRequest,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.state, f)
    }
}

impl Auth {
    /// `request.user`.
    pub fn user(&self) -> &RequestUser {
        &self.state.user
    }

    /// `request.auth`.
    pub fn auth(&self) -> &AuthInfo {
        &self.state.auth
    }

    /// The scheme that authenticated the request (`"TokenAuthentication"`, …), if any.
    pub fn scheme(&self) -> Option<&'static str> {
        self.state.scheme
    }

    /// The whole outcome of authentication.
    pub fn state(&self) -> &AuthState {
        &self.state
    }

    /// The request this outcome belongs to.
    pub fn request(&self) -> &HttpRequest {
        &self.request
    }

    /// DRF's `check_object_permissions(request, obj)`: runs the view's permissions at object
    /// level on `object`; a refusal is the 401/403 to return.
    pub async fn check_object_permissions(&self, object: &dyn Any) -> Result<(), ApiErrorResponse> {
        let runtime = runtime_of(&self.request)?;
        let view = HttpRequestView::new(&self.request, runtime.settings());
        self.state
            .check_object_permissions(&view, runtime.env(), object)
            .await
            .map_err(|error| self.error(error))
    }

    /// The request's user with its custom model's own columns `E` (`#[derive(UserColumns)]`),
    /// read now in one query; `None` for an anonymous request or a token user (simplejwt's
    /// stateless user has no row). A store failure is the 503 to return.
    pub async fn user_columns<E>(&self) -> Result<Option<E>, ApiErrorResponse>
    where
        E: auth_core::store::user_columns::UserColumns,
    {
        let Some(id) = self.state.user.id() else {
            return Ok(None);
        };
        let runtime = runtime_of(&self.request)?;
        let env = runtime.env();
        let found = env
            .settings()
            .user_model
            .find_with_columns::<E, _>(env.db(), id)
            .await
            .map_err(|error| self.error(auth_core::ApiError::store_failure(error)))?;
        Ok(found.map(|(_, columns)| columns))
    }

    /// Django's `request.user.has_perm(perm)` (`"app_label.codename"`): read from Django's
    /// permission tables with `ModelBackend`'s rules (inactive: none; active superuser: all;
    /// the user's and its groups' united), once per request, sharing what the view's
    /// permissions already read. A store failure is the 503 to return.
    pub async fn has_perm(&self, perm: &str) -> Result<bool, ApiErrorResponse> {
        let runtime = runtime_of(&self.request)?;
        let backend = &self.state.backend;
        let decided = backend
            .has_perm(runtime.env(), &self.state.user, perm)
            .await;
        decided.map_err(|error| self.error(error))
    }

    /// Django's `request.user.has_perms(perm_list)`: all of them.
    pub async fn has_perms(&self, perms: &[&str]) -> Result<bool, ApiErrorResponse> {
        let runtime = runtime_of(&self.request)?;
        let backend = &self.state.backend;
        let decided = backend
            .has_perms(runtime.env(), &self.state.user, perms)
            .await;
        decided.map_err(|error| self.error(error))
    }

    /// Django's `request.user.has_module_perms(app_label)`: any permission of the app.
    pub async fn has_module_perms(&self, app_label: &str) -> Result<bool, ApiErrorResponse> {
        let runtime = runtime_of(&self.request)?;
        let backend = &self.state.backend;
        let decided = backend
            .has_module_perms(runtime.env(), &self.state.user, app_label)
            .await;
        decided.map_err(|error| self.error(error))
    }

    /// Django's `request.user.get_all_permissions()`, `"app_label.codename"` in order.
    pub async fn get_all_permissions(
        &self,
    ) -> Result<auth_core::model_backend::Permissions, ApiErrorResponse> {
        let runtime = runtime_of(&self.request)?;
        let backend = &self.state.backend;
        let found = backend
            .get_all_permissions(runtime.env(), &self.state.user)
            .await;
        found.map_err(|error| self.error(error))
    }

    /// Django's `request.user.get_group_permissions()`.
    pub async fn get_group_permissions(
        &self,
    ) -> Result<auth_core::model_backend::Permissions, ApiErrorResponse> {
        let runtime = runtime_of(&self.request)?;
        let backend = &self.state.backend;
        let found = backend
            .get_group_permissions(runtime.env(), &self.state.user)
            .await;
        found.map_err(|error| self.error(error))
    }

    /// Django's `request.user.get_user_permissions()`.
    pub async fn get_user_permissions(
        &self,
    ) -> Result<auth_core::model_backend::Permissions, ApiErrorResponse> {
        let runtime = runtime_of(&self.request)?;
        let backend = &self.state.backend;
        let found = backend
            .get_user_permissions(runtime.env(), &self.state.user)
            .await;
        found.map_err(|error| self.error(error))
    }

    /// DRF's `request.accepted_renderer`: the renderer content negotiation chose among the
    /// view's `#[renderer_classes(…)]` (or the `DEFAULT_RENDERER_CLASSES`; JSON when neither
    /// lists any). A handler with
    /// several renderers answers in this one's format, with its
    /// [`content_type`](RendererInfo::content_type).
    pub fn accepted_renderer(&self) -> &'static RendererInfo {
        self.request
            .extensions()
            .get::<Negotiation>()
            .and_then(|negotiation| negotiation.accepted.as_ref())
            .map_or(&crate::error::JSON, |accepted| accepted.renderer)
    }

    /// DRF's `request.accepted_media_type`: the `Accept` entry that chose the renderer, or the
    /// renderer's media type with that entry's parameters (`text/csv;q=0.8` for `*/*;q=0.8`).
    /// On a view rendering JSON alone by default it is kept only when it carries `indent`;
    /// otherwise this is `application/json` (DRF would report the entry, such as
    /// `application/json;q=0.5`, which decides nothing there).
    pub fn accepted_media_type(&self) -> String {
        self.request
            .extensions()
            .get::<Negotiation>()
            .and_then(|negotiation| negotiation.accepted.as_ref())
            .map_or_else(
                || crate::error::JSON.media_type.to_owned(),
                |accepted| accepted.media_type.clone().into_owned(),
            )
    }

    /// `error` as this request's response: rendered by the accepted renderer, as DRF renders
    /// an exception a handler raises.
    pub fn error(&self, error: auth_core::ApiError) -> ApiErrorResponse {
        ApiErrorResponse::rendered_by(error, self.accepted_renderer())
    }
}

impl FromRequest for Auth {
    type Error = ApiErrorResponse;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiErrorResponse>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let request = request.clone();
        let existing = request.extensions().get::<Rc<AuthState>>().cloned();
        if let Some(state) = existing {
            return Box::pin(std::future::ready(Ok(Self { state, request })));
        }
        let pending = request.extensions().get::<Rc<PolicySlot>>().cloned();
        if let Some(slot) = pending {
            if let Some(state) = slot.state() {
                return Box::pin(std::future::ready(Ok(Self { state, request })));
            }
            // A guard earlier in the parameter list is running the view's policy, or a policy
            // middleware ran one for this handler, which declares none: share its outcome.
            // Should the guard refuse, the handler's extraction fails with its error.
            if slot.is_from_middleware()
                && request.app_data::<PolicyDefaults>().is_some()
                && request.extensions().get::<ScopeDefaults>().is_none()
            {
                warn_scope_defaults_unused(&request);
            }
            return Box::pin(async move {
                let state = std::future::poll_fn(|cx| slot.poll_state(cx)).await;
                Ok(Self { state, request })
            });
        }
        let gate = Gate::install(payload);
        Box::pin(guard_request::<
            DefaultAuthentication,
            DefaultPermissions,
            DefaultThrottles,
            NoThrottleScope,
            DefaultRenderers,
        >(request, gate, None))
    }
}

/// The handler for methods a resource does not implement: it runs the same policy first, so
/// authentication and permission failures win over 405 as in DRF, whose `APIView.dispatch` runs
/// `initial` before it looks up the handler, then answers
/// `405 {"detail":"Method \"PUT\" not allowed."}`. It is [`declared`](crate::policy::declared)
/// (deny-by-default leaves it to its own policy).
///
/// ```no_run
/// use actix_web::web;
/// use auth_actix::views::method_not_allowed;
/// use auth_actix::{IsAuthenticated, TokenAuthentication};
/// # async fn handler() -> &'static str { "" }
/// let resource = web::resource("/items/")
///     .route(web::get().to(handler))
///     .default_service(web::to(method_not_allowed::<(TokenAuthentication,), IsAuthenticated>()));
/// ```
pub fn method_not_allowed<S, P>() -> Declared<MethodNotAllowed<S, P>>
where
    S: AuthenticationPolicy,
    P: PermissionClasses + Resolve + 'static,
{
    crate::routed_handler::declared(method_not_allowed_handler::<S, P>)
}

/// The function behind [`method_not_allowed`].
pub type MethodNotAllowed<S, P> =
    fn(PolicyGuard<S, P>, HttpRequest) -> std::future::Ready<ApiErrorResponse>;

fn method_not_allowed_handler<S, P>(
    _guard: PolicyGuard<S, P>,
    request: HttpRequest,
) -> std::future::Ready<ApiErrorResponse> {
    std::future::ready(auth_core::ApiError::method_not_allowed(request.method().as_str()).into())
}
