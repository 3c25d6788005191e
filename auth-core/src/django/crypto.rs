//! Django's `django.utils.crypto.constant_time_compare`, for every comparison of a secret.

use subtle::ConstantTimeEq;

/// Whether `a` and `b` are equal, in a time that does not depend on where they differ (only
/// their lengths may show, as with Python's `secrets.compare_digest`).
///
/// Use it for any secret a custom scheme checks itself:
///
/// ```
/// use auth_core::django::crypto::constant_time_compare;
///
/// assert!(constant_time_compare("s3cret-key", "s3cret-key"));
/// assert!(!constant_time_compare("s3cret-key", "s3cret-kez"));
/// ```
pub fn constant_time_compare(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}
