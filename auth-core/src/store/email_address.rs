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
    match insert(db, user_id, email, false, false).await {
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

/// One `account_emailaddress` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress {
    /// The row's key (an `AutoField`, in the confirmation keys).
    pub id: i64,
    /// The owner.
    pub user_id: UserId,
    /// The address, lower-cased by allauth.
    pub email: String,
    /// Confirmed by its owner.
    pub verified: bool,
    /// The owner's primary address.
    pub primary: bool,
}

fn address_select() -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .columns([
            Alias::new("id"),
            Alias::new("user_id"),
            Alias::new("email"),
            Alias::new("verified"),
            Alias::new("primary"),
        ])
        .from(Alias::new(TABLE))
        .to_owned()
}

fn address_of(row: &sea_orm::QueryResult) -> Result<EmailAddress, DbErr> {
    Ok(EmailAddress {
        // Django's `AutoField` is `integer`; read through `i32` on every backend.
        id: i64::from(row.try_get::<i32>("", "id")?),
        user_id: row.try_get("", "user_id")?,
        email: row.try_get("", "email")?,
        verified: row.try_get("", "verified")?,
        primary: row.try_get("", "primary")?,
    })
}

/// `EmailAddress.objects.get(pk=…, verified=False)`.
pub async fn find_unverified<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<Option<EmailAddress>, DbErr> {
    let select = address_select()
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .and_where(Expr::col(Alias::new("verified")).eq(false))
        .to_owned();
    db.query_one(&select)
        .await?
        .as_ref()
        .map(address_of)
        .transpose()
}

/// `EmailAddress.objects.filter(email=…).first()` (by key): the first row with this address as
/// the database matches it. None, without a query, for an address no backend can store.
pub async fn first_with_email<C: ConnectionTrait>(
    db: &C,
    email: &str,
) -> Result<Option<EmailAddress>, DbErr> {
    if !super::storable::can_be_stored(email) {
        return Ok(None);
    }
    let select = address_select()
        .and_where(Expr::col(Alias::new("email")).eq(email))
        .order_by(Alias::new("id"), sea_orm::Order::Asc)
        .limit(1)
        .to_owned();
    super::storable::or_no_match(db.query_one(&select).await)?
        .as_ref()
        .map(address_of)
        .transpose()
}

/// allauth's `get_address_for_user(user)` lookup: the user's rows, primary first, then
/// verified first (then by key).
pub async fn first_for_user<C: ConnectionTrait>(
    db: &C,
    user_id: UserId,
) -> Result<Option<EmailAddress>, DbErr> {
    let backend = db.get_database_backend();
    let select = address_select()
        .and_where(Expr::col(Alias::new("user_id")).eq(user_id.sql_value(backend)))
        .order_by(Alias::new("primary"), sea_orm::Order::Desc)
        .order_by(Alias::new("verified"), sea_orm::Order::Desc)
        .order_by(Alias::new("id"), sea_orm::Order::Asc)
        .limit(1)
        .to_owned();
    db.query_one(&select)
        .await?
        .as_ref()
        .map(address_of)
        .transpose()
}

/// Whether a row other than `except` has this address and is verified (allauth's
/// `is_verified(email)`, and `can_set_verified`'s conflict).
pub async fn is_verified<C: ConnectionTrait>(
    db: &C,
    email: &str,
    except: Option<i64>,
) -> Result<bool, DbErr> {
    if !super::storable::can_be_stored(email) {
        return Ok(false);
    }
    let mut select = Query::select();
    select
        .expr(Expr::val(1))
        .from(Alias::new(TABLE))
        .and_where(Expr::col(Alias::new("email")).eq(email))
        .and_where(Expr::col(Alias::new("verified")).eq(true))
        .limit(1);
    if let Some(id) = except {
        select.and_where(Expr::col(Alias::new("id")).ne(id));
    }
    Ok(super::storable::or_no_match(db.query_one(&select).await)?.is_some())
}

/// Whether any row has this address (allauth's `EmailAddress.objects.lookup([email])`).
pub async fn exists<C: ConnectionTrait>(db: &C, email: &str) -> Result<bool, DbErr> {
    Ok(first_with_email(db, email).await?.is_some())
}

/// Whether the user has a primary address (allauth's `get_primary(user)`).
pub async fn has_primary<C: ConnectionTrait>(db: &C, user_id: UserId) -> Result<bool, DbErr> {
    let backend = db.get_database_backend();
    let select = Query::select()
        .expr(Expr::val(1))
        .from(Alias::new(TABLE))
        .and_where(Expr::col(Alias::new("user_id")).eq(user_id.sql_value(backend)))
        .and_where(Expr::col(Alias::new("primary")).eq(true))
        .limit(1)
        .to_owned();
    Ok(db.query_one(&select).await?.is_some())
}

/// Inserts the row `(user, email)` with these flags.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    user_id: UserId,
    email: &str,
    primary: bool,
    verified: bool,
) -> Result<(), DbErr> {
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
            verified.into(),
            primary.into(),
            user_id.sql_value(backend),
            email.into(),
        ])
        .map_err(|error| DbErr::Custom(error.to_string()))?
        .to_owned();
    db.execute(&insert).await?;
    Ok(())
}

/// Saves the row's `verified` and `primary` flags.
pub async fn save_flags<C: ConnectionTrait>(db: &C, address: &EmailAddress) -> Result<(), DbErr> {
    let update = Query::update()
        .table(Alias::new(TABLE))
        .value(Alias::new("verified"), address.verified)
        .value(Alias::new("primary"), address.primary)
        .and_where(Expr::col(Alias::new("id")).eq(address.id))
        .to_owned();
    db.execute(&update).await?;
    Ok(())
}
