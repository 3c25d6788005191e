use super::permission::{Decision, Permission, PermissionContext};

/// The DRF documentation's example `ReadOnly`: admits only safe methods (`GET`, `HEAD`,
/// `OPTIONS`). Useful in expressions: `IsAdminUser | ReadOnly`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReadOnly;

impl Permission for ReadOnly {
    async fn has_permission(&self, cx: &PermissionContext<'_>) -> Decision {
        Ok(cx.request.is_safe_method())
    }
}
