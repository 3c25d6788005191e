//! DRF's `BasePermission` as the [`Permission`] trait, and what a permission sees.

use std::any::Any;
use std::borrow::Cow;
use std::fmt;
use std::future::Future;

use sea_orm::DatabaseConnection;

use super::scope_alternatives::ScopeAlternatives;
use crate::environment::Environment;
use crate::error::ApiError;
use crate::model_backend::ModelBackend;
use crate::request::RequestView;
use crate::settings::Settings;
use crate::user::{AuthInfo, RequestUser};

/// What a permission sees: the request and the outcome of authentication.
#[derive(Clone, Copy)]
pub struct PermissionContext<'a> {
    /// The request.
    pub request: &'a dyn RequestView,
    /// `request.user`.
    pub user: &'a RequestUser,
    /// `request.auth`.
    pub auth: &'a AuthInfo,
    /// The settings, the database and the services.
    pub env: &'a Environment,
    /// The request's permission lookups (Django's `user.has_perm`, cached for the request).
    pub backend: &'a ModelBackend,
}

impl<'a> PermissionContext<'a> {
    /// `request.user.has_perm(perm)` (see [`ModelBackend`]).
    pub async fn has_perm(&self, perm: &str) -> Result<bool, ApiError> {
        self.backend.has_perm(self.env, self.user, perm).await
    }

    /// `request.user.has_perms(perms)`.
    pub async fn has_perms(&self, perms: &[&str]) -> Result<bool, ApiError> {
        self.backend.has_perms(self.env, self.user, perms).await
    }

    /// The project's settings.
    pub fn settings(&self) -> &'a Settings {
        self.env.settings()
    }

    /// The database, for permissions that look things up.
    pub fn db(&self) -> &'a DatabaseConnection {
        self.env.db()
    }
}

impl fmt::Debug for PermissionContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PermissionContext")
            .field("method", &self.request.method())
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// The result of one permission check: `Ok(true)` grants; an `Err` (a store failure, or an API
/// error the permission raises itself) becomes the response as it is.
pub type Decision = Result<bool, ApiError>;

/// A permission (DRF's `BasePermission`), instantiated per check with `Default`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a permission",
    label = "not a `Permission`",
    note = "permission lists take permissions such as `IsAuthenticated`, `IsAdminUser` or expressions like `IsAuthenticated & !IsAdminUser`; schemes go in `authentication_classes`"
)]
pub trait Permission: Default + 'static {
    /// View-level check (DRF's `has_permission`).
    fn has_permission(&self, cx: &PermissionContext<'_>) -> impl Future<Output = Decision>;

    /// Object-level check (DRF's `has_object_permission`); grants by default. Runs only when the
    /// handler asks for it with the object it fetched.
    fn has_object_permission(
        &self,
        cx: &PermissionContext<'_>,
        object: &dyn Any,
    ) -> impl Future<Output = Decision> {
        let _ = (cx, object);
        std::future::ready(Ok(true))
    }

    /// DRF's `message`: the 403 detail when this permission refuses an authenticated request.
    /// Ignored when the refusal becomes `NotAuthenticated` (an anonymous request on a view with
    /// schemes).
    fn message(&self) -> Option<Cow<'static, str>> {
        None
    }

    /// DRF's `code`: the error code sent with [`message`](Self::message).
    fn code(&self) -> Option<Cow<'static, str>> {
        None
    }

    /// The OAuth 2 scopes this permission requires of a token for `method`, for an API
    /// description (DOT's scope permissions; composites combine their operands'). None by
    /// default: a permission that does not look at scopes.
    fn oauth2_scopes(&self, settings: &Settings, method: &str) -> ScopeAlternatives {
        let _ = (settings, method);
        ScopeAlternatives::none_required()
    }

    /// When DRF's `message` is a dict, its members after `detail` (DOT's scope permissions
    /// add `required_scopes` under `ERROR_RESPONSE_WITH_SCOPES`): asked, with the request, only
    /// after this permission refused it, and sent only with a 403. None by default.
    fn message_members(&self, cx: &PermissionContext<'_>) -> Vec<(String, serde_json::Value)> {
        let _ = cx;
        Vec::new()
    }
}

/// Which permission refused, as the pipeline needs it: its message and code, if it has them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Denial {
    /// The permission's `message`.
    pub message: Option<Cow<'static, str>>,
    /// The permission's `code`.
    pub code: Option<Cow<'static, str>>,
    /// The members after `detail` of a dict `message` ([`Permission::message_members`]).
    pub members: Vec<(String, serde_json::Value)>,
}

impl Denial {
    pub(crate) fn of<P: Permission>(permission: &P, cx: &PermissionContext<'_>) -> Self {
        Self {
            message: permission.message(),
            code: permission.code(),
            members: permission.message_members(cx),
        }
    }
}
