//! DRF's `import_from_string` for the policy settings: the dotted class paths a settings file
//! names in `DEFAULT_AUTHENTICATION_CLASSES`, `DEFAULT_PERMISSION_CLASSES`,
//! `DEFAULT_THROTTLE_CLASSES` and `DEFAULT_RENDERER_CLASSES`, resolved to this library's classes.
//!
//! Python imports any class by its path; Rust has no such thing, so the names a project may use
//! are registered: [`ImportStrings::default`] knows DRF's, knox's, simplejwt's and dj-rest-auth's
//! paths for the classes this library reproduces, and an application adds its own
//! ([`authentication`](ImportStrings::authentication), [`permission`](ImportStrings::permission),
//! [`throttle`](ImportStrings::throttle), [`renderer`](ImportStrings::renderer)) under the names
//! its settings file uses.
//!
//! ```
//! use auth_core::policy::ImportStrings;
//! use auth_core::permissions::IsAdminUser;
//!
//! let names = ImportStrings::default().permission::<IsAdminUser>("myproject.permissions.Staff");
//! assert!(names.permission_classes("DEFAULT_PERMISSION_CLASSES", &["myproject.permissions.Staff"]).is_ok());
//! let unknown = names.permission_classes("DEFAULT_PERMISSION_CLASSES", &["myproject.Nope"]);
//! assert!(unknown.unwrap_err().to_string().starts_with("Could not import 'myproject.Nope'"));
//! ```

use std::collections::BTreeMap;
use std::fmt;

use crate::authentication::{
    Authentication, BasicAuthentication, RemoteUserAuthentication, SessionAuthentication,
    SharedAuthenticationClasses, TokenAuthentication,
};
use crate::permissions::{
    AllowAny, IsAdminUser, IsAuthenticated, IsAuthenticatedOrReadOnly, Permission,
    SharedPermissionClasses,
};
use crate::renderers::{
    CSVRenderer, JSONRenderer, Renderer, RendererInfo, SharedRendererClasses, StaticHTMLRenderer,
};
use crate::throttling::{
    AnonRateThrottle, ScopedRateThrottle, SharedThrottle, SharedThrottleClasses, Throttle,
    UserRateThrottle,
};

/// A name a settings file used that no class is registered under, with DRF's wording.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "Could not import '{name}' for API setting '{setting}'. ImportError: no {kind} class is registered under this name (known: {known})."
)]
pub struct ImportError {
    /// The name as written.
    pub name: String,
    /// The setting that named it.
    pub setting: String,
    kind: &'static str,
    known: String,
}

/// The classes a settings file may name, by dotted path. See the module documentation.
#[derive(Clone)]
pub struct ImportStrings {
    authentication: BTreeMap<String, fn() -> SharedAuthenticationClasses>,
    permissions: BTreeMap<String, fn() -> SharedPermissionClasses>,
    throttles: BTreeMap<String, fn() -> SharedThrottle>,
    renderers: BTreeMap<String, fn() -> Option<RendererInfo>>,
}

impl fmt::Debug for ImportStrings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportStrings")
            .field("authentication", &self.authentication.keys())
            .field("permissions", &self.permissions.keys())
            .field("throttles", &self.throttles.keys())
            .field("renderers", &self.renderers.keys())
            .finish()
    }
}

impl Default for ImportStrings {
    /// The Python paths of the classes this library reproduces.
    fn default() -> Self {
        let names = Self {
            authentication: BTreeMap::new(),
            permissions: BTreeMap::new(),
            throttles: BTreeMap::new(),
            renderers: BTreeMap::new(),
        }
        .authentication::<SessionAuthentication>(
            "rest_framework.authentication.SessionAuthentication",
        )
        .authentication::<BasicAuthentication>("rest_framework.authentication.BasicAuthentication")
        .authentication::<TokenAuthentication>("rest_framework.authentication.TokenAuthentication")
        .authentication::<RemoteUserAuthentication>(
            "rest_framework.authentication.RemoteUserAuthentication",
        )
        .permission::<AllowAny>("rest_framework.permissions.AllowAny")
        .permission::<IsAuthenticated>("rest_framework.permissions.IsAuthenticated")
        .permission::<IsAdminUser>("rest_framework.permissions.IsAdminUser")
        .permission::<IsAuthenticatedOrReadOnly>(
            "rest_framework.permissions.IsAuthenticatedOrReadOnly",
        )
        .throttle::<AnonRateThrottle>("rest_framework.throttling.AnonRateThrottle")
        .throttle::<UserRateThrottle>("rest_framework.throttling.UserRateThrottle")
        .throttle::<ScopedRateThrottle>("rest_framework.throttling.ScopedRateThrottle")
        .renderer::<JSONRenderer>("rest_framework.renderers.JSONRenderer")
        .renderer::<StaticHTMLRenderer>("rest_framework.renderers.StaticHTMLRenderer")
        .renderer::<CSVRenderer>("rest_framework_csv.renderers.CSVRenderer");
        // DRF's default list names the browsable API: accepted, counted for `Vary: Accept`,
        // not served (see `SharedRendererClasses`).
        let mut names = names;
        names.renderers.insert(
            "rest_framework.renderers.BrowsableAPIRenderer".to_owned(),
            not_served,
        );
        #[cfg(feature = "knox")]
        let names = names.authentication::<crate::authentication::KnoxTokenAuthentication>(
            "knox.auth.TokenAuthentication",
        );
        #[cfg(feature = "simplejwt")]
        let names = {
            use crate::authentication::{
                JwtAuthentication, JwtCookieAuthentication, JwtStatelessUserAuthentication,
            };
            names
                .authentication::<JwtAuthentication>(
                    "rest_framework_simplejwt.authentication.JWTAuthentication",
                )
                .authentication::<JwtStatelessUserAuthentication>(
                    "rest_framework_simplejwt.authentication.JWTStatelessUserAuthentication",
                )
                // simplejwt's older name for the same class.
                .authentication::<JwtStatelessUserAuthentication>(
                    "rest_framework_simplejwt.authentication.JWTTokenUserAuthentication",
                )
                .authentication::<JwtCookieAuthentication>(
                    "dj_rest_auth.jwt_auth.JWTCookieAuthentication",
                )
        };
        // DOT exports its schemes from the package and defines them in its module.
        #[cfg(feature = "oauth2")]
        let names = {
            use crate::authentication::{
                OAuth2Authentication, OAuth2ProtectedResourceAuthentication,
            };
            names
                .authentication::<OAuth2Authentication>(
                    "oauth2_provider.contrib.rest_framework.OAuth2Authentication",
                )
                .authentication::<OAuth2Authentication>(
                    "oauth2_provider.contrib.rest_framework.authentication.OAuth2Authentication",
                )
                .authentication::<OAuth2ProtectedResourceAuthentication>(
                    "oauth2_provider.contrib.rest_framework.OAuth2ProtectedResourceAuthentication",
                )
                .authentication::<OAuth2ProtectedResourceAuthentication>(
                    "oauth2_provider.contrib.rest_framework.authentication.\
                     OAuth2ProtectedResourceAuthentication",
                )
        };
        names
    }
}

impl ImportStrings {
    /// Registers the scheme `S` under `name` (replacing what was there).
    #[must_use]
    pub fn authentication<S: Authentication>(mut self, name: impl Into<String>) -> Self {
        self.authentication
            .insert(name.into(), SharedAuthenticationClasses::of::<S>);
        self
    }

    /// Registers the permission `P` under `name`.
    #[must_use]
    pub fn permission<P: Permission + Send + Sync>(mut self, name: impl Into<String>) -> Self {
        self.permissions
            .insert(name.into(), SharedPermissionClasses::of::<P>);
        self
    }

    /// Registers the throttle `T` under `name`.
    #[must_use]
    pub fn throttle<T: Throttle + Send + Sync>(mut self, name: impl Into<String>) -> Self {
        self.throttles.insert(name.into(), SharedThrottle::of::<T>);
        self
    }

    /// Registers the renderer `R` under `name`.
    #[must_use]
    pub fn renderer<R: Renderer>(mut self, name: impl Into<String>) -> Self {
        self.renderers.insert(name.into(), served::<R>);
        self
    }

    /// The renderer list `names` (in order) for `setting`; `Ok(None)` when it names only
    /// classes this library does not serve.
    pub fn renderer_classes<S: AsRef<str>>(
        &self,
        setting: &str,
        names: &[S],
    ) -> Result<Option<SharedRendererClasses>, ImportError> {
        resolve(&self.renderers, "renderer", setting, names).map(SharedRendererClasses::listed)
    }

    /// The scheme list `names` (in order) for `setting`.
    pub fn authentication_classes<S: AsRef<str>>(
        &self,
        setting: &str,
        names: &[S],
    ) -> Result<SharedAuthenticationClasses, ImportError> {
        resolve(&self.authentication, "authentication", setting, names)
            .map(SharedAuthenticationClasses::concat)
    }

    /// The permission list `names` (in order) for `setting`.
    pub fn permission_classes<S: AsRef<str>>(
        &self,
        setting: &str,
        names: &[S],
    ) -> Result<SharedPermissionClasses, ImportError> {
        resolve(&self.permissions, "permission", setting, names)
            .map(SharedPermissionClasses::concat)
    }

    /// The throttle list `names` for `setting`.
    pub fn throttle_classes<S: AsRef<str>>(
        &self,
        setting: &str,
        names: &[S],
    ) -> Result<SharedThrottleClasses, ImportError> {
        resolve(&self.throttles, "throttle", setting, names).map(SharedThrottleClasses::list)
    }
}

/// A renderer this library serves.
fn served<R: Renderer>() -> Option<RendererInfo> {
    Some(R::INFO)
}

/// A renderer a settings file may name that this library does not serve.
fn not_served() -> Option<RendererInfo> {
    None
}

/// Each name's class, in order, or the first name that is not registered.
fn resolve<T, S: AsRef<str>>(
    registry: &BTreeMap<String, fn() -> T>,
    kind: &'static str,
    setting: &str,
    names: &[S],
) -> Result<Vec<T>, ImportError> {
    names
        .iter()
        .map(|name| {
            let name = name.as_ref();
            registry
                .get(name)
                .map(|make| make())
                .ok_or_else(|| ImportError {
                    name: name.to_owned(),
                    setting: setting.to_owned(),
                    kind,
                    known: registry
                        .keys()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .join(", "),
                })
        })
        .collect()
}
