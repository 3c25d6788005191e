//! A handler's declared policy as one type: what the policy attributes generate for each
//! handler ([`HandlerPolicy`], implemented for a hidden struct named after it) and the guard
//! that runs it ([`DeclaredGuard`]).
//!
//! Why not [`PolicyGuard`] with the lists as its parameters: a wrong list (a scheme among the
//! permissions) would then also make the handler's parameters fail actix-web's `FromRequest`
//! bound wherever it is registered, and rustc reports that too, about twenty lines of
//! `Handler`/`Resource::to` errors after the real one. Here the lists are the associated types
//! of an impl: rustc reports a wrong one there, once, on the user's token, and the guard's
//! `FromRequest` impl (which needs only `D: HandlerPolicy`) still holds.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use auth_core::permissions::PermissionClasses;
use auth_core::policy::{AuthenticationPolicy, Resolve};
use auth_core::renderers::RendererClasses;
use auth_core::throttling::{ThrottleClasses, ThrottleScope};

use crate::api_view::{ApiView, NotDispatched};
use crate::guard::{Auth, PolicyGuard};

/// What a handler's policy attributes declare: its schemes, permissions, throttles, throttle
/// scope and renderers (each [`DefaultAuthentication`](auth_core::policy::DefaultAuthentication)
/// and its siblings where the handler leaves a part out).
pub trait HandlerPolicy: 'static {
    /// `#[authentication_classes(…)]`.
    type Authentication: AuthenticationPolicy;
    /// `#[permission_classes(…)]`.
    type Permissions: PermissionClasses + Resolve + 'static;
    /// `#[throttle_classes(…)]`.
    type Throttles: ThrottleClasses + Resolve + 'static;
    /// `#[throttle_scope("…")]`.
    type Scope: ThrottleScope;
    /// `#[renderer_classes(…)]`.
    type Renderers: RendererClasses;
    /// `#[api_view(…)]`: the methods the view answers (all of them when `None`).
    const API_VIEW: Option<&'static ApiView> = None;
}

/// The [`PolicyGuard`] of `D`'s lists.
type GuardOf<D> = PolicyGuard<
    <D as HandlerPolicy>::Authentication,
    <D as HandlerPolicy>::Permissions,
    <D as HandlerPolicy>::Throttles,
    <D as HandlerPolicy>::Scope,
    <D as HandlerPolicy>::Renderers,
>;

/// The guard of a handler whose policy is `D`: the same as [`PolicyGuard`] with `D`'s lists.
pub struct DeclaredGuard<D: HandlerPolicy>(GuardOf<D>);

impl<D: HandlerPolicy> DeclaredGuard<D> {
    /// What authentication decided.
    pub fn auth(&self) -> &Auth {
        self.0.auth()
    }

    /// Takes the [`Auth`] out of the guard.
    pub fn into_auth(self) -> Auth {
        self.0.into_auth()
    }
}

impl<D: HandlerPolicy> fmt::Debug for DeclaredGuard<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DeclaredGuard").field(&self.0).finish()
    }
}

impl<D: HandlerPolicy> FromRequest for DeclaredGuard<D> {
    type Error = NotDispatched;
    type Future = Pin<Box<dyn Future<Output = Result<Self, NotDispatched>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        if let Some(view) = D::API_VIEW {
            view.mark(request);
        }
        let guard = <GuardOf<D> as FromRequest>::from_request(request, payload);
        Box::pin(async move {
            let guard = guard.await?;
            // DRF's `dispatch`: an `#[api_view]` answers a method it does not list itself. In
            // the poll that opened the body to later parameters, so none of them has read it.
            if let Some(answer) =
                D::API_VIEW.and_then(|view| view.dispatch::<D::Renderers>(guard.auth()))
            {
                return Err(answer);
            }
            Ok(Self(guard))
        })
    }
}
