//! dj-rest-auth 7.2.0's registration (`dj_rest_auth/registration/`: `RegisterView`,
//! `VerifyEmailView`, `ResendEmailVerificationView`), which needs django-allauth: here
//! `REST_AUTH` `ALLAUTH`, without which the three routes are not there (404). As allauth 65.21.1
//! runs them with its defaults: username required, email optional, `UNIQUE_EMAIL`, email
//! verification "optional", HMAC confirmation keys.
//!
//! `web::scope("/dj-rest-auth/registration").configure(auth_actix::views::dj_rest_auth_registration_endpoints)`
//! mounts `""` (register), `verify-email/` and `resend-email/` (trailing slash optional), as
//! dj-rest-auth's `registration/urls.py`.
//!
//! `POST` `{username, email, password1, password2}`: each field's errors in that order
//! (`username` a `CharField(max_length=150)` then allauth's `clean_username`: Django's username
//! characters, and no user with that name ignoring case; `email` an optional `EmailField`, not
//! one another user has verified; `password1` the password validators), then the two passwords
//! must match, then the validators again with the new user's attributes (their errors under
//! `non_field_errors`). The user is created (email lower-cased), its address gets a primary,
//! unverified `account_emailaddress` row unless some row already has it, the answer is 201 with
//! the DRF token (`{"key":…}`) or, with `USE_JWT`, `{"access":…,"refresh":…,"user":…}`; the user
//! is logged in to the session (allauth's `complete_signup`, whatever `SESSION_LOGIN` says;
//! without [`SessionMiddleware`](crate::SessionMiddleware) only `last_login` is set), and after
//! the answer allauth's `email_confirmation_signup` email goes to the new address.
//!
//! `verify-email/` `{key}`: a key of allauth's (`signing.dumps(address.pk, salt="account")`, at
//! most three days old) for an unverified address verifies it (unless another user's row
//! verified the same address first) and makes it primary when the user has none; 200
//! `{"detail":"ok"}`; any other key 404 `{"detail":"Not found."}`.
//!
//! `resend-email/` `{email}`: 200 `{"detail":"ok"}`; the first `account_emailaddress` row with
//! exactly that address, when unverified, gets allauth's `email_confirmation` email.
//!
//! Divergences, safer (`docs/accounts.md` lists them):
//! * `resend-email/` without an `email` sends nothing; dj-rest-auth filters the rows by nothing
//!   and emails the first address of the whole table when it is unverified;
//! * a username taken between the check and the insert is the usual 400 (allauth: a 500);
//! * the links come from `REST_AUTH` `EMAIL_CONFIRMATION_URL` rather than URL reversing, and the
//!   emails are sent after the answer.

use actix_web::http::StatusCode;
use actix_web::http::header::HeaderValue;
use actix_web::{HttpRequest, HttpResponse, web};
use auth_core::ApiError;
use auth_core::allauth::email_confirmation;
use auth_core::compat::python::text::{python_strip, splitlines};
use auth_core::django::mail::EmailMessage;
use auth_core::django::password_validation::{UserAttributes, validate_password};
use auth_core::django::username_validator::{
    INVALID_USERNAME, USERNAME_MAX_LENGTH, is_valid_username,
};
use auth_core::environment::Environment;
use auth_core::messages;
use auth_core::policy::DefaultThrottles;
use auth_core::store::email_address::{self, EmailAddress};
use auth_core::store::{token, user::NewUser};
use auth_core::throttling::NoThrottleScope;
use auth_core::user::User;
use serde_json::json;

use crate::AllowAny;
use crate::default_response_headers::DefaultResponseHeaders;
use crate::deferred_mail::RequestSite;
use crate::error::ApiErrorResponse;
use crate::guard::PolicyGuard;
use crate::request_fields::{Errors, throttled_fields};
use crate::rest_auth_views::{RestAuthGuard, json_response, jwt_pair_body, open_post_resource};
use crate::routed_handler::{DeclaredName, declared};
use crate::runtime::runtime_of;

/// `RegisterSerializer.validate_email`'s error (`UNIQUE_EMAIL`).
pub const EMAIL_ALREADY_REGISTERED: &str = "User is already registered with this e-mail address.";
/// `VerifyEmailView` and `ResendEmailVerificationView`'s answer.
pub const OK: &str = "ok";

/// `VerifyEmailView` and `ResendEmailVerificationView`: `AllowAny`, no throttle scope.
type OpenGuard = PolicyGuard<
    auth_core::policy::DefaultAuthentication,
    AllowAny,
    DefaultThrottles,
    NoThrottleScope,
>;

const REGISTER: &str = "auth_actix::dj_rest_auth::register";
const VERIFY_EMAIL: &str = "auth_actix::dj_rest_auth::verify_email";
const RESEND_EMAIL: &str = "auth_actix::dj_rest_auth::resend_email";
inventory::submit!(DeclaredName(REGISTER));
inventory::submit!(DeclaredName(VERIFY_EMAIL));
inventory::submit!(DeclaredName(RESEND_EMAIL));

/// Registers `/` (register), `verify-email/` and `resend-email/` (trailing slash optional), as
/// dj-rest-auth's `registration/urls.py`, for a scope such as `/dj-rest-auth/registration`.
pub fn dj_rest_auth_registration_endpoints(config: &mut web::ServiceConfig) {
    config.service(rest_auth_register_resource("/"));
    for slash in ["/", ""] {
        config
            .service(rest_auth_verify_email_resource(&format!(
                "/verify-email{slash}"
            )))
            .service(rest_auth_resend_email_resource(&format!(
                "/resend-email{slash}"
            )));
    }
}

/// `path` answering `POST` as dj-rest-auth's `RegisterView`; other methods DRF's 405.
pub fn rest_auth_register_resource(path: &str) -> actix_web::Resource {
    allauth_resource(path, REGISTER).route(web::post().to(declared(register)))
}

/// `path` answering `POST` as dj-rest-auth's `VerifyEmailView`; other methods DRF's 405.
pub fn rest_auth_verify_email_resource(path: &str) -> actix_web::Resource {
    allauth_resource(path, VERIFY_EMAIL)
        // The view's `allowed_methods`, in its order (replacing the default `Allow`).
        .app_data(
            DefaultResponseHeaders::methods(&["POST"])
                .allow(HeaderValue::from_static("POST, OPTIONS, HEAD")),
        )
        .route(web::post().to(declared(verify_email)))
}

/// `path` answering `POST` as dj-rest-auth's `ResendEmailVerificationView`; other methods DRF's
/// 405.
pub fn rest_auth_resend_email_resource(path: &str) -> actix_web::Resource {
    allauth_resource(path, RESEND_EMAIL).route(web::post().to(declared(resend_email)))
}

/// A resource that exists only with `REST_AUTH` `ALLAUTH` (dj-rest-auth's registration imports
/// allauth): otherwise every request falls through to the next route.
fn allauth_resource(path: &str, name: &str) -> actix_web::Resource {
    open_post_resource(path, name).guard(actix_web::guard::fn_guard(|context| {
        context
            .app_data::<web::Data<crate::runtime::AuthRuntime>>()
            .is_some_and(|runtime| runtime.env().settings().rest_auth.allauth)
    }))
}

/// `RegisterSerializer.validate_username`: allauth's `clean_username` — the model field's
/// validators, then no user of that name ignoring case.
async fn clean_username(env: &Environment, name: &str) -> Result<Option<&'static str>, ApiError> {
    if !is_valid_username(name) {
        return Ok(Some(INVALID_USERNAME));
    }
    let taken = env
        .settings()
        .user_model
        .username_taken_iexact(env.db(), name)
        .await
        .map_err(ApiError::store_failure)?;
    Ok(taken.then_some(messages::USERNAME_TAKEN))
}

/// `POST registration/`: see the module's documentation.
async fn register(
    guard: RestAuthGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let settings = env.settings();
    let fields = throttled_fields(&request, env, payload).await?;
    let mut errors = Errors::default();
    let mut username = errors.char_max(&fields, "username", USERNAME_MAX_LENGTH);
    if let Some(name) = &username
        && let Some(message) = clean_username(env, name).await?
    {
        errors.push("username", message);
        username = None;
    }
    // `EmailField(required=False)`.
    let email = match fields.get("email") {
        None => Some(String::new()),
        Some(_) => errors.email(&fields, "email"),
    };
    if let Some(address) = email.as_deref().filter(|address| !address.is_empty())
        && email_address::is_verified(env.db(), &address.to_lowercase(), None)
            .await
            .map_err(ApiError::store_failure)?
    {
        errors.push("email", EMAIL_ALREADY_REGISTERED);
    }
    let password1 = errors.char(&fields, "password1");
    if let Some(password) = &password1
        && let Err(found) = validate_password(password, None, &settings.password_validators)
    {
        errors.0.push((
            "password1".to_owned(),
            found.into_iter().map(|error| error.message).collect(),
        ));
    }
    let password2 = errors.char(&fields, "password2");
    errors.check()?;
    let (Some(username), Some(email), Some(password1), Some(password2)) =
        (username, email, password1, password2)
    else {
        return Err(ApiError::validation(vec![(
            "username".to_owned(),
            vec![messages::FIELD_REQUIRED.to_owned()],
        )])
        .into());
    };
    if password1 != password2 {
        // The same text as djoser's (a straight apostrophe).
        return Err(auth_core::char_field::non_field_error(
            auth_core::djoser::PASSWORD_MISMATCH_ERROR,
        )
        .into());
    }
    // `save()`: allauth's `save_user` (the email lower-cased), the validators with the user.
    let email = email.to_lowercase();
    let users = &settings.user_model;
    let attributes = UserAttributes::of_user(users.username_field(), &username, "", "", &email);
    if let Err(found) =
        validate_password(&password1, Some(&attributes), &settings.password_validators)
    {
        return Err(ApiError::validation(vec![(
            messages::NON_FIELD_ERRORS.to_owned(),
            found.into_iter().map(|error| error.message).collect(),
        )])
        .into());
    }
    let encoded = auth_core::accounts::make_password(env, &password1).await?;
    let new = NewUser {
        username: username.clone(),
        password: encoded,
        email: email.clone(),
        is_staff: false,
        is_superuser: false,
        is_active: true,
    };
    let user = match users.insert(env.db(), new).await {
        Ok(user) => user,
        Err(error) => {
            // Taken meanwhile (allauth: an IntegrityError, a 500): the field's own error.
            let taken = users
                .username_taken(env.db(), &username, None)
                .await
                .map_err(ApiError::store_failure)?;
            return Err(if taken {
                ApiError::validation(vec![(
                    "username".to_owned(),
                    vec![messages::USERNAME_TAKEN.to_owned()],
                )])
            } else {
                ApiError::store_failure(error)
            }
            .into());
        }
    };
    auth_core::accounts::user_created(env, &user)
        .await
        .map_err(ApiError::store_failure)?;
    let address = setup_user_email(env, &user).await?;
    let body = if settings.rest_auth.use_jwt {
        jwt_pair_body(env, &user).await?.0
    } else {
        // `TOKEN_CREATOR`: `Token.objects.get_or_create(user=user)`.
        let token = token::get_or_create(env.db(), user.id)
            .await
            .map_err(ApiError::store_failure)?;
        json!({ "key": token.key })
    };
    // `complete_signup`: allauth logs the new user in to the session.
    if crate::request_session::has_middleware(&request) {
        guard.auth().login(&user).await?;
    } else {
        users
            .touch_last_login(env.db(), user.clone())
            .await
            .map_err(ApiError::store_failure)?;
    }
    // The login's email-verification stage: the user's address (its new row, else the model's
    // email synced as a non-primary row, as allauth's `get_address_for_user`), unless verified,
    // gets the signup email — at most one per address per three minutes (allauth's
    // `confirm_email` rate limit).
    let address = match address {
        Some(address) => Some(address),
        None if !user.email.is_empty() => {
            email_address::sync(env.db(), user.id, &user.email)
                .await
                .map_err(ApiError::store_failure)?;
            email_address::first_for_user(env.db(), user.id)
                .await
                .map_err(ApiError::store_failure)?
        }
        None => None,
    };
    if let Some(address) = address.filter(|address| !address.verified)
        && email_confirmation::consume_cooldown(env, &address.email).await
    {
        let site = RequestSite::of(env, &request);
        let task_env = env.clone();
        crate::deferred_mail::send_after_answer(env, confirmation_template(true), async move {
            confirmation_email(&task_env, &site, &user, &address, true).map(|email| vec![email])
        });
    }
    Ok(json_response(StatusCode::CREATED, body))
}

/// allauth's `setup_user_email`: the user's email, when no row has it yet, as its primary,
/// unverified address.
async fn setup_user_email(
    env: &Environment,
    user: &User,
) -> Result<Option<EmailAddress>, ApiError> {
    let email = &user.email;
    if email.is_empty()
        || email_address::exists(env.db(), email)
            .await
            .map_err(ApiError::store_failure)?
    {
        return Ok(None);
    }
    email_address::insert(env.db(), user.id, email, true, false)
        .await
        .map_err(ApiError::store_failure)?;
    email_address::first_with_email(env.db(), email)
        .await
        .map_err(ApiError::store_failure)
}

/// allauth's email-confirmation template prefix: `email_confirmation_signup` at signup, else
/// `email_confirmation`.
fn confirmation_template(signup: bool) -> &'static str {
    if signup {
        "account/email/email_confirmation_signup"
    } else {
        "account/email/email_confirmation"
    }
}

/// allauth's `send_confirmation_mail`: the email to `address`, its link made of the HMAC key.
fn confirmation_email(
    env: &Environment,
    site: &RequestSite,
    user: &User,
    address: &EmailAddress,
    signup: bool,
) -> Result<EmailMessage, String> {
    let settings = env.settings();
    let prefix = confirmation_template(signup);
    let key = email_confirmation::key(env, address);
    let activate_url = settings
        .rest_auth
        .email_confirmation_url
        .format(|name| match name {
            "key" => key.clone(),
            "protocol" => site.protocol.to_owned(),
            _ => site.host.clone(),
        });
    let context = json!({
        "email": address.email,
        "current_site": { "name": site.host, "domain": site.host },
        "user": { "pk": user.id.to_json(), "username": user.username, "email": user.email },
        // allauth's `user_display`: the username.
        "user_display": user.username,
        "key": key,
        "activate_url": activate_url,
    });
    let templates = &settings.mail_templates;
    let subject = templates
        .render_text(&format!("{prefix}_subject.txt"), &context)
        .map_err(|error| error.to_string())?;
    // `" ".join(subject.splitlines()).strip()`, behind `[<site name>] `.
    let subject = splitlines(&subject).join(" ");
    Ok(EmailMessage {
        subject: format!("[{}] {}", site.host, python_strip(&subject)),
        body: templates
            .render_text(&format!("{prefix}_message.txt"), &context)
            .map_err(|error| error.to_string())?,
        from_email: settings.email.default_from_email.clone(),
        to: vec![address.email.clone()],
        ..EmailMessage::default()
    })
}

/// `POST verify-email/` `{key}`: see the module's documentation.
async fn verify_email(
    _guard: OpenGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let fields = throttled_fields(&request, env, payload).await?;
    let mut errors = Errors::default();
    let key = errors.char(&fields, "key");
    errors.check()?;
    let address = email_confirmation::from_key(env, &key.unwrap_or_default())
        .await
        .map_err(ApiError::store_failure)?
        .ok_or_else(|| ApiError::new(auth_core::error::ErrorKind::NotFound))?;
    email_confirmation::confirm(env, address)
        .await
        .map_err(ApiError::store_failure)?;
    Ok(json_response(StatusCode::OK, json!({ "detail": OK })))
}

/// `POST resend-email/` `{email}`: see the module's documentation.
async fn resend_email(
    _guard: OpenGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let fields = throttled_fields(&request, env, payload).await?;
    let mut errors = Errors::default();
    // `EmailField(required=False)`.
    let email = match fields.get("email") {
        None => None,
        Some(_) => errors.email(&fields, "email"),
    };
    errors.check()?;
    // The lookup, and the email when the address is unverified, after the answer: the same
    // answer in the same time for any address.
    if let Some(email) = email {
        let site = RequestSite::of(env, &request);
        let task_env = env.clone();
        let template = confirmation_template(false);
        crate::deferred_mail::send_after_answer(env, template, async move {
            resend_emails(&task_env, &site, &email)
                .await
                .map_err(|error| error.to_string())
        });
    }
    Ok(json_response(StatusCode::OK, json!({ "detail": OK })))
}

/// `get_queryset().filter(email=…).first()`, and its confirmation email when it is unverified.
async fn resend_emails(
    env: &Environment,
    site: &RequestSite,
    email: &str,
) -> Result<Vec<EmailMessage>, String> {
    let found = email_address::first_with_email(env.db(), email)
        .await
        .map_err(|error| error.to_string())?;
    let Some(address) = found.filter(|address| !address.verified) else {
        return Ok(Vec::new());
    };
    let owner = env
        .settings()
        .user_model
        .find_by_id(env.db(), address.user_id)
        .await
        .map_err(|error| error.to_string())?;
    match owner {
        Some(owner) => Ok(vec![confirmation_email(
            env, site, &owner, &address, false,
        )?]),
        None => Ok(Vec::new()),
    }
}
