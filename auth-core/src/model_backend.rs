//! Django's permission checks on `request.user`: `PermissionsMixin.has_perm`, `has_perms`,
//! `has_module_perms`, `get_all_permissions`, `get_user_permissions` and
//! `get_group_permissions`, with `ModelBackend`'s rules — an inactive user has no permission, an
//! active superuser has every one, a user's own permissions and those of its groups are united —
//! read from Django's tables ([`crate::store::permission`]) and cached for the request, as
//! Django caches them on the user object (`_perm_cache`, `_user_perm_cache`,
//! `_group_perm_cache`).
//!
//! Anonymous users have none (`has_perms([])` is still true, as Django's `all([])`); simplejwt's
//! `TokenUser` has none and `has_perms` is always false for it, as in simplejwt.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::sync::Arc;

use crate::environment::Environment;
use crate::error::ApiError;
use crate::permission_backend::{BackendContext, ObjectRef};
use crate::store::permission;
use crate::store::user::User;
use crate::store::user_id::UserId;
use crate::user::RequestUser;

/// A set of `"app_label.codename"` names.
pub type Permissions = Arc<BTreeSet<String>>;

/// Which of the user's permission sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    User,
    Group,
    All,
}

/// One request's permission lookups, with Django's caches: each set is read at most once. The
/// caches belong to one user (Django keeps them on the user object): asked about another, they
/// start again.
#[derive(Debug, Clone, Default)]
pub struct ModelBackend {
    owner: Cell<Option<UserId>>,
    user: RefCell<Option<Permissions>>,
    group: RefCell<Option<Permissions>>,
    all: RefCell<Option<Permissions>>,
}

/// What a further backend reads with.
fn context(env: &Environment) -> BackendContext<'_> {
    BackendContext {
        db: env.db(),
        users: &env.settings().user_model,
    }
}

fn empty() -> Permissions {
    Arc::new(BTreeSet::new())
}

impl ModelBackend {
    fn cache(&self, kind: Kind) -> &RefCell<Option<Permissions>> {
        match kind {
            Kind::User => &self.user,
            Kind::Group => &self.group,
            Kind::All => &self.all,
        }
    }

    /// `ModelBackend._get_permissions` (and `get_all_permissions` for [`Kind::All`]) of a user
    /// row: none when inactive, every permission for a superuser.
    async fn permissions_of(
        &self,
        env: &Environment,
        user: &User,
        kind: Kind,
    ) -> Result<Permissions, ApiError> {
        if !user.is_active {
            return Ok(empty());
        }
        if self.owner.get() != Some(user.id) {
            for kind in [Kind::User, Kind::Group, Kind::All] {
                self.cache(kind).borrow_mut().take();
            }
            self.owner.set(Some(user.id));
        }
        if let Some(known) = self.cache(kind).borrow().as_ref() {
            return Ok(Arc::clone(known));
        }
        let (db, users) = (env.db(), &env.settings().user_model);
        let found = match kind {
            _ if user.is_superuser => permission::all_permissions(db).await,
            Kind::User => permission::user_permissions(db, users, user.id).await,
            Kind::Group => permission::group_permissions(db, users, user.id).await,
            Kind::All => {
                let mine = Box::pin(self.permissions_of(env, user, Kind::User)).await?;
                let groups = Box::pin(self.permissions_of(env, user, Kind::Group)).await?;
                Ok(mine.union(&groups).cloned().collect())
            }
        }
        .map_err(ApiError::store_failure)?;
        let found = Arc::new(found);
        *self.cache(kind).borrow_mut() = Some(Arc::clone(&found));
        Ok(found)
    }

    async fn of(
        &self,
        env: &Environment,
        user: &RequestUser,
        kind: Kind,
    ) -> Result<Permissions, ApiError> {
        match user {
            RequestUser::User(user) => self.permissions_of(env, user, kind).await,
            RequestUser::Token(_) | RequestUser::Anonymous | RequestUser::None => Ok(empty()),
        }
    }

    /// `user.get_user_permissions()`.
    pub async fn get_user_permissions(
        &self,
        env: &Environment,
        user: &RequestUser,
    ) -> Result<Permissions, ApiError> {
        self.of(env, user, Kind::User).await
    }

    /// `user.get_group_permissions()`.
    pub async fn get_group_permissions(
        &self,
        env: &Environment,
        user: &RequestUser,
    ) -> Result<Permissions, ApiError> {
        self.of(env, user, Kind::Group).await
    }

    /// `user.get_all_permissions()`: `ModelBackend`'s, with what each further backend
    /// ([`Settings::permission_backends`](crate::settings::Settings::permission_backends))
    /// gives at model level.
    pub async fn get_all_permissions(
        &self,
        env: &Environment,
        user: &RequestUser,
    ) -> Result<Permissions, ApiError> {
        let own = self.of(env, user, Kind::All).await?;
        let (RequestUser::User(row), false) = (user, env.settings().permission_backends.is_empty())
        else {
            return Ok(own);
        };
        let mut all = BTreeSet::clone(&own);
        for backend in &env.settings().permission_backends {
            let theirs = backend
                .get_all_permissions(context(env), row, None)
                .await
                .map_err(ApiError::store_failure)?;
            all.extend(theirs);
        }
        Ok(Arc::new(all))
    }

    /// Django's `_user_has_perm`: whether a further backend gives `user` `perm` (on
    /// `object`).
    async fn backends_grant(
        env: &Environment,
        user: &User,
        perm: &str,
        object: Option<&ObjectRef>,
    ) -> Result<bool, ApiError> {
        for backend in &env.settings().permission_backends {
            let granted = backend
                .has_perm(context(env), user, perm, object)
                .await
                .map_err(ApiError::store_failure)?;
            if granted {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `user.has_perm(perm)`: an active superuser has every permission, even one no row names.
    pub async fn has_perm(
        &self,
        env: &Environment,
        user: &RequestUser,
        perm: &str,
    ) -> Result<bool, ApiError> {
        match user {
            RequestUser::User(row) if row.is_active && row.is_superuser => Ok(true),
            RequestUser::User(row) => Ok(self.of(env, user, Kind::All).await?.contains(perm)
                || Self::backends_grant(env, row, perm, None).await?),
            RequestUser::Token(_) | RequestUser::Anonymous | RequestUser::None => Ok(false),
        }
    }

    /// `user.has_perms(perm_list)`: every one of them (true for none, except for a `TokenUser`,
    /// whose `has_perms` is always false).
    pub async fn has_perms(
        &self,
        env: &Environment,
        user: &RequestUser,
        perms: &[&str],
    ) -> Result<bool, ApiError> {
        if matches!(user, RequestUser::Token(_)) {
            return Ok(false);
        }
        for perm in perms {
            if !self.has_perm(env, user, perm).await? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `user.has_perms(perm_list, obj)` for an object: `ModelBackend` grants no permission on
    /// an object (its `get_all_permissions(user, obj)` is empty), so an active superuser holds
    /// every one, a further backend (django-guardian's) may grant them one by one when the
    /// object is named (`object`: its content type and pk), and every user "holds" none
    /// (`all([])`), except a `TokenUser`, whose `has_perms` is always false.
    pub async fn has_perms_on_object(
        &self,
        env: &Environment,
        user: &RequestUser,
        perms: &[&str],
        object: Option<&ObjectRef>,
    ) -> Result<bool, ApiError> {
        let row = match user {
            RequestUser::Token(_) => return Ok(false),
            RequestUser::User(row) if row.is_active && row.is_superuser => return Ok(true),
            RequestUser::User(row) => row,
            RequestUser::Anonymous | RequestUser::None => return Ok(perms.is_empty()),
        };
        let Some(object) = object else {
            return Ok(perms.is_empty());
        };
        for perm in perms {
            if !Self::backends_grant(env, row, perm, Some(object)).await? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `user.has_module_perms(app_label)`: any permission of the app.
    pub async fn has_module_perms(
        &self,
        env: &Environment,
        user: &RequestUser,
        app_label: &str,
    ) -> Result<bool, ApiError> {
        match user {
            RequestUser::User(row) if row.is_active && row.is_superuser => Ok(true),
            // `ModelBackend.has_module_perms`: its own permissions only (Django asks only the
            // backends that define `has_module_perms`; `BaseBackend` does not).
            RequestUser::User(_) => Ok(self.of(env, user, Kind::All).await?.iter().any(|perm| {
                perm.split_once('.')
                    .is_some_and(|(app, _)| app == app_label)
            })),
            RequestUser::Token(_) | RequestUser::Anonymous | RequestUser::None => Ok(false),
        }
    }
}
