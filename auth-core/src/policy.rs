//! The request pipeline (DRF's `APIView.initial`, spec §0): authenticate, check permissions,
//! throttle, and the one place where the 401/403 rule lives.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::authentication::{
    AuthContext, AuthInfo, AuthenticationClasses, Authenticators, Declared,
    SharedAuthenticationClasses,
};
use crate::error::ApiError;
use crate::permissions::{
    Denial, ObjectPermissions, PermissionClasses, PermissionContext, SharedPermissionClasses,
};
use crate::request::RequestView;
use crate::settings::{AuthSettings, UnauthenticatedUser};
use crate::throttling::{SharedThrottleClasses, ThrottleClasses, ThrottleContext, ThrottleScope};
use crate::user::RequestUser;

/// Defaults for a group of views (DRF's per-viewset settings), consulted before the project's
/// settings when a view leaves a part of its policy unspecified. In actix-web it is `app_data`
/// on a `web::scope` (`examples/src/bin/scope_defaults.rs` runs it).
///
/// ```
/// use auth_core::authentication::BasicAuthentication;
/// use auth_core::permissions::IsAdminUser;
/// use auth_core::policy::PolicyDefaults;
///
/// // Views under this scope that declare no schemes use Basic; no permissions, staff only.
/// let internal = PolicyDefaults::new()
///     .authentication::<BasicAuthentication>()
///     .permission::<IsAdminUser>();
/// # let _ = internal;
/// ```
#[derive(Debug, Clone, Default)]
pub struct PolicyDefaults {
    authentication: Option<SharedAuthenticationClasses>,
    permissions: Option<SharedPermissionClasses>,
}

impl PolicyDefaults {
    /// No overrides: everything falls through to the settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// The scope's scheme list.
    #[must_use]
    pub fn authentication<L: AuthenticationClasses>(mut self) -> Self {
        self.authentication = Some(SharedAuthenticationClasses::of::<L>());
        self
    }

    /// The scope's permission list.
    #[must_use]
    pub fn permission<P>(mut self) -> Self
    where
        P: PermissionClasses + Default + Send + Sync + 'static,
    {
        self.permissions = Some(SharedPermissionClasses::of::<P>());
        self
    }
}

/// How the permission and throttle parts of a policy are obtained for a request: a declared
/// type is built with `Default`; the `Default…` markers look up the scope's defaults, then the
/// settings.
pub trait Resolve: Sized {
    /// Builds the part for one request.
    fn resolve(scope: Option<&PolicyDefaults>, settings: &AuthSettings) -> Self;
}

impl<T: Default> Resolve for T {
    fn resolve(_scope: Option<&PolicyDefaults>, _settings: &AuthSettings) -> Self {
        T::default()
    }
}

/// The authentication part of a policy as declared on a view: a scheme list, or
/// [`DefaultAuthentication`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a list of authentication schemes",
    note = "use a scheme type, a tuple of scheme types such as `(TokenAuthentication, BasicAuthentication)`, `()` for none, or `DefaultAuthentication`"
)]
pub trait AuthenticationPolicy: 'static {
    /// The resolved list.
    type Authenticators: Authenticators;

    /// Resolves the list for one request.
    fn authenticators(
        scope: Option<&PolicyDefaults>,
        settings: &AuthSettings,
    ) -> Self::Authenticators;
}

impl<L: AuthenticationClasses> AuthenticationPolicy for L {
    type Authenticators = Declared<L>;

    fn authenticators(_scope: Option<&PolicyDefaults>, _settings: &AuthSettings) -> Declared<L> {
        Declared::new()
    }
}

/// "The schemes the scope or the project configures" (DRF's `DEFAULT_AUTHENTICATION_CLASSES`).
#[derive(Debug, Clone, Copy)]
pub struct DefaultAuthentication;

impl AuthenticationPolicy for DefaultAuthentication {
    type Authenticators = SharedAuthenticationClasses;

    fn authenticators(
        scope: Option<&PolicyDefaults>,
        settings: &AuthSettings,
    ) -> SharedAuthenticationClasses {
        scope
            .and_then(|scope| scope.authentication.clone())
            .unwrap_or_else(|| settings.default_authentication().clone())
    }
}

/// "The permissions the scope or the project configures" (DRF's `DEFAULT_PERMISSION_CLASSES`).
#[derive(Debug, Clone)]
pub struct DefaultPermissions(SharedPermissionClasses);

impl Resolve for DefaultPermissions {
    fn resolve(scope: Option<&PolicyDefaults>, settings: &AuthSettings) -> Self {
        Self(
            scope
                .and_then(|scope| scope.permissions.clone())
                .unwrap_or_else(|| settings.default_permissions().clone()),
        )
    }
}

impl PermissionClasses for DefaultPermissions {
    fn check<'a>(
        &'a self,
        cx: &'a PermissionContext<'a>,
    ) -> impl Future<Output = crate::permissions::ListDecision> + 'a {
        self.0.check(cx)
    }

    fn check_object<'a>(
        &'a self,
        cx: &'a PermissionContext<'a>,
        object: &'a dyn Any,
    ) -> impl Future<Output = crate::permissions::ListDecision> + 'a {
        self.0.check_object(cx, object)
    }

    fn object_permissions(&self) -> ObjectPermissions {
        self.0.object_permissions()
    }
}

/// "The throttles the project configures" (DRF's `DEFAULT_THROTTLE_CLASSES`).
#[derive(Debug, Clone)]
pub struct DefaultThrottles(SharedThrottleClasses);

impl Resolve for DefaultThrottles {
    fn resolve(_scope: Option<&PolicyDefaults>, settings: &AuthSettings) -> Self {
        Self(settings.default_throttles().clone())
    }
}

impl ThrottleClasses for DefaultThrottles {
    fn check<'a>(
        &'a self,
        cx: &'a ThrottleContext<'a>,
    ) -> impl Future<Output = Result<(), ApiError>> + 'a {
        self.0.check(cx)
    }
}

/// What authentication decided, kept for the handler (`request.user`, `request.auth`, and the
/// successful authenticator of spec §0.4).
#[derive(Clone)]
pub struct AuthState {
    /// `request.user`.
    pub user: RequestUser,
    /// `request.auth`.
    pub auth: AuthInfo,
    /// The scheme that authenticated the request, if any (DRF's `successful_authenticator`).
    pub scheme: Option<&'static str>,
    /// Whether the view had at least one scheme (decides NotAuthenticated vs PermissionDenied).
    pub has_schemes: bool,
    /// The first scheme's challenge, kept only when a later object-permission refusal could
    /// need it (an anonymous request on a view with schemes).
    pub challenge: Option<String>,
    /// The view's permissions, for object-level checks from the handler.
    pub object_permissions: ObjectPermissions,
}

impl fmt::Debug for AuthState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthState")
            .field("user", &self.user)
            .field("auth", &self.auth)
            .field("scheme", &self.scheme)
            .finish_non_exhaustive()
    }
}

impl AuthState {
    /// DRF's `check_object_permissions(request, obj)`: each permission's object-level check in
    /// order; a refusal becomes NotAuthenticated or PermissionDenied by the same rule as at view
    /// level (spec §0.3).
    pub async fn check_object_permissions(
        &self,
        request: &dyn RequestView,
        settings: &AuthSettings,
        db: &DatabaseConnection,
        object: &dyn Any,
    ) -> Result<(), ApiError> {
        let cx = PermissionContext {
            request,
            user: &self.user,
            auth: &self.auth,
            settings,
            db,
        };
        match self.object_permissions.check(&cx, object).await? {
            None => Ok(()),
            Some(denial) => Err(refusal(self.has_schemes, self.scheme.is_some(), denial)
                .with_challenge(self.challenge.clone())),
        }
    }
}

/// Spec §0.3: with schemes and no successful one → NotAuthenticated (the permission's own
/// message and code are ignored); otherwise PermissionDenied with the permission's message and
/// code, or the defaults.
fn refusal(has_schemes: bool, authenticated: bool, denial: Denial) -> ApiError {
    if has_schemes && !authenticated {
        return ApiError::not_authenticated();
    }
    let mut error = ApiError::permission_denied(denial.message.unwrap_or(
        std::borrow::Cow::Borrowed(crate::messages::PERMISSION_DENIED),
    ));
    if let Some(code) = denial.code {
        error = error.with_code(code);
    }
    error
}

/// Builds the policy of one request from the declared parts `S`, `P`, `T` and the defaults.
pub fn resolve<S, P, T, Scope>(
    defaults: Option<&PolicyDefaults>,
    settings: &AuthSettings,
) -> Policy<S::Authenticators, P, T>
where
    S: AuthenticationPolicy,
    P: PermissionClasses + Resolve,
    T: ThrottleClasses + Resolve,
    Scope: ThrottleScope,
{
    Policy {
        authentication: S::authenticators(defaults, settings),
        permissions: P::resolve(defaults, settings),
        throttles: T::resolve(defaults, settings),
        throttle_scope: Scope::SCOPE,
    }
}

/// Counters through the `metrics` facade (exported by whatever recorder the application installs):
/// `auth_requests_total{scheme, outcome}` — the scheme that authenticated (`none` for anonymous)
/// and `allowed` or the error code — and `auth_throttled_total`.
fn record_metrics(result: &Result<AuthState, ApiError>) {
    match result {
        Ok(state) => {
            metrics::counter!(
                "auth_requests_total",
                "scheme" => state.scheme.unwrap_or("none"),
                "outcome" => "allowed"
            )
            .increment(1);
        }
        Err(error) => {
            metrics::counter!(
                "auth_requests_total",
                "scheme" => "none",
                "outcome" => error.code().to_owned()
            )
            .increment(1);
            if error.kind() == crate::error::ErrorKind::Throttled {
                metrics::counter!("auth_throttled_total").increment(1);
            }
        }
    }
}

/// A view's policy: its schemes, permissions and throttles.
#[derive(Debug, Clone)]
pub struct Policy<S, P, T> {
    /// `authentication_classes`.
    pub authentication: S,
    /// `permission_classes`.
    pub permissions: P,
    /// `throttle_classes`.
    pub throttles: T,
    /// `throttle_scope`.
    pub throttle_scope: Option<&'static str>,
}

impl<S, P, T> Policy<S, P, T>
where
    S: Authenticators,
    P: PermissionClasses,
    T: ThrottleClasses,
{
    /// Runs the pipeline: authentication (first success wins, first failure aborts, else
    /// anonymous), permissions in order, then throttles. Every error leaves with the first
    /// scheme's challenge attached when it is an authentication error, so its status follows
    /// the 401/403 rule.
    ///
    /// Each run is a `tracing` span `auth_pipeline` (debug level) with the method, the scheme
    /// that authenticated, the user id, and the outcome: `allowed`, or the error code and its
    /// detail. No credential, key or secret is recorded.
    pub async fn run(
        &self,
        request: &dyn RequestView,
        settings: &AuthSettings,
        db: &DatabaseConnection,
        effects: &crate::response_effects::ResponseEffects,
    ) -> Result<AuthState, ApiError> {
        use tracing::Instrument;
        use tracing::field::Empty;

        let span = tracing::debug_span!(
            "auth_pipeline",
            method = request.method(),
            scheme = Empty,
            user_id = Empty,
            outcome = Empty,
            reason = Empty,
        );
        // A store that stops answering (a black-holed connection, a pool that cannot connect)
        // must not hold the request: past the timeout it is a 503 like any store failure.
        let result = tokio::time::timeout(
            settings.authentication_timeout(),
            self.run_stages(request, settings, db, effects),
        )
        .instrument(span.clone())
        .await
        .unwrap_or_else(|_| {
            Err(crate::backends::store_failure(
                "authentication pipeline timed out",
            ))
        });
        record_metrics(&result);
        match &result {
            Ok(state) => {
                span.record("outcome", "allowed");
                if let Some(scheme) = state.scheme {
                    span.record("scheme", scheme);
                }
                if let Some(id) = state.user.id() {
                    span.record("user_id", id);
                }
            }
            Err(error) => {
                span.record("outcome", error.code());
                span.record("reason", error.detail());
            }
        }
        tracing::debug!(parent: &span, "auth pipeline finished");
        result
    }

    async fn run_stages(
        &self,
        request: &dyn RequestView,
        settings: &AuthSettings,
        db: &DatabaseConnection,
        effects: &crate::response_effects::ResponseEffects,
    ) -> Result<AuthState, ApiError> {
        let cx = AuthContext {
            request,
            settings,
            db,
            effects,
        };
        let challenge_for = |error: ApiError| {
            if error.kind().is_authentication_error() {
                let challenge = self.authentication.first_challenge(&cx);
                error.with_challenge(challenge)
            } else {
                error
            }
        };

        let (user, auth, scheme) = match self.authentication.authenticate(&cx).await {
            crate::authentication::ChainOutcome::Authenticated(name, authenticated) => (
                RequestUser::User(Arc::new(authenticated.user)),
                authenticated.auth,
                Some(name),
            ),
            crate::authentication::ChainOutcome::Anonymous => (
                match settings.unauthenticated_user() {
                    UnauthenticatedUser::Anonymous => RequestUser::Anonymous,
                    UnauthenticatedUser::None => RequestUser::None,
                },
                settings.unauthenticated_auth().clone(),
                None,
            ),
            crate::authentication::ChainOutcome::Failed(error) => return Err(challenge_for(error)),
        };
        let has_schemes = !self.authentication.is_empty();

        let permission_cx = PermissionContext {
            request,
            user: &user,
            auth: &auth,
            settings,
            db,
        };
        if let Some(denial) = self
            .permissions
            .check(&permission_cx)
            .await
            .map_err(challenge_for)?
        {
            return Err(challenge_for(refusal(
                has_schemes,
                scheme.is_some(),
                denial,
            )));
        }
        let throttle_cx = ThrottleContext {
            request,
            user: &user,
            auth: &auth,
            settings,
            scope: self.throttle_scope,
        };
        self.throttles
            .check(&throttle_cx)
            .await
            .map_err(challenge_for)?;

        let challenge = if has_schemes && scheme.is_none() {
            self.authentication.first_challenge(&cx)
        } else {
            None
        };
        let object_permissions = self.permissions.object_permissions();
        Ok(AuthState {
            user,
            auth,
            scheme,
            has_schemes,
            challenge,
            object_permissions,
        })
    }
}
