//! Ordered scheme lists: a view's `authentication_classes` as a type, or chosen at run time
//! (the defaults of a scope or of the project), run in DRF's order.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;

use super::scheme::{AuthContext, Authenticated, Authentication, Outcome};
use super::security_scheme::SecurityRequirement;
use crate::error::ApiError;
use crate::settings::Settings;

/// The result of running a view's schemes in order: the first that authenticates wins, the
/// first that fails stops the chain, and none attempting leaves the request anonymous.
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
    message = "`{Self}` is not an authentication scheme or a list of them",
    label = "not a scheme list",
    note = "authentication lists take schemes such as `BasicAuthentication`, `TokenAuthentication` or a type with `#[derive(Authentication)]`; permissions go in `permission_classes`"
)]
pub trait AuthenticationClasses: 'static {
    /// Whether the list is empty, which makes a failed permission a `PermissionDenied` rather
    /// than `NotAuthenticated` (DRF's `APIView.permission_denied`).
    const IS_EMPTY: bool;

    /// Runs the schemes in order: the first success wins, the first failure aborts.
    fn authenticate<'a>(cx: &'a AuthContext<'a>) -> impl Future<Output = ChainOutcome> + 'a;

    /// The first scheme's `WWW-Authenticate` value.
    fn first_challenge(cx: &AuthContext<'_>) -> Option<String>;

    /// Each scheme's [`Authentication::security_requirement`], in order, leaving out the empty
    /// ones: the alternative ways into a view with `method`.
    fn security_requirements(settings: &Settings, method: &str) -> Vec<SecurityRequirement>;
}

/// Adds a scheme's requirement to the alternatives unless it is empty.
fn push_requirement<A: Authentication>(
    requirements: &mut Vec<SecurityRequirement>,
    settings: &Settings,
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

    fn security_requirements(settings: &Settings, method: &str) -> Vec<SecurityRequirement> {
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

    fn security_requirements(_settings: &Settings, _method: &str) -> Vec<SecurityRequirement> {
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

            fn security_requirements(settings: &Settings, method: &str) -> Vec<SecurityRequirement> {
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
    fn security_requirements(&self, settings: &Settings, method: &str) -> Vec<SecurityRequirement>;
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

    fn security_requirements(&self, settings: &Settings, method: &str) -> Vec<SecurityRequirement> {
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
    fn security_requirements(&self, settings: &Settings, method: &str) -> Vec<SecurityRequirement>;
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

    fn security_requirements(&self, settings: &Settings, method: &str) -> Vec<SecurityRequirement> {
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

    /// The lists one after the other, as one list: what a settings file's
    /// `DEFAULT_AUTHENTICATION_CLASSES` names, each class resolved on its own.
    pub fn concat(lists: impl IntoIterator<Item = Self>) -> Self {
        Self(Arc::new(Concatenated(lists.into_iter().collect())))
    }
}

/// Lists run in order as one: a list that leaves the request anonymous hands it to the next.
struct Concatenated(Vec<SharedAuthenticationClasses>);

impl DynAuthenticators for Concatenated {
    fn is_empty(&self) -> bool {
        self.0.iter().all(Authenticators::is_empty)
    }

    fn authenticate_boxed<'a>(
        &'a self,
        cx: &'a AuthContext<'a>,
    ) -> Pin<Box<dyn Future<Output = ChainOutcome> + 'a>> {
        Box::pin(async move {
            for list in &self.0 {
                match list.authenticate(cx).await {
                    ChainOutcome::Anonymous => {}
                    done => return done,
                }
            }
            ChainOutcome::Anonymous
        })
    }

    /// DRF's `authenticators[0].authenticate_header`: the first scheme of the whole list.
    fn first_challenge(&self, cx: &AuthContext<'_>) -> Option<String> {
        self.0
            .iter()
            .find(|list| !list.is_empty())
            .and_then(|list| list.first_challenge(cx))
    }

    fn security_requirements(&self, settings: &Settings, method: &str) -> Vec<SecurityRequirement> {
        self.0
            .iter()
            .flat_map(|list| list.security_requirements(settings, method))
            .collect()
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

    fn security_requirements(&self, settings: &Settings, method: &str) -> Vec<SecurityRequirement> {
        self.0.security_requirements(settings, method)
    }
}
