//! Storage through sea-orm in Django's own tables: same names and columns, so an existing
//! Django database is used as it is.
//!
//! SQLite (bundled) is the embedded default; PostgreSQL is the deployment for more than one
//! instance (feature `postgres`); MySQL is available with feature `mysql`.
//!
//! Datetimes are UTC; on SQLite they are written and compared in Django's own text format (see
//! [`datetime`]), so rows are shared with Django whichever side wrote them.

pub mod database_url;
pub mod datetime;
#[cfg(feature = "accounts")]
#[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
pub mod email_address;
pub mod guardian;
mod key;
pub mod key_prefix;
#[cfg(feature = "knox")]
#[cfg_attr(docsrs, doc(cfg(feature = "knox")))]
pub mod knox_token;
pub mod migrations;
#[cfg(feature = "oauth2")]
#[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
pub mod oauth2_access_token;
#[cfg(feature = "oauth2")]
#[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
pub mod oauth2_application;
#[cfg(feature = "oauth2")]
#[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
pub mod oauth2_clear_expired;
#[cfg(feature = "oauth2")]
#[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
pub mod oauth2_grant;
#[cfg(feature = "oauth2")]
#[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
pub mod oauth2_refresh_token;
#[cfg(feature = "oauth2")]
#[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
pub mod oauth2_user_rows;
pub mod permission;
pub mod session;
#[cfg(feature = "sqlite")]
pub mod sqlite_file;
#[cfg(feature = "sqlite")]
pub(crate) mod sqlite_reader;
/// Without the `sqlite` feature there is no SQLite file to read on the request's thread.
#[cfg(not(feature = "sqlite"))]
#[path = "sqlite_reader_absent.rs"]
pub(crate) mod sqlite_reader;
pub mod storable;
pub mod token;
#[cfg(feature = "simplejwt")]
#[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
pub mod token_blacklist;
pub mod user;
pub mod user_columns;
pub mod user_id;

pub use sea_orm::{self, DatabaseConnection, DbErr};

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};

/// Opens a connection pool to `url` (`sqlite://auth.db?mode=rwc`, `sqlite::memory:`,
/// `postgres://…`). The URL is not logged: it may hold a password.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    #[cfg(feature = "sqlite")]
    match sqlite_file::create_private(url) {
        Ok(Some(path)) => tracing::warn!(
            path = %path.display(),
            "created a new, empty SQLite database (mode 0600); if DATABASE_URL should name an \
             existing Django database, the path is wrong"
        ),
        Ok(None) => {}
        Err(error) => {
            return Err(DbErr::Custom(format!(
                "cannot create the SQLite file: {error}"
            )));
        }
    }
    let mut options = sea_orm::ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false);
    if url.starts_with("sqlite::memory:") || url.contains("mode=memory") {
        // Every pooled connection to `:memory:` would be a separate, empty database.
        options.max_connections(1).min_connections(1);
    }
    sea_orm::Database::connect(options).await
}

/// Connects and creates any missing table (see [`migrations::migrate`]): `auth_user`,
/// `authtoken_token`, `django_session`, and `knox_authtoken` with the `knox` feature. Existing
/// tables, such as an existing Django project's, are never altered.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use auth_core::store::{self, migrations::table_exists, sea_orm::ConnectionTrait};
///
/// let db = store::connect_and_migrate("sqlite::memory:").await?;
/// let backend = db.get_database_backend();
/// for table in ["auth_user", "authtoken_token", "django_session"] {
///     assert!(table_exists(&db, backend, table).await?);
/// }
/// # Ok::<(), store::DbErr>(())
/// # }).unwrap();
/// ```
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbErr> {
    connect_and_migrate_with(url, &user::AUTH_USER).await
}

/// Connects and creates any missing table for a database whose users are in `users`' table
/// (see [`migrations::migrate_with`]).
pub async fn connect_and_migrate_with(
    url: &str,
    users: &user::UserModel,
) -> Result<DatabaseConnection, DbErr> {
    let db = connect(url).await?;
    migrations::migrate_with(&db, users).await?;
    Ok(db)
}

/// Deletes a user of `users` and its DRF and knox (feature `knox`) tokens, and (feature
/// `oauth2`) its Django OAuth Toolkit applications and tokens, in one transaction.
///
/// Django's DDL has no `ON DELETE CASCADE`: the ORM deletes dependent rows first. This does the
/// same for the tables this library owns. Rows in other tables that reference the user (Django's
/// admin log, group memberships) make the database refuse the deletion, and nothing is deleted.
pub async fn delete_user<C>(
    db: &C,
    users: &user::UserModel,
    id: user_id::UserId,
) -> Result<bool, DbErr>
where
    C: ConnectionTrait + TransactionTrait,
{
    use sea_orm::TransactionSession;

    let transaction = db.begin().await?;
    let key = id.sql_value(transaction.get_database_backend());
    token::Entity::delete_many()
        .filter(Expr::col(token::Column::UserId).eq(key.clone()))
        .exec(&transaction)
        .await?;
    #[cfg(feature = "knox")]
    knox_token::Entity::delete_many()
        .filter(Expr::col(knox_token::Column::UserId).eq(key.clone()))
        .exec(&transaction)
        .await?;
    // simplejwt's outstanding tokens are kept, owned by nobody (`on_delete=SET_NULL`).
    #[cfg(feature = "simplejwt")]
    if migrations::table_exists(
        &transaction,
        transaction.get_database_backend(),
        token_blacklist::OUTSTANDING_TABLE,
    )
    .await?
    {
        token_blacklist::forget_user(&transaction, id).await?;
    }
    #[cfg(feature = "oauth2")]
    if migrations::table_exists(
        &transaction,
        transaction.get_database_backend(),
        oauth2_application::TABLE,
    )
    .await?
    {
        oauth2_user_rows::delete_for_user(&transaction, id).await?;
    }
    let delete = Query::delete()
        .from_table(users.table_iden())
        .and_where(Expr::col(Alias::new("id")).eq(key))
        .to_owned();
    let deleted = transaction.execute(&delete).await?.rows_affected();
    transaction.commit().await?;
    Ok(deleted == 1)
}
