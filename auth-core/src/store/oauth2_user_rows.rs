//! What deleting a user or an application deletes of Django OAuth Toolkit's rows, as Django's
//! collector does (DOT's foreign keys to the user and to the application are all
//! `on_delete=CASCADE`): for a user, the user's applications with everything issued to them,
//! and the user's own access tokens, refresh tokens, ID tokens, grants and device grants; for an
//! application, its access tokens, refresh tokens, ID tokens and grants (device grants name their
//! client by `client_id` text, not by a foreign key, and stay). The database's own constraints
//! cascade nothing (Django's DDL has no `ON DELETE`), so the rows go in an order every backend
//! accepts, MySQL's immediate foreign keys included, after Django's `SET_NULL` on the pointers
//! between tokens.

use sea_orm::sea_query::{Alias, Cond, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr, TransactionTrait};

use super::user_id::UserId;

const APPLICATION: &str = super::oauth2_application::TABLE;
const ACCESS: &str = super::oauth2_access_token::TABLE;
const REFRESH: &str = super::oauth2_refresh_token::TABLE;
const GRANT: &str = super::oauth2_grant::TABLE;
const ID_TOKEN: &str = "oauth2_provider_idtoken";
const DEVICE_GRANT: &str = "oauth2_provider_devicegrant";

/// The tables of DOT that reference the users.
pub const TABLES: [&str; 6] = [APPLICATION, ID_TOKEN, ACCESS, REFRESH, GRANT, DEVICE_GRANT];

/// The tables of DOT that reference the applications, with theirs.
pub const APPLICATION_TABLES: [&str; 5] = [APPLICATION, ID_TOKEN, ACCESS, REFRESH, GRANT];

/// How many rows of each kind [`delete_issued`] deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeletedIssued {
    /// Access tokens.
    pub access_tokens: u64,
    /// Refresh tokens.
    pub refresh_tokens: u64,
    /// Grants (authorization codes).
    pub grants: u64,
    /// ID tokens.
    pub id_tokens: u64,
}

fn ids(table: &str, condition: Cond) -> SelectStatement {
    Query::select()
        .column(Alias::new("id"))
        .from(Alias::new(table))
        .cond_where(condition)
        .to_owned()
}

/// The access tokens that go with the rows `owned` selects: those `owned` selects, and those
/// holding an ID token it selects (`AccessToken.id_token` is `on_delete=CASCADE`).
pub(super) fn access_tokens_of(owned: &Cond) -> Cond {
    Cond::any()
        .add(owned.clone())
        .add(Expr::col(Alias::new("id_token_id")).in_subquery(ids(ID_TOKEN, owned.clone())))
}

/// Deletes the access tokens, refresh tokens, grants and ID tokens `owned` selects (a condition
/// on the columns the four tables share: `user_id`, `application_id`), and the access tokens
/// holding one of those ID tokens, first setting to `NULL` the refresh tokens' `access_token_id`
/// and the access tokens' `source_refresh_token_id` that point at rows going (`SET_NULL`).
pub(super) async fn delete_issued<C: ConnectionTrait>(
    db: &C,
    owned: Cond,
) -> Result<DeletedIssued, DbErr> {
    let access = access_tokens_of(&owned);
    let set_null = |table: &str, column: &str, subquery: SelectStatement| {
        Query::update()
            .table(Alias::new(table))
            .value(Alias::new(column), Expr::value(Option::<i64>::None))
            .and_where(Expr::col(Alias::new(column)).in_subquery(subquery))
            .to_owned()
    };
    db.execute(&set_null(
        REFRESH,
        "access_token_id",
        ids(ACCESS, access.clone()),
    ))
    .await?;
    db.execute(&set_null(
        ACCESS,
        "source_refresh_token_id",
        ids(REFRESH, owned.clone()),
    ))
    .await?;
    Ok(DeletedIssued {
        access_tokens: delete(db, ACCESS, access).await?,
        refresh_tokens: delete(db, REFRESH, owned.clone()).await?,
        grants: delete(db, GRANT, owned.clone()).await?,
        id_tokens: delete(db, ID_TOKEN, owned).await?,
    })
}

/// `DELETE FROM table WHERE condition`: how many rows went.
pub(super) async fn delete<C: ConnectionTrait>(
    db: &C,
    table: &str,
    condition: Cond,
) -> Result<u64, DbErr> {
    let statement = Query::delete()
        .from_table(Alias::new(table))
        .cond_where(condition)
        .to_owned();
    Ok(db.execute(&statement).await?.rows_affected())
}

/// Deletes the rows of DOT that go with user `id`.
pub async fn delete_for_user<C: ConnectionTrait>(db: &C, id: UserId) -> Result<(), DbErr> {
    let key = id.sql_value(db.get_database_backend());
    let of_user = || Expr::col(Alias::new("user_id")).eq(key.clone());
    let applications = ids(APPLICATION, Cond::all().add(of_user()));
    // A row of the user's, or issued to one of the user's applications.
    let owned = Cond::any()
        .add(of_user())
        .add(Expr::col(Alias::new("application_id")).in_subquery(applications));
    delete_issued(db, owned).await?;
    delete(db, DEVICE_GRANT, Cond::all().add(of_user())).await?;
    delete(db, APPLICATION, Cond::all().add(of_user())).await?;
    Ok(())
}

/// What [`delete_application`] deleted with the application.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeletedApplication {
    /// The rows issued to it, by kind.
    pub issued: DeletedIssued,
    /// The `token_checksum` of each access token deleted, for a credential cache to forget.
    pub access_token_checksums: Vec<String>,
}

/// Deletes application `id` as Django's collector does (`application.delete()`): its access
/// tokens, refresh tokens, grants and ID tokens (and the access tokens holding one of those ID
/// tokens) go with it, the tokens' pointers at rows going set to `NULL` first; in one
/// transaction. `None` when no application has that id.
pub async fn delete_application<C>(db: &C, id: i64) -> Result<Option<DeletedApplication>, DbErr>
where
    C: ConnectionTrait + TransactionTrait,
{
    use sea_orm::TransactionSession;

    let transaction = db.begin().await?;
    let owned = Cond::any().add(Expr::col(Alias::new("application_id")).eq(id));
    let checksums = Query::select()
        .column(Alias::new("token_checksum"))
        .from(Alias::new(super::oauth2_access_token::TABLE))
        .cond_where(access_tokens_of(&owned))
        .to_owned();
    let access_token_checksums = transaction
        .query_all(&checksums)
        .await?
        .iter()
        .map(|row| row.try_get_by_index::<String>(0))
        .collect::<Result<Vec<_>, _>>()?;
    let issued = delete_issued(&transaction, owned).await?;
    let deleted = delete(
        &transaction,
        APPLICATION,
        Cond::all().add(Expr::col(Alias::new("id")).eq(id)),
    )
    .await?;
    if deleted == 0 {
        // Nothing to keep: the application was not there (or went meanwhile).
        transaction.rollback().await?;
        return Ok(None);
    }
    transaction.commit().await?;
    Ok(Some(DeletedApplication {
        issued,
        access_token_checksums,
    }))
}
