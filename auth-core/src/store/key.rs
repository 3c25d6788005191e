//! Django's integer keys of the permission model (`auth_permission.id`, `auth_group.id`), read
//! as `i32` whatever the column's width: Django's `auth` app pins `AutoField` for them. SQLite
//! and MySQL hand any integer to an `i32` (range-checked); PostgreSQL's driver refuses an `int8`
//! for an `i32`, so there the key is cast to `integer` in the query. The user's own key, which a
//! project chooses (`BigAutoField`, `UUIDField`), is a [`UserId`](super::user_id::UserId).

use sea_orm::DbBackend;
use sea_orm::sea_query::{Alias, Expr, ExprTrait};

/// `expr` (an integer key column) as a value an `i32` decodes on `backend`.
pub(crate) fn as_i32(backend: DbBackend, expr: Expr) -> Expr {
    match backend {
        DbBackend::Postgres => expr.cast_as(Alias::new("integer")),
        _ => expr,
    }
}
