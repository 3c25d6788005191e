//! Django's `AUTHENTICATION_BACKENDS`, for permissions: besides `ModelBackend` (always first,
//! see [`crate::model_backend`]), backends a project plugs in with
//! `AuthSettingsBuilder::permission_backend`, each asked as Django's `user.has_perm(perm, obj)`
//! asks `_user_has_perm`: the permission is held when any backend grants it.
//!
//! An object is named as django-guardian and Django's generic relations name it: its model's
//! content type (`app_label`, `model`) and `str(obj.pk)`
//! ([`DjangoModel::object_pk`](crate::permissions::DjangoModel::object_pk)).
//! [`ObjectPermissionBackend`](crate::object_permission_backend::ObjectPermissionBackend) is
//! django-guardian's backend.
//!
//! Unlike Django, only database users are asked: an anonymous request and simplejwt's token
//! user hold no permission from any backend (django-guardian's anonymous-user row is not read:
//! its `ANONYMOUS_USER_NAME = None`). A backend answers `has_perm` and `get_all_permissions`
//! only: it cannot stop the search by raising `PermissionDenied`, `get_user_permissions` and
//! `get_group_permissions` are `ModelBackend`'s alone, and `has_module_perms` is
//! `ModelBackend`'s (as in Django for a backend that does not define it).

use std::collections::BTreeSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

use sea_orm::{DatabaseConnection, DbErr};

use crate::store::user::{User, UserModel};

/// An object of a Django model, as generic relations name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRef {
    /// The model's `_meta.app_label` (its content type's `app_label`).
    pub app_label: &'static str,
    /// The model's `_meta.model_name` (its content type's `model`).
    pub model: &'static str,
    /// `str(obj.pk)`.
    pub pk: String,
}

/// What a backend reads with: the database and the user model.
#[derive(Debug, Clone, Copy)]
pub struct BackendContext<'a> {
    /// The project's database.
    pub db: &'a DatabaseConnection,
    /// The user model (its many-to-many tables name the user's groups).
    pub users: &'a UserModel,
}

/// A backend's answer to come.
pub type BackendFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, DbErr>> + Send + 'a>>;

/// The permission half of a Django authentication backend. Implement
/// [`get_all_permissions`](Self::get_all_permissions) (and [`has_perm`](Self::has_perm) when it
/// can answer one name more cheaply); `object` is `None` for a model-level question.
pub trait PermissionBackend: fmt::Debug + Send + Sync + 'static {
    /// `backend.get_all_permissions(user_obj, obj)`: every `"app_label.codename"` this backend
    /// gives `user` (on `object`, when there is one).
    fn get_all_permissions<'a>(
        &'a self,
        cx: BackendContext<'a>,
        user: &'a User,
        object: Option<&'a ObjectRef>,
    ) -> BackendFuture<'a, BTreeSet<String>>;

    /// `backend.has_perm(user_obj, perm, obj)`: by default, whether `perm` is among
    /// [`get_all_permissions`](Self::get_all_permissions).
    fn has_perm<'a>(
        &'a self,
        cx: BackendContext<'a>,
        user: &'a User,
        perm: &'a str,
        object: Option<&'a ObjectRef>,
    ) -> BackendFuture<'a, bool> {
        Box::pin(async move {
            Ok(self
                .get_all_permissions(cx, user, object)
                .await?
                .contains(perm))
        })
    }
}
