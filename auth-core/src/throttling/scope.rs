//! DRF's `throttle_scope` view attribute as a type.

use crate::settings::LOGIN_SCOPE;

/// The view's throttle scope as a type (DRF's `throttle_scope` attribute).
pub trait ThrottleScope: 'static {
    /// The scope name, if any.
    const SCOPE: Option<&'static str>;

    /// Whether the view's throttles run before authentication, per client, on every request
    /// (a login endpoint: a password guessed through `Authorization: Basic` counts like one in
    /// the body). DRF throttles after authentication, so a failed Basic check is never counted.
    const BEFORE_AUTHENTICATION: bool = false;
}

/// A view without `throttle_scope`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoThrottleScope;

impl ThrottleScope for NoThrottleScope {
    const SCOPE: Option<&'static str> = None;
}

/// Declares a scope type:
/// `auth_actix::throttling::declare_throttle_scope!(pub Uploads = "uploads");`.
#[macro_export]
macro_rules! declare_throttle_scope {
    ($(#[$meta:meta])* $vis:vis $name:ident = $scope:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $name;

        impl $crate::throttling::scope::ThrottleScope for $name {
            const SCOPE: ::core::option::Option<&'static str> = ::core::option::Option::Some($scope);
        }
    };
}

/// The scope of the library's login endpoints ([`LOGIN_SCOPE`]), throttled per client before any
/// password is checked, whatever carries it.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoginScope;

impl ThrottleScope for LoginScope {
    const SCOPE: Option<&'static str> = Some(LOGIN_SCOPE);
    const BEFORE_AUTHENTICATION: bool = true;
}
