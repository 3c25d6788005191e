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
use actix_web::http::{Method, header};
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use auth_core::authentication::forced::ForcedAuthentication;
use auth_core::negotiation::accepts_json;
use auth_core::permissions::PermissionClasses;
use auth_core::policy::{
    self, AuthState, AuthenticationPolicy, DefaultAuthentication, DefaultPermissions,
    DefaultThrottles, Policy, PolicyDefaults, Resolve,
};
use auth_core::response_effects::ResponseEffects;
use auth_core::throttling::{NoThrottleScope, ThrottleClasses, ThrottleScope};
use auth_core::user::{AuthInfo, RequestUser};

use crate::error::ApiErrorResponse;
use crate::payload_gate::{Gate, ReadAhead};
use crate::post_data;
use crate::request_view::HttpRequestView;
use crate::runtime::runtime_of;

/// Runs the policy `S` (schemes), `P` (permissions), `T` (throttles) before the handler: put it
/// first among the handler's parameters. When it refuses the request the handler never runs and
/// the refusal is the response (401/403/406/429/503 in DRF's shape).
///
/// `S` is a scheme or a tuple of schemes (`(TokenAuthentication, BasicAuthentication)`, `()` for
/// none); `P` a permission, an expression type (`Or<IsAdminUser, ReadOnly>`) or a tuple. Leave
/// a part as its default to take the scope's [`PolicyDefaults`], then the project's.
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
> {
    auth: Auth,
    policy: PolicyType<S, P, T, Scope>,
}

/// The policy lives only in the type; `fn() -> …` keeps the guard `Send`/`Sync`-neutral and
/// free of drop-check obligations on `S`, `P`, `T`.
type PolicyType<S, P, T, Scope> = PhantomData<fn() -> (S, P, T, Scope)>;

impl<S, P, T, Scope> PolicyGuard<S, P, T, Scope> {
    /// What authentication decided (also available as the [`Auth`] extractor).
    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    /// Takes the [`Auth`] out of the guard.
    pub fn into_auth(self) -> Auth {
        self.auth
    }
}

impl<S, P, T, Scope> fmt::Debug for PolicyGuard<S, P, T, Scope> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PolicyGuard")
            .field("auth", &self.auth)
            .finish()
    }
}

/// The most of a `POST` body read ahead for the CSRF check: Django's
/// `DATA_UPLOAD_MAX_MEMORY_SIZE` (2.5 MiB). A larger body is not searched for
/// `csrfmiddlewaretoken`; the header token is then required, as for any non-form body.
const READ_AHEAD_LIMIT: usize = 2_621_440;

/// Runs the pipeline of the policy `S`, `P`, `T` on `request` and stores the outcome in its
/// extensions, so that [`Auth`] (and anything after) reads it instead of authenticating again.
async fn run_policy<S, P, T, Scope>(
    request: HttpRequest,
    gate: Option<Gate>,
) -> Result<Auth, ApiErrorResponse>
where
    S: AuthenticationPolicy,
    P: PermissionClasses + Resolve,
    T: ThrottleClasses + Resolve,
    Scope: ThrottleScope,
{
    // Content negotiation happens before authentication in the reference (DRF's
    // `APIView.initial`).
    let accept = request
        .headers()
        .get(header::ACCEPT)
        .map(|value| value.as_bytes());
    if !accepts_json(accept) {
        return Err(auth_core::ApiError::not_acceptable().into());
    }
    let runtime = runtime_of(&request)?;
    let settings = runtime.settings();
    let effects = Rc::new(ResponseEffects::default());
    request.extensions_mut().insert(Rc::clone(&effects));

    // Session authentication's CSRF check reads `request.POST` (Django's
    // `CsrfViewMiddleware._check_token`): read a POST body ahead only when a session cookie makes
    // that check possible.
    let post = match &gate {
        Some(gate)
            if request.method() == Method::POST
                && request.cookie(&settings.session_cookie.name).is_some() =>
        {
            match gate.read_ahead(READ_AHEAD_LIMIT).await {
                ReadAhead::Complete(body) => Some(post_data::parse(&request, body).await),
                ReadAhead::TooLarge | ReadAhead::Failed => None,
            }
        }
        _ => None,
    };

    let policy =
        policy::resolve::<S, P, T, Scope>(request.app_data::<PolicyDefaults>(), runtime.defaults());
    let view = HttpRequestView::new(&request, settings).with_post_data(post.as_ref());
    let forced = request.extensions().get::<ForcedAuthentication>().cloned();
    let state = match forced {
        // `auth_actix::test::force_authenticate`: the schemes are replaced, nothing else.
        Some(forced) => {
            let policy = Policy {
                authentication: forced,
                permissions: policy.permissions,
                throttles: policy.throttles,
                throttle_scope: policy.throttle_scope,
            };
            policy.run(&view, runtime.env(), &effects).await?
        }
        None => policy.run(&view, runtime.env(), &effects).await?,
    };
    let state = Rc::new(state);
    request.extensions_mut().insert(Rc::clone(&state));
    if let Some(gate) = gate {
        gate.open();
    }
    Ok(Auth { state, request })
}

impl<S, P, T, Scope> FromRequest for PolicyGuard<S, P, T, Scope>
where
    S: AuthenticationPolicy,
    P: PermissionClasses + Resolve + 'static,
    T: ThrottleClasses + Resolve + 'static,
    Scope: ThrottleScope,
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
            let auth = run_policy::<S, P, T, Scope>(request, gate).await?;
            slot.fill(Rc::clone(&auth.state));
            Ok(Self {
                auth,
                policy: PhantomData,
            })
        })
    }
}

/// Where a guard publishes its outcome for the `Auth` extractors that follow it.
#[derive(Default)]
struct PolicySlot {
    state: RefCell<Option<Rc<AuthState>>>,
    waiting: Cell<Option<Waker>>,
}

impl PolicySlot {
    fn fill(&self, state: Rc<AuthState>) {
        *self.state.borrow_mut() = Some(state);
        if let Some(waker) = self.waiting.take() {
            waker.wake();
        }
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
            .map_err(ApiErrorResponse)
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
            // A guard earlier in the parameter list is running the view's policy: share its
            // outcome. Should the guard refuse, the handler's extraction fails with its error.
            return Box::pin(async move {
                let state = std::future::poll_fn(|cx| slot.poll_state(cx)).await;
                Ok(Self { state, request })
            });
        }
        let gate = Gate::install(payload);
        Box::pin(run_policy::<
            DefaultAuthentication,
            DefaultPermissions,
            DefaultThrottles,
            NoThrottleScope,
        >(request, gate))
    }
}

/// The handler for methods a resource does not implement: it runs the same policy first, so
/// authentication and permission failures win over 405 as in DRF, whose `APIView.dispatch` runs
/// `initial` before it looks up the handler, then answers
/// `405 {"detail":"Method \"PUT\" not allowed."}`.
///
/// ```no_run
/// use actix_web::web;
/// use auth_actix::views::method_not_allowed;
/// use auth_actix::{IsAuthenticated, TokenAuthentication};
/// # async fn handler() -> &'static str { "" }
/// let resource = web::resource("/items/")
///     .route(web::get().to(handler))
///     .default_service(web::to(method_not_allowed::<(TokenAuthentication,), IsAuthenticated>));
/// ```
pub async fn method_not_allowed<S, P>(
    _guard: PolicyGuard<S, P>,
    request: HttpRequest,
) -> ApiErrorResponse
where
    S: AuthenticationPolicy,
    P: PermissionClasses + Resolve + 'static,
{
    auth_core::ApiError::method_not_allowed(request.method().as_str()).into()
}
