//! `&`, `|` and `~` over permissions (DRF's `OperandHolder`) as types.
//!
//! Composites short-circuit exactly as the reference, and carry **no** message or code: a
//! failing composition always answers with the default detail. `~A` requires no scope of a
//! token in an API description (a refusal is no requirement).

use std::any::Any;
use std::fmt;

use super::permission::{Decision, Permission, PermissionContext};
use super::scope_alternatives::ScopeAlternatives;
use crate::settings::Settings;

/// `A & B`.
#[derive(Default, Clone, Copy, PartialEq, Eq, Hash)]
pub struct And<A, B>(pub A, pub B);

/// `A | B`.
#[derive(Default, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Or<A, B>(pub A, pub B);

/// `~A` (written `!A` in the macros).
#[derive(Default, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Not<A>(pub A);

impl<A: fmt::Debug, B: fmt::Debug> fmt::Debug for And<A, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({:?} & {:?})", self.0, self.1)
    }
}

impl<A: fmt::Debug, B: fmt::Debug> fmt::Debug for Or<A, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({:?} | {:?})", self.0, self.1)
    }
}

impl<A: fmt::Debug> fmt::Debug for Not<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "!{:?}", self.0)
    }
}

impl<A: Permission, B: Permission> Permission for And<A, B> {
    async fn has_permission(&self, cx: &PermissionContext<'_>) -> Decision {
        Ok(self.0.has_permission(cx).await? && self.1.has_permission(cx).await?)
    }

    fn oauth2_scopes(&self, settings: &Settings, method: &str) -> ScopeAlternatives {
        self.0
            .oauth2_scopes(settings, method)
            .and(self.1.oauth2_scopes(settings, method))
    }

    async fn has_object_permission(
        &self,
        cx: &PermissionContext<'_>,
        object: &dyn Any,
    ) -> Decision {
        Ok(self.0.has_object_permission(cx, object).await?
            && self.1.has_object_permission(cx, object).await?)
    }
}

impl<A: Permission, B: Permission> Permission for Or<A, B> {
    async fn has_permission(&self, cx: &PermissionContext<'_>) -> Decision {
        Ok(self.0.has_permission(cx).await? || self.1.has_permission(cx).await?)
    }

    fn oauth2_scopes(&self, settings: &Settings, method: &str) -> ScopeAlternatives {
        self.0
            .oauth2_scopes(settings, method)
            .or(self.1.oauth2_scopes(settings, method))
    }

    /// Since DRF 3.14 an operand grants object access only if it also grants view access; each
    /// step short-circuits, so an operand's object check never runs when its view check failed.
    async fn has_object_permission(
        &self,
        cx: &PermissionContext<'_>,
        object: &dyn Any,
    ) -> Decision {
        if self.0.has_permission(cx).await? && self.0.has_object_permission(cx, object).await? {
            return Ok(true);
        }
        Ok(self.1.has_permission(cx).await? && self.1.has_object_permission(cx, object).await?)
    }
}

impl<A: Permission> Permission for Not<A> {
    async fn has_permission(&self, cx: &PermissionContext<'_>) -> Decision {
        Ok(!self.0.has_permission(cx).await?)
    }

    async fn has_object_permission(
        &self,
        cx: &PermissionContext<'_>,
        object: &dyn Any,
    ) -> Decision {
        Ok(!self.0.has_object_permission(cx, object).await?)
    }
}
