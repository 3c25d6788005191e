use super::permission::{Decision, Permission, PermissionContext};

/// DRF's `AllowAny`: grants everything, at view and object level.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AllowAny;

impl Permission for AllowAny {
    async fn has_permission(&self, _cx: &PermissionContext<'_>) -> Decision {
        Ok(true)
    }
}
