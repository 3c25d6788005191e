//! `django.contrib.auth`'s account pieces: the model backend's credential check, the
//! remote-user backend, and the user manager's `create_user` with the `post_save` token
//! receiver.
//!
//! Password hashing is CPU work of a few hundred milliseconds by design; it always runs on the
//! environment's low-priority hashing threads, never on the async worker that serves other
//! requests.

use std::fmt;

use crate::environment::Environment;
use crate::error::ApiError;
use crate::store::user::NewUser;
use crate::user::User;

/// Runs CPU-heavy hashing on the environment's hashing threads
/// ([`HashingPool`](crate::services::hashing_pool::HashingPool)), never on the async worker
/// that serves other requests.
async fn off_worker<R, F>(env: &Environment, work: F) -> Result<R, ApiError>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    env.services()
        .hashing_pool()
        .run(work)
        .await
        .map_err(|stopped| ApiError::store_failure(format_args!("password hashing: {stopped}")))
}

/// `ModelBackend.authenticate(request, username, password)`.
///
/// Returns the user only when the password is correct **and** the user is active; unknown user,
/// wrong password and inactive user are indistinguishable, in result and in cost: an unknown user
/// still pays for one hash (Django's timing equalisation). A correct password stored with an
/// outdated algorithm, iteration count or salt is re-hashed and only the `password` column saved,
/// **before** `is_active` is looked at, as Django does.
pub async fn authenticate(
    env: &Environment,
    username: &str,
    password: &str,
) -> Result<Option<User>, ApiError> {
    let settings = env.settings();
    let hashers = settings.password_hashers.clone();
    let found = settings
        .user_model
        .find_by_username(env.db(), username)
        .await
        .map_err(ApiError::store_failure)?;
    let encoded = match &found {
        Some(user) => user.password.clone(),
        None => {
            // What an existing username costs more than a missing one is the fetch and
            // decoding of its row (Django's residual, R1 in SECURITY.md): fetch one anyway, so
            // that the two differ only by the lookup that found nothing.
            std::hint::black_box(
                settings
                    .user_model
                    .find_first(env.db())
                    .await
                    .map_err(ApiError::store_failure)?,
            );
            hashers.dummy().to_owned()
        }
    };
    // One verification for both: the same closure on the same pool, against the stored value or
    // against the dummy one, so that an unknown user and a wrong password run the very same
    // code, down to the stack frame. (With two closures calling the same verification, the
    // hashing thread's CPU time per request differed by 4-5 %, and changed sign from one build
    // to the next: the unoptimised loop of a debug build is sensitive to where its data lands.)
    let verification = {
        let hashers = hashers.clone();
        let password = password.to_owned();
        off_worker(env, move || {
            hashers.verify_password(Some(&password), Some(&encoded))
        })
        .await?
    };
    // A password that happens to be the dummy's random one still finds no user.
    let Some(mut user) = found else {
        return Ok(None);
    };
    if !verification.correct {
        return Ok(None);
    }
    if verification.must_update {
        let password = password.to_owned();
        let encoded = off_worker(env, move || hashers.make_password(&password)).await?;
        settings
            .user_model
            .save_password(env.db(), user.id, encoded.clone())
            .await
            .map_err(ApiError::store_failure)?;
        // The session auth hash of the user's sessions changed with the password hash.
        if let Some(cache) = env.services().credential_cache() {
            cache.forget_user(user.id);
        }
        tracing::debug!(user_id = %user.id, "password hash upgraded");
        metrics::counter!("auth_password_hash_upgrades_total").increment(1);
        user.password = encoded;
    }
    Ok(user.is_active.then_some(user))
}

/// Django's `make_password`: `password` hashed with the preferred hasher, on the hashing
/// threads.
pub async fn make_password(env: &Environment, password: &str) -> Result<String, ApiError> {
    let hashers = env.settings().password_hashers.clone();
    let password = password.to_owned();
    off_worker(env, move || hashers.make_password(&password)).await
}

/// Django's `check_password(password, encoded)` (no re-hashing setter), on the hashing threads.
pub async fn check_password(
    env: &Environment,
    password: &str,
    encoded: &str,
) -> Result<bool, ApiError> {
    let hashers = env.settings().password_hashers.clone();
    let password = password.to_owned();
    let encoded = encoded.to_owned();
    off_worker(env, move || {
        hashers
            .verify_password(Some(&password), Some(&encoded))
            .correct
    })
    .await
}

/// `RemoteUserBackend.authenticate(request, remote_user)`: an empty name is no user; an unknown
/// name creates the user when the settings allow it (get-or-create by username); inactive users
/// are refused.
pub async fn authenticate_remote_user(
    env: &Environment,
    remote_user: &str,
) -> Result<Option<User>, ApiError> {
    // A name no backend can store is no user, and is not created (Django on PostgreSQL fails
    // with a 500 there; HTTP headers cannot carry a NUL, a server variable could).
    if remote_user.is_empty() || !crate::store::storable::can_be_stored(remote_user) {
        return Ok(None);
    }
    let users = &env.settings().user_model;
    let found = users
        .find_by_username(env.db(), remote_user)
        .await
        .map_err(ApiError::store_failure)?;
    let user = match found {
        Some(user) => user,
        None if env.settings().remote_user_create_unknown => {
            let created = users
                .insert(
                    env.db(),
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
                    user_created(env, &user)
                        .await
                        .map_err(ApiError::store_failure)?;
                    user
                }
                // A concurrent request created the same user first: use its row.
                Err(insert_error) => users
                    .find_by_username(env.db(), remote_user)
                    .await
                    .map_err(ApiError::store_failure)?
                    .ok_or_else(|| ApiError::store_failure(insert_error))?,
            }
        }
        None => return Ok(None),
    };
    Ok(user.is_active.then_some(user))
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
    env: &Environment,
    username: &str,
    fields: UserFields<'_>,
) -> Result<User, CreateUserError> {
    use unicode_normalization::UnicodeNormalization;

    if username.is_empty() {
        return Err(CreateUserError::EmptyUsername);
    }
    let username: String = username.nfkc().collect();
    let (db, users) = (env.db(), &env.settings().user_model);
    if users.username_exists(db, &username).await? {
        return Err(CreateUserError::UsernameTaken);
    }
    let password = match fields.password {
        Some(password) => make_password(env, password)
            .await
            .map_err(|_| CreateUserError::Hashing)?,
        None => crate::django::hashers::make_unusable_password(),
    };
    let created = users
        .insert(
            db,
            NewUser {
                username,
                password,
                email: normalize_email(fields.email),
                is_staff: fields.is_staff,
                is_superuser: fields.is_superuser,
                is_active: true,
            },
        )
        .await?;
    user_created(env, &created).await?;
    Ok(created)
}

/// What happens after any user is created by this library (Django's `post_save` receivers):
/// the DRF token when
/// [`create_token_on_user_creation`](crate::settings::Settings::create_token_on_user_creation)
/// is on.
pub async fn user_created(env: &Environment, user: &User) -> Result<(), sea_orm::DbErr> {
    if env.settings().create_token_on_user_creation {
        crate::store::token::get_or_create(env.db(), user.id).await?;
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
