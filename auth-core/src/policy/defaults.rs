//! The defaults of a group of views or of the whole project: DRF's
//! `DEFAULT_AUTHENTICATION_CLASSES`, `DEFAULT_PERMISSION_CLASSES`, `DEFAULT_THROTTLE_CLASSES` and
//! `DEFAULT_RENDERER_CLASSES`, and their per-viewset overrides, as one type.

use std::sync::LazyLock;

use crate::authentication::{
    AuthenticationClasses, BasicAuthentication, SessionAuthentication, SharedAuthenticationClasses,
};
use crate::permissions::{AllowAny, PermissionClasses, SharedPermissionClasses};
use crate::renderers::{RendererClasses, SharedRendererClasses};
use crate::throttling::{SharedThrottleClasses, ThrottleClasses};

/// Defaults for the parts of a policy a view leaves out. A scope's (actix-web `app_data` on a
/// `web::scope`, DRF's per-viewset settings) is consulted first, then the project's; a part
/// neither sets is DRF's own default: `[SessionAuthentication, BasicAuthentication]`,
/// `[AllowAny]`, no throttles.
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
    throttles: Option<SharedThrottleClasses>,
    renderers: Option<SharedRendererClasses>,
}

/// DRF's `DEFAULT_AUTHENTICATION_CLASSES`.
static DRF_AUTHENTICATION: LazyLock<SharedAuthenticationClasses> =
    LazyLock::new(SharedAuthenticationClasses::of::<(SessionAuthentication, BasicAuthentication)>);
/// DRF's `DEFAULT_PERMISSION_CLASSES`.
static DRF_PERMISSIONS: LazyLock<SharedPermissionClasses> =
    LazyLock::new(SharedPermissionClasses::of::<AllowAny>);
/// DRF's `DEFAULT_THROTTLE_CLASSES`.
static DRF_THROTTLES: LazyLock<SharedThrottleClasses> =
    LazyLock::new(SharedThrottleClasses::of::<()>);

impl PolicyDefaults {
    /// No overrides: everything falls through (to the project's defaults, then DRF's).
    pub fn new() -> Self {
        Self::default()
    }

    /// The scheme list (`DEFAULT_AUTHENTICATION_CLASSES`): a scheme or a tuple of schemes.
    #[must_use]
    pub fn authentication<L: AuthenticationClasses>(mut self) -> Self {
        self.authentication = Some(SharedAuthenticationClasses::of::<L>());
        self
    }

    /// The permission list (`DEFAULT_PERMISSION_CLASSES`): a permission (expression) or a tuple.
    #[must_use]
    pub fn permission<P>(mut self) -> Self
    where
        P: PermissionClasses + Default + Send + Sync + 'static,
    {
        self.permissions = Some(SharedPermissionClasses::of::<P>());
        self
    }

    /// The throttle list (`DEFAULT_THROTTLE_CLASSES`): a throttle or a tuple.
    #[must_use]
    pub fn throttle<L>(mut self) -> Self
    where
        L: ThrottleClasses + Default + Send + Sync + 'static,
    {
        self.throttles = Some(SharedThrottleClasses::of::<L>());
        self
    }

    /// The renderer list (`DEFAULT_RENDERER_CLASSES`): a renderer or a tuple. Unset, a view
    /// that declares none renders JSON only.
    #[must_use]
    pub fn renderer<L: RendererClasses>(mut self) -> Self {
        self.renderers = Some(SharedRendererClasses::of::<L>());
        self
    }

    /// The renderer list, chosen at run time (`DEFAULT_RENDERER_CLASSES`).
    #[must_use]
    pub fn shared_renderers(mut self, list: SharedRendererClasses) -> Self {
        self.renderers = Some(list);
        self
    }

    /// The scheme list, chosen at run time (a settings file's `DEFAULT_AUTHENTICATION_CLASSES`).
    #[must_use]
    pub fn shared_authentication(mut self, list: SharedAuthenticationClasses) -> Self {
        self.authentication = Some(list);
        self
    }

    /// The permission list, chosen at run time (`DEFAULT_PERMISSION_CLASSES`).
    #[must_use]
    pub fn shared_permissions(mut self, list: SharedPermissionClasses) -> Self {
        self.permissions = Some(list);
        self
    }

    /// The throttle list, chosen at run time (`DEFAULT_THROTTLE_CLASSES`).
    #[must_use]
    pub fn shared_throttles(mut self, list: SharedThrottleClasses) -> Self {
        self.throttles = Some(list);
        self
    }

    /// Whether these defaults set the throttle list.
    pub fn configures_throttles(&self) -> bool {
        self.throttles.is_some()
    }

    /// Whether these defaults set the permission list.
    pub fn configures_permissions(&self) -> bool {
        self.permissions.is_some()
    }

    /// The schemes for a view under `scope` in a project with these defaults.
    pub fn resolve_authentication(
        scope: Option<&Self>,
        project: &Self,
    ) -> SharedAuthenticationClasses {
        scope
            .and_then(|scope| scope.authentication.as_ref())
            .or(project.authentication.as_ref())
            .unwrap_or(&DRF_AUTHENTICATION)
            .clone()
    }

    /// The permissions for a view under `scope` in a project with these defaults.
    pub fn resolve_permissions(scope: Option<&Self>, project: &Self) -> SharedPermissionClasses {
        scope
            .and_then(|scope| scope.permissions.as_ref())
            .or(project.permissions.as_ref())
            .unwrap_or(&DRF_PERMISSIONS)
            .clone()
    }

    /// The renderers for a view under `scope` that declares none, when the scope or the project
    /// lists them (`None`: JSON only).
    pub fn resolve_renderers<'a>(
        scope: Option<&'a Self>,
        project: &'a Self,
    ) -> Option<&'a SharedRendererClasses> {
        scope
            .and_then(|scope| scope.renderers.as_ref())
            .or(project.renderers.as_ref())
    }

    /// The throttles for a view under `scope` in a project with these defaults.
    pub fn resolve_throttles(scope: Option<&Self>, project: &Self) -> SharedThrottleClasses {
        scope
            .and_then(|scope| scope.throttles.as_ref())
            .or(project.throttles.as_ref())
            .unwrap_or(&DRF_THROTTLES)
            .clone()
    }
}
