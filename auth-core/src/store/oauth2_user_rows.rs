//! What deleting a user deletes of Django OAuth Toolkit's rows, as Django's collector does (DOT's
//! foreign keys to the user are all `on_delete=CASCADE`): the user's applications with
//! everything issued to them, and the user's own access tokens, refresh tokens, ID tokens,
//! grants and device grants. The database's own constraints cascade nothing (Django's DDL has no
//! `ON DELETE`), so the rows go in an order every backend accepts, MySQL's immediate foreign
//! keys included, after Django's `SET_NULL` on the pointers between tokens.

use sea_orm::sea_query::{Alias, Cond, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr};

use super::user_id::UserId;

const APPLICATION: &str = super::oauth2_application::TABLE;
const ACCESS: &str = super::oauth2_access_token::TABLE;
const REFRESH: &str = super::oauth2_refresh_token::TABLE;
const GRANT: &str = super::oauth2_grant::TABLE;
const ID_TOKEN: &str = "oauth2_provider_idtoken";
const DEVICE_GRANT: &str = "oauth2_provider_devicegrant";

/// The tables of DOT that reference the users.
pub const TABLES: [&str; 6] = [APPLICATION, ID_TOKEN, ACCESS, REFRESH, GRANT, DEVICE_GRANT];

fn ids(table: &str, condition: Cond) -> SelectStatement {
    Query::select()
        .column(Alias::new("id"))
        .from(Alias::new(table))
        .cond_where(condition)
        .to_owned()
}

/// Deletes the rows of DOT that go with user `id`.
pub async fn delete_for_user<C: ConnectionTrait>(db: &C, id: UserId) -> Result<(), DbErr> {
    let key = id.sql_value(db.get_database_backend());
    let of_user = || Expr::col(Alias::new("user_id")).eq(key.clone());
    let applications = || ids(APPLICATION, Cond::all().add(of_user()));
    // A row of the user's, or issued to one of the user's applications.
    let owned = || {
        Cond::any()
            .add(of_user())
            .add(Expr::col(Alias::new("application_id")).in_subquery(applications()))
    };
    let access =
        || owned().add(Expr::col(Alias::new("id_token_id")).in_subquery(ids(ID_TOKEN, owned())));
    let set_null = |table: &str, column: &str, subquery: SelectStatement| {
        Query::update()
            .table(Alias::new(table))
            .value(Alias::new(column), Expr::value(Option::<i64>::None))
            .and_where(Expr::col(Alias::new(column)).in_subquery(subquery))
            .to_owned()
    };
    let delete = |table: &str, condition: Cond| {
        Query::delete()
            .from_table(Alias::new(table))
            .cond_where(condition)
            .to_owned()
    };
    db.execute(&set_null(REFRESH, "access_token_id", ids(ACCESS, access())))
        .await?;
    db.execute(&set_null(
        ACCESS,
        "source_refresh_token_id",
        ids(REFRESH, owned()),
    ))
    .await?;
    db.execute(&delete(ACCESS, access())).await?;
    db.execute(&delete(REFRESH, owned())).await?;
    db.execute(&delete(GRANT, owned())).await?;
    db.execute(&delete(ID_TOKEN, owned())).await?;
    db.execute(&delete(DEVICE_GRANT, Cond::all().add(of_user())))
        .await?;
    db.execute(&delete(APPLICATION, Cond::all().add(of_user())))
        .await?;
    Ok(())
}
