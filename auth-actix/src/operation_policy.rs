//! [`operation_policy!`](crate::operation_policy): registers a handler's policy for the OpenAPI
//! document (the `openapi` feature); without the feature it expands to nothing, so the policy
//! macros can always emit it.

/// Registers the policy of handler `name` (a function name, which `#[utoipa::path]` uses as the
/// operation id) for [`openapi::PolicySecurity`](crate::openapi::PolicySecurity). The policy
/// macros do this for every handler they expand; write it yourself for a handler whose
/// [`PolicyGuard`](crate::PolicyGuard) is written by hand, or to register a handler under the
/// `operation_id` you gave it. Expands to nothing without the `openapi` feature.
///
/// ```
/// use actix_web::Responder;
/// use auth_actix::{operation_policy, Auth, BasicAuthentication, IsAuthenticated, PolicyGuard};
///
/// type StaffOnly = PolicyGuard<(BasicAuthentication,), IsAuthenticated>;
///
/// async fn report(_: StaffOnly, auth: Auth) -> impl Responder {
///     auth.user().to_string()
/// }
/// operation_policy!(report, StaffOnly);
/// ```
#[cfg(feature = "openapi")]
#[macro_export]
macro_rules! operation_policy {
    ($name:ident, $policy:ty) => {
        $crate::__private::inventory::submit! {
            $crate::openapi::DeclaredOperation::new(
                ::core::stringify!($name),
                ::core::module_path!(),
                $crate::openapi::describe_policy::<$policy>,
            )
        }
    };
}

/// What the policy macros emit in a handler's body: registers the handler, finding its guard
/// from its first parameter (so that the guard's type is not restated).
#[cfg(feature = "openapi")]
#[doc(hidden)]
#[macro_export]
macro_rules! __register_handler_policy {
    ($handler:ident) => {
        const _: () = {
            fn describe(
                defaults: ::core::option::Option<&$crate::PolicyDefaults>,
                settings: &$crate::AuthSettings,
                method: &::core::primitive::str,
            ) -> ::core::option::Option<$crate::openapi::OperationSecurity> {
                #[allow(unused_imports)]
                use $crate::openapi::__probe::{ViaFallback as _, ViaPolicy as _};
                let probe = $crate::openapi::__probe::Probe::<()>::of_handler(&$handler);
                (&probe).describe(defaults, settings, method)
            }
            $crate::__private::inventory::submit! {
                $crate::openapi::DeclaredOperation::new(
                    ::core::stringify!($handler),
                    ::core::module_path!(),
                    describe,
                )
            }
        };
    };
}

/// Without the `openapi` feature there is nothing to register.
#[cfg(not(feature = "openapi"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __register_handler_policy {
    ($handler:ident) => {};
}

/// What `#[login_not_required]` emits: registers the handler as running no policy.
#[cfg(feature = "openapi")]
#[doc(hidden)]
#[macro_export]
macro_rules! __register_login_not_required {
    ($handler:ident) => {
        $crate::__private::inventory::submit! {
            $crate::openapi::DeclaredOperation::login_not_required(
                ::core::stringify!($handler),
                ::core::module_path!(),
            )
        }
    };
}

/// Without the `openapi` feature there is nothing to register.
#[cfg(not(feature = "openapi"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __register_login_not_required {
    ($handler:ident) => {};
}

/// Registers the policy of handler `name` (a function name, which `#[utoipa::path]` uses as the
/// operation id) for the OpenAPI document of the `openapi` feature. The policy macros do this
/// for every handler they expand; write it yourself for a handler whose
/// [`PolicyGuard`](crate::PolicyGuard) is written by hand. Expands to nothing without the
/// `openapi` feature.
///
/// ```
/// use actix_web::Responder;
/// use auth_actix::{operation_policy, Auth, BasicAuthentication, IsAuthenticated, PolicyGuard};
///
/// type StaffOnly = PolicyGuard<(BasicAuthentication,), IsAuthenticated>;
///
/// async fn report(_: StaffOnly, auth: Auth) -> impl Responder {
///     auth.user().to_string()
/// }
/// operation_policy!(report, StaffOnly);
/// ```
#[cfg(not(feature = "openapi"))]
#[macro_export]
macro_rules! operation_policy {
    ($name:ident, $policy:ty) => {};
}
