//! Django's integer keys, read as `i32` whatever the column's width.
//!
//! `auth_user.id` is an `integer` (`django.contrib.auth` pins `AutoField`), but a custom user
//! model declared in a project made since Django 3.2 gets `DEFAULT_AUTO_FIELD = BigAutoField`:
//! its `id`, and the `user_id` of DRF's and knox's token tables that reference it, are `bigint`.
//! SQLite and MySQL hand any integer to an `i32` (range-checked); PostgreSQL's driver refuses an
//! `int8` for an `i32`, so there the key is cast to `integer` in the query. A key past
//! 2,147,483,647 is then a database error (an authentication store failure, 503), not a wrong
//! user.

use sea_orm::DbBackend;
use sea_orm::sea_query::{Alias, Expr, ExprTrait};

/// `expr` (an integer key column) as a value an `i32` decodes on `backend`.
pub(crate) fn as_i32(backend: DbBackend, expr: Expr) -> Expr {
    match backend {
        DbBackend::Postgres => expr.cast_as(Alias::new("integer")),
        _ => expr,
    }
}
