//! The request pipeline (DRF's `APIView.initial`): authenticate, check permissions, throttle,
//! and the one place where the 401/403 rule lives.

use std::any::Any;
use std::fmt;

use super::declared::{AuthenticationPolicy, Resolve};
use super::defaults::PolicyDefaults;
use crate::authentication::{AuthContext, Authenticators, ChainOutcome};
use crate::environment::Environment;
use crate::error::{ApiError, ErrorKind};
use crate::messages;
use crate::model_backend::ModelBackend;
use crate::permissions::{Denial, ObjectPermissions, PermissionClasses, PermissionContext};
use crate::request::RequestView;
use crate::response_effects::ResponseEffects;
use crate::settings::UnauthenticatedUser;
use crate::throttling::{ThrottleClasses, ThrottleContext, ThrottleScope};
use crate::user::{AuthInfo, RequestUser};

/// What authentication decided, kept for the handler (`request.user`, `request.auth`, and DRF's
/// `successful_authenticator`).
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
    /// `request.user`'s permission lookups, with what the view's permissions already read.
    pub backend: ModelBackend,
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
    /// level.
    pub async fn check_object_permissions(
        &self,
        request: &dyn RequestView,
        env: &Environment,
        object: &dyn Any,
    ) -> Result<(), ApiError> {
        let cx = PermissionContext {
            request,
            user: &self.user,
            auth: &self.auth,
            env,
            backend: &self.backend,
        };
        match self.object_permissions.check(&cx, object).await? {
            None => Ok(()),
            Some(denial) => Err(refusal(self.has_schemes, self.scheme.is_some(), denial)
                .with_challenge(self.challenge.clone())),
        }
    }
}

/// DRF's `permission_denied`: with schemes and no successful one → NotAuthenticated (the
/// permission's own message and code are ignored); otherwise PermissionDenied with the
/// permission's message and code, or the defaults.
fn refusal(has_schemes: bool, authenticated: bool, denial: Denial) -> ApiError {
    if has_schemes && !authenticated {
        return ApiError::not_authenticated();
    }
    let mut error = ApiError::permission_denied(
        denial
            .message
            .unwrap_or(std::borrow::Cow::Borrowed(messages::PERMISSION_DENIED)),
    );
    if let Some(code) = denial.code {
        error = error.with_code(code);
    }
    if !denial.members.is_empty() {
        error = error.with_detail_members(denial.members);
    }
    error
}

/// Builds the policy of one request from the declared parts `S`, `P`, `T` and the defaults of
/// its scope and of the project.
pub fn resolve<S, P, T, Scope>(
    scope: Option<&PolicyDefaults>,
    project: &PolicyDefaults,
) -> Policy<S::Authenticators, P, T>
where
    S: AuthenticationPolicy,
    P: PermissionClasses + Resolve,
    T: ThrottleClasses + Resolve,
    Scope: ThrottleScope,
{
    Policy {
        authentication: S::authenticators(scope, project),
        permissions: P::resolve(scope, project),
        throttles: T::resolve(scope, project),
        throttle_scope: Scope::SCOPE,
        throttle_first: Scope::BEFORE_AUTHENTICATION,
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
            if error.kind() == ErrorKind::Throttled {
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
    /// Throttle per client before authentication ([`ThrottleScope::BEFORE_AUTHENTICATION`]).
    pub throttle_first: bool,
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
        env: &Environment,
        effects: &ResponseEffects,
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
            env.settings().authentication_timeout,
            self.run_stages(request, env, effects),
        )
        .instrument(span.clone())
        .await
        .unwrap_or_else(|_| Err(ApiError::store_failure("authentication pipeline timed out")));
        record_metrics(&result);
        match &result {
            Ok(state) => {
                span.record("outcome", "allowed");
                if let Some(scheme) = state.scheme {
                    span.record("scheme", scheme);
                }
                if let Some(id) = state.user.id() {
                    span.record("user_id", tracing::field::display(id));
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
        env: &Environment,
        effects: &ResponseEffects,
    ) -> Result<AuthState, ApiError> {
        let cx = AuthContext {
            request,
            env,
            effects,
        };
        let settings = env.settings();
        let challenge_for = |error: ApiError| {
            if error.kind().is_authentication_error() {
                let challenge = self.authentication.first_challenge(&cx);
                error.with_challenge(challenge)
            } else {
                error
            }
        };

        if self.throttle_first {
            // A login endpoint: every attempt of this client counts before any password is
            // checked, whether it comes in the body or in the `Authorization` header.
            let throttle_cx = ThrottleContext {
                request,
                user: &RequestUser::Anonymous,
                auth: &AuthInfo::None,
                env,
                scope: self.throttle_scope,
            };
            self.throttles.check(&throttle_cx).await?;
        }
        let (user, auth, scheme) = match self.authentication.authenticate(&cx).await {
            ChainOutcome::Authenticated(name, authenticated) => {
                // A client authenticated without a user (DOT's client-credentials token: DRF's
                // `request.user` is then `None`) is the one userless success; it still carries
                // its credential, and permissions that need a user refuse it.
                let client_without_user = matches!(authenticated.user, RequestUser::None)
                    && !authenticated.auth.is_none();
                if !authenticated.user.is_authenticated() && !client_without_user {
                    tracing::error!(scheme = name, "a scheme authenticated no user");
                    return Err(ApiError::new(ErrorKind::ServerError));
                }
                (authenticated.user, authenticated.auth, Some(name))
            }
            ChainOutcome::Anonymous => (
                match settings.unauthenticated_user {
                    UnauthenticatedUser::Anonymous => RequestUser::Anonymous,
                    UnauthenticatedUser::None => RequestUser::None,
                },
                settings.unauthenticated_auth.clone(),
                None,
            ),
            ChainOutcome::Failed(error) => return Err(challenge_for(error)),
        };
        let has_schemes = !self.authentication.is_empty();

        let backend = ModelBackend::default();
        let permission_cx = PermissionContext {
            request,
            user: &user,
            auth: &auth,
            env,
            backend: &backend,
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
        if !self.throttle_first {
            let throttle_cx = ThrottleContext {
                request,
                user: &user,
                auth: &auth,
                env,
                scope: self.throttle_scope,
            };
            self.throttles
                .check(&throttle_cx)
                .await
                .map_err(challenge_for)?;
        }

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
            backend,
        })
    }
}
