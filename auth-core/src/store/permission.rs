//! Django's permission tables, read in place: `auth_permission` (with `django_content_type`
//! for its app label), the user's own permissions (`auth_user_user_permissions`) and those of
//! the user's groups (`auth_user_groups` → `auth_group_permissions`), as `ModelBackend`'s
//! queries read them. The tables are Django's (its `migrate` creates them); a permission is
//! named `"app_label.codename"`.

use std::collections::BTreeSet;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr};

use super::user::UserModel;
use super::user_id::UserId;

/// `FROM auth_permission p JOIN django_content_type ct` on `select`.
fn from_permissions(select: &mut SelectStatement) {
    select.from_as(Alias::new("auth_permission"), Alias::new("p"));
    join(
        select,
        "django_content_type",
        "ct",
        ("ct", "id"),
        ("p", "content_type_id"),
    );
}

/// `SELECT ct.app_label, p.codename FROM auth_permission p JOIN django_content_type ct`.
fn permissions() -> SelectStatement {
    let mut select = Query::select();
    select
        .column((Alias::new("ct"), Alias::new("app_label")))
        .column((Alias::new("p"), Alias::new("codename")));
    from_permissions(&mut select);
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
    user_id: UserId,
) -> Result<BTreeSet<String>, DbErr> {
    let mut select = permissions();
    join(
        &mut select,
        &users.user_permissions_table(),
        "up",
        ("up", "permission_id"),
        ("p", "id"),
    );
    select.and_where(users.m2m_rows_of("up", user_id, db.get_database_backend()));
    names(db, &select).await
}

/// `ModelBackend._get_group_permissions`: the permissions of the user's groups.
pub async fn group_permissions<C: ConnectionTrait>(
    db: &C,
    users: &UserModel,
    user_id: UserId,
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
    select.and_where(users.m2m_rows_of("ug", user_id, db.get_database_backend()));
    names(db, &select).await
}

/// Every permission in `auth_permission` (what a superuser has).
pub async fn all_permissions<C: ConnectionTrait>(db: &C) -> Result<BTreeSet<String>, DbErr> {
    names(db, &permissions()).await
}

/// The id of permission `"app_label.codename"`, if `auth_permission` has it.
pub async fn permission_id<C: ConnectionTrait>(db: &C, name: &str) -> Result<Option<i32>, DbErr> {
    let Some((app_label, codename)) = name.split_once('.') else {
        return Ok(None);
    };
    let mut select = Query::select();
    select.expr_as(
        super::key::as_i32(
            db.get_database_backend(),
            Expr::col((Alias::new("p"), Alias::new("id"))),
        ),
        Alias::new("id"),
    );
    from_permissions(&mut select);
    select
        .and_where(Expr::col((Alias::new("ct"), Alias::new("app_label"))).eq(app_label))
        .and_where(Expr::col((Alias::new("p"), Alias::new("codename"))).eq(codename));
    db.query_one(&select)
        .await?
        .map(|row| row.try_get::<i32>("", "id"))
        .transpose()
}

/// Whether a row of `table` has `column_a = a` and `column_b = b`.
async fn linked<C: ConnectionTrait>(
    db: &C,
    table: &str,
    (column_a, a): (&str, UserId),
    (column_b, b): (&str, i32),
) -> Result<bool, DbErr> {
    let select = Query::select()
        .expr(Expr::val(1))
        .from(Alias::new(table))
        .and_where(Expr::col(Alias::new(column_a)).eq(a.sql_value(db.get_database_backend())))
        .and_where(Expr::col(Alias::new(column_b)).eq(b))
        .limit(1)
        .to_owned();
    Ok(db.query_one(&select).await?.is_some())
}

/// Adds the row `(column_a, column_b) = (a, b)` to the many-to-many `table` unless it is there
/// (Django's `add()` is idempotent too). Whether it was added.
async fn link<C: ConnectionTrait>(
    db: &C,
    table: &str,
    (column_a, a): (&str, UserId),
    (column_b, b): (&str, i32),
) -> Result<bool, DbErr> {
    if linked(db, table, (column_a, a), (column_b, b)).await? {
        return Ok(false);
    }
    let insert = Query::insert()
        .into_table(Alias::new(table))
        .columns([Alias::new(column_a), Alias::new(column_b)])
        .values_panic([a.sql_value(db.get_database_backend()), b.into()])
        .to_owned();
    db.execute(&insert).await?;
    Ok(true)
}

/// `user.user_permissions.add(permission)`: whether it was added (false: the user had it).
pub async fn grant<C: ConnectionTrait>(
    db: &C,
    users: &UserModel,
    user_id: UserId,
    permission_id: i32,
) -> Result<bool, DbErr> {
    let table = users.user_permissions_table();
    let column = users.m2m_column();
    link(
        db,
        &table,
        (&column, user_id),
        ("permission_id", permission_id),
    )
    .await
}

/// `user.user_permissions.remove(permission)`: whether a row went.
pub async fn revoke<C: ConnectionTrait>(
    db: &C,
    users: &UserModel,
    user_id: UserId,
    permission_id: i32,
) -> Result<bool, DbErr> {
    let delete = Query::delete()
        .from_table(Alias::new(users.user_permissions_table()))
        .and_where(
            Expr::col(Alias::new(users.m2m_column()))
                .eq(user_id.sql_value(db.get_database_backend())),
        )
        .and_where(Expr::col(Alias::new("permission_id")).eq(permission_id))
        .to_owned();
    Ok(db.execute(&delete).await?.rows_affected() > 0)
}

/// The id of group `name`, made when missing (`Group.objects.get_or_create(name=…)`), and
/// whether it was made.
pub async fn group_get_or_create<C: ConnectionTrait>(
    db: &C,
    name: &str,
) -> Result<(i32, bool), DbErr> {
    let find = || {
        Query::select()
            .expr_as(
                super::key::as_i32(db.get_database_backend(), Expr::col(Alias::new("id"))),
                Alias::new("id"),
            )
            .from(Alias::new("auth_group"))
            .and_where(Expr::col(Alias::new("name")).eq(name))
            .to_owned()
    };
    if let Some(row) = db.query_one(&find()).await? {
        return Ok((row.try_get("", "id")?, false));
    }
    let insert = Query::insert()
        .into_table(Alias::new("auth_group"))
        .columns([Alias::new("name")])
        .values_panic([name.into()])
        .to_owned();
    db.execute(&insert).await?;
    let row = db
        .query_one(&find())
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("group {name:?} after inserting it")))?;
    Ok((row.try_get("", "id")?, true))
}

/// `user.groups.add(group)`: whether it was added (false: the user was in it).
pub async fn add_to_group<C: ConnectionTrait>(
    db: &C,
    users: &UserModel,
    user_id: UserId,
    group_id: i32,
) -> Result<bool, DbErr> {
    let table = users.groups_table();
    let column = users.m2m_column();
    link(db, &table, (&column, user_id), ("group_id", group_id)).await
}
