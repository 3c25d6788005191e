//! Django's permission tables, read in place: `auth_permission` (with `django_content_type`
//! for its app label), the user's own permissions (`auth_user_user_permissions`) and those of
//! the user's groups (`auth_user_groups` → `auth_group_permissions`), as `ModelBackend`'s
//! queries read them. The tables are Django's (its `migrate` creates them); a permission is
//! named `"app_label.codename"`.

use std::collections::BTreeSet;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr};

use super::user::UserModel;

/// `SELECT ct.app_label, p.codename FROM auth_permission p JOIN django_content_type ct`.
fn permissions() -> SelectStatement {
    let mut select = Query::select();
    select
        .column((Alias::new("ct"), Alias::new("app_label")))
        .column((Alias::new("p"), Alias::new("codename")))
        .from_as(Alias::new("auth_permission"), Alias::new("p"));
    join(
        &mut select,
        "django_content_type",
        "ct",
        ("ct", "id"),
        ("p", "content_type_id"),
    );
    select
}

/// `INNER JOIN table AS alias ON left = right`, each side `(alias, column)`.
fn join(
    select: &mut SelectStatement,
    table: &str,
    alias: &str,
    left: (&str, &str),
    right: (&str, &str),
) {
    select.join_as(
        JoinType::InnerJoin,
        Alias::new(table),
        Alias::new(alias),
        Expr::col((Alias::new(left.0), Alias::new(left.1)))
            .equals((Alias::new(right.0), Alias::new(right.1))),
    );
}

async fn names<C: ConnectionTrait>(
    db: &C,
    select: &SelectStatement,
) -> Result<BTreeSet<String>, DbErr> {
    db.query_all(select)
        .await?
        .iter()
        .map(|row| {
            let app_label: String = row.try_get("", "app_label")?;
            let codename: String = row.try_get("", "codename")?;
            Ok(format!("{app_label}.{codename}"))
        })
        .collect()
}

/// `ModelBackend._get_user_permissions`: the permissions given to the user directly.
pub async fn user_permissions<C: ConnectionTrait>(
    db: &C,
    users: &UserModel,
    user_id: i32,
) -> Result<BTreeSet<String>, DbErr> {
    let mut select = permissions();
    join(
        &mut select,
        &users.user_permissions_table(),
        "up",
        ("up", "permission_id"),
        ("p", "id"),
    );
    select.and_where(Expr::col((Alias::new("up"), Alias::new(users.m2m_column()))).eq(user_id));
    names(db, &select).await
}

/// `ModelBackend._get_group_permissions`: the permissions of the user's groups.
pub async fn group_permissions<C: ConnectionTrait>(
    db: &C,
    users: &UserModel,
    user_id: i32,
) -> Result<BTreeSet<String>, DbErr> {
    let mut select = permissions();
    join(
        &mut select,
        "auth_group_permissions",
        "gp",
        ("gp", "permission_id"),
        ("p", "id"),
    );
    join(
        &mut select,
        &users.groups_table(),
        "ug",
        ("ug", "group_id"),
        ("gp", "group_id"),
    );
    select.and_where(Expr::col((Alias::new("ug"), Alias::new(users.m2m_column()))).eq(user_id));
    names(db, &select).await
}

/// Every permission in `auth_permission` (what a superuser has).
pub async fn all_permissions<C: ConnectionTrait>(db: &C) -> Result<BTreeSet<String>, DbErr> {
    names(db, &permissions()).await
}
