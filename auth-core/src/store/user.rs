//! Django's `auth_user` table (spec §7.2) and the queries on it.

use std::fmt;

use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QuerySelect};

/// A row of `auth_user`, column for column as Django has it.
///
/// `Debug` never shows the password hash; `Display` is the username, as Django's `str(user)`.
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "auth_user")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The encoded password hash (`pbkdf2_sha256$…`), or an unusable value (`!…`). Secret.
    pub password: String,
    /// Set by a real login only, never by Basic or token authentication.
    pub last_login: Option<DateTimeUtc>,
    /// Has every permission (Django's notion; `IsAdminUser` looks at `is_staff` only).
    pub is_superuser: bool,
    /// Unique; letters, digits and `@.+-_`, NFKC-normalised on creation.
    #[sea_orm(unique)]
    pub username: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// E-mail address (domain part lower-cased on creation).
    pub email: String,
    /// May use the admin; what `IsAdminUser` checks.
    pub is_staff: bool,
    /// Inactive users cannot authenticate.
    pub is_active: bool,
    /// Creation time.
    pub date_joined: DateTimeUtc,
}

/// Relations of `auth_user`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The DRF token of the user (one-to-one).
    #[sea_orm(has_one = "super::token::Entity")]
    Token,
}

impl Related<super::token::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Token.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("is_active", &self.is_active)
            .field("is_staff", &self.is_staff)
            .field("is_superuser", &self.is_superuser)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.username)
    }
}

impl Model {
    /// A user row is always authenticated (Django's `User.is_authenticated`).
    pub const fn is_authenticated(&self) -> bool {
        true
    }
}

/// The user with exactly this username (Django's lookup is an exact match, spec §1.3).
pub async fn find_by_username<C: ConnectionTrait>(
    db: &C,
    username: &str,
) -> Result<Option<Model>, DbErr> {
    Entity::find()
        .filter(Column::Username.eq(username))
        .one(db)
        .await
}

/// The user with this primary key.
pub async fn find_by_id<C: ConnectionTrait>(db: &C, id: i32) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

/// Whether any user has this username.
pub async fn username_exists<C: ConnectionTrait>(db: &C, username: &str) -> Result<bool, DbErr> {
    Ok(Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::Username.eq(username))
        .into_tuple::<i32>()
        .one(db)
        .await?
        .is_some())
}

/// Saves only the `password` column, as Django's automatic rehash does (`save(update_fields=["password"])`).
pub async fn save_password<C: ConnectionTrait>(
    db: &C,
    id: i32,
    encoded: String,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::Password, Expr::value(encoded))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The fields of a new user; the password is already encoded (see [`crate::django::hashers`]).
#[derive(Clone, PartialEq, Eq)]
pub struct NewUser {
    /// The username, already normalised.
    pub username: String,
    /// The encoded password (or an unusable one, or `""` as Django's `get_or_create` leaves it).
    pub password: String,
    /// E-mail address, already normalised.
    pub email: String,
    /// Staff flag.
    pub is_staff: bool,
    /// Superuser flag.
    pub is_superuser: bool,
    /// Active flag.
    pub is_active: bool,
}

impl fmt::Debug for NewUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("is_staff", &self.is_staff)
            .field("is_superuser", &self.is_superuser)
            .field("is_active", &self.is_active)
            .finish_non_exhaustive()
    }
}

/// Inserts a user row with Django's defaults for the other columns; returns the stored row.
pub async fn insert<C: ConnectionTrait>(db: &C, new: NewUser) -> Result<Model, DbErr> {
    let row = ActiveModel {
        password: Set(new.password),
        last_login: Set(None),
        is_superuser: Set(new.is_superuser),
        username: Set(new.username),
        first_name: Set(String::new()),
        last_name: Set(String::new()),
        email: Set(new.email),
        is_staff: Set(new.is_staff),
        is_active: Set(new.is_active),
        date_joined: Set(super::datetime::now()),
        ..Default::default()
    };
    let user = row.insert(db).await?;
    // The row needs its id from the insert; its datetime is then rewritten in Django's text
    // format on SQLite (see `datetime`).
    if db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        Entity::update_many()
            .col_expr(
                Column::DateJoined,
                Expr::value(super::datetime::value(db, user.date_joined)),
            )
            .filter(Column::Id.eq(user.id))
            .exec(db)
            .await?;
    }
    Ok(user)
}

/// Sets `last_login` to now (Django's `update_last_login` on the "user logged in" signal).
pub async fn touch_last_login<C: ConnectionTrait>(db: &C, mut user: Model) -> Result<Model, DbErr> {
    let now = super::datetime::now();
    Entity::update_many()
        .col_expr(
            Column::LastLogin,
            Expr::value(super::datetime::value(db, now)),
        )
        .filter(Column::Id.eq(user.id))
        .exec(db)
        .await?;
    user.last_login = Some(now);
    Ok(user)
}

/// Deletes a user and its DRF and knox tokens, in one transaction.
///
/// Django's DDL has no `ON DELETE CASCADE`: the ORM deletes dependent rows first. This does the
/// same for the tables this library owns. Rows in other tables that reference the user (Django's
/// admin log, group memberships) make the database refuse the deletion, and nothing is deleted.
pub async fn delete<C>(db: &C, id: i32) -> Result<bool, DbErr>
where
    C: ConnectionTrait + sea_orm::TransactionTrait,
{
    use sea_orm::TransactionSession;

    let transaction = db.begin().await?;
    super::token::Entity::delete_many()
        .filter(super::token::Column::UserId.eq(id))
        .exec(&transaction)
        .await?;
    super::knox_token::Entity::delete_many()
        .filter(super::knox_token::Column::UserId.eq(id))
        .exec(&transaction)
        .await?;
    let deleted = Entity::delete_by_id(id)
        .exec(&transaction)
        .await?
        .rows_affected;
    transaction.commit().await?;
    Ok(deleted == 1)
}
