//! Ordered permission lists: a view's `permission_classes` as a type, or chosen at run time (the
//! defaults of a scope or of the project), checked in DRF's order.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::permission::{Denial, Permission, PermissionContext};
use super::scope_alternatives::ScopeAlternatives;
use crate::error::ApiError;
use crate::settings::Settings;

/// Outcome of checking a list: `Ok(None)` when every permission granted.
pub type ListDecision = Result<Option<Denial>, ApiError>;

/// Checks a whole list, given a way to ask each permission (view or object level).
type ObjectCheck = for<'a> fn(
    &'a PermissionContext<'a>,
    &'a dyn Any,
) -> Pin<Box<dyn Future<Output = ListDecision> + 'a>>;

/// An ordered list of permissions: a permission (expression), a tuple of them, or the defaults
/// resolved from the scope or the project. Each must grant, in order (DRF's `check_permissions`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a permission or a list of permissions",
    label = "not a permission list",
    note = "permission lists take permissions such as `IsAuthenticated`, `IsAdminUser` or expressions like `IsAuthenticated & !IsAdminUser`; schemes go in `authentication_classes`, throttles in `throttle_classes`"
)]
pub trait PermissionClasses {
    /// View-level checks in order; the first refusal stops.
    fn check<'a>(
        &'a self,
        cx: &'a PermissionContext<'a>,
    ) -> impl Future<Output = ListDecision> + 'a;

    /// Object-level checks in order; the first refusal stops.
    fn check_object<'a>(
        &'a self,
        cx: &'a PermissionContext<'a>,
        object: &'a dyn Any,
    ) -> impl Future<Output = ListDecision> + 'a;

    /// A handle that can run the object-level checks later, from the handler.
    fn object_permissions(&self) -> ObjectPermissions;

    /// The OAuth 2 scopes the list requires of a token for `method` (every permission's), for
    /// an API description. None by default.
    fn oauth2_scopes(&self, settings: &Settings, method: &str) -> ScopeAlternatives {
        let _ = (settings, method);
        ScopeAlternatives::none_required()
    }
}

/// The object-level checks of a view's permission list, kept for the handler (DRF's
/// `check_object_permissions`). Costs no allocation for a list declared as a type.
#[derive(Clone)]
pub struct ObjectPermissions(ObjectPermissionsInner);

#[derive(Clone)]
enum ObjectPermissionsInner {
    Static(ObjectCheck),
    Shared(SharedPermissionClasses),
}

impl ObjectPermissions {
    fn of<L: PermissionClasses + Default + 'static>() -> Self {
        fn check<'a, L: PermissionClasses + Default + 'static>(
            cx: &'a PermissionContext<'a>,
            object: &'a dyn Any,
        ) -> Pin<Box<dyn Future<Output = ListDecision> + 'a>> {
            Box::pin(async move { L::default().check_object(cx, object).await })
        }
        Self(ObjectPermissionsInner::Static(check::<L>))
    }

    /// Runs every permission's object-level check in order.
    pub async fn check(&self, cx: &PermissionContext<'_>, object: &dyn Any) -> ListDecision {
        match &self.0 {
            ObjectPermissionsInner::Static(check) => check(cx, object).await,
            ObjectPermissionsInner::Shared(list) => list.check_object(cx, object).await,
        }
    }
}

impl fmt::Debug for ObjectPermissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ObjectPermissions")
    }
}

impl<P: Permission> PermissionClasses for P {
    async fn check<'a>(&'a self, cx: &'a PermissionContext<'a>) -> ListDecision {
        Ok((!self.has_permission(cx).await?).then(|| Denial::of(self, cx)))
    }

    async fn check_object<'a>(
        &'a self,
        cx: &'a PermissionContext<'a>,
        object: &'a dyn Any,
    ) -> ListDecision {
        Ok((!self.has_object_permission(cx, object).await?).then(|| Denial::of(self, cx)))
    }

    fn object_permissions(&self) -> ObjectPermissions {
        ObjectPermissions::of::<P>()
    }

    fn oauth2_scopes(&self, settings: &Settings, method: &str) -> ScopeAlternatives {
        Permission::oauth2_scopes(self, settings, method)
    }
}

impl PermissionClasses for () {
    async fn check<'a>(&'a self, _cx: &'a PermissionContext<'a>) -> ListDecision {
        Ok(None)
    }

    async fn check_object<'a>(
        &'a self,
        _cx: &'a PermissionContext<'a>,
        _object: &'a dyn Any,
    ) -> ListDecision {
        Ok(None)
    }

    fn object_permissions(&self) -> ObjectPermissions {
        ObjectPermissions::of::<()>()
    }
}

macro_rules! permission_tuple {
    ($($name:ident),+) => {
        impl<$($name: Permission),+> PermissionClasses for ($($name,)+) {
            #[allow(non_snake_case)]
            async fn check<'a>(&'a self, cx: &'a PermissionContext<'a>) -> ListDecision {
                let ($($name,)+) = self;
                $(
                    if !$name.has_permission(cx).await? {
                        return Ok(Some(Denial::of($name, cx)));
                    }
                )+
                Ok(None)
            }

            #[allow(non_snake_case)]
            async fn check_object<'a>(
                &'a self,
                cx: &'a PermissionContext<'a>,
                object: &'a dyn Any,
            ) -> ListDecision {
                let ($($name,)+) = self;
                $(
                    if !$name.has_object_permission(cx, object).await? {
                        return Ok(Some(Denial::of($name, cx)));
                    }
                )+
                Ok(None)
            }

            #[allow(non_snake_case)]
            fn oauth2_scopes(&self, settings: &Settings, method: &str) -> ScopeAlternatives {
                let ($($name,)+) = self;
                ScopeAlternatives::none_required()
                    $(.and(Permission::oauth2_scopes($name, settings, method)))+
            }

            fn object_permissions(&self) -> ObjectPermissions {
                ObjectPermissions::of::<Self>()
            }
        }
    };
}

permission_tuple!(A);
permission_tuple!(A, B);
permission_tuple!(A, B, C);
permission_tuple!(A, B, C, D);
permission_tuple!(A, B, C, D, E);
permission_tuple!(A, B, C, D, E, F);
permission_tuple!(A, B, C, D, E, F, G);
permission_tuple!(A, B, C, D, E, F, G, H);

/// Object-safe form of [`PermissionClasses`], for lists chosen at run time.
pub trait DynPermissionClasses: Send + Sync + 'static {
    /// See [`PermissionClasses::check`].
    fn check_boxed<'a>(
        &'a self,
        cx: &'a PermissionContext<'a>,
    ) -> Pin<Box<dyn Future<Output = ListDecision> + 'a>>;
    /// See [`PermissionClasses::check_object`].
    fn check_object_boxed<'a>(
        &'a self,
        cx: &'a PermissionContext<'a>,
        object: &'a dyn Any,
    ) -> Pin<Box<dyn Future<Output = ListDecision> + 'a>>;
    /// See [`PermissionClasses::oauth2_scopes`].
    fn oauth2_scopes_dyn(&self, settings: &Settings, method: &str) -> ScopeAlternatives;
}

impl<L: PermissionClasses + Send + Sync + 'static> DynPermissionClasses for L {
    fn oauth2_scopes_dyn(&self, settings: &Settings, method: &str) -> ScopeAlternatives {
        self.oauth2_scopes(settings, method)
    }

    fn check_boxed<'a>(
        &'a self,
        cx: &'a PermissionContext<'a>,
    ) -> Pin<Box<dyn Future<Output = ListDecision> + 'a>> {
        Box::pin(self.check(cx))
    }

    fn check_object_boxed<'a>(
        &'a self,
        cx: &'a PermissionContext<'a>,
        object: &'a dyn Any,
    ) -> Pin<Box<dyn Future<Output = ListDecision> + 'a>> {
        Box::pin(self.check_object(cx, object))
    }
}

/// A permission list chosen at run time: the project's or a scope's defaults.
#[derive(Clone)]
pub struct SharedPermissionClasses(Arc<dyn DynPermissionClasses>);

impl SharedPermissionClasses {
    /// Wraps the list `L`, built with `Default`.
    pub fn of<L: PermissionClasses + Default + Send + Sync + 'static>() -> Self {
        Self(Arc::new(L::default()))
    }

    /// The lists one after the other, as one list: each must grant, in order, and the first
    /// refusal is the answer — what a settings file's `DEFAULT_PERMISSION_CLASSES` names.
    pub fn concat(lists: impl IntoIterator<Item = Self>) -> Self {
        Self(Arc::new(Concatenated(lists.into_iter().collect())))
    }
}

/// Lists checked in order as one.
struct Concatenated(Vec<SharedPermissionClasses>);

impl DynPermissionClasses for Concatenated {
    fn oauth2_scopes_dyn(&self, settings: &Settings, method: &str) -> ScopeAlternatives {
        self.0
            .iter()
            .map(|list| list.oauth2_scopes(settings, method))
            .fold(ScopeAlternatives::none_required(), ScopeAlternatives::and)
    }

    fn check_boxed<'a>(
        &'a self,
        cx: &'a PermissionContext<'a>,
    ) -> Pin<Box<dyn Future<Output = ListDecision> + 'a>> {
        Box::pin(async move {
            for list in &self.0 {
                if let Some(denial) = list.check(cx).await? {
                    return Ok(Some(denial));
                }
            }
            Ok(None)
        })
    }

    fn check_object_boxed<'a>(
        &'a self,
        cx: &'a PermissionContext<'a>,
        object: &'a dyn Any,
    ) -> Pin<Box<dyn Future<Output = ListDecision> + 'a>> {
        Box::pin(async move {
            for list in &self.0 {
                if let Some(denial) = list.check_object(cx, object).await? {
                    return Ok(Some(denial));
                }
            }
            Ok(None)
        })
    }
}

impl fmt::Debug for SharedPermissionClasses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedPermissionClasses")
    }
}

impl PermissionClasses for SharedPermissionClasses {
    fn check<'a>(
        &'a self,
        cx: &'a PermissionContext<'a>,
    ) -> impl Future<Output = ListDecision> + 'a {
        self.0.check_boxed(cx)
    }

    fn check_object<'a>(
        &'a self,
        cx: &'a PermissionContext<'a>,
        object: &'a dyn Any,
    ) -> impl Future<Output = ListDecision> + 'a {
        self.0.check_object_boxed(cx, object)
    }

    fn object_permissions(&self) -> ObjectPermissions {
        ObjectPermissions(ObjectPermissionsInner::Shared(self.clone()))
    }

    fn oauth2_scopes(&self, settings: &Settings, method: &str) -> ScopeAlternatives {
        self.0.oauth2_scopes_dyn(settings, method)
    }
}
