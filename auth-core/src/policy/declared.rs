//! How a view's declared policy becomes the policy of one request: declared parts are types;
//! the `Default…` markers resolve to the scope's defaults, then the project's.

use std::any::Any;
use std::future::Future;

use super::defaults::PolicyDefaults;
use crate::authentication::{
    AuthenticationClasses, Authenticators, Declared, SharedAuthenticationClasses,
};
use crate::error::ApiError;
use crate::permissions::{
    ListDecision, ObjectPermissions, PermissionClasses, PermissionContext, ScopeAlternatives,
    SharedPermissionClasses,
};
use crate::settings::Settings;
use crate::throttling::{SharedThrottleClasses, ThrottleClasses, ThrottleContext};

/// How the permission and throttle parts of a policy are obtained for a request: a declared
/// type is built with `Default`; the `Default…` markers look up the scope's defaults, then the
/// project's.
pub trait Resolve: Sized {
    /// Builds the part for one request under `scope` in a project with the `project` defaults.
    fn resolve(scope: Option<&PolicyDefaults>, project: &PolicyDefaults) -> Self;
}

impl<T: Default> Resolve for T {
    fn resolve(_scope: Option<&PolicyDefaults>, _project: &PolicyDefaults) -> Self {
        T::default()
    }
}

/// The authentication part of a policy as declared on a view: a scheme list, or
/// [`DefaultAuthentication`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an authentication scheme or a list of them",
    label = "not a scheme list",
    note = "authentication lists take schemes such as `BasicAuthentication`, `TokenAuthentication` or a type with `#[derive(Authentication)]`; permissions go in `permission_classes`"
)]
pub trait AuthenticationPolicy: 'static {
    /// The resolved list.
    type Authenticators: Authenticators;

    /// Resolves the list for one request.
    fn authenticators(
        scope: Option<&PolicyDefaults>,
        project: &PolicyDefaults,
    ) -> Self::Authenticators;
}

impl<L: AuthenticationClasses> AuthenticationPolicy for L {
    type Authenticators = Declared<L>;

    fn authenticators(_scope: Option<&PolicyDefaults>, _project: &PolicyDefaults) -> Declared<L> {
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
        project: &PolicyDefaults,
    ) -> SharedAuthenticationClasses {
        PolicyDefaults::resolve_authentication(scope, project)
    }
}

/// "The permissions the scope or the project configures" (DRF's `DEFAULT_PERMISSION_CLASSES`).
#[derive(Debug, Clone)]
pub struct DefaultPermissions(SharedPermissionClasses);

impl Resolve for DefaultPermissions {
    fn resolve(scope: Option<&PolicyDefaults>, project: &PolicyDefaults) -> Self {
        Self(PolicyDefaults::resolve_permissions(scope, project))
    }
}

impl PermissionClasses for DefaultPermissions {
    fn check<'a>(
        &'a self,
        cx: &'a PermissionContext<'a>,
    ) -> impl Future<Output = ListDecision> + 'a {
        self.0.check(cx)
    }

    fn check_object<'a>(
        &'a self,
        cx: &'a PermissionContext<'a>,
        object: &'a dyn Any,
    ) -> impl Future<Output = ListDecision> + 'a {
        self.0.check_object(cx, object)
    }

    fn object_permissions(&self) -> ObjectPermissions {
        self.0.object_permissions()
    }

    fn oauth2_scopes(&self, settings: &Settings, method: &str) -> ScopeAlternatives {
        self.0.oauth2_scopes(settings, method)
    }
}

/// "The throttles the scope or the project configures" (DRF's `DEFAULT_THROTTLE_CLASSES`).
#[derive(Debug, Clone)]
pub struct DefaultThrottles(SharedThrottleClasses);

impl Resolve for DefaultThrottles {
    fn resolve(scope: Option<&PolicyDefaults>, project: &PolicyDefaults) -> Self {
        Self(PolicyDefaults::resolve_throttles(scope, project))
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
