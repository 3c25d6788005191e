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
#[cfg(feature = "oauth2")]
mod is_authenticated_or_token_has_scope;
pub mod permission;
mod read_only;
#[cfg(feature = "oauth2")]
#[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
pub mod required_scopes;
mod scope_alternatives;
#[cfg(feature = "oauth2")]
mod token_has_scope;
#[cfg(feature = "oauth2")]
mod token_matches_oas_requirements;

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
#[cfg(feature = "oauth2")]
pub use is_authenticated_or_token_has_scope::IsAuthenticatedOrTokenHasScope;
pub use permission::{Decision, Denial, Permission, PermissionContext};
pub use read_only::ReadOnly;
#[cfg(feature = "oauth2")]
pub use required_scopes::{NoRequiredScopes, RequiredAlternateScopes, RequiredScopes};
pub use scope_alternatives::ScopeAlternatives;
#[cfg(feature = "oauth2")]
pub use token_has_scope::{TokenHasReadWriteScope, TokenHasResourceScope, TokenHasScope};
#[cfg(feature = "oauth2")]
pub use token_matches_oas_requirements::TokenMatchesOASRequirements;
