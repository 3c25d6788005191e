//! django-guardian's `ObjectPermissionBackend` (3.5): per-object permissions from its
//! `guardian_userobjectpermission` and `guardian_groupobjectpermission` tables, for
//! `DjangoObjectPermissions` and `user.has_perm(perm, obj)`. Plug it in with
//! `AuthSettingsBuilder::permission_backend(ObjectPermissionBackend)`, as guardian's
//! `AUTHENTICATION_BACKENDS` entry.
//!
//! Its rules, as `ObjectPermissionChecker.has_perm` applies them: no object, no permission
//! (model-level questions are `ModelBackend`'s); an inactive user holds none; an active
//! superuser holds every permission of the object's content type (and `has_perm` is true for
//! any name); otherwise the user's own rows and its groups' rows for that object. A name's app
//! label must be the object's: guardian raises `WrongAppError` (a server error) for another,
//! here it is not held. The anonymous user holds none (guardian's `ANONYMOUS_USER_NAME = None`).
//!
//! The object's [`ObjectRef`] names the content type guardian's rows carry: the concrete
//! model's (`ContentType.get_for_model(obj)`; for a proxy model, its concrete parent's app
//! label and model). `get_all_permissions` answers `app_label.codename` names, where guardian's
//! answers bare codenames, so that they compare with Django's other permission names.

use std::collections::BTreeSet;

use crate::permission_backend::{BackendContext, BackendFuture, ObjectRef, PermissionBackend};
use crate::store::guardian;
use crate::store::user::User;

/// django-guardian's object permission backend.
#[derive(Debug, Clone, Copy, Default)]
pub struct ObjectPermissionBackend;

impl PermissionBackend for ObjectPermissionBackend {
    fn get_all_permissions<'a>(
        &'a self,
        cx: BackendContext<'a>,
        user: &'a User,
        object: Option<&'a ObjectRef>,
    ) -> BackendFuture<'a, BTreeSet<String>> {
        Box::pin(async move {
            let Some(object) = object else {
                return Ok(BTreeSet::new());
            };
            if !user.is_active {
                return Ok(BTreeSet::new());
            }
            let codenames = if user.is_superuser {
                guardian::content_type_codenames(cx.db, object.app_label, object.model).await?
            } else {
                let key = (object.app_label, object.model, object.pk.as_str());
                guardian::object_codenames(cx.db, cx.users, user.id, key).await?
            };
            // guardian's `get_all_permissions` answers bare codenames; Django's callers and
            // DRF name permissions `app_label.codename`, which `has_perm` accepts either way.
            Ok(codenames
                .into_iter()
                .map(|codename| format!("{}.{codename}", object.app_label))
                .collect())
        })
    }

    fn has_perm<'a>(
        &'a self,
        cx: BackendContext<'a>,
        user: &'a User,
        perm: &'a str,
        object: Option<&'a ObjectRef>,
    ) -> BackendFuture<'a, bool> {
        Box::pin(async move {
            let Some(object) = object else {
                return Ok(false);
            };
            if !user.is_active {
                return Ok(false);
            }
            let codename = match perm.split_once('.') {
                Some((app_label, _)) if app_label != object.app_label => return Ok(false),
                Some((_, codename)) => codename,
                None => perm,
            };
            if user.is_superuser {
                return Ok(true);
            }
            let key = (object.app_label, object.model, object.pk.as_str());
            Ok(guardian::object_codenames(cx.db, cx.users, user.id, key)
                .await?
                .contains(codename))
        })
    }
}
