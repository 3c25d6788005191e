//! Where throttles run in the pipeline: after permissions, on the authenticated user (spec §3,
//! §0.1). The throttles themselves (rates, stores) plug in here through [`ThrottleClasses`].

use std::future::Future;

use crate::error::ApiError;
use crate::permissions::PermissionContext;

/// An ordered list of throttles. Every throttle is evaluated (no short-circuit) and the longest
/// wait is reported in one `Throttled` error (spec §3.1).
pub trait ThrottleClasses {
    /// Checks the request; `Err` is the 429 (or a store failure).
    fn check<'a>(
        &'a self,
        cx: &'a PermissionContext<'a>,
    ) -> impl Future<Output = Result<(), ApiError>> + 'a;
}

/// No throttles (DRF's default `DEFAULT_THROTTLE_CLASSES = []`).
impl ThrottleClasses for () {
    async fn check<'a>(&'a self, _cx: &'a PermissionContext<'a>) -> Result<(), ApiError> {
        Ok(())
    }
}
