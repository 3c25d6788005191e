//! The request-path reader without the `sqlite` feature: there is no SQLite file to read on the
//! request's thread, so every lookup goes to sea-orm (`None` is the reader's "ask sea-orm").

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::user::{User, UserModel};
use super::{session, token};

pub(crate) fn token_with_user(
    _db: &DatabaseConnection,
    _users: &UserModel,
    _key: &str,
) -> Option<Option<(token::Model, User)>> {
    None
}

#[cfg(feature = "oauth2")]
pub(crate) fn access_token_with_user(
    _db: &DatabaseConnection,
    _users: &UserModel,
    _checksum: &str,
) -> Option<Option<(super::oauth2_access_token::AccessToken, Option<User>)>> {
    None
}

pub(crate) fn user_by_id(
    _db: &DatabaseConnection,
    _users: &UserModel,
    _id: super::user_id::UserId,
) -> Option<Option<User>> {
    None
}

pub(crate) fn live_session(
    _db: &DatabaseConnection,
    _key: &str,
    _now: DateTime<Utc>,
) -> Option<Option<session::Model>> {
    None
}

pub(crate) fn in_one_read<T>(_db: &DatabaseConnection, reads: impl FnOnce() -> T) -> T {
    reads()
}
