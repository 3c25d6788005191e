//! dj-rest-auth 7.2.0's `UserDetailsView` (`user/`) and `PasswordChangeView`
//! (`password/change/`), as `dj_rest_auth/views.py` and `serializers.py` define them for
//! Django's `auth.User`, with or without allauth (`REST_AUTH` `ALLAUTH`: a new username must
//! then also pass allauth's `clean_username`, which finds any name in use ignoring case, the
//! user's own included).
//!
//! [`dj_rest_auth_endpoints`](crate::views::dj_rest_auth_endpoints) mounts both (with the
//! `accounts` feature) as dj-rest-auth's `urls.py` does (`user/?$`, `password/change/?$`: the
//! trailing slash optional); [`rest_auth_user_resource`] and
//! [`rest_auth_password_change_resource`] mount one anywhere. Both need an authenticated user
//! and run the project's default authentication and throttles, `password/change/` under scope
//! `dj_rest_auth` and, here, the `login` scope first (it may check a password).
//!
//! `password/change/` keeps the session that changed the password logged in (Django's
//! `update_session_auth_hash`: even a request authenticated by Basic or a token gets a new
//! session holding the new password's hash, as in Django) unless `LOGOUT_ON_PASSWORD_CHANGE`;
//! the user's other sessions end, its DRF tokens stay (dj-rest-auth deletes none). Without
//! [`SessionMiddleware`](crate::SessionMiddleware) there is no session to carry over, and none
//! is made (Django answers 500 there, after saving the password).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use auth_core::ApiError;
use auth_core::django::password_validation::{UserAttributes, validate_password};
use auth_core::messages;
use auth_core::policy::DefaultThrottles;
use auth_core::throttling::NoThrottleScope;
use auth_core::user::{RequestUser, User};

use crate::IsAuthenticated;
use crate::default_response_headers::DefaultResponseHeaders;
use crate::error::ApiErrorResponse;
use crate::guard::{PolicyGuard, method_not_allowed};
use crate::model_user_fields;
use crate::request_fields::{self, Errors, Fields};
use crate::rest_auth_views::{self, DjRestAuthScope, json_response};
use crate::routed_handler::{DeclaredName, declared};
use crate::runtime::runtime_of;

/// `PasswordChangeView`'s answer.
pub const NEW_PASSWORD_SAVED: &str = "New password has been saved.";
/// `PasswordChangeSerializer.validate_old_password`'s error.
pub const OLD_PASSWORD_INCORRECT: &str =
    "Your old password was entered incorrectly. Please enter it again.";
/// Django's `SetPasswordMixin` `password_mismatch` (a curly apostrophe, unlike djoser's).
pub const PASSWORD_MISMATCH: &str = "The two password fields didn\u{2019}t match.";

/// `UserDetailsView`: `RetrieveUpdateAPIView`, `IsAuthenticated`, no throttle scope.
type UserDetailsGuard = PolicyGuard<
    auth_core::policy::DefaultAuthentication,
    IsAuthenticated,
    DefaultThrottles,
    NoThrottleScope,
>;
/// `PasswordChangeView`: `IsAuthenticated`, `throttle_scope = "dj_rest_auth"`.
type PasswordChangeGuard = PolicyGuard<
    auth_core::policy::DefaultAuthentication,
    IsAuthenticated,
    DefaultThrottles,
    DjRestAuthScope,
>;

const USER: &str = "auth_actix::dj_rest_auth::user";
const PASSWORD_CHANGE: &str = "auth_actix::dj_rest_auth::password_change";
inventory::submit!(DeclaredName(USER));
inventory::submit!(DeclaredName(PASSWORD_CHANGE));

/// `path` answering `GET`, `PUT` and `PATCH` as dj-rest-auth's `UserDetailsView`; other methods
/// DRF's 405 after the view's authentication and permission.
pub fn rest_auth_user_resource(path: &str) -> actix_web::Resource {
    web::resource(path)
        .name(USER)
        .app_data(DefaultResponseHeaders::methods(&["GET", "PUT", "PATCH"]))
        .route(web::get().to(declared(user_details)))
        .route(web::put().to(declared(user_details)))
        .route(web::patch().to(declared(user_details)))
        .default_service(web::to(method_not_allowed::<
            auth_core::policy::DefaultAuthentication,
            IsAuthenticated,
        >()))
}

/// `path` answering `POST` as dj-rest-auth's `PasswordChangeView`; other methods DRF's 405.
pub fn rest_auth_password_change_resource(path: &str) -> actix_web::Resource {
    web::resource(path)
        .name(PASSWORD_CHANGE)
        .app_data(DefaultResponseHeaders::methods(&["POST"]))
        .route(web::post().to(declared(password_change)))
        .default_service(web::to(method_not_allowed::<
            auth_core::policy::DefaultAuthentication,
            IsAuthenticated,
        >()))
}

/// `GET user/`: the user's details; `PUT` / `PATCH`: the username (the model field, unique
/// among the other users), `first_name` and `last_name` (`email` and `pk` are read-only,
/// ignored), then the details saved. `PUT` wants the username; `PATCH` takes any subset.
async fn user_details(
    guard: UserDetailsGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let settings = env.settings();
    let field = settings.user_model.username_field();
    let RequestUser::User(user) = guard.auth().user() else {
        return Err(ApiError::not_authenticated().into());
    };
    if request.method() == actix_web::http::Method::GET {
        return Ok(json_response(
            StatusCode::OK,
            rest_auth_views::user_details(user, field),
        ));
    }
    let partial = request.method() == actix_web::http::Method::PATCH;
    let fields = Fields::read(&request, payload, settings).await?;
    let mut errors = Errors::default();
    let username = match fields.get(field) {
        None if partial => None,
        input => match model_user_fields::username(env, input, Some(user.id)).await? {
            // With allauth, `validate_username` then runs allauth's `clean_username`, whose
            // `filter_users_by_username(...).exists()` (`iexact`) counts this user too: even
            // the user's own name is "taken", as in dj-rest-auth.
            Ok(name)
                if settings.rest_auth.allauth
                    && settings
                        .user_model
                        .username_taken_iexact(env.db(), &name)
                        .await
                        .map_err(ApiError::store_failure)? =>
            {
                errors.push(field, messages::USERNAME_TAKEN);
                None
            }
            found => found
                .map_err(|found| errors.0.push((field.to_owned(), found)))
                .ok(),
        },
    };
    let mut name = |key: &str| {
        model_user_fields::name(fields.get(key))
            .map_err(|found| errors.0.push((key.to_owned(), found)))
            .ok()
            .flatten()
    };
    let first_name = name("first_name");
    let last_name = name("last_name");
    errors.check()?;
    let mut updated = User::clone(user);
    if let Some(username) = username {
        updated.username = username;
    }
    if let Some(first_name) = first_name {
        updated.first_name = first_name;
    }
    if let Some(last_name) = last_name {
        updated.last_name = last_name;
    }
    settings
        .user_model
        .save_names(
            env.db(),
            updated.id,
            &updated.username,
            &updated.first_name,
            &updated.last_name,
        )
        .await
        .map_err(ApiError::store_failure)?;
    // A cached credential holds the old row (its name and details).
    if let Some(cache) = env.services().credential_cache() {
        cache.forget_user(updated.id);
    }
    Ok(json_response(
        StatusCode::OK,
        rest_auth_views::user_details(&updated, field),
    ))
}

/// A `CharField(max_length=128)` of `PasswordChangeSerializer` (trimmed, as DRF's `CharField`):
/// its value, or its errors (the length, null characters) into `errors`.
pub(crate) fn password_field(errors: &mut Errors, fields: &Fields, name: &str) -> Option<String> {
    errors.char_max(fields, name, 128)
}

/// `POST password/change/` `{new_password1, new_password2}` (and `old_password` with
/// `OLD_PASSWORD_FIELD_ENABLED`): the serializer's fields, then Django's `SetPasswordForm`
/// (the two must match, then the validators, both under `new_password2`), then the password
/// saved; 200 `{"detail":"New password has been saved."}`.
async fn password_change(
    guard: PasswordChangeGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let settings = env.settings();
    let RequestUser::User(user) = guard.auth().user() else {
        return Err(ApiError::not_authenticated().into());
    };
    request_fields::throttle_login(&request, env).await?;
    let fields = Fields::read(&request, payload, settings).await?;
    let modes = &settings.rest_auth;
    let mut errors = Errors::default();
    if modes.old_password_field_enabled
        && let Some(old) = password_field(&mut errors, &fields, "old_password")
        && !auth_core::accounts::check_password(env, &old, &user.password).await?
    {
        errors.push("old_password", OLD_PASSWORD_INCORRECT);
    }
    let first = password_field(&mut errors, &fields, "new_password1");
    let second = password_field(&mut errors, &fields, "new_password2");
    errors.check()?;
    let (Some(first), Some(second)) = (first, second) else {
        return Err(ApiError::validation(vec![(
            "new_password1".to_owned(),
            vec![messages::FIELD_REQUIRED.to_owned()],
        )])
        .into());
    };
    set_password_form(settings, user, &first, &second)?;
    let encoded = auth_core::accounts::make_password(env, &first).await?;
    settings
        .user_model
        .save_password(env.db(), user.id, encoded.clone())
        .await
        .map_err(ApiError::store_failure)?;
    if let Some(cache) = env.services().credential_cache() {
        cache.forget_user(user.id);
    }
    // Without `SessionMiddleware` there is no session to carry over (Django would answer 500
    // after saving the password).
    if !modes.logout_on_password_change && crate::request_session::has_middleware(&request) {
        let mut changed = User::clone(user);
        changed.password = encoded;
        guard.auth().update_session_auth_hash(&changed).await?;
    }
    Ok(json_response(
        StatusCode::OK,
        serde_json::json!({ "detail": NEW_PASSWORD_SAVED }),
    ))
}

/// Django's `SetPasswordForm(user, data).is_valid()`: the two passwords must match, then the
/// validators run on the second (both errors under `new_password2`).
pub(crate) fn set_password_form(
    settings: &auth_core::settings::Settings,
    user: &User,
    first: &str,
    second: &str,
) -> Result<(), ApiError> {
    // `SetPasswordForm.clean`: a mismatch leaves nothing for the validators to check.
    if first != second {
        return Err(field_error(
            "new_password2",
            vec![PASSWORD_MISMATCH.to_owned()],
        ));
    }
    let attributes = UserAttributes::of_user(
        settings.user_model.username_field(),
        &user.username,
        &user.first_name,
        &user.last_name,
        &user.email,
    );
    validate_password(second, Some(&attributes), &settings.password_validators).map_err(|found| {
        field_error(
            "new_password2",
            found.into_iter().map(|error| error.message).collect(),
        )
    })
}

fn field_error(name: &str, messages: Vec<String>) -> ApiError {
    ApiError::validation(vec![(name.to_owned(), messages)])
}
