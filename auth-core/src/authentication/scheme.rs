//! The scheme interface: DRF's `BaseAuthentication` as the [`Authentication`] trait, what a
//! scheme sees ([`AuthContext`]) and its three outcomes; and [`Verify`], the check of a scheme
//! declared with `#[derive(Authentication)]`.

use std::fmt;
use std::future::Future;

use sea_orm::DatabaseConnection;

use super::security_scheme::SecurityRequirement;
use crate::environment::{Environment, Services};
use crate::error::ApiError;
use crate::request::RequestView;
use crate::response_effects::ResponseEffects;
use crate::settings::Settings;
#[cfg(doc)]
use crate::user::User;
use crate::user::{AuthInfo, RequestUser};

/// What a scheme sees: the request, its environment (settings, database, services), and what
/// the response must carry.
#[derive(Clone, Copy)]
pub struct AuthContext<'a> {
    /// The request being authenticated.
    pub request: &'a dyn RequestView,
    /// The settings, the database and the services.
    pub env: &'a Environment,
    /// What the response must carry (session and CSRF cookies).
    pub effects: &'a ResponseEffects,
}

impl<'a> AuthContext<'a> {
    /// The project's settings.
    pub fn settings(&self) -> &'a Settings {
        self.env.settings()
    }

    /// The database holding Django's tables.
    pub fn db(&self) -> &'a DatabaseConnection {
        self.env.db()
    }

    /// The live services (clock, cache, hashing threads).
    pub fn services(&self) -> &'a Services {
        self.env.services()
    }
}

impl fmt::Debug for AuthContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthContext")
            .field("method", &self.request.method())
            .finish_non_exhaustive()
    }
}

/// A successful authentication: DRF's `(user, auth)` pair.
#[derive(Debug, Clone)]
pub struct Authenticated {
    /// The authenticated user: a row (`user.into()` from a [`User`]), or simplejwt's token
    /// user. `RequestUser::Anonymous` is not a user a scheme can authenticate, nor is
    /// `RequestUser::None` without a credential in `auth`: the request is refused with a server
    /// error. `RequestUser::None` with a credential is a client authenticated without a user
    /// (DOT's client-credentials token, where DRF's `request.user` is `None`).
    pub user: RequestUser,
    /// The credential object (`request.auth`).
    pub auth: AuthInfo,
}

/// The three outcomes of one scheme: DRF's `authenticate` returning `None`, a `(user, auth)`
/// tuple, or raising `AuthenticationFailed`.
#[derive(Debug)]
pub enum Outcome {
    /// "Not my scheme": the next scheme is tried.
    NotAttempted,
    /// Credentials were valid: the chain stops here.
    Authenticated(Authenticated),
    /// Credentials were presented and are bad (or a store failed): the chain stops with this error.
    Failed(ApiError),
}

impl Outcome {
    /// `AuthenticationFailed(detail)`: what a custom scheme returns for bad credentials.
    pub fn failed(detail: impl Into<std::borrow::Cow<'static, str>>) -> Self {
        Self::Failed(ApiError::authentication_failed(detail))
    }
}

/// An authentication scheme (DRF's `BaseAuthentication`).
///
/// A scheme is a type, not an instance: DRF instantiates its classes afresh per request and keeps
/// no state in them, so nothing is lost, and a custom scheme declared with
/// `#[derive(Authentication)]` can be a struct of credentials that has no meaningful default.
/// Configuration that DRF puts in class attributes (a token keyword) is a type parameter here.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an authentication scheme",
    label = "not an `Authentication`",
    note = "authentication lists take schemes such as `BasicAuthentication`, `TokenAuthentication` or a type with `#[derive(Authentication)]`; permissions go in `permission_classes`"
)]
pub trait Authentication: 'static {
    /// The scheme's name, as DRF's class name (`BasicAuthentication`); recorded as the scheme
    /// that authenticated the request.
    const NAME: &'static str;

    /// Authenticates the request: not attempted, authenticated, or failed.
    fn authenticate(cx: &AuthContext<'_>) -> impl Future<Output = Outcome>;

    /// The `WWW-Authenticate` value (DRF's `authenticate_header`). Only the view's **first**
    /// scheme is asked, and its answer decides 401 (a value) or 403 (none) for every
    /// authentication error of the view (DRF's `APIView.handle_exception`).
    fn challenge(cx: &AuthContext<'_>) -> Option<String> {
        let _ = cx;
        None
    }

    /// The credentials this scheme reads, all sent together, for a request with `method`: what
    /// an API description (OpenAPI's security schemes and requirements) says a client must
    /// send. Empty, the default, leaves the scheme out of the description.
    fn security_requirement(settings: &Settings, method: &str) -> SecurityRequirement {
        let _ = (settings, method);
        Vec::new()
    }
}

/// The check of a declared scheme (`#[derive(Authentication)]`): given the credentials read from
/// the request, find the user or refuse (DRF's body of `authenticate` after reading the request).
#[diagnostic::on_unimplemented(
    message = "`{Self}` derives `Authentication` but does not implement `Verify`",
    note = "add `impl Verify for {Self} {{ async fn verify(self, cx: &AuthContext<'_>) -> Result<Authenticated, ApiError> {{ … }} }}`"
)]
pub trait Verify: Sized {
    /// Checks the credentials: `Ok` authenticates, `Err` (normally
    /// [`Outcome::failed`]'s `AuthenticationFailed`) refuses the request.
    fn verify(self, cx: &AuthContext<'_>) -> impl Future<Output = Result<Authenticated, ApiError>>;
}
