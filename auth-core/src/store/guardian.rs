//! django-guardian's object permission tables, read in place: `guardian_userobjectpermission`
//! (a user's permission on one object) and `guardian_groupobjectpermission` (a group's), each
//! row naming the object by its content type and `object_pk` (`str(obj.pk)`), as guardian's
//! generic models (its defaults) keep them.

use std::collections::BTreeSet;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query, SelectStatement, UnionType};
use sea_orm::{ConnectionTrait, DbErr};

use super::user::UserModel;
use super::user_id::UserId;

/// The codenames of `auth_permission` rows of content type (`app_label`, `model`) that the rows
/// of `table` (alias `o`) give on object `object_pk`, selected as `codename`.
fn codenames(table: &str, app_label: &str, model: &str, object_pk: &str) -> SelectStatement {
    let col = |table: &str, column: &str| Expr::col((Alias::new(table), Alias::new(column)));
    let mut select = Query::select();
    select
        .column((Alias::new("p"), Alias::new("codename")))
        .from_as(Alias::new(table), Alias::new("o"))
        .join_as(
            JoinType::InnerJoin,
            Alias::new("auth_permission"),
            Alias::new("p"),
            col("p", "id").equals((Alias::new("o"), Alias::new("permission_id"))),
        )
        .join_as(
            JoinType::InnerJoin,
            Alias::new("django_content_type"),
            Alias::new("ct"),
            col("ct", "id").equals((Alias::new("o"), Alias::new("content_type_id"))),
        )
        // guardian filters `Permission.objects.filter(content_type=ctype)` and the row's own
        // content type: both are the object's.
        .and_where(col("p", "content_type_id").equals((Alias::new("ct"), Alias::new("id"))))
        .and_where(col("ct", "app_label").eq(app_label))
        .and_where(col("ct", "model").eq(model))
        .and_where(col("o", "object_pk").eq(object_pk));
    select
}

/// `ObjectPermissionChecker.get_user_perms(obj)` ∪ `get_group_perms(obj)`: the codenames the
/// user holds on the object directly and through its groups.
pub async fn object_codenames<C: ConnectionTrait>(
    db: &C,
    users: &UserModel,
    user_id: UserId,
    (app_label, model, object_pk): (&str, &str, &str),
) -> Result<BTreeSet<String>, DbErr> {
    let backend = db.get_database_backend();
    let mut direct = codenames("guardian_userobjectpermission", app_label, model, object_pk);
    direct.and_where(
        Expr::col((Alias::new("o"), Alias::new("user_id"))).eq(user_id.sql_value(backend)),
    );
    let mut grouped = codenames(
        "guardian_groupobjectpermission",
        app_label,
        model,
        object_pk,
    );
    grouped
        .join_as(
            JoinType::InnerJoin,
            Alias::new(users.groups_table()),
            Alias::new("ug"),
            Expr::col((Alias::new("ug"), Alias::new("group_id")))
                .equals((Alias::new("o"), Alias::new("group_id"))),
        )
        .and_where(users.m2m_rows_of("ug", user_id, backend));
    direct.union(UnionType::Distinct, grouped);
    db.query_all(&direct)
        .await?
        .iter()
        .map(|row| row.try_get::<String>("", "codename"))
        .collect()
}

/// Every codename of the content type (`app_label`, `model`): what guardian gives an active
/// superuser on any of its objects.
pub async fn content_type_codenames<C: ConnectionTrait>(
    db: &C,
    app_label: &str,
    model: &str,
) -> Result<BTreeSet<String>, DbErr> {
    let select = Query::select()
        .column((Alias::new("p"), Alias::new("codename")))
        .from_as(Alias::new("auth_permission"), Alias::new("p"))
        .join_as(
            JoinType::InnerJoin,
            Alias::new("django_content_type"),
            Alias::new("ct"),
            Expr::col((Alias::new("ct"), Alias::new("id")))
                .equals((Alias::new("p"), Alias::new("content_type_id"))),
        )
        .and_where(Expr::col((Alias::new("ct"), Alias::new("app_label"))).eq(app_label))
        .and_where(Expr::col((Alias::new("ct"), Alias::new("model"))).eq(model))
        .to_owned();
    db.query_all(&select)
        .await?
        .iter()
        .map(|row| row.try_get::<String>("", "codename"))
        .collect()
}
