//! Django's authentication backends: the model backend's credential check (spec §1.3) and the
//! remote-user backend (spec §1.7).
//!
//! Password hashing is CPU work of a few hundred milliseconds by design; it always runs on the
//! settings' low-priority hashing threads, never on the async worker that serves other requests.

use std::fmt::Display;

use crate::authentication::AuthContext;
use crate::error::ApiError;
use crate::settings::AuthSettings;
use crate::store::user::NewUser;
use crate::user::User;

/// Logs a store failure (the cause stays in the log) and returns the generic 503.
pub fn store_failure(cause: impl Display) -> ApiError {
    tracing::error!(error = %cause, "authentication store failure");
    ApiError::service_unavailable()
}

/// Runs CPU-heavy hashing on the settings' hashing threads ([`crate::hashing_pool`]), never on
/// the async worker that serves other requests.
async fn off_worker<R, F>(settings: &AuthSettings, work: F) -> Result<R, ApiError>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    settings
        .hashing_pool()
        .run(work)
        .await
        .map_err(|stopped| store_failure(format_args!("password hashing: {stopped}")))
}

/// The model backend's `authenticate(username, password)` (spec §1.3).
///
/// Returns the user only when the password is correct **and** the user is active; unknown user,
/// wrong password and inactive user are indistinguishable, in result and in cost: an unknown user
/// still pays for one hash (Django's timing equalisation). A correct password stored with an
/// outdated algorithm, iteration count or salt is re-hashed and only the `password` column saved,
/// **before** `is_active` is looked at, as Django does.
pub async fn authenticate_credentials(
    cx: &AuthContext<'_>,
    username: &str,
    password: &str,
) -> Result<Option<User>, ApiError> {
    let hashers = cx.settings.hashers().clone();
    let found = cx
        .settings
        .user_model()
        .find_by_username(cx.db, username)
        .await
        .map_err(store_failure)?;
    let Some(mut user) = found else {
        let password = password.to_owned();
        // `black_box`: the dummy hash exists only for its cost and must not be optimised away.
        off_worker(cx.settings, move || {
            std::hint::black_box(hashers.make_password(&password));
        })
        .await?;
        return Ok(None);
    };

    let verification = {
        let hashers = hashers.clone();
        let password = password.to_owned();
        let encoded = user.password.clone();
        off_worker(cx.settings, move || {
            hashers.verify_password(Some(&password), Some(&encoded))
        })
        .await?
    };
    if !verification.correct {
        return Ok(None);
    }
    if verification.must_update {
        let password = password.to_owned();
        let encoded = off_worker(cx.settings, move || hashers.make_password(&password)).await?;
        cx.settings
            .user_model()
            .save_password(cx.db, user.id, encoded.clone())
            .await
            .map_err(store_failure)?;
        // The session auth hash of the user's sessions changed with the password hash.
        if let Some(cache) = cx.settings.auth_cache() {
            cache.forget_user(user.id);
        }
        tracing::debug!(user_id = user.id, "password hash upgraded");
        metrics::counter!("auth_password_hash_upgrades_total").increment(1);
        user.password = encoded;
    }
    Ok(user.is_active.then_some(user))
}

/// Hashes `password` with the settings' preferred hasher, on the hashing pool (Django's
/// `make_password`).
pub async fn make_password(settings: &AuthSettings, password: &str) -> Result<String, ApiError> {
    let hashers = settings.hashers().clone();
    let password = password.to_owned();
    off_worker(settings, move || hashers.make_password(&password)).await
}

/// The remote-user backend's `authenticate(remote_user)` (spec §1.7): an empty name is no user;
/// an unknown name creates the user when the settings allow it (get-or-create by username);
/// inactive users are refused.
pub async fn authenticate_remote_user(
    cx: &AuthContext<'_>,
    remote_user: &str,
) -> Result<Option<User>, ApiError> {
    if remote_user.is_empty() {
        return Ok(None);
    }
    let users = cx.settings.user_model();
    let found = users
        .find_by_username(cx.db, remote_user)
        .await
        .map_err(store_failure)?;
    let user = match found {
        Some(user) => user,
        None if cx.settings.remote_user_create_unknown() => {
            let created = users
                .insert(
                    cx.db,
                    NewUser {
                        username: remote_user.to_owned(),
                        // What Django's `get_or_create(username=…)` stores: an empty, unusable value.
                        password: String::new(),
                        email: String::new(),
                        is_staff: false,
                        is_superuser: false,
                        is_active: true,
                    },
                )
                .await;
            match created {
                Ok(user) => {
                    crate::user::user_created(cx.db, cx.settings, &user)
                        .await
                        .map_err(store_failure)?;
                    user
                }
                // A concurrent request created the same user first: use its row.
                Err(insert_error) => users
                    .find_by_username(cx.db, remote_user)
                    .await
                    .map_err(store_failure)?
                    .ok_or_else(|| store_failure(insert_error))?,
            }
        }
        None => return Ok(None),
    };
    Ok(user.is_active.then_some(user))
}
