//! The request's user: an `auth_user` row, or the anonymous user (spec "How to read this
//! document": the anonymous user).

use std::fmt;
use std::sync::Arc;

pub use crate::store::user::User;

/// What `request.user` is: an authenticated row, DRF's `AnonymousUser`, or nothing when
/// `UNAUTHENTICATED_USER` is set to none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestUser {
    /// A user a scheme authenticated.
    User(Arc<User>),
    /// Django's `AnonymousUser`: no id, username `""`, not staff, not active; all compare equal.
    Anonymous,
    /// `UNAUTHENTICATED_USER = None`: the request has no user object at all.
    None,
}

impl RequestUser {
    /// Whether a user is present and authenticated (what `IsAuthenticated` checks).
    pub fn is_authenticated(&self) -> bool {
        matches!(self, Self::User(_))
    }

    /// Whether a user is present and staff (what `IsAdminUser` checks).
    pub fn is_staff(&self) -> bool {
        matches!(self, Self::User(user) if user.is_staff)
    }

    /// Whether the user is active; the anonymous user is not.
    pub fn is_active(&self) -> bool {
        matches!(self, Self::User(user) if user.is_active)
    }

    /// The authenticated row, if any.
    pub fn as_user(&self) -> Option<&User> {
        match self {
            Self::User(user) => Some(user),
            Self::Anonymous | Self::None => None,
        }
    }

    /// The primary key, if any.
    pub fn id(&self) -> Option<i32> {
        self.as_user().map(|user| user.id)
    }

    /// The username; `""` for the anonymous user, as Django's.
    pub fn username(&self) -> &str {
        self.as_user().map_or("", |user| user.username.as_str())
    }
}

/// Django's `str(request.user)`: the username, `AnonymousUser`, or `None`.
impl fmt::Display for RequestUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::User(user) => f.write_str(&user.username),
            Self::Anonymous => f.write_str("AnonymousUser"),
            Self::None => f.write_str("None"),
        }
    }
}

/// Why [`create_user`] refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CreateUserError {
    /// Django's `ValueError("The given username must be set")`.
    #[error("The given username must be set")]
    EmptyUsername,
    /// The username is taken.
    #[error("a user with that username already exists")]
    UsernameTaken,
    /// The database failed.
    #[error("database error: {0}")]
    Store(#[from] sea_orm::DbErr),
    /// Hashing the password failed.
    #[error("password hashing failed")]
    Hashing,
}

/// The fields of [`create_user`].
#[derive(Clone, Default)]
pub struct UserFields<'a> {
    /// E-mail address; its domain part is lower-cased.
    pub email: &'a str,
    /// The password in clear; `None` stores an unusable password (Django's `set_unusable_password`).
    pub password: Option<&'a str>,
    /// Staff flag.
    pub is_staff: bool,
    /// Superuser flag.
    pub is_superuser: bool,
}

impl fmt::Debug for UserFields<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserFields")
            .field("email", &self.email)
            .field("password", &self.password.map(|_| "<redacted>"))
            .field("is_staff", &self.is_staff)
            .field("is_superuser", &self.is_superuser)
            .finish()
    }
}

/// Django's `User.objects.create_user(username, email, password)`: the username NFKC-normalised,
/// the e-mail's domain lower-cased, the password hashed with the preferred hasher (on the
/// blocking pool), an active user.
pub async fn create_user(
    db: &sea_orm::DatabaseConnection,
    settings: &crate::settings::AuthSettings,
    username: &str,
    fields: UserFields<'_>,
) -> Result<User, CreateUserError> {
    use unicode_normalization::UnicodeNormalization;

    if username.is_empty() {
        return Err(CreateUserError::EmptyUsername);
    }
    let username: String = username.nfkc().collect();
    let users = settings.user_model();
    if users.username_exists(db, &username).await? {
        return Err(CreateUserError::UsernameTaken);
    }
    let password = match fields.password {
        Some(password) => crate::backends::make_password(settings, password)
            .await
            .map_err(|_| CreateUserError::Hashing)?,
        None => crate::django::hashers::make_unusable_password(),
    };
    let created = users
        .insert(
            db,
            crate::store::user::NewUser {
                username,
                password,
                email: normalize_email(fields.email),
                is_staff: fields.is_staff,
                is_superuser: fields.is_superuser,
                is_active: true,
            },
        )
        .await?;
    user_created(db, settings, &created).await?;
    Ok(created)
}

/// What happens after any user is created by this library (Django's `post_save` receivers):
/// the DRF token when [`create_token_on_user_creation`](crate::settings::AuthSettings::create_token_on_user_creation)
/// is on.
pub async fn user_created(
    db: &sea_orm::DatabaseConnection,
    settings: &crate::settings::AuthSettings,
    user: &User,
) -> Result<(), sea_orm::DbErr> {
    if settings.create_token_on_user_creation() {
        crate::store::token::get_or_create(db, user.id).await?;
    }
    Ok(())
}

/// Django's `BaseUserManager.normalize_email`: lower-case the domain part only.
pub fn normalize_email(email: &str) -> String {
    match email.rsplit_once('@') {
        Some((local, domain)) => format!("{local}@{}", domain.to_lowercase()),
        None => email.to_owned(),
    }
}
