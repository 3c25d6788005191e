//! Permissions (DRF's `permission_classes`): the [`Permission`] trait, DRF's built-ins, and
//! `&`/`|`/`!` composition with the reference's exact semantics.

mod allow_any;
pub mod classes;
mod composition;
mod django_model;
mod django_model_permissions;
mod is_admin_user;
mod is_authenticated;
mod is_authenticated_or_read_only;
pub mod permission;
mod read_only;

pub use allow_any::AllowAny;
pub use classes::{
    DynPermissionClasses, ListDecision, ObjectPermissions, PermissionClasses,
    SharedPermissionClasses,
};
pub use composition::{And, Not, Or};
pub use django_model::DjangoModel;
pub use django_model_permissions::{
    DjangoModelPermissions, DjangoModelPermissionsOrAnonReadOnly, DjangoObjectPermissions,
    DrfPermsMap, PermsMap,
};
pub use is_admin_user::IsAdminUser;
pub use is_authenticated::IsAuthenticated;
pub use is_authenticated_or_read_only::IsAuthenticatedOrReadOnly;
pub use permission::{Decision, Denial, Permission, PermissionContext};
pub use read_only::ReadOnly;
