//! Authentication schemes: the [`Authentication`] trait, its three outcomes, and the ordered
//! scheme lists a view declares (DRF's `authentication_classes`, spec §1).

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::error::ApiError;
use crate::request::RequestView;
use crate::settings::AuthSettings;
use crate::store::token::Model as Token;
use crate::user::User;

pub mod authorization_header;
pub mod basic;
pub mod credential;
pub mod forced;
pub mod knox;
pub mod lenient_base64;
pub mod remote_user;
pub mod security_scheme;
pub mod session;
pub mod token;

pub use basic::BasicAuthentication;
pub use knox::KnoxTokenAuthentication;
pub use remote_user::RemoteUserAuthentication;
pub use security_scheme::{CredentialLocation, SecurityRequirement, SecurityScheme};
pub use session::SessionAuthentication;
pub use token::{Bearer, TokenAuthentication, TokenKeyword};

/// What a scheme sees: the request, the settings and the database.
#[derive(Clone, Copy)]
pub struct AuthContext<'a> {
    /// The request being authenticated.
    pub request: &'a dyn RequestView,
    /// Project-wide settings.
    pub settings: &'a AuthSettings,
    /// The database holding Django's tables.
    pub db: &'a DatabaseConnection,
    /// What the response must carry (session and CSRF cookies).
    pub effects: &'a crate::response_effects::ResponseEffects,
}

impl fmt::Debug for AuthContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthContext")
            .field("method", &self.request.method())
            .finish_non_exhaustive()
    }
}

/// What `request.auth` is after authentication (spec §0.4).
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum AuthInfo {
    /// Nothing: Basic, Session and RemoteUser authenticate without a credential object, and an
    /// anonymous request has none (DRF's `UNAUTHENTICATED_TOKEN = None`).
    #[default]
    None,
    /// The DRF token row that authenticated the request.
    Token(Arc<Token>),
    /// The knox token that authenticated the request.
    Knox(Arc<knox::KnoxAuth>),
    /// A value chosen by a custom scheme.
    Value(Arc<str>),
}

impl AuthInfo {
    /// What the reference prints for `str(request.auth)`: `None`, a DRF token's key, or a custom
    /// value. This **reveals the token key**: use it where the reference would show the key (a
    /// parity check, a response the token owner asked for), never in a log line.
    pub fn to_drf_string(&self) -> String {
        match self {
            Self::None => "None".to_owned(),
            Self::Token(token) => token.key.clone(),
            // knox's `AuthToken.__str__`: `'%s : %s' % (self.digest, self.user)`.
            Self::Knox(knox) => format!("{} : {}", knox.row.digest, knox.username),
            Self::Value(value) => value.to_string(),
        }
    }

    /// The DRF token, when a token scheme authenticated the request.
    pub fn token(&self) -> Option<&Token> {
        match self {
            Self::Token(token) => Some(token),
            Self::None | Self::Knox(_) | Self::Value(_) => None,
        }
    }

    /// The knox token, when knox authenticated the request.
    pub fn knox_token(&self) -> Option<&crate::store::knox_token::Model> {
        match self {
            Self::Knox(knox) => Some(&knox.row),
            Self::None | Self::Token(_) | Self::Value(_) => None,
        }
    }

    /// Whether there is no credential object.
    pub fn is_none(&self) -> bool {
        matches!(self, Self::None)
    }
}

impl fmt::Debug for AuthInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            // The token's own Debug redacts its key.
            Self::Token(token) => f.debug_tuple("Token").field(token).finish(),
            Self::Knox(knox) => f.debug_tuple("Knox").field(&knox.row).finish(),
            Self::Value(_) => f.write_str("Value(<redacted>)"),
        }
    }
}

/// A successful authentication: DRF's `(user, auth)` pair.
#[derive(Debug, Clone)]
pub struct Authenticated {
    /// The authenticated user.
    pub user: User,
    /// The credential object (`request.auth`).
    pub auth: AuthInfo,
}

/// The three outcomes of one scheme (spec §1.8).
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
    /// authentication error of the view (spec §0.2).
    fn challenge(cx: &AuthContext<'_>) -> Option<String> {
        let _ = cx;
        None
    }

    /// The credentials this scheme reads, all sent together, for a request with `method`: what
    /// an API description (OpenAPI's security schemes and requirements) says a client must
    /// send. Empty, the default, leaves the scheme out of the description.
    fn security_requirement(settings: &AuthSettings, method: &str) -> SecurityRequirement {
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

/// The result of running a view's schemes in order (spec §1.1).
#[derive(Debug)]
pub enum ChainOutcome {
    /// The first scheme that authenticated, and its result.
    Authenticated(&'static str, Authenticated),
    /// No scheme attempted: the request is anonymous.
    Anonymous,
    /// The first scheme that failed stopped the chain.
    Failed(ApiError),
}

/// A declared, ordered list of schemes: a scheme type, or a tuple of them (`()` for none, DRF's
/// `authentication_classes = []`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a list of authentication schemes",
    note = "use a scheme type or a tuple of scheme types, e.g. `(SessionAuthentication, BasicAuthentication)`"
)]
pub trait AuthenticationClasses: 'static {
    /// Whether the list is empty, which makes a failed permission a `PermissionDenied` rather
    /// than `NotAuthenticated` (spec §0.3).
    const IS_EMPTY: bool;

    /// Runs the schemes in order: the first success wins, the first failure aborts.
    fn authenticate<'a>(cx: &'a AuthContext<'a>) -> impl Future<Output = ChainOutcome> + 'a;

    /// The first scheme's `WWW-Authenticate` value.
    fn first_challenge(cx: &AuthContext<'_>) -> Option<String>;

    /// Each scheme's [`Authentication::security_requirement`], in order, leaving out the empty
    /// ones: the alternative ways into a view with `method`.
    fn security_requirements(settings: &AuthSettings, method: &str) -> Vec<SecurityRequirement>;
}

/// Adds a scheme's requirement to the alternatives unless it is empty.
fn push_requirement<A: Authentication>(
    requirements: &mut Vec<SecurityRequirement>,
    settings: &AuthSettings,
    method: &str,
) {
    let requirement = A::security_requirement(settings, method);
    if !requirement.is_empty() {
        requirements.push(requirement);
    }
}

impl<A: Authentication> AuthenticationClasses for A {
    const IS_EMPTY: bool = false;

    async fn authenticate<'a>(cx: &'a AuthContext<'a>) -> ChainOutcome {
        chain_step(<A as Authentication>::authenticate(cx).await, A::NAME)
            .unwrap_or(ChainOutcome::Anonymous)
    }

    fn first_challenge(cx: &AuthContext<'_>) -> Option<String> {
        A::challenge(cx)
    }

    fn security_requirements(settings: &AuthSettings, method: &str) -> Vec<SecurityRequirement> {
        let mut requirements = Vec::new();
        push_requirement::<A>(&mut requirements, settings, method);
        requirements
    }
}

impl AuthenticationClasses for () {
    const IS_EMPTY: bool = true;

    async fn authenticate<'a>(_cx: &'a AuthContext<'a>) -> ChainOutcome {
        ChainOutcome::Anonymous
    }

    fn first_challenge(_cx: &AuthContext<'_>) -> Option<String> {
        None
    }

    fn security_requirements(_settings: &AuthSettings, _method: &str) -> Vec<SecurityRequirement> {
        Vec::new()
    }
}

/// `Some` ends the chain; `None` continues with the next scheme.
fn chain_step(outcome: Outcome, name: &'static str) -> Option<ChainOutcome> {
    match outcome {
        Outcome::NotAttempted => None,
        Outcome::Authenticated(authenticated) => {
            Some(ChainOutcome::Authenticated(name, authenticated))
        }
        Outcome::Failed(error) => Some(ChainOutcome::Failed(error)),
    }
}

macro_rules! scheme_tuple {
    ($first:ident $(, $rest:ident)*) => {
        impl<$first: Authentication $(, $rest: Authentication)*> AuthenticationClasses
            for ($first, $($rest,)*)
        {
            const IS_EMPTY: bool = false;

            async fn authenticate<'a>(cx: &'a AuthContext<'a>) -> ChainOutcome {
                if let Some(done) = chain_step(<$first as Authentication>::authenticate(cx).await, $first::NAME) {
                    return done;
                }
                $(
                    if let Some(done) = chain_step(<$rest as Authentication>::authenticate(cx).await, $rest::NAME) {
                        return done;
                    }
                )*
                ChainOutcome::Anonymous
            }

            fn first_challenge(cx: &AuthContext<'_>) -> Option<String> {
                $first::challenge(cx)
            }

            fn security_requirements(settings: &AuthSettings, method: &str) -> Vec<SecurityRequirement> {
                let mut requirements = Vec::new();
                push_requirement::<$first>(&mut requirements, settings, method);
                $(push_requirement::<$rest>(&mut requirements, settings, method);)*
                requirements
            }
        }
    };
}

scheme_tuple!(A);
scheme_tuple!(A, B);
scheme_tuple!(A, B, C);
scheme_tuple!(A, B, C, D);
scheme_tuple!(A, B, C, D, E);
scheme_tuple!(A, B, C, D, E, F);
scheme_tuple!(A, B, C, D, E, F, G);
scheme_tuple!(A, B, C, D, E, F, G, H);

/// The schemes of one request, resolved (DRF's `request.authenticators`): a declared list, or
/// a list chosen at run time by the scope or the settings.
pub trait Authenticators {
    /// See [`AuthenticationClasses::IS_EMPTY`].
    fn is_empty(&self) -> bool;

    /// See [`AuthenticationClasses::authenticate`].
    fn authenticate<'a>(
        &'a self,
        cx: &'a AuthContext<'a>,
    ) -> impl Future<Output = ChainOutcome> + 'a;

    /// See [`AuthenticationClasses::first_challenge`].
    fn first_challenge(&self, cx: &AuthContext<'_>) -> Option<String>;

    /// See [`AuthenticationClasses::security_requirements`].
    fn security_requirements(
        &self,
        settings: &AuthSettings,
        method: &str,
    ) -> Vec<SecurityRequirement>;
}

/// A list declared as a type: no value, no allocation, no dynamic dispatch.
pub struct Declared<L>(PhantomData<fn() -> L>);

impl<L> Declared<L> {
    /// The declared list `L`.
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<L> Default for Declared<L> {
    fn default() -> Self {
        Self::new()
    }
}

impl<L> fmt::Debug for Declared<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(std::any::type_name::<L>())
    }
}

impl<L: AuthenticationClasses> Authenticators for Declared<L> {
    fn is_empty(&self) -> bool {
        L::IS_EMPTY
    }

    fn authenticate<'a>(
        &'a self,
        cx: &'a AuthContext<'a>,
    ) -> impl Future<Output = ChainOutcome> + 'a {
        L::authenticate(cx)
    }

    fn first_challenge(&self, cx: &AuthContext<'_>) -> Option<String> {
        L::first_challenge(cx)
    }

    fn security_requirements(
        &self,
        settings: &AuthSettings,
        method: &str,
    ) -> Vec<SecurityRequirement> {
        L::security_requirements(settings, method)
    }
}

/// Object-safe form of [`Authenticators`], for lists chosen at run time (settings, scopes).
pub trait DynAuthenticators: Send + Sync + 'static {
    /// See [`Authenticators::is_empty`].
    fn is_empty(&self) -> bool;
    /// See [`Authenticators::authenticate`].
    fn authenticate_boxed<'a>(
        &'a self,
        cx: &'a AuthContext<'a>,
    ) -> Pin<Box<dyn Future<Output = ChainOutcome> + 'a>>;
    /// See [`Authenticators::first_challenge`].
    fn first_challenge(&self, cx: &AuthContext<'_>) -> Option<String>;
    /// See [`Authenticators::security_requirements`].
    fn security_requirements(
        &self,
        settings: &AuthSettings,
        method: &str,
    ) -> Vec<SecurityRequirement>;
}

impl<L: AuthenticationClasses> DynAuthenticators for Declared<L> {
    fn is_empty(&self) -> bool {
        L::IS_EMPTY
    }

    fn authenticate_boxed<'a>(
        &'a self,
        cx: &'a AuthContext<'a>,
    ) -> Pin<Box<dyn Future<Output = ChainOutcome> + 'a>> {
        Box::pin(L::authenticate(cx))
    }

    fn first_challenge(&self, cx: &AuthContext<'_>) -> Option<String> {
        L::first_challenge(cx)
    }

    fn security_requirements(
        &self,
        settings: &AuthSettings,
        method: &str,
    ) -> Vec<SecurityRequirement> {
        L::security_requirements(settings, method)
    }
}

/// A scheme list chosen at run time: the project's or a scope's defaults.
#[derive(Clone)]
pub struct SharedAuthenticationClasses(Arc<dyn DynAuthenticators>);

impl SharedAuthenticationClasses {
    /// The declared list `L`, shared.
    pub fn of<L: AuthenticationClasses>() -> Self {
        Self(Arc::new(Declared::<L>::new()))
    }
}

impl fmt::Debug for SharedAuthenticationClasses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedAuthenticationClasses")
    }
}

impl Authenticators for SharedAuthenticationClasses {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn authenticate<'a>(
        &'a self,
        cx: &'a AuthContext<'a>,
    ) -> impl Future<Output = ChainOutcome> + 'a {
        self.0.authenticate_boxed(cx)
    }

    fn first_challenge(&self, cx: &AuthContext<'_>) -> Option<String> {
        self.0.first_challenge(cx)
    }

    fn security_requirements(
        &self,
        settings: &AuthSettings,
        method: &str,
    ) -> Vec<SecurityRequirement> {
        self.0.security_requirements(settings, method)
    }
}
