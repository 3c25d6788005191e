use super::permission::{Decision, Permission, PermissionContext};

/// DRF's `IsAuthenticatedOrReadOnly`: a safe method (`GET`, `HEAD`, `OPTIONS`), or an
/// authenticated user.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IsAuthenticatedOrReadOnly;

impl Permission for IsAuthenticatedOrReadOnly {
    async fn has_permission(&self, cx: &PermissionContext<'_>) -> Decision {
        Ok(cx.request.is_safe_method() || cx.user.is_authenticated())
    }
}
