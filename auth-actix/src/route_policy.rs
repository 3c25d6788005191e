//! The service behind [`LoginRequiredMiddleware`](crate::LoginRequiredMiddleware) and
//! [`ScopePolicy`](crate::ScopePolicy): runs a policy for the requests whose handler declares
//! none, and leaves the others to their handler's own policy.
//!
//! A middleware sees a request before actix-web routes it; which handler will serve it is known
//! only while routing (see [`routed_handler`](crate::routed_handler)), and routing consumes the
//! request. So the service decides from what it expects, per route and method, and checks the
//! expectation against the routed handler's report:
//!
//! - a route expected to be claimed (its resource bears the name of a handler the policy macros
//!   expanded, or a previous request was claimed) is routed at once; should no claim come, the
//!   handler is not run and the request is refused (fail closed), and the route is no longer
//!   expected to be claimed;
//! - any other route first runs the policy, with the request in hand. If it passes, the request
//!   is routed; an unclaimed handler then reads the outcome through `Auth`, a claimed one runs
//!   its own policy instead (the declaration replaces the default). If it refuses, the refusal
//!   is the answer for a route known to be unclaimed; for a route not yet seen the request is
//!   routed to learn whether a handler claims it (whose own policy then decides), and refused
//!   otherwise, without running the handler.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::future::{Future, ready};
use std::pin::Pin;
use std::rc::Rc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::{Error, HttpMessage, web};
use auth_core::policy::{DefaultAuthentication, DefaultPermissions, DefaultThrottles};
use auth_core::renderers::DefaultRenderers;
use auth_core::response_effects::ResponseEffects;
use auth_core::throttling::NoThrottleScope;

use crate::default_response_headers::DefaultResponseHeaders;
use crate::error::ApiErrorResponse;
use crate::guard::{
    DenyByDefaultEnforced, Negotiation, PolicyRanBeforeRouting, PolicySlot, ScopeDefaults,
    run_policy,
};
use crate::payload_gate::Gate;
use crate::routed_handler::{self, Claim};
use crate::runtime::AuthRuntime;

/// Which policy the service runs for unclaimed routes.
#[derive(Debug, Clone)]
pub(crate) enum PolicySource {
    /// The project's defaults, when the settings deny by default.
    Project,
    /// A scope's own policy (its parts over the project's defaults), always.
    Scope(ScopeDefaults),
}

/// What is expected of a route (resource and method) before routing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expectation {
    /// Not seen yet on this worker.
    Unknown,
    /// A handler with its own policy (or `login_not_required`, or a policy scope) serves it.
    Claimed,
    /// No handler claims it: the policy is the answer.
    Unclaimed,
    /// Seen both ways (guards other than the method choose between handlers): always run the
    /// policy first.
    Mixed,
}

/// Routes seen by one worker, by resource name (or pattern, for a resource without a name) and
/// method. Bounded: past the limit nothing more is learnt, which only costs a policy run per
/// request on the routes left out. Keys are shared (`Rc<str>`) so that a request on a known
/// route looks its resource up without allocating (this runs on every request).
#[derive(Debug, Default)]
struct Expectations {
    by_name: HashMap<Rc<str>, Vec<(Method, Expectation)>>,
    by_pattern: HashMap<Rc<str>, Vec<(Method, Expectation)>>,
    entries: usize,
}

const MAX_LEARNT_ROUTES: usize = 4096;

impl Expectations {
    /// What is expected of `request`'s route, and the key to record what is observed.
    fn of(&self, request: &ServiceRequest) -> (RouteKey, Expectation) {
        let method = request.method();
        let (routes, resource, named) = match request.match_name() {
            Some(name) => (&self.by_name, Cow::Borrowed(name), true),
            None => (
                &self.by_pattern,
                Cow::Owned(request.match_pattern().unwrap_or_default()),
                false,
            ),
        };
        let (resource_key, learnt) = match routes.get_key_value(&*resource) {
            Some((key, methods)) => (
                Rc::clone(key),
                methods
                    .iter()
                    .find(|(known, _)| known == method)
                    .map(|(_, expectation)| *expectation),
            ),
            None => (Rc::from(&*resource), None),
        };
        let expectation = match learnt {
            Some(expectation) => expectation,
            None if named && routed_handler::is_declared_name(&resource_key) => {
                Expectation::Claimed
            }
            None => Expectation::Unknown,
        };
        let key = RouteKey {
            resource: resource_key,
            named,
            method: method.clone(),
            learnt,
        };
        (key, expectation)
    }

    fn record(&mut self, key: &RouteKey, claimed: bool) {
        let observed = if claimed {
            Expectation::Claimed
        } else {
            Expectation::Unclaimed
        };
        if key.learnt == Some(observed) {
            return;
        }
        let routes = if key.named {
            &mut self.by_name
        } else {
            &mut self.by_pattern
        };
        if let Some(methods) = routes.get_mut(&*key.resource)
            && let Some((_, expectation)) = methods.iter_mut().find(|(m, _)| *m == key.method)
        {
            if *expectation != observed {
                *expectation = Expectation::Mixed;
            }
            return;
        }
        if self.entries >= MAX_LEARNT_ROUTES {
            return;
        }
        self.entries += 1;
        routes
            .entry(Rc::clone(&key.resource))
            .or_default()
            .push((key.method.clone(), observed));
    }
}

/// The route a request will take, as far as the resource map tells before routing: the first
/// resource whose pattern matches the path (by name, or by pattern when it has none).
struct RouteKey {
    resource: Rc<str>,
    /// Whether `resource` is a name (else a pattern).
    named: bool,
    method: Method,
    /// What this worker had learnt of the route before this request.
    learnt: Option<Expectation>,
}

/// The service a policy middleware wraps around the app or a scope.
pub struct RoutePolicyService<S> {
    service: Rc<S>,
    source: PolicySource,
    expectations: Rc<RefCell<Expectations>>,
}

impl<S> RoutePolicyService<S> {
    pub(crate) fn new(service: S, source: PolicySource) -> Self {
        Self {
            service: Rc::new(service),
            source,
            expectations: Rc::default(),
        }
    }
}

impl<S> std::fmt::Debug for RoutePolicyService<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RoutePolicyService")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

type Response<B> = ServiceResponse<EitherBody<B>>;

impl<S, B> Service<ServiceRequest> for RoutePolicyService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = Response<B>;
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<B>, Error>>>>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, request: ServiceRequest) -> Self::Future {
        match &self.source {
            PolicySource::Project => {
                let deny = request
                    .app_data::<web::Data<AuthRuntime>>()
                    .is_none_or(|runtime| runtime.settings().deny_by_default);
                if !deny {
                    let (future, claim) = routed_handler::call_observing(&*self.service, request);
                    let api_view = declares_policy(claim);
                    return Box::pin(async move { finalize(future.await?, api_view).await });
                }
                request.extensions_mut().insert(DenyByDefaultEnforced);
            }
            PolicySource::Scope(defaults) => {
                request.extensions_mut().insert(defaults.clone());
            }
        }
        let (key, expectation) = self.expectations.borrow().of(&request);
        let scope = matches!(self.source, PolicySource::Scope(_));

        if expectation == Expectation::Claimed {
            let (future, claim) = routed_handler::call_observing(&*self.service, request);
            if scope {
                // For a policy middleware further out, the route is governed either way.
                routed_handler::report(claim.unwrap_or(Claim::Scope));
            }
            self.expectations.borrow_mut().record(&key, claim.is_some());
            if claim.is_none() {
                drop(future);
                tracing::error!(
                    resource = %key.resource,
                    method = %key.method,
                    "a request expected to reach a handler with its own policy was routed to one \
                     without: refused, and this route now runs the default policy first (give \
                     the handler a policy, or a name no declared handler uses)"
                );
                let refusal = ApiErrorResponse::from(auth_core::ApiError::new(
                    auth_core::ErrorKind::PermissionDenied,
                ));
                return Box::pin(ready(Err(refusal.into())));
            }
            let api_view = declares_policy(claim);
            return Box::pin(async move { finalize(future.await?, api_view).await });
        }

        if scope {
            routed_handler::report(Claim::Scope);
        }
        let service = Rc::clone(&self.service);
        let expectations = Rc::clone(&self.expectations);
        Box::pin(route_after_policy(
            service,
            expectations,
            request,
            key,
            expectation,
        ))
    }
}

/// The path of a route not known to be claimed: the policy first, then routing.
async fn route_after_policy<S, B>(
    service: Rc<S>,
    expectations: Rc<RefCell<Expectations>>,
    mut request: ServiceRequest,
    key: RouteKey,
    expectation: Expectation,
) -> Result<Response<B>, Error>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    let mut payload = request.take_payload();
    let gate = Gate::install(&mut payload);
    request.set_payload(payload);
    let outcome = run_policy::<
        DefaultAuthentication,
        DefaultPermissions,
        DefaultThrottles,
        NoThrottleScope,
        DefaultRenderers,
    >(request.request(), gate.as_ref())
    .await;
    let (listed, indent) = negotiated(request.request());
    if let (Err(refusal), Expectation::Unclaimed) = (&outcome, expectation) {
        let mut response = request.error_response(refusal.clone());
        add_default_headers(&mut response, listed);
        return Ok(indent_refusal(response, indent).map_into_right_body());
    }
    // Should the policy refuse and no handler claim the route, the request will have gone with
    // the handler's future: keep what a stand-in needs to carry the refusal.
    let stand_in = outcome.as_ref().err().map(|_| StandIn::of(&request));
    // An `Auth` in an unclaimed handler waits on this slot; a claimed handler's guard replaces
    // it with its own when it is extracted.
    let slot = Rc::new(PolicySlot::for_middleware());
    request.extensions_mut().insert(Rc::clone(&slot));
    let ran_before_routing = PolicyRanBeforeRouting::default();
    request.extensions_mut().insert(ran_before_routing.clone());
    let effects = request.extensions().get::<Rc<ResponseEffects>>().cloned();
    let runtime = request.app_data::<web::Data<AuthRuntime>>().cloned();
    // The app's (not the resource's: routing has not happened) default headers, for a stand-in.
    let default_headers = request
        .app_data::<DefaultResponseHeaders>()
        .cloned()
        .unwrap_or_default();

    let (future, claim) = routed_handler::call_observing(&*service, request);
    expectations.borrow_mut().record(&key, claim.is_some());
    ran_before_routing.0.set(claim.is_none());
    match (claim, outcome) {
        (Some(_), _) => {}
        (None, Ok(state)) => slot.fill(state),
        (None, Err(refusal)) => {
            // The handler is not run. The request went with its future: the refusal goes out
            // with a stand-in carrying its head, the runtime and the cookie changes that
            // authentication recorded, for the middleware further out (logging, cookies).
            drop(future);
            let response = actix_web::ResponseError::error_response(&refusal);
            let request = match stand_in {
                Some(stand_in) => stand_in.into_request(runtime, effects),
                None => return Err(refusal.into()),
            };
            let mut response = ServiceResponse::new(request, response);
            add_view_headers(&mut response, default_headers, listed);
            return Ok(indent_refusal(response, indent).map_into_right_body());
        }
    }
    if let Some(gate) = gate {
        gate.open();
    }
    // A policy ran (the default one, or a scope's): the handler is an API view unless it opted
    // out.
    let api_view = claim != Some(Claim::LoginNotRequired);
    finalize(future.await?, api_view).await
}

/// Whether a routed handler is an API view with a policy of its own (declared, or a scope's).
fn declares_policy(claim: Option<Claim>) -> bool {
    matches!(claim, Some(Claim::Declared | Claim::Scope))
}

/// DRF's `finalize_response` for an API view (a handler that declares its policy, one a scope
/// policy governs, or one the default policy ran for): its default headers, `Allow` and
/// `Vary: Accept` ([`DefaultResponseHeaders`]), and a JSON body laid out with the accepted media
/// type's `indent` (DRF's `JSONRenderer`). Other responses are left as they are.
async fn finalize<B>(mut response: ServiceResponse<B>, api_view: bool) -> Result<Response<B>, Error>
where
    B: MessageBody + 'static,
{
    if !api_view {
        return Ok(response.map_into_left_body());
    }
    let (listed, indent) = negotiated(response.request());
    add_default_headers(&mut response, listed);
    match indent {
        Some(indent) if is_json(response.headers()) => indent_json_body(response, indent).await,
        _ => Ok(response.map_into_left_body()),
    }
}

/// Whether a response is the JSON renderer's (`Content-Type: application/json`, no charset).
fn is_json(headers: &actix_web::http::header::HeaderMap) -> bool {
    headers
        .get(actix_web::http::header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes() == b"application/json")
}

/// What negotiation left for the response, in one look-up: how many renderers the view's list
/// names (`None`: the app's `Vary` setting decides) and the `indent` JSON is to be laid out with.
fn negotiated(request: &actix_web::HttpRequest) -> (Option<usize>, Option<usize>) {
    request
        .extensions()
        .get::<Negotiation>()
        .map_or((None, None), |negotiation| {
            let indent = negotiation
                .accepted
                .as_ref()
                .and_then(|accepted| accepted.json_indent);
            (negotiation.listed, indent)
        })
}

/// `text` laid out with `indent`, when it is text (not text is not the JSON renderer's output:
/// sent as it was).
fn lay_out(bytes: &[u8], indent: usize) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    Some(auth_core::compat::python::json::indent::indent(
        text, indent,
    ))
}

/// A refusal made here (its body already whole) laid out with `indent`, as [`finalize`] lays out
/// a handler's JSON.
fn indent_refusal(
    response: ServiceResponse<actix_web::body::BoxBody>,
    indent: Option<usize>,
) -> ServiceResponse<actix_web::body::BoxBody> {
    let Some(indent) = indent else {
        return response;
    };
    if !is_json(response.headers()) {
        return response;
    }
    response.map_body(|_, body| match body.try_into_bytes() {
        Ok(bytes) => match lay_out(&bytes, indent) {
            Some(laid_out) => actix_web::body::BoxBody::new(laid_out),
            None => actix_web::body::BoxBody::new(bytes),
        },
        Err(body) => body,
    })
}

/// The response with its JSON body laid out with `indent` spaces (the body is read whole: only
/// a client asking for `indent` pays for it).
async fn indent_json_body<B>(
    response: ServiceResponse<B>,
    indent: usize,
) -> Result<Response<B>, Error>
where
    B: MessageBody + 'static,
{
    let (request, response) = response.into_parts();
    let (head, body) = response.into_parts();
    let bytes = actix_web::body::to_bytes(body)
        .await
        .map_err(|error| actix_web::error::ErrorInternalServerError(error.into().to_string()))?;
    let body = match lay_out(&bytes, indent) {
        Some(laid_out) => actix_web::body::BoxBody::new(laid_out),
        None => actix_web::body::BoxBody::new(bytes),
    };
    let response = head.set_body(body);
    Ok(ServiceResponse::new(request, response).map_into_right_body())
}

/// [`add_view_headers`] with the resource's (or app's) [`DefaultResponseHeaders`].
fn add_default_headers<B>(response: &mut ServiceResponse<B>, listed: Option<usize>) {
    let defaults = response
        .request()
        .app_data::<DefaultResponseHeaders>()
        .cloned()
        .unwrap_or_default();
    add_view_headers(response, defaults, listed);
}

/// An API view's default headers on its response. A view whose renderers are listed (declared,
/// or `DEFAULT_RENDERER_CLASSES`: `listed`) decides `Vary: Accept` by their number, as DRF's
/// `default_response_headers`; `defaults` cover the rest. Django's own 400 page (answered
/// outside the view) gets none.
fn add_view_headers<B>(
    response: &mut ServiceResponse<B>,
    defaults: DefaultResponseHeaders,
    listed: Option<usize>,
) {
    if response
        .response()
        .extensions()
        .contains::<crate::error::DjangoBadRequest>()
    {
        return;
    }
    let defaults = match listed {
        Some(count) => defaults.vary_accept(count > 1),
        None => defaults,
    };
    // An `#[api_view]` knows its methods: its `Allow` wins over the resource's or the app's.
    let api_view = response
        .request()
        .extensions()
        .get::<crate::api_view::ApiViewAllow>()
        .copied();
    // The macro writes only method names; a hand-made `ApiView` with an invalid value is ignored.
    let allow =
        api_view.and_then(|allow| actix_web::http::header::HeaderValue::from_str(allow.0).ok());
    let defaults = match allow {
        Some(allow) => defaults.allow(allow),
        None => defaults,
    };
    defaults.apply(response.headers_mut());
}

/// The head of a request that routing consumed, to answer it after all.
struct StandIn {
    method: Method,
    uri: actix_web::http::Uri,
    version: actix_web::http::Version,
    headers: actix_web::http::header::HeaderMap,
    peer_addr: Option<std::net::SocketAddr>,
}

impl StandIn {
    fn of(request: &ServiceRequest) -> Self {
        Self {
            method: request.method().clone(),
            uri: request.uri().clone(),
            version: request.version(),
            headers: request.headers().clone(),
            peer_addr: request.peer_addr(),
        }
    }

    /// An `HttpRequest` with this head (actix-web's `TestRequest` is the one public way to
    /// make one outside routing), the app's runtime and the request's cookie changes.
    fn into_request(
        self,
        runtime: Option<web::Data<AuthRuntime>>,
        effects: Option<Rc<ResponseEffects>>,
    ) -> actix_web::HttpRequest {
        let mut builder = actix_web::test::TestRequest::default()
            .method(self.method)
            .uri(&self.uri.to_string())
            .version(self.version);
        for (name, value) in &self.headers {
            builder = builder.append_header((name.clone(), value.clone()));
        }
        if let Some(address) = self.peer_addr {
            builder = builder.peer_addr(address);
        }
        if let Some(runtime) = runtime {
            builder = builder.app_data(runtime);
        }
        let request = builder.to_http_request();
        if let Some(effects) = effects {
            request.extensions_mut().insert(effects);
        }
        request
    }
}
