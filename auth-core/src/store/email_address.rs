//! django-allauth's `account_emailaddress` (`allauth.account.models.EmailAddress`): the addresses
//! allauth knows for each user, read and written in place. allauth stores every address
//! lower-cased (`user_email()` lowers what it writes).
//!
//! The table is allauth's: its `migrate` creates it, and
//! [`migrate_allauth`](super::migrations::migrate_allauth) creates it with the same DDL when a
//! service runs without Django.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr};

use super::user_id::UserId;

/// The table's name.
pub const TABLE: &str = "account_emailaddress";

/// `EmailAddress.objects.filter(user_id=…).values_list("email")`: the user's addresses.
pub async fn emails_of_user<C: ConnectionTrait>(
    db: &C,
    user_id: UserId,
) -> Result<Vec<String>, DbErr> {
    let backend = db.get_database_backend();
    let select = Query::select()
        .column(Alias::new("email"))
        .from(Alias::new(TABLE))
        .and_where(Expr::col(Alias::new("user_id")).eq(user_id.sql_value(backend)))
        .to_owned();
    db.query_all(&select)
        .await?
        .iter()
        .map(|row| row.try_get::<String>("", "email"))
        .collect()
}

/// `EmailAddress.objects.filter(email=…)`: the owner and stored address of each row whose
/// address the database finds equal to `email` (under its collation: exact on SQLite and
/// PostgreSQL, case- and accent-insensitive on MySQL's default). No query, and no row, for an
/// address no backend can store.
pub async fn owners_of<C: ConnectionTrait>(
    db: &C,
    email: &str,
) -> Result<Vec<(UserId, String)>, DbErr> {
    if !super::storable::can_be_stored(email) {
        return Ok(Vec::new());
    }
    let select = Query::select()
        .columns([Alias::new("user_id"), Alias::new("email")])
        .from(Alias::new(TABLE))
        .and_where(Expr::col(Alias::new("email")).eq(email))
        .order_by(Alias::new("id"), sea_orm::Order::Asc)
        .to_owned();
    super::storable::or_no_match(db.query_all(&select).await)?
        .iter()
        .map(|row| Ok((row.try_get("", "user_id")?, row.try_get("", "email")?)))
        .collect()
}

/// `sync_email_address(user, email)`: the row `(user, email)` is created (unverified, not
/// primary) when there is none. A row that a concurrent request created meanwhile is not an
/// error (allauth's `get_or_create`).
pub async fn sync<C: ConnectionTrait>(db: &C, user_id: UserId, email: &str) -> Result<(), DbErr> {
    if emails_of_user(db, user_id)
        .await?
        .iter()
        .any(|known| known == email)
    {
        return Ok(());
    }
    let backend = db.get_database_backend();
    let insert = Query::insert()
        .into_table(Alias::new(TABLE))
        .columns([
            Alias::new("verified"),
            Alias::new("primary"),
            Alias::new("user_id"),
            Alias::new("email"),
        ])
        .values([
            false.into(),
            false.into(),
            user_id.sql_value(backend),
            email.into(),
        ])
        .map_err(|error| DbErr::Custom(error.to_string()))?
        .to_owned();
    match db.execute(&insert).await {
        Ok(_) => Ok(()),
        Err(error) => {
            if emails_of_user(db, user_id)
                .await?
                .iter()
                .any(|known| known == email)
            {
                Ok(())
            } else {
                Err(error)
            }
        }
    }
}
