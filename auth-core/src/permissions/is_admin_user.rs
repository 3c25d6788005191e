use super::permission::{Decision, Permission, PermissionContext};

/// DRF's `IsAdminUser`: a user is present and `is_staff` (the staff flag only: a superuser
/// without `is_staff` is refused).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IsAdminUser;

impl Permission for IsAdminUser {
    async fn has_permission(&self, cx: &PermissionContext<'_>) -> Decision {
        Ok(cx.user.is_staff())
    }
}
