use super::permission::{Decision, Permission, PermissionContext};

/// DRF's `IsAuthenticated`: a user is present and authenticated.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IsAuthenticated;

impl Permission for IsAuthenticated {
    async fn has_permission(&self, cx: &PermissionContext<'_>) -> Decision {
        Ok(cx.user.is_authenticated())
    }
}
