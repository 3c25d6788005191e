//! A custom user model's own columns (`display_name`, `shoe_size`, a foreign key …), read with
//! their Rust types beside the `AbstractUser` columns every [`User`](super::user::User) has.
//!
//! A project declares the columns it wants as a struct and derives this trait
//! (`#[derive(UserColumns)]`, from `auth_actix`), then reads them with
//! [`UserModel::find_with_columns`](super::user::UserModel::find_with_columns) (the user and
//! the columns, one query) or, in a handler, `Auth::user_columns` (the request's user). Each
//! field is a column of the same name, decoded as sea-orm decodes that Rust type (`String`,
//! `bool`, `chrono` times, integers …). A field's type must fit the column as the backend's
//! driver hands it over: on PostgreSQL an `integer` column (Django's `IntegerField`,
//! `PositiveIntegerField`, a `ForeignKey` to an `AutoField`) is an `i32` and a `bigint` an
//! `i64`; SQLite and MySQL convert between integer widths.

use sea_orm::{DbErr, QueryResult};

/// Columns of the user table beyond `AbstractUser`'s, with their types.
pub trait UserColumns: Sized {
    /// The column names, each a plain SQL identifier.
    const COLUMNS: &'static [&'static str];

    /// The fields from `row`, where column `c` was read as `{prefix}{c}`.
    fn from_row(row: &QueryResult, prefix: &str) -> Result<Self, DbErr>;
}
