//! Which kind of handler actix-web routed a request to, observed while it routes.
//!
//! Deny-by-default ([`LoginRequiredMiddleware`](crate::LoginRequiredMiddleware)) must run the
//! project's default policy for a request whose handler declares none, and must not run it for
//! one whose handler declares its own (the declaration replaces the default, as a DRF view's
//! `permission_classes` replace `DEFAULT_PERMISSION_CLASSES`). A middleware sees the request
//! before routing, and actix-web exposes no hook between routing and the handler. It does,
//! however, route synchronously inside `Service::call` and create the handler's future there,
//! cloning the handler value as it does (`handler_service` in actix-web's `handler.rs`). The
//! handlers the policy macros generate, and [`declared`] ones, report themselves from that
//! clone into a thread-local slot; the middleware clears the slot before `call` and reads it
//! after. Nothing runs in between on this thread, so the report belongs to this request. A
//! handler that reports nothing declared nothing.

use std::cell::Cell;
use std::collections::HashSet;
use std::sync::LazyLock;

use actix_web::Handler;
use actix_web::dev::Service;

use crate::guard::PolicyGuard;
use crate::handler_policy::{DeclaredGuard, HandlerPolicy};

/// What a routed handler (or a policy scope around it) says about the request's policy.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The handler declares its own policy (a policy attribute or [`declared`]).
    Declared,
    /// The handler is `#[login_not_required]`.
    LoginNotRequired,
    /// A [`ScopePolicy`](crate::ScopePolicy) governs the route.
    Scope,
}

thread_local! {
    static ROUTED: Cell<Option<Claim>> = const { Cell::new(None) };
}

/// Called by a handler's `Clone`, which actix-web runs while it routes a request to it.
#[doc(hidden)]
pub fn report(claim: Claim) {
    ROUTED.with(|slot| slot.set(Some(claim)));
}

/// Calls `service` (which routes `request` and creates the handler's future without running
/// it) and returns the future with what the routed handler reported.
pub(crate) fn call_observing<S, R>(service: &S, request: R) -> (S::Future, Option<Claim>)
where
    S: Service<R>,
{
    let outer = ROUTED.with(|slot| slot.replace(None));
    let future = service.call(request);
    let claim = ROUTED.with(|slot| slot.replace(outer));
    (future, claim)
}

/// A handler whose [`PolicyGuard`] is written by hand, marked so that deny-by-default knows it
/// declares its own policy: `web::get().to(declared(report))`. The policy macros do this for
/// the handlers they expand. Only a handler whose first parameter is a [`PolicyGuard`] can be
/// wrapped, so the mark cannot be put on a handler that runs no policy.
///
/// ```
/// use actix_web::{web, Responder};
/// use auth_actix::policy::declared;
/// use auth_actix::{Auth, BasicAuthentication, IsAuthenticated, PolicyGuard};
///
/// async fn report(_: PolicyGuard<(BasicAuthentication,), IsAuthenticated>, auth: Auth) -> impl Responder {
///     auth.user().to_string()
/// }
///
/// let route = web::get().to(declared(report));
/// # let _ = route;
/// ```
pub fn declared<F>(handler: F) -> Declared<F> {
    Declared(handler)
}

/// See [`declared`].
#[derive(Debug)]
pub struct Declared<F>(F);

impl<F: Clone> Clone for Declared<F> {
    fn clone(&self) -> Self {
        report(Claim::Declared);
        Self(self.0.clone())
    }
}

/// A handler of the library's own that runs no policy by design (the session login, logout and
/// CSRF views, as Django's are `login_not_required`).
#[derive(Debug)]
pub(crate) struct Exempt<F>(pub(crate) F);

impl<F: Clone> Clone for Exempt<F> {
    fn clone(&self) -> Self {
        report(Claim::LoginNotRequired);
        Self(self.0.clone())
    }
}

impl<F, Args> Handler<Args> for Exempt<F>
where
    F: Handler<Args>,
{
    type Output = F::Output;
    type Future = F::Future;

    fn call(&self, arguments: Args) -> Self::Future {
        self.0.call(arguments)
    }
}

/// Argument tuples whose first element is a [`PolicyGuard`] (or the [`DeclaredGuard`] the
/// policy attributes write).
pub trait GuardedArguments: sealed::Sealed {}

mod sealed {
    pub trait Sealed {}
}

macro_rules! guarded_arguments {
    ($($rest:ident),*) => {
        impl<S, P, T, Scope, R, $($rest,)*> sealed::Sealed for (PolicyGuard<S, P, T, Scope, R>, $($rest,)*) {}
        impl<S, P, T, Scope, R, $($rest,)*> GuardedArguments for (PolicyGuard<S, P, T, Scope, R>, $($rest,)*) {}
        impl<Policy: HandlerPolicy, $($rest,)*> sealed::Sealed for (DeclaredGuard<Policy>, $($rest,)*) {}
        impl<Policy: HandlerPolicy, $($rest,)*> GuardedArguments for (DeclaredGuard<Policy>, $($rest,)*) {}
    };
}

guarded_arguments!();
guarded_arguments!(A);
guarded_arguments!(A, B);
guarded_arguments!(A, B, C);
guarded_arguments!(A, B, C, D);
guarded_arguments!(A, B, C, D, E);
guarded_arguments!(A, B, C, D, E, F);
guarded_arguments!(A, B, C, D, E, F, G);
guarded_arguments!(A, B, C, D, E, F, G, H);
guarded_arguments!(A, B, C, D, E, F, G, H, I);
guarded_arguments!(A, B, C, D, E, F, G, H, I, J);
guarded_arguments!(A, B, C, D, E, F, G, H, I, J, K);
guarded_arguments!(A, B, C, D, E, F, G, H, I, J, K, L);
guarded_arguments!(A, B, C, D, E, F, G, H, I, J, K, L, M);
guarded_arguments!(A, B, C, D, E, F, G, H, I, J, K, L, M, N);
guarded_arguments!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O);

impl<F, Args> Handler<Args> for Declared<F>
where
    F: Handler<Args>,
    Args: GuardedArguments,
{
    type Output = F::Output;
    type Future = F::Future;

    fn call(&self, arguments: Args) -> Self::Future {
        self.0.call(arguments)
    }
}

/// The names the policy macros gave their handlers, which actix-web's route macros also give
/// the handlers' resources. Deny-by-default uses them to expect, before routing, that a request
/// will reach a handler with its own policy (and so not run the default for it); the handler's
/// report while routing confirms it.
#[doc(hidden)]
#[derive(Debug)]
pub struct DeclaredName(pub &'static str);

inventory::collect!(DeclaredName);

/// The registered names, collected once.
static DECLARED_NAMES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    inventory::iter::<DeclaredName>
        .into_iter()
        .map(|declared| declared.0)
        .collect()
});

/// Whether a handler of this name declared its policy (or `login_not_required`).
pub(crate) fn is_declared_name(name: &str) -> bool {
    DECLARED_NAMES.contains(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_during_the_call_is_returned_and_the_outer_slot_restored() {
        report(Claim::Scope);
        let service = actix_web::dev::fn_service(|(): ()| async { Ok::<_, actix_web::Error>(()) });
        let (_future, claim) = call_observing(&service, ());
        assert_eq!(claim, None, "nothing reported during this call");
        assert_eq!(ROUTED.with(Cell::get), Some(Claim::Scope));

        let reporting = actix_web::dev::fn_service(|(): ()| {
            report(Claim::Declared);
            async { Ok::<_, actix_web::Error>(()) }
        });
        let (_future, claim) = call_observing(&reporting, ());
        assert_eq!(claim, Some(Claim::Declared));
        assert_eq!(ROUTED.with(Cell::get), Some(Claim::Scope));
    }
}
