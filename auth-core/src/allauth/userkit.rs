//! allauth's `account/internal/userkit.py`: a user's email as allauth reads it, and the users an
//! email address names.

use std::collections::BTreeMap;

use crate::django::unicode_ci_compare::unicode_ci_compare;
use crate::environment::Environment;
use crate::store::email_address;
use crate::store::user_id::UserId;
use crate::user::User;

/// `user_email(user)`: the model's email, lower-cased (Python's `str.lower()`), `""` when
/// blank.
pub fn user_email(user: &User) -> String {
    user.email.to_lowercase()
}

/// `filter_users_by_email(email, is_active=…)` as dj-rest-auth's reset form calls it: the owners
/// of the `account_emailaddress` rows with this (lower-cased) address, then the users whose own
/// email column holds it — each as the database matches (exact, or under MySQL's collation),
/// then kept only when equal by [`unicode_ci_compare`] (allauth's copy of Django's) — with `is_active` as asked, each user
/// once, by key.
///
/// # Errors
///
/// The database's.
pub async fn filter_users_by_email(
    env: &Environment,
    email: &str,
    is_active: Option<bool>,
) -> Result<Vec<User>, sea_orm::DbErr> {
    let email = email.to_lowercase();
    let users = &env.settings().user_model;
    let mut found: BTreeMap<UserId, User> = BTreeMap::new();
    for (owner, stored) in email_address::owners_of(env.db(), &email).await? {
        if !unicode_ci_compare(&stored, &email) || found.contains_key(&owner) {
            continue;
        }
        if let Some(user) = users.find_by_id(env.db(), owner).await? {
            found.insert(owner, user);
        }
    }
    for user in users.find_all_by_email(env.db(), &email).await? {
        if unicode_ci_compare(&user.email, &email) {
            found.entry(user.id).or_insert(user);
        }
    }
    Ok(found
        .into_values()
        .filter(|user| is_active.is_none_or(|active| user.is_active == active))
        .collect())
}
