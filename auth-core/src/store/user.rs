//! The user table (Django's `AUTH_USER_MODEL`) and the queries on it.
//!
//! Django's default user model is `auth_user`. A project with a custom user model
//! (`AUTH_USER_MODEL`) keeps its users in its own table and may log them in by another column
//! (`USERNAME_FIELD`, often `email`); [`UserModel`] names both, and every query on users goes
//! through it. The columns are those of Django's `AbstractUser`: a custom model that subclasses
//! it, adds columns of its own and, when `USERNAME_FIELD` is not `username`, removes `username`
//! (`username = None`), as Django's documentation shows. Columns the library does not know are
//! never read; rows this library inserts leave them to their database default, so such columns
//! must be nullable or have one (`db_default`) for `createsuperuser` or remote-user creation
//! here to succeed.

use std::borrow::Cow;
use std::fmt;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult, prelude::DateTimeUtc};

pub use super::user_id::{UserId, UserIdKind};

/// A user row: the columns of Django's `AbstractUser`.
///
/// `username` holds the value of the model's username field (Django's `get_username()`), which
/// is the `username` column for `auth_user` and, for example, `email` for a custom model that
/// logs in by e-mail. `Debug` never shows the password hash; `Display` is the username, as
/// Django's `str(user)`.
#[derive(Clone, PartialEq, Eq, FromQueryResult)]
pub struct User {
    /// Primary key: an integer or a UUID, as the model declares it.
    pub id: UserId,
    /// The encoded password hash (`pbkdf2_sha256$…`), or an unusable value (`!…`). Secret.
    pub password: String,
    /// Set by a real login only, never by Basic or token authentication.
    pub last_login: Option<DateTimeUtc>,
    /// Has every permission (Django's notion; `IsAdminUser` looks at `is_staff` only).
    pub is_superuser: bool,
    /// The value of the username field (`USERNAME_FIELD`): unique, what Basic auth and the
    /// login endpoints match exactly (Django's `ModelBackend` looks it up with
    /// `get_by_natural_key`).
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

impl fmt::Debug for User {
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

impl fmt::Display for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.username)
    }
}

impl User {
    /// A user row is always authenticated (Django's `User.is_authenticated`).
    pub const fn is_authenticated(&self) -> bool {
        true
    }
}

/// The fields of a new user; the password is already encoded (see [`crate::django::hashers`]).
#[derive(Clone, PartialEq, Eq)]
pub struct NewUser {
    /// The username (the value of the username field), already normalised.
    pub username: String,
    /// The encoded password (or an unusable one, or `""` as Django's `get_or_create` leaves it).
    pub password: String,
    /// E-mail address, already normalised. Ignored when the username field is `email`.
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

/// Why a [`UserModel`] was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidUserModel {
    /// The table name is not a plain SQL identifier.
    #[error("user table {0:?} is not a plain identifier (letters, digits, `_`; at most 63)")]
    Table(String),
    /// The username field is not a plain SQL identifier, or names a column that cannot be one.
    #[error(
        "username field {0:?} must be a text column: a plain identifier other than id, password, \
         last_login, is_superuser, is_staff, is_active and date_joined"
    )]
    UsernameField(String),
    /// The model name is not a plain SQL identifier (or `AUTH_USER_MODEL` is not
    /// `app_label.ModelName`).
    #[error(
        "user model {0:?}: expected AUTH_USER_MODEL's \"app_label.ModelName\", a model name that \
         is a plain identifier (letters, digits, `_`; at most 63)"
    )]
    ModelName(String),
}

/// `AbstractUser`'s columns other than the username, in select order after `id`.
const PLAIN_COLUMNS: [&str; 9] = [
    "password",
    "last_login",
    "is_superuser",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
];

/// Columns that cannot hold a username.
const NOT_USERNAME: [&str; 7] = [
    "id",
    "password",
    "last_login",
    "is_superuser",
    "is_staff",
    "is_active",
    "date_joined",
];

/// Where the users are: the table (`AUTH_USER_MODEL`'s `db_table`) and the column that is the
/// username (`USERNAME_FIELD`). Set it with
/// the settings' `user_model`; the default is Django's `auth_user` by `username` ([`AUTH_USER`]).
///
/// ```
/// use auth_core::store::user::UserModel;
///
/// let members = UserModel::new("accounts_member", "email")?;
/// assert_eq!(members.table(), "accounts_member");
/// assert!(UserModel::new("accounts member", "email").is_err());
/// # Ok::<(), auth_core::store::user::InvalidUserModel>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserModel {
    table: Cow<'static, str>,
    username_field: Cow<'static, str>,
    /// Django's `model_name` (the class name, lower-cased), which names the user's column in
    /// the `groups` and `user_permissions` many-to-many tables (`{model_name}_id`).
    model_name: Cow<'static, str>,
    /// The primary key's kind: an integer, or a UUID this library makes for new users.
    id_kind: UserIdKind,
}

/// Django's default user model: `auth_user`, username field `username`.
pub const AUTH_USER: UserModel = UserModel {
    table: Cow::Borrowed("auth_user"),
    username_field: Cow::Borrowed("username"),
    model_name: Cow::Borrowed("user"),
    id_kind: UserIdKind::Integer,
};

impl Default for UserModel {
    fn default() -> Self {
        AUTH_USER
    }
}

/// A plain SQL identifier, as Django derives table and column names: no quoting needed on any
/// backend, and within PostgreSQL's 63-byte limit.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 63
}

impl UserModel {
    /// A custom user model: its table and its username field.
    pub fn new(
        table: impl Into<String>,
        username_field: impl Into<String>,
    ) -> Result<Self, InvalidUserModel> {
        let table = table.into();
        let username_field = username_field.into();
        if !is_identifier(&table) {
            return Err(InvalidUserModel::Table(table));
        }
        if !is_identifier(&username_field) || NOT_USERNAME.contains(&username_field.as_str()) {
            return Err(InvalidUserModel::UsernameField(username_field));
        }
        // Django's default `db_table` is `{app_label}_{model_name}`: the model name follows the
        // first underscore (an app label with an underscore of its own needs
        // `with_model_name`).
        let model_name = table
            .split_once('_')
            .map_or(table.as_str(), |(_, model)| model)
            .to_owned();
        Ok(Self {
            table: Cow::Owned(table),
            username_field: Cow::Owned(username_field),
            model_name: Cow::Owned(model_name),
            id_kind: UserIdKind::Integer,
        })
    }

    /// The model's primary key kind: `UserIdKind::Uuid` for a model whose `id` is
    /// `UUIDField(primary_key=True, default=uuid.uuid4)` (the default is an integer key,
    /// `AutoField` or `BigAutoField`).
    pub fn with_id_kind(mut self, kind: UserIdKind) -> Self {
        self.id_kind = kind;
        self
    }

    /// The primary key's kind.
    pub fn id_kind(&self) -> UserIdKind {
        self.id_kind
    }

    /// The model's `model_name` (Django: the class name lower-cased, `member` for
    /// `custom_users.Member`), when the table name does not end with it after its first `_`.
    pub fn with_model_name(
        mut self,
        model_name: impl Into<String>,
    ) -> Result<Self, InvalidUserModel> {
        let model_name = model_name.into();
        if !is_identifier(&model_name) {
            return Err(InvalidUserModel::ModelName(model_name));
        }
        self.model_name = Cow::Owned(model_name);
        Ok(self)
    }

    /// Django's default `db_table` of the model `AUTH_USER_MODEL` names: `{app_label}_{model}`,
    /// lower-cased (`auth_user` for `auth.User`); `None` unless it is `app_label.ModelName`.
    pub fn default_table(auth_user_model: &str) -> Option<String> {
        let (app_label, class) = auth_user_model.split_once('.')?;
        (!app_label.is_empty() && !class.is_empty() && !class.contains('.'))
            .then(|| format!("{app_label}_{class}").to_lowercase())
    }

    /// The model Django's `AUTH_USER_MODEL` names (`"custom_users.Member"`): its `model_name` is
    /// the class name lower-cased.
    pub fn with_auth_user_model(self, auth_user_model: &str) -> Result<Self, InvalidUserModel> {
        match auth_user_model.split_once('.') {
            Some((app_label, class)) if !app_label.is_empty() && !class.contains('.') => {
                self.with_model_name(class.to_lowercase())
            }
            _ => Err(InvalidUserModel::ModelName(auth_user_model.to_owned())),
        }
    }

    /// Django's `model_name` of the user model (`user` for `auth.User`).
    pub fn model_name(&self) -> &str {
        &self.model_name
    }

    /// The many-to-many table of the user's groups (`auth_user_groups`).
    pub fn groups_table(&self) -> String {
        format!("{}_groups", self.table)
    }

    /// The many-to-many table of the user's own permissions (`auth_user_user_permissions`).
    pub fn user_permissions_table(&self) -> String {
        format!("{}_user_permissions", self.table)
    }

    /// The user's column in those two tables (`user_id`).
    pub fn m2m_column(&self) -> String {
        format!("{}_id", self.model_name)
    }

    /// `{alias}.{m2m_column} = id`: the rows of one of those tables (aliased `alias`) that
    /// belong to user `id`.
    pub(crate) fn m2m_rows_of(&self, alias: &str, id: UserId, backend: DbBackend) -> Expr {
        Expr::col((Alias::new(alias), Alias::new(self.m2m_column()))).eq(id.sql_value(backend))
    }

    /// The table name.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// The column that holds the username.
    pub fn username_field(&self) -> &str {
        &self.username_field
    }

    /// Whether this is Django's `auth_user`, the table this library can create.
    pub fn is_auth_user(&self) -> bool {
        *self == AUTH_USER
    }

    pub(crate) fn table_iden(&self) -> Alias {
        Alias::new(self.table.as_ref())
    }

    /// Adds this model's columns, read from `source`, to `select` as `{prefix}{field}`.
    pub(crate) fn select_columns(
        &self,
        backend: DbBackend,
        select: &mut SelectStatement,
        source: &str,
        prefix: &str,
    ) {
        let column = |name: &str| Expr::col((Alias::new(source), Alias::new(name)));
        select.expr_as(
            super::user_id::readable(backend, column("id")),
            Alias::new(format!("{prefix}id")),
        );
        select.expr_as(
            column(&self.username_field),
            Alias::new(format!("{prefix}username")),
        );
        for name in PLAIN_COLUMNS {
            select.expr_as(column(name), Alias::new(format!("{prefix}{name}")));
        }
    }

    /// Joins the users onto `select`, on `{source}.{foreign_key} = u.id`, reading them as `u_…`.
    fn join_users(
        &self,
        backend: DbBackend,
        select: &mut SelectStatement,
        source: &str,
        foreign_key: &str,
    ) {
        self.join_users_as(JoinType::InnerJoin, backend, select, source, foreign_key);
    }

    /// [`join_users`](Self::join_users) with the join named: a `LEFT JOIN` keeps the rows
    /// whose owner key is `NULL` (DOT's client-credentials tokens), their `u_…` columns `NULL`.
    pub(crate) fn join_users_as(
        &self,
        join: JoinType,
        backend: DbBackend,
        select: &mut SelectStatement,
        source: &str,
        foreign_key: &str,
    ) {
        select.join_as(
            join,
            self.table_iden(),
            Alias::new("u"),
            Expr::col((Alias::new(source), Alias::new(foreign_key)))
                .equals((Alias::new("u"), Alias::new("id"))),
        );
        self.select_columns(backend, select, "u", "u_");
    }

    /// `SELECT` of every column of `entity`'s table, read as `{alias}_{column}` (its `owner`
    /// key as a [`UserId`] reads it), joined with the owning user read as `u_…`: the one query
    /// of the token and knox lookups.
    pub(crate) fn select_with_owner<E>(
        &self,
        backend: DbBackend,
        entity: E,
        alias: &str,
        owner: E::Column,
    ) -> SelectStatement
    where
        E: sea_orm::EntityTrait,
    {
        use sea_orm::{IdenStatic, Iterable};

        let mut select = Query::select();
        select.from_as(entity, Alias::new(alias));
        for column in E::Column::iter() {
            let value = Expr::col((Alias::new(alias), column));
            let value = if column.as_str() == owner.as_str() {
                super::user_id::readable(backend, value)
            } else {
                value
            };
            select.expr_as(value, Alias::new(format!("{alias}_{}", column.as_str())));
        }
        self.join_users(backend, &mut select, alias, owner.as_str());
        select
    }

    /// A row of [`select_with_owner`](Self::select_with_owner): the entity's model and its user.
    pub(crate) fn owned_row<M: FromQueryResult>(
        row: &sea_orm::QueryResult,
        alias: &str,
    ) -> Result<(M, User), DbErr> {
        Ok((
            M::from_query_result(row, &format!("{alias}_"))?,
            User::from_query_result(row, "u_")?,
        ))
    }

    fn select(&self, backend: DbBackend) -> SelectStatement {
        let mut select = Query::select();
        select.from_as(self.table_iden(), Alias::new("u"));
        self.select_columns(backend, &mut select, "u", "");
        select
    }

    async fn one<C: ConnectionTrait>(
        db: &C,
        select: &SelectStatement,
    ) -> Result<Option<User>, DbErr> {
        let Some(row) = db.query_one(select).await? else {
            return Ok(None);
        };
        User::from_query_result(&row, "").map(Some)
    }

    /// The user with exactly this username (Django's `get_by_natural_key` is an exact match);
    /// none, without a query, for a name no backend can store.
    pub async fn find_by_username<C: ConnectionTrait>(
        &self,
        db: &C,
        username: &str,
    ) -> Result<Option<User>, DbErr> {
        if !super::storable::can_be_stored(username) {
            return Ok(None);
        }
        let mut select = self.select(db.get_database_backend());
        select.and_where(
            Expr::col((Alias::new("u"), Alias::new(self.username_field.as_ref()))).eq(username),
        );
        super::storable::or_no_match(Self::one(db, &select).await)
    }

    /// Up to two users whose email equals `email` ignoring case, as Django's
    /// `get(email__iexact=email)` matches it on each backend: SQLite's and MySQL's `LIKE` (ASCII
    /// case only on SQLite, the column's collation on MySQL) with `%`, `_` and `\\` escaped,
    /// PostgreSQL's `UPPER(email::text) = UPPER(%s)`. Two means the email is not unique (Django
    /// raises `MultipleObjectsReturned`); none, without a query, for an address no backend can
    /// store.
    pub async fn find_by_email_iexact<C: ConnectionTrait>(
        &self,
        db: &C,
        email: &str,
    ) -> Result<Vec<User>, DbErr> {
        self.filter_by_email_iexact(db, email, Some(2)).await
    }

    /// Every user whose email equals `email` ignoring case, matched as
    /// [`find_by_email_iexact`](Self::find_by_email_iexact) matches, by key (Django's
    /// `PasswordResetForm.get_users`: `filter(email__iexact=…)`).
    pub async fn find_all_by_email_iexact<C: ConnectionTrait>(
        &self,
        db: &C,
        email: &str,
    ) -> Result<Vec<User>, DbErr> {
        self.filter_by_email_iexact(db, email, None).await
    }

    async fn filter_by_email_iexact<C: ConnectionTrait>(
        &self,
        db: &C,
        email: &str,
        limit: Option<u64>,
    ) -> Result<Vec<User>, DbErr> {
        if !super::storable::can_be_stored(email) {
            return Ok(Vec::new());
        }
        let backend = db.get_database_backend();
        let condition = iexact(
            backend,
            Expr::col((Alias::new("u"), Alias::new("email"))),
            email,
        );
        let mut select = self.select(backend);
        select.and_where(condition);
        match limit {
            Some(limit) => select.limit(limit),
            None => select.order_by((Alias::new("u"), Alias::new("id")), sea_orm::Order::Asc),
        };
        super::storable::or_no_match(db.query_all(&select).await)?
            .iter()
            .map(|row| User::from_query_result(row, ""))
            .collect()
    }

    /// The user with this primary key.
    pub async fn find_by_id<C: ConnectionTrait>(
        &self,
        db: &C,
        id: UserId,
    ) -> Result<Option<User>, DbErr> {
        let backend = db.get_database_backend();
        let mut select = self.select(backend);
        select.and_where(Expr::col((Alias::new("u"), Alias::new("id"))).eq(id.sql_value(backend)));
        Self::one(db, &select).await
    }

    /// The user with this primary key and the model's own columns `E` declares (a custom
    /// model's extra fields, with their types), in one query.
    pub async fn find_with_columns<E, C>(
        &self,
        db: &C,
        id: UserId,
    ) -> Result<Option<(User, E)>, DbErr>
    where
        E: super::user_columns::UserColumns,
        C: ConnectionTrait,
    {
        let backend = db.get_database_backend();
        let mut select = self.select(backend);
        for name in E::COLUMNS {
            // Read as `x_{name}`, which must stay within PostgreSQL's 63 bytes.
            if !is_identifier(name) || name.len() > 61 {
                return Err(DbErr::Custom(format!(
                    "user column {name:?} is not a plain identifier"
                )));
            }
            select.expr_as(
                Expr::col((Alias::new("u"), Alias::new(*name))),
                Alias::new(format!("x_{name}")),
            );
        }
        select.and_where(Expr::col((Alias::new("u"), Alias::new("id"))).eq(id.sql_value(backend)));
        let Some(row) = db.query_one(&select).await? else {
            return Ok(None);
        };
        Ok(Some((
            User::from_query_result(&row, "")?,
            E::from_row(&row, "x_")?,
        )))
    }

    /// The user with the lowest primary key, if any: a row as costly to fetch and decode as the
    /// one a lookup by username finds (see `accounts::authenticate`).
    pub async fn find_first<C: ConnectionTrait>(&self, db: &C) -> Result<Option<User>, DbErr> {
        let mut select = self.select(db.get_database_backend());
        select
            .order_by((Alias::new("u"), Alias::new("id")), sea_orm::Order::Asc)
            .limit(1);
        Self::one(db, &select).await
    }

    /// Every user, by primary key (djoser's list for a staff user; Django's `User.objects.all()`
    /// has no order of its own, SQLite's and PostgreSQL's plain scans give this one).
    pub async fn find_all<C: ConnectionTrait>(&self, db: &C) -> Result<Vec<User>, DbErr> {
        let mut select = self.select(db.get_database_backend());
        select.order_by((Alias::new("u"), Alias::new("id")), sea_orm::Order::Asc);
        db.query_all(&select)
            .await?
            .iter()
            .map(|row| User::from_query_result(row, ""))
            .collect()
    }

    /// Saves a new `email` and, when given, `is_active`, in one statement (djoser's
    /// `UserSerializer.update`, which deactivates a user whose email changes under
    /// `SEND_ACTIVATION_EMAIL`: both or neither).
    pub async fn save_email<C: ConnectionTrait>(
        &self,
        db: &C,
        id: UserId,
        email: &str,
        is_active: Option<bool>,
    ) -> Result<(), DbErr> {
        let mut update = Query::update();
        update
            .table(self.table_iden())
            .value(Alias::new("email"), email)
            .and_where(Expr::col(Alias::new("id")).eq(id.sql_value(db.get_database_backend())));
        if let Some(active) = is_active {
            update.value(Alias::new("is_active"), active);
        }
        db.execute(&update).await?;
        Ok(())
    }

    /// Whether any user has this username.
    pub async fn username_exists<C: ConnectionTrait>(
        &self,
        db: &C,
        username: &str,
    ) -> Result<bool, DbErr> {
        self.username_taken(db, username, None).await
    }

    /// Whether a user other than `except` has this username (DRF's `UniqueValidator` on an
    /// update, which excludes the instance: the database's comparison decides, so a user may
    /// take its own name in another case where the collation ignores case).
    pub async fn username_taken<C: ConnectionTrait>(
        &self,
        db: &C,
        username: &str,
        except: Option<UserId>,
    ) -> Result<bool, DbErr> {
        if !super::storable::can_be_stored(username) {
            return Ok(false);
        }
        let backend = db.get_database_backend();
        let mut select = Query::select();
        select
            .expr(Expr::val(1))
            .from(self.table_iden())
            .and_where(Expr::col(Alias::new(self.username_field.as_ref())).eq(username))
            .limit(1);
        if let Some(id) = except {
            select.and_where(Expr::col(Alias::new("id")).ne(id.sql_value(backend)));
        }
        Ok(super::storable::or_no_match(db.query_one(&select).await)?.is_some())
    }

    /// Whether any user's username equals `username` ignoring case (`__iexact`, matched as
    /// [`find_by_email_iexact`](Self::find_by_email_iexact) matches an email), this user
    /// included: allauth's `clean_username` (`filter_users_by_username(...).exists()`).
    pub async fn username_taken_iexact<C: ConnectionTrait>(
        &self,
        db: &C,
        username: &str,
    ) -> Result<bool, DbErr> {
        if !super::storable::can_be_stored(username) {
            return Ok(false);
        }
        let backend = db.get_database_backend();
        let mut select = Query::select();
        select
            .expr(Expr::val(1))
            .from(self.table_iden())
            .and_where(iexact(
                backend,
                Expr::col(Alias::new(self.username_field.as_ref())),
                username,
            ))
            .limit(1);
        Ok(super::storable::or_no_match(db.query_one(&select).await)?.is_some())
    }

    /// The ids of all users, in id order.
    pub async fn ids<C: ConnectionTrait>(&self, db: &C) -> Result<Vec<UserId>, DbErr> {
        let select = Query::select()
            .expr_as(
                super::user_id::readable(db.get_database_backend(), Expr::col(Alias::new("id"))),
                Alias::new("id"),
            )
            .from(self.table_iden())
            .order_by(Alias::new("id"), sea_orm::Order::Asc)
            .to_owned();
        db.query_all(&select)
            .await?
            .iter()
            .map(|row| row.try_get::<UserId>("", "id"))
            .collect()
    }

    /// Saves only the `password` column, as Django's automatic rehash does
    /// (`save(update_fields=["password"])`).
    pub async fn save_password<C: ConnectionTrait>(
        &self,
        db: &C,
        id: UserId,
        encoded: String,
    ) -> Result<(), DbErr> {
        let update = Query::update()
            .table(self.table_iden())
            .value(Alias::new("password"), encoded)
            .and_where(Expr::col(Alias::new("id")).eq(id.sql_value(db.get_database_backend())))
            .to_owned();
        db.execute(&update).await?;
        Ok(())
    }

    /// Inserts a user with Django's defaults for the other known columns; returns the stored
    /// row. Columns the library does not know get their database default. A UUID key is made
    /// here, as Django's `default=uuid.uuid4` makes it in Python.
    pub async fn insert<C: ConnectionTrait>(&self, db: &C, new: NewUser) -> Result<User, DbErr> {
        let backend = db.get_database_backend();
        let mut columns = vec![Alias::new(self.username_field.as_ref())];
        let mut values: Vec<Expr> = vec![new.username.into()];
        let chosen_id = self.id_kind.new_value();
        if let Some(id) = chosen_id {
            columns.push(Alias::new("id"));
            values.push(id.sql_value(backend));
        }
        let mut add = |name: &str, value: Expr| {
            if name != self.username_field {
                columns.push(Alias::new(name));
                values.push(value);
            }
        };
        add("password", new.password.into());
        add("is_superuser", new.is_superuser.into());
        add("first_name", String::new().into());
        add("last_name", String::new().into());
        add("email", new.email.into());
        add("is_staff", new.is_staff.into());
        add("is_active", new.is_active.into());
        add(
            "date_joined",
            Expr::value(super::datetime::value(db, super::datetime::now())),
        );
        let mut insert = Query::insert();
        insert
            .into_table(self.table_iden())
            .columns(columns)
            .values(values)
            .map_err(|error| DbErr::Custom(error.to_string()))?;
        let id = match (chosen_id, backend) {
            (Some(id), _) => {
                db.execute(&insert).await?;
                id
            }
            // MySQL has no RETURNING; its driver reports the id.
            (None, DbBackend::MySql) => {
                let done = db.execute(&insert).await?;
                i64::try_from(done.last_insert_id())
                    .map(UserId::Int)
                    .map_err(|_| DbErr::Custom("inserted user id out of range".to_owned()))?
            }
            (None, _) => {
                insert.returning(Query::returning().expr(super::user_id::readable(
                    backend,
                    Expr::col(Alias::new("id")),
                )));
                let row = db
                    .query_one(&insert)
                    .await?
                    .ok_or_else(|| DbErr::Custom("INSERT … RETURNING gave no row".to_owned()))?;
                row.try_get_by_index::<UserId>(0)?
            }
        };
        self.find_by_id(db, id)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound(format!("user {id} just inserted")))
    }

    /// `UserModel.objects.get_or_create(**{USERNAME_FIELD: username})`: the user of that
    /// username, made when missing with Django's field defaults (an empty password, no email,
    /// active, not staff). A concurrent creation of the same user is not an error: its row is
    /// the one returned, as Django's `get_or_create` re-reads after the unique violation.
    /// `None`, without a query, for a name no backend can store (where Django fails).
    pub async fn get_or_create_by_username<C: ConnectionTrait>(
        &self,
        db: &C,
        username: &str,
    ) -> Result<Option<User>, DbErr> {
        if !super::storable::can_be_stored(username) {
            return Ok(None);
        }
        if let Some(user) = self.find_by_username(db, username).await? {
            return Ok(Some(user));
        }
        let new = NewUser {
            username: username.to_owned(),
            password: String::new(),
            email: String::new(),
            is_staff: false,
            is_superuser: false,
            is_active: true,
        };
        match self.insert(db, new).await {
            Ok(user) => Ok(Some(user)),
            Err(error) => match self.find_by_username(db, username).await? {
                Some(user) => Ok(Some(user)),
                None => Err(error),
            },
        }
    }

    /// Up to two users whose email is exactly `email` and whose `is_active` is `is_active`
    /// (djoser's `User._default_manager.get(is_active=…, email=…)`); two means the email is not
    /// unique. None, without a query, for an address no backend can store.
    pub async fn find_by_email_exact<C: ConnectionTrait>(
        &self,
        db: &C,
        email: &str,
        is_active: bool,
    ) -> Result<Vec<User>, DbErr> {
        self.filter_by_email(db, email, Some(is_active), Some(2))
            .await
    }

    /// Every user whose email the database finds equal to `email` (`filter(email=…)`, under
    /// the column's collation), by key. None, without a query, for an address no backend can
    /// store.
    pub async fn find_all_by_email<C: ConnectionTrait>(
        &self,
        db: &C,
        email: &str,
    ) -> Result<Vec<User>, DbErr> {
        self.filter_by_email(db, email, None, None).await
    }

    async fn filter_by_email<C: ConnectionTrait>(
        &self,
        db: &C,
        email: &str,
        is_active: Option<bool>,
        limit: Option<u64>,
    ) -> Result<Vec<User>, DbErr> {
        if !super::storable::can_be_stored(email) {
            return Ok(Vec::new());
        }
        let backend = db.get_database_backend();
        let mut select = self.select(backend);
        select.and_where(Expr::col((Alias::new("u"), Alias::new("email"))).eq(email));
        if let Some(is_active) = is_active {
            select.and_where(Expr::col((Alias::new("u"), Alias::new("is_active"))).eq(is_active));
        }
        match limit {
            Some(limit) => select.limit(limit),
            None => select.order_by((Alias::new("u"), Alias::new("id")), sea_orm::Order::Asc),
        };
        super::storable::or_no_match(db.query_all(&select).await)?
            .iter()
            .map(|row| User::from_query_result(row, ""))
            .collect()
    }

    /// Saves a new `password` and, when given, `last_login` (djoser's password reset sets
    /// `last_login = now()` so that the link cannot be used again).
    pub async fn save_password_and_last_login<C: ConnectionTrait>(
        &self,
        db: &C,
        id: UserId,
        encoded: String,
        last_login: Option<DateTimeUtc>,
    ) -> Result<(), DbErr> {
        self.save_with_last_login(db, id, "password", encoded.into(), last_login)
            .await
    }

    /// One column's new value and, when given, `last_login`, in one statement.
    async fn save_with_last_login<C: ConnectionTrait>(
        &self,
        db: &C,
        id: UserId,
        column: &str,
        value: sea_orm::Value,
        last_login: Option<DateTimeUtc>,
    ) -> Result<(), DbErr> {
        let mut update = Query::update();
        update
            .table(self.table_iden())
            .value(Alias::new(column), value)
            .and_where(Expr::col(Alias::new("id")).eq(id.sql_value(db.get_database_backend())));
        if let Some(at) = last_login {
            update.value(
                Alias::new("last_login"),
                Expr::value(super::datetime::value(db, at)),
            );
        }
        db.execute(&update).await?;
        Ok(())
    }

    /// Saves a new username (the `USERNAME_FIELD` column) and, when given, `last_login`
    /// (djoser's username reset sets it to now so that the link cannot be used again). A name
    /// taken meanwhile is the database's unique violation, an error.
    pub async fn save_username<C: ConnectionTrait>(
        &self,
        db: &C,
        id: UserId,
        username: &str,
        last_login: Option<DateTimeUtc>,
    ) -> Result<(), DbErr> {
        self.save_with_last_login(db, id, &self.username_field, username.into(), last_login)
            .await
    }

    /// Saves the username (the `USERNAME_FIELD` column), `first_name` and `last_name` in one
    /// statement (dj-rest-auth's `UserDetailsSerializer.update`).
    pub async fn save_names<C: ConnectionTrait>(
        &self,
        db: &C,
        id: UserId,
        username: &str,
        first_name: &str,
        last_name: &str,
    ) -> Result<(), DbErr> {
        let update = Query::update()
            .table(self.table_iden())
            .value(Alias::new(self.username_field.as_ref()), username)
            .value(Alias::new("first_name"), first_name)
            .value(Alias::new("last_name"), last_name)
            .and_where(Expr::col(Alias::new("id")).eq(id.sql_value(db.get_database_backend())))
            .to_owned();
        db.execute(&update).await?;
        Ok(())
    }

    /// Sets `is_active` (djoser's activation).
    pub async fn save_is_active<C: ConnectionTrait>(
        &self,
        db: &C,
        id: UserId,
        is_active: bool,
    ) -> Result<(), DbErr> {
        let update = Query::update()
            .table(self.table_iden())
            .value(Alias::new("is_active"), is_active)
            .and_where(Expr::col(Alias::new("id")).eq(id.sql_value(db.get_database_backend())))
            .to_owned();
        db.execute(&update).await?;
        Ok(())
    }

    /// Sets `last_login` to now (Django's `update_last_login` on the "user logged in" signal).
    pub async fn touch_last_login<C: ConnectionTrait>(
        &self,
        db: &C,
        mut user: User,
    ) -> Result<User, DbErr> {
        let now = super::datetime::now();
        let update = Query::update()
            .table(self.table_iden())
            .value(
                Alias::new("last_login"),
                Expr::value(super::datetime::value(db, now)),
            )
            .and_where(Expr::col(Alias::new("id")).eq(user.id.sql_value(db.get_database_backend())))
            .to_owned();
        db.execute(&update).await?;
        user.last_login = Some(now);
        Ok(user)
    }
}

/// Django's `__iexact` lookup of `column` for `value` on each backend: SQLite's and MySQL's
/// `LIKE` (ASCII case only on SQLite, the column's collation on MySQL) with `%`, `_` and `\\`
/// escaped, PostgreSQL's `UPPER(column::text) = UPPER(%s)`.
fn iexact(backend: DbBackend, column: Expr, value: &str) -> Expr {
    use sea_orm::sea_query::{Func, LikeExpr};

    match backend {
        DbBackend::Postgres => Expr::expr(Func::upper(column.cast_as(Alias::new("text"))))
            .eq(Func::upper(Expr::val(value))),
        _ => {
            let mut pattern = String::with_capacity(value.len() + 4);
            for c in value.chars() {
                if matches!(c, '%' | '_' | '\\') {
                    pattern.push('\\');
                }
                pattern.push(c);
            }
            column.like(LikeExpr::new(pattern).escape('\\'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_many_to_many_tables_follow_djangos_names() {
        assert_eq!(AUTH_USER.groups_table(), "auth_user_groups");
        assert_eq!(
            AUTH_USER.user_permissions_table(),
            "auth_user_user_permissions"
        );
        assert_eq!(AUTH_USER.m2m_column(), "user_id");
        // Django's default `db_table`: the model name follows the app label.
        let members = UserModel::new("accounts_member", "email").unwrap();
        assert_eq!(members.m2m_column(), "member_id");
        assert_eq!(members.groups_table(), "accounts_member_groups");
        // An app label with an underscore: AUTH_USER_MODEL says the class.
        let guessed = UserModel::new("custom_users_member", "email").unwrap();
        assert_eq!(guessed.model_name(), "users_member");
        let named = guessed.with_auth_user_model("custom_users.Member").unwrap();
        assert_eq!(named.m2m_column(), "member_id");
        assert!(
            UserModel::new("t_u", "email")
                .unwrap()
                .with_auth_user_model("Member")
                .is_err()
        );
        assert!(
            UserModel::new("t_u", "email")
                .unwrap()
                .with_auth_user_model("a.b.C")
                .is_err()
        );
        assert!(
            UserModel::new("auth_user", "username")
                .unwrap()
                .is_auth_user()
        );
    }

    #[test]
    fn identifiers_are_checked() {
        assert!(UserModel::new("accounts_member", "email").is_ok());
        assert!(UserModel::new("_users2", "login_name").is_ok());
        assert_eq!(
            UserModel::new("users;drop", "email"),
            Err(InvalidUserModel::Table("users;drop".to_owned()))
        );
        assert!(UserModel::new("", "email").is_err());
        assert!(UserModel::new("9users", "email").is_err());
        assert!(UserModel::new("x".repeat(64), "email").is_err());
        for column in NOT_USERNAME {
            assert_eq!(
                UserModel::new("members", column),
                Err(InvalidUserModel::UsernameField(column.to_owned()))
            );
        }
        assert!(UserModel::new("members", "e-mail").is_err());
        assert!(UserModel::new("auth_user", "username").is_ok_and(|model| model.is_auth_user()));
    }
}
