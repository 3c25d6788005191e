//! DRF's `DjangoModelPermissions` and `DjangoModelPermissionsOrAnonReadOnly`: the request's
//! method needs the user to hold the model's Django permissions — `add_` for `POST`, `change_`
//! for `PUT`/`PATCH`, `delete_` for `DELETE`, nothing for `GET`/`OPTIONS`/`HEAD` — read from
//! Django's tables through [`ModelBackend`](crate::model_backend::ModelBackend).

use std::any::Any;
use std::fmt;
use std::marker::PhantomData;

use super::django_model::DjangoModel;
use super::permission::{Decision, Permission, PermissionContext};
use crate::error::{ApiError, ErrorKind};
use crate::permission_backend::ObjectRef;
use crate::user::RequestUser;

/// DRF's `perms_map`: the permission templates each method needs (`%(app_label)s` and
/// `%(model_name)s` filled in from the model); `None` for a method it does not map, which DRF
/// answers with 405.
pub trait PermsMap: 'static {
    /// The templates for `method`.
    fn perms_map(method: &str) -> Option<&'static [&'static str]>;
}

/// DRF's own `perms_map`.
#[derive(Debug, Default, Clone, Copy)]
pub struct DrfPermsMap;

impl PermsMap for DrfPermsMap {
    fn perms_map(method: &str) -> Option<&'static [&'static str]> {
        match method {
            "GET" | "OPTIONS" | "HEAD" => Some(&[]),
            "POST" => Some(&["%(app_label)s.add_%(model_name)s"]),
            "PUT" | "PATCH" => Some(&["%(app_label)s.change_%(model_name)s"]),
            "DELETE" => Some(&["%(app_label)s.delete_%(model_name)s"]),
            _ => None,
        }
    }
}

/// `get_required_permissions(method, model_cls)`: the map's templates for the method, filled
/// in; `MethodNotAllowed` (405) for a method the map lacks.
fn required_permissions<M: DjangoModel, Map: PermsMap>(
    method: &str,
) -> Result<Vec<String>, ApiError> {
    let templates = Map::perms_map(method).ok_or_else(|| ApiError::method_not_allowed(method))?;
    Ok(templates
        .iter()
        .map(|template| {
            template
                .replace("%(app_label)s", M::APP_LABEL)
                .replace("%(model_name)s", M::MODEL_NAME)
        })
        .collect())
}

/// `DjangoModelPermissions.has_permission`, for both classes.
async fn has_permission<M: DjangoModel, Map: PermsMap>(
    cx: &PermissionContext<'_>,
    authenticated_users_only: bool,
) -> Decision {
    // DRF: `if not request.user or (not request.user.is_authenticated and
    // self.authenticated_users_only)` — before the method is looked up.
    if matches!(cx.user, RequestUser::None)
        || (!cx.user.is_authenticated() && authenticated_users_only)
    {
        return Ok(false);
    }
    let perms = required_permissions::<M, Map>(cx.request.method())?;
    let perms: Vec<&str> = perms.iter().map(String::as_str).collect();
    cx.has_perms(&perms).await
}

/// DRF's `DjangoModelPermissions` on the model `M` (with `perms_map` `Map`): authenticated
/// users holding the method's permissions.
///
/// ```
/// use auth_core::permissions::{DjangoModel, DjangoModelPermissions};
/// # struct Article;
/// # impl DjangoModel for Article {
/// #     const APP_LABEL: &'static str = "blog";
/// #     const MODEL_NAME: &'static str = "article";
/// # }
/// // #[permission_classes(DjangoModelPermissions<Article>)]
/// type Policy = DjangoModelPermissions<Article>;
/// ```
pub struct DjangoModelPermissions<M, Map = DrfPermsMap>(PhantomData<fn() -> (M, Map)>);

/// DRF's `DjangoModelPermissionsOrAnonReadOnly`: as [`DjangoModelPermissions`], and anonymous
/// users may use the methods that need no permission (`GET`, `HEAD`, `OPTIONS`).
pub struct DjangoModelPermissionsOrAnonReadOnly<M, Map = DrfPermsMap>(
    PhantomData<fn() -> (M, Map)>,
);

/// DRF's `DjangoObjectPermissions`: [`DjangoModelPermissions`] at view level, and at object
/// level (`auth.check_object_permissions(&obj)`) the same permissions on the object. A user
/// without them gets DRF's 404 `Not found.` unless the method is unsafe and the user may read
/// the object (then 403), so that an object one cannot see is not revealed. An active
/// superuser holds every permission on objects; others hold what a further permission backend
/// (django-guardian's [`ObjectPermissionBackend`](crate::object_permission_backend::ObjectPermissionBackend))
/// gives on the object [`DjangoModel::object_pk`] names (see
/// [`ModelBackend::has_perms_on_object`](crate::model_backend::ModelBackend::has_perms_on_object)).
pub struct DjangoObjectPermissions<M, Map = DrfPermsMap>(PhantomData<fn() -> (M, Map)>);

/// `DjangoObjectPermissions.has_object_permission`.
async fn has_object_permission<M: DjangoModel, Map: PermsMap>(
    cx: &PermissionContext<'_>,
    object: &dyn Any,
) -> Decision {
    let method = cx.request.method();
    let perms = required_permissions::<M, Map>(method)?;
    let perms: Vec<&str> = perms.iter().map(String::as_str).collect();
    let object = M::object_pk(object).map(|pk| ObjectRef {
        app_label: M::APP_LABEL,
        model: M::MODEL_NAME,
        pk,
    });
    let object = object.as_ref();
    if cx
        .backend
        .has_perms_on_object(cx.env, cx.user, &perms, object)
        .await?
    {
        return Ok(true);
    }
    // DRF's `SAFE_METHODS`: read permissions already failed.
    if cx.request.is_safe_method() {
        return Err(ApiError::new(ErrorKind::NotFound));
    }
    let read = required_permissions::<M, Map>("GET")?;
    let read: Vec<&str> = read.iter().map(String::as_str).collect();
    if !cx
        .backend
        .has_perms_on_object(cx.env, cx.user, &read, object)
        .await?
    {
        return Err(ApiError::new(ErrorKind::NotFound));
    }
    Ok(false)
}

/// `DjangoModelPermissions` at object level: DRF's `BasePermission.has_object_permission`.
async fn any_object(_cx: &PermissionContext<'_>, _object: &dyn Any) -> Decision {
    Ok(true)
}

macro_rules! model_permission {
    ($name:ident, $authenticated_users_only:expr) => {
        model_permission!($name, $authenticated_users_only, any_object);
    };
    ($name:ident, $authenticated_users_only:expr, $object:expr) => {
        impl<M, Map> Default for $name<M, Map> {
            fn default() -> Self {
                Self(PhantomData)
            }
        }

        impl<M, Map> fmt::Debug for $name<M, Map> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(stringify!($name))
            }
        }

        impl<M: DjangoModel, Map: PermsMap> Permission for $name<M, Map> {
            async fn has_permission(&self, cx: &PermissionContext<'_>) -> Decision {
                has_permission::<M, Map>(cx, $authenticated_users_only).await
            }

            async fn has_object_permission(
                &self,
                cx: &PermissionContext<'_>,
                object: &dyn Any,
            ) -> Decision {
                $object(cx, object).await
            }
        }
    };
}

model_permission!(DjangoModelPermissions, true);
model_permission!(DjangoModelPermissionsOrAnonReadOnly, false);
model_permission!(
    DjangoObjectPermissions,
    true,
    has_object_permission::<M, Map>
);

#[cfg(test)]
mod tests {
    use super::*;

    struct Article;

    impl DjangoModel for Article {
        const APP_LABEL: &'static str = "blog";
        const MODEL_NAME: &'static str = "article";
    }

    #[test]
    fn drfs_map_names_the_models_permissions() {
        let required = |method| required_permissions::<Article, DrfPermsMap>(method);
        assert_eq!(required("GET").unwrap(), Vec::<String>::new());
        assert_eq!(required("POST").unwrap(), ["blog.add_article"]);
        assert_eq!(required("PATCH").unwrap(), ["blog.change_article"]);
        assert_eq!(required("DELETE").unwrap(), ["blog.delete_article"]);
        let refused = required("TRACE").unwrap_err();
        assert_eq!(refused.status(), 405);
    }
}
