//! djoser 2.3.5's account views (`djoser/views.py`, `serializers.py`, `utils.py`): registration,
//! the user list and detail, password and username reset by email and their confirmation,
//! activation and its resend, password and username change, and token login and logout,
//! answering as djoser answers and sending djoser's emails
//! ([`DjoserSettings`](auth_core::djoser::DjoserSettings), `docs/accounts.md`).
//!
//! `web::scope("/auth").configure(auth_actix::views::djoser_endpoints)` mounts them where
//! djoser's `urls/base.py` and `urls/authtoken.py` put them: `users/`, `users/me/`,
//! `users/activation/`, `users/resend_activation/`, `users/set_password/`,
//! `users/reset_password/`, `users/reset_password_confirm/`, `users/set_<USERNAME_FIELD>/`,
//! `users/reset_<USERNAME_FIELD>/`, `users/reset_<USERNAME_FIELD>_confirm/`, `users/{id}/`, and
//! `token/login/` and `token/logout/` (trailing slash optional, as djoser's `re_path`s);
//! `djoser_jwt_endpoints` (feature `simplejwt`) adds `urls/jwt.py`. The other methods are
//! DRF's 405, after the view's permission as in djoser.
//!
//! As in djoser, the views run the project's default authentication; the user views,
//! `set_password/` and `token/logout/` need an authenticated user (`CurrentUserOrAdmin`,
//! `IsAuthenticated`). Unlike djoser, every view that reads a password, a link or an email
//! counts against the `login` throttle scope first.
//!
//! Divergences, secure by default (listed in `docs/accounts.md`):
//! * the emails are made on the hashing threads and sent after the answer, and the resets and the
//!   activation resend look the user up after the answer too (unless a `*_SHOW_EMAIL_NOT_FOUND`
//!   setting makes the answer tell): a known and an unknown email get the same answer in the same
//!   time (djoser looks up, renders and sends before answering, so the mail server's delay tells
//!   which addresses have accounts); a failure is logged, where djoser answers 500 (for known
//!   emails only);
//! * an email that two active accounts share gets no email (djoser: `MultipleObjectsReturned`,
//!   500);
//! * a `token` that is not a string (a JSON number) is an invalid token (djoser: 500).

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use auth_core::ApiError;
use auth_core::django::mail::EmailMessage;
use auth_core::django::password_reset_token::UserState;
use auth_core::django::password_validation::{UserAttributes, validate_password};
use auth_core::django::urlsafe_base64::{urlsafe_base64_decode, urlsafe_base64_encode};
use auth_core::djoser::{self, LinkTemplate};
use auth_core::environment::Environment;
use auth_core::policy::DefaultThrottles;
use auth_core::store::token;
use auth_core::throttling::NoThrottleScope;
use auth_core::user::{RequestUser, User};
use serde_json::{Map, Value};

use crate::AllowAny;
use crate::IsAuthenticated;
use crate::default_response_headers::DefaultResponseHeaders;
use crate::error::ApiErrorResponse;
use crate::guard::{PolicyGuard, method_not_allowed};
use crate::model_user_fields;
use crate::request_fields::{Errors, Fields, throttled_fields};
use crate::routed_handler::{DeclaredName, declared};
use crate::runtime::runtime_of;

/// The views anyone may call: the project's schemes and throttles, `AllowAny`.
type OpenGuard = PolicyGuard<
    auth_core::policy::DefaultAuthentication,
    AllowAny,
    DefaultThrottles,
    NoThrottleScope,
>;
/// The views of a logged-in user.
type UserGuard = PolicyGuard<
    auth_core::policy::DefaultAuthentication,
    IsAuthenticated,
    DefaultThrottles,
    NoThrottleScope,
>;

const NAME: &str = "auth_actix::djoser";
inventory::submit!(DeclaredName(NAME));

/// Registers djoser's account and token views (see the module's documentation).
pub fn djoser_endpoints(config: &mut web::ServiceConfig) {
    config
        .service(
            web::resource("/users/")
                .name(&format!("{NAME}::users"))
                .app_data(DefaultResponseHeaders::methods(&["GET", "POST"]))
                .route(web::post().to(declared(users_create)))
                .route(web::get().to(declared(users_list)))
                .default_service(web::to(method_not_allowed::<
                    auth_core::policy::DefaultAuthentication,
                    IsAuthenticated,
                >())),
        )
        .service(
            web::resource("/users/me/")
                .name(&format!("{NAME}::me"))
                .app_data(DefaultResponseHeaders::methods(&[
                    "GET", "PUT", "PATCH", "DELETE",
                ]))
                .route(web::get().to(declared(users_me)))
                .route(web::put().to(declared(users_me)))
                .route(web::patch().to(declared(users_me)))
                .route(web::delete().to(declared(users_me)))
                .default_service(web::to(method_not_allowed::<
                    auth_core::policy::DefaultAuthentication,
                    IsAuthenticated,
                >())),
        )
        .service(
            post_resource("/users/activation/", "activation", true)
                .route(web::post().to(declared(activation))),
        )
        .service(
            post_resource("/users/resend_activation/", "resend_activation", true)
                .route(web::post().to(declared(resend_activation))),
        )
        .service(
            post_resource("/users/set_password/", "set_password", true)
                .route(web::post().to(declared(set_password))),
        )
        .service(
            post_resource("/users/reset_password/", "reset_password", true)
                .route(web::post().to(declared(reset_password))),
        )
        .service(
            post_resource(
                "/users/reset_password_confirm/",
                "reset_password_confirm",
                true,
            )
            .route(web::post().to(declared(reset_password_confirm))),
        );
    // `set_<USERNAME_FIELD>/` and the two `reset_<USERNAME_FIELD>…/`, named by the model's
    // field; the confirmation first, which `reset_{field}/` would match too.
    config
        .service(
            username_resource("set_", "", "set_username")
                .route(web::post().to(declared(set_username))),
        )
        .service(
            username_resource("reset_", "_confirm", "reset_username_confirm")
                .route(web::post().to(declared(reset_username_confirm))),
        )
        .service(
            username_resource("reset_", "", "reset_username")
                .route(web::post().to(declared(reset_username))),
        );
    // `users/{id}/` after the fixed `users/…/` routes, which it would match too.
    config.service(
        web::resource("/users/{id}/")
            .name(&format!("{NAME}::user"))
            .app_data(DefaultResponseHeaders::methods(&[
                "GET", "PUT", "PATCH", "DELETE",
            ]))
            .route(web::get().to(declared(users_detail)))
            .route(web::put().to(declared(users_detail)))
            .route(web::patch().to(declared(users_detail)))
            .route(web::delete().to(declared(users_detail)))
            .default_service(web::to(method_not_allowed::<
                auth_core::policy::DefaultAuthentication,
                IsAuthenticated,
            >())),
    );
    // `TokenCreateView` allows anyone; `TokenDestroyView` wants a logged-in user, for every
    // method.
    for (path, name) in [
        ("/token/login/", "token_login"),
        ("/token/login", "token_login_no_slash"),
    ] {
        config
            .service(post_resource(path, name, false).route(web::post().to(declared(token_login))));
    }
    for (path, name) in [
        ("/token/logout/", "token_logout"),
        ("/token/logout", "token_logout_no_slash"),
    ] {
        config
            .service(post_resource(path, name, true).route(web::post().to(declared(token_logout))));
    }
}

/// A resource answering only `POST` (the route is added by the caller); another method is DRF's
/// 405 after the view's authentication and permissions. djoser's `UserViewSet` checks its
/// default permission (`CurrentUserOrAdmin`: a logged-in user) for a method no action maps, so
/// anonymous `GET users/reset_password/` is 403 or 401 before 405; `for_users` says so.
fn post_resource(path: &str, name: &str, for_users: bool) -> actix_web::Resource {
    let resource = web::resource(path)
        .name(&format!("{NAME}::{name}"))
        .app_data(DefaultResponseHeaders::methods(&["POST"]));
    if for_users {
        resource.default_service(web::to(method_not_allowed::<
            auth_core::policy::DefaultAuthentication,
            IsAuthenticated,
        >()))
    } else {
        resource.default_service(web::to(method_not_allowed::<
            auth_core::policy::DefaultAuthentication,
            AllowAny,
        >()))
    }
}

/// [`post_resource`] at `users/<prefix><USERNAME_FIELD><suffix>/`. djoser names these routes by
/// the user model's field, which is known only once the settings are: the resource matches only
/// that name, and any other falls through to `users/{id}/`, where Django's router sends it.
fn username_resource(
    prefix: &'static str,
    suffix: &'static str,
    name: &str,
) -> actix_web::Resource {
    post_resource(&format!("/users/{prefix}{{field}}{suffix}/"), name, true).guard(
        actix_web::guard::fn_guard(move |context| {
            let Some(runtime) = context.app_data::<web::Data<crate::runtime::AuthRuntime>>() else {
                return false;
            };
            let field = runtime.env().settings().user_model.username_field();
            let path = context.head().uri.path();
            let segment = path
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or_default();
            segment
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(suffix))
                == Some(field)
        }),
    )
}

impl Errors {
    /// `CurrentPasswordSerializer`'s `current_password`: a field, then its validator
    /// (`validate_current_password`: the request user's password), whose error joins the other
    /// fields' errors.
    async fn current_password(
        &mut self,
        env: &Environment,
        fields: &Fields,
        user: &User,
    ) -> Result<(), ApiError> {
        if let Some(current) = self.char(fields, "current_password") {
            let valid = auth_core::accounts::check_password(env, &current, &user.password).await?;
            if !valid {
                self.push("current_password", djoser::INVALID_PASSWORD_ERROR);
            }
        }
        Ok(())
    }
}

fn field_error(name: &str, message: &str) -> ApiError {
    ApiError::validation(vec![(name.to_owned(), vec![message.to_owned()])])
}

fn no_content() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

/// What `validate_password` is given: the request's user (djoser's `PasswordSerializer` falls
/// back to `request.user`, anonymous on a reset link), as Django's `UserAttributeSimilarity`
/// reads it.
fn attributes(env: &Environment, user: &RequestUser) -> Option<UserAttributes> {
    match user {
        RequestUser::User(user) => Some(UserAttributes::of_user(
            env.settings().user_model.username_field(),
            &user.username,
            &user.first_name,
            &user.last_name,
            &user.email,
        )),
        _ => None,
    }
}

/// Django's password validators, as djoser's serializers raise them under `field`.
fn check_password_rules(
    env: &Environment,
    password: &str,
    user: Option<&UserAttributes>,
    field: &str,
) -> Result<(), ApiError> {
    validate_password(password, user, &env.settings().password_validators).map_err(|errors| {
        ApiError::validation(vec![(
            field.to_owned(),
            errors.into_iter().map(|error| error.message).collect(),
        )])
    })
}

/// What the reset and activation tokens of `user` are bound to; `pk` is `str(user.pk)`.
fn user_state<'a>(user: &'a User, pk: &'a str) -> UserState<'a> {
    UserState {
        pk,
        password: &user.password,
        last_login: user.last_login,
        email: &user.email,
    }
}

/// `UidAndTokenSerializer.validate`: the user `uid` names, then its `token`.
async fn user_of_link(env: &Environment, fields: &Fields) -> Result<User, ApiError> {
    let invalid_uid = || field_error("uid", djoser::INVALID_UID_ERROR);
    let uid = fields.raw_text("uid").ok_or_else(invalid_uid)?;
    let decoded = urlsafe_base64_decode(uid).ok_or_else(invalid_uid)?;
    let text = String::from_utf8(decoded).map_err(|_| invalid_uid())?;
    let settings = env.settings();
    let id = settings
        .user_model
        .id_kind()
        .to_python(&text)
        .ok_or_else(invalid_uid)?;
    let user = settings
        .user_model
        .find_by_id(env.db(), id)
        .await
        .map_err(ApiError::store_failure)?
        .ok_or_else(invalid_uid)?;
    let generator = settings
        .password_reset_token_generator()
        .map_err(|error| ApiError::store_failure(error.to_string()))?;
    let pk = user.id.to_string();
    let state = user_state(&user, &pk);
    let token = fields.raw_text("token").unwrap_or_default();
    if generator.check_token(&state, token, env.services().clock().now()) {
        Ok(user)
    } else {
        Err(field_error("token", djoser::INVALID_TOKEN_ERROR))
    }
}

/// One of djoser's emails: its template, and the link it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DjoserEmail {
    /// `ActivationEmail`: `ACTIVATION_URL`.
    Activation,
    /// `ConfirmationEmail`.
    Confirmation,
    /// `PasswordResetEmail`: `PASSWORD_RESET_CONFIRM_URL`.
    PasswordReset,
    /// `PasswordChangedConfirmationEmail`.
    PasswordChanged,
    /// `UsernameResetEmail`: `USERNAME_RESET_CONFIRM_URL`.
    UsernameReset,
    /// `UsernameChangedConfirmationEmail`.
    UsernameChanged,
}

impl DjoserEmail {
    fn template(self) -> &'static str {
        match self {
            Self::Activation => "email/activation.html",
            Self::Confirmation => "email/confirmation.html",
            Self::PasswordReset => "email/password_reset.html",
            Self::PasswordChanged => "email/password_changed_confirmation.html",
            Self::UsernameReset => "email/username_reset.html",
            Self::UsernameChanged => "email/username_changed_confirmation.html",
        }
    }

    /// The link template, when the email has a link; `Err` names the missing setting.
    fn link(self, djoser: &djoser::DjoserSettings) -> Result<Option<&LinkTemplate>, &'static str> {
        match self {
            Self::Activation => djoser
                .activation_url
                .as_ref()
                .map(Some)
                .ok_or("DJOSER ACTIVATION_URL is not set"),
            Self::PasswordReset => djoser
                .password_reset_confirm_url
                .as_ref()
                .map(Some)
                .ok_or("DJOSER PASSWORD_RESET_CONFIRM_URL is not set"),
            Self::UsernameReset => djoser
                .username_reset_confirm_url
                .as_ref()
                .map(Some)
                .ok_or("DJOSER USERNAME_RESET_CONFIRM_URL is not set"),
            Self::Confirmation | Self::PasswordChanged | Self::UsernameChanged => Ok(None),
        }
    }
}

/// The request's part of an email's context (`BaseEmailMessage.get_context_data`): the
/// protocol, domain and site name, `EMAIL_FRONTEND_*` first, else the request's scheme and host
/// (Django's `RequestSite`, without `django.contrib.sites`).
#[derive(Debug, Clone)]
struct Site {
    protocol: String,
    domain: String,
    site_name: String,
}

impl Site {
    fn of(env: &Environment, request: &HttpRequest) -> Self {
        let site = crate::deferred_mail::RequestSite::of(env, request);
        let djoser = &env.settings().djoser;
        let chosen = |value: &Option<String>| value.clone().filter(|value| !value.is_empty());
        Self {
            protocol: chosen(&djoser.email_frontend_protocol)
                .unwrap_or_else(|| site.protocol.to_owned()),
            domain: chosen(&djoser.email_frontend_domain).unwrap_or_else(|| site.host.clone()),
            site_name: chosen(&djoser.email_frontend_site_name).unwrap_or(site.host),
        }
    }
}

/// djoser's `BaseDjoserEmail`: `email` for `user` in `site`'s context, its link's token made now.
fn render(
    env: &Environment,
    site: &Site,
    user: &User,
    email: DjoserEmail,
) -> Result<EmailMessage, String> {
    let settings = env.settings();
    let mut context = serde_json::json!({
        "protocol": site.protocol,
        "domain": site.domain,
        "site_name": site.site_name,
        "user": { "get_username": user.username, "email": user.email, "pk": user.id.to_json() },
    });
    if let Some(link) = email.link(&settings.djoser)? {
        let generator = settings
            .password_reset_token_generator()
            .map_err(|error| error.to_string())?;
        let pk = user.id.to_string();
        let token = generator
            .make_token(&user_state(user, &pk), env.services().clock().now())
            .ok_or("the clock is before 2001")?;
        let uid = urlsafe_base64_encode(pk.as_bytes());
        let url = link.format(|name| match name {
            "uid" => uid.clone(),
            "token" => token.clone(),
            other => context[other].as_str().unwrap_or_default().to_owned(),
        });
        context["uid"] = Value::from(uid);
        context["token"] = Value::from(token);
        context["url"] = Value::from(url);
    }
    let rendered = settings
        .mail_templates
        .render_email(email.template(), &context)
        .map_err(|error| error.to_string())?;
    Ok(EmailMessage {
        subject: rendered.subject,
        body: rendered.body,
        html: rendered.html,
        from_email: settings.email.default_from_email.clone(),
        to: vec![user.email.clone()],
        ..EmailMessage::default()
    })
}

/// Renders and sends `email` to `user` after the answer (see the module's documentation): the
/// answer waits for neither, so it reads the same, in the same time, whether or not an email
/// goes out. The rendering (the link's HMAC, the template) runs on the hashing threads, never on
/// the worker that answers requests; the sending is the backend's I/O. A failure (a missing
/// setting, a template, the mail server) is logged with its cause and the template's name,
/// never the message.
fn send_later(env: &Environment, request: &HttpRequest, user: &User, email: DjoserEmail) {
    make_later(env, request, user.clone(), email);
}

/// The lookup of the user with `address` (`get_user(is_active)`), then its email, all after the
/// answer (see [`send_later`]): a known and an unknown address get the same answer in the same
/// time, since nothing the answer waits for depends on the address.
fn find_and_send_later(
    env: &Environment,
    request: &HttpRequest,
    address: &str,
    is_active: bool,
    email: DjoserEmail,
) {
    let site = Site::of(env, request);
    let task_env = env.clone();
    let address = address.to_owned();
    crate::deferred_mail::send_after_answer(env, email.template(), async move {
        // The cause of a failed lookup is logged where it happened.
        let Some(user) = user_by_email(&task_env, &address, is_active)
            .await
            .map_err(|_| "the user lookup failed".to_owned())?
        else {
            return Ok(Vec::new());
        };
        render_later(&task_env, site, user, email).await
    });
}

/// [`send_later`]'s task.
fn make_later(env: &Environment, request: &HttpRequest, user: User, email: DjoserEmail) {
    let site = Site::of(env, request);
    let task_env = env.clone();
    crate::deferred_mail::send_after_answer(env, email.template(), async move {
        render_later(&task_env, site, user, email).await
    });
}

/// [`render`] on the hashing threads.
async fn render_later(
    env: &Environment,
    site: Site,
    user: User,
    email: DjoserEmail,
) -> Result<Vec<EmailMessage>, String> {
    let renderer = env.clone();
    env.services()
        .hashing_pool()
        .run(move || render(&renderer, &site, &user, email))
        .await
        .map_err(|stopped| stopped.to_string())
        .and_then(|rendered| rendered)
        .map(|message| vec![message])
}

/// `UserFunctionsMixin.get_user(is_active)`: the one user with this exact email and activity,
/// with a usable password.
async fn user_by_email(
    env: &Environment,
    email: &str,
    is_active: bool,
) -> Result<Option<User>, ApiError> {
    let found = env
        .settings()
        .user_model
        .find_by_email_exact(env.db(), email, is_active)
        .await
        .map_err(ApiError::store_failure)?;
    Ok(match <[User; 1]>::try_from(found) {
        Ok([user]) if !user.password.starts_with('!') => Some(user),
        _ => None,
    })
}

/// `PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND`'s answer: the serializer's `fail()` raised outside
/// validation, which DRF renders as a bare list.
fn email_not_found() -> HttpResponse {
    json_response(
        StatusCode::BAD_REQUEST,
        Value::from(vec![djoser::EMAIL_NOT_FOUND]).to_string(),
    )
}

/// `POST users/reset_password/` `{email}`: the reset link is emailed to the active user with
/// that email; 204 whether or not there is one.
async fn reset_password(
    _guard: OpenGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    email_link(request, payload, DjoserEmail::PasswordReset).await
}

/// `POST users/reset_username/` `{email}`: as [`reset_password`], with the username reset link.
async fn reset_username(
    _guard: OpenGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    email_link(request, payload, DjoserEmail::UsernameReset).await
}

/// The two reset views (`SendEmailResetSerializer`, then `get_user()`): `email`, with its link,
/// to the active user with that email.
async fn email_link(
    request: HttpRequest,
    payload: web::Payload,
    email_kind: DjoserEmail,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let fields = throttled_fields(&request, env, payload).await?;
    let mut errors = Errors::default();
    let email = errors.email(&fields, "email");
    errors.check()?;
    let address = email.as_deref().unwrap_or_default();
    // Without the link's setting djoser answers 500 for a known email only; here the answer is
    // the same and the log says what is missing.
    if env.settings().djoser.show_email_not_found() {
        // The answer tells, by the setting's choice: the lookup comes first.
        match user_by_email(env, address, true).await? {
            Some(user) => send_later(env, &request, &user, email_kind),
            None => return Ok(email_not_found()),
        }
    } else {
        find_and_send_later(env, &request, address, true, email_kind);
    }
    Ok(no_content())
}

/// The new password fields (`new_password`, and `re_new_password` with the retype setting):
/// their field errors into `errors`.
fn new_password_fields(
    errors: &mut Errors,
    fields: &Fields,
    retype: bool,
) -> Option<(String, Option<String>)> {
    let new = errors.char(fields, "new_password");
    let again = if retype {
        errors.char(fields, "re_new_password")
    } else {
        None
    };
    new.map(|new| (new, again))
}

/// `PasswordSerializer.validate` (and `PasswordRetypeSerializer.validate`): the validators,
/// then the retype's match.
fn validate_new_password(
    env: &Environment,
    user: &RequestUser,
    new: &str,
    again: Option<&str>,
) -> Result<(), ApiError> {
    check_password_rules(env, new, attributes(env, user).as_ref(), "new_password")?;
    match again {
        Some(again) if again != new => Err(auth_core::char_field::non_field_error(
            djoser::PASSWORD_MISMATCH_ERROR,
        )),
        _ => Ok(()),
    }
}

/// `POST users/reset_password_confirm/` `{uid, token, new_password}`: the password is set and
/// `last_login` moved to now, so the link cannot be used again.
async fn reset_password_confirm(
    guard: OpenGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let fields = throttled_fields(&request, env, payload).await?;
    let settings = env.settings();
    let retype = settings.djoser.password_reset_confirm_retype;
    let mut errors = Errors::default();
    errors.char(&fields, "uid");
    errors.char(&fields, "token");
    let password = new_password_fields(&mut errors, &fields, retype);
    errors.check()?;
    let Some((new, again)) = password else {
        return Err(field_error("new_password", auth_core::messages::FIELD_REQUIRED).into());
    };
    validate_new_password(env, guard.auth().user(), &new, again.as_deref())?;
    let user = user_of_link(env, &fields).await?;
    let encoded = auth_core::accounts::make_password(env, &new).await?;
    let now = env.services().clock().now();
    settings
        .user_model
        .save_password_and_last_login(env.db(), user.id, encoded, Some(now))
        .await
        .map_err(ApiError::store_failure)?;
    if let Some(cache) = env.services().credential_cache() {
        cache.forget_user(user.id);
    }
    if settings.djoser.password_changed_email_confirmation {
        send_later(env, &request, &user, DjoserEmail::PasswordChanged);
    }
    Ok(no_content())
}

/// `POST users/activation/` `{uid, token}`: the user becomes active; the same link again is
/// 403 "Stale token for given user.".
async fn activation(
    _guard: OpenGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let fields = throttled_fields(&request, env, payload).await?;
    let mut errors = Errors::default();
    errors.char(&fields, "uid");
    errors.char(&fields, "token");
    errors.check()?;
    let user = user_of_link(env, &fields).await?;
    if user.is_active {
        return Err(ApiError::permission_denied(djoser::STALE_TOKEN_ERROR).into());
    }
    env.settings()
        .user_model
        .save_is_active(env.db(), user.id, true)
        .await
        .map_err(ApiError::store_failure)?;
    // A cached credential holds the inactive row: it would still be refused.
    if let Some(cache) = env.services().credential_cache() {
        cache.forget_user(user.id);
    }
    if env.settings().djoser.send_confirmation_email {
        send_later(env, &request, &user, DjoserEmail::Confirmation);
    }
    Ok(no_content())
}

/// `POST users/resend_activation/` `{email}`: the activation link again, to the inactive user
/// with that email; 204 whether or not there is one, 400 with no body when activation emails
/// are off.
async fn resend_activation(
    _guard: OpenGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let fields = throttled_fields(&request, env, payload).await?;
    let settings = env.settings();
    let mut errors = Errors::default();
    let email = errors.email(&fields, "email");
    errors.check()?;
    let address = email.as_deref().unwrap_or_default();
    if settings.djoser.show_email_not_found() {
        // The answer tells, by the setting's choice: the lookup comes first.
        let Some(user) = user_by_email(env, address, false).await? else {
            return Ok(email_not_found());
        };
        if !settings.djoser.send_activation_email {
            return Ok(HttpResponse::build(StatusCode::BAD_REQUEST).finish());
        }
        send_later(env, &request, &user, DjoserEmail::Activation);
    } else {
        if !settings.djoser.send_activation_email {
            return Ok(HttpResponse::build(StatusCode::BAD_REQUEST).finish());
        }
        find_and_send_later(env, &request, address, false, DjoserEmail::Activation);
    }
    Ok(no_content())
}

/// `POST users/set_password/` `{new_password, current_password}` by the logged-in user.
async fn set_password(
    guard: UserGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let RequestUser::User(user) = guard.auth().user() else {
        return Err(ApiError::not_authenticated().into());
    };
    let fields = throttled_fields(&request, env, payload).await?;
    let settings = env.settings();
    let retype = settings.djoser.set_password_retype;
    let mut errors = Errors::default();
    let password = new_password_fields(&mut errors, &fields, retype);
    errors.current_password(env, &fields, user).await?;
    errors.check()?;
    let Some((new, again)) = password else {
        return Err(field_error("new_password", auth_core::messages::FIELD_REQUIRED).into());
    };
    validate_new_password(env, guard.auth().user(), &new, again.as_deref())?;
    let encoded = auth_core::accounts::make_password(env, &new).await?;
    settings
        .user_model
        .save_password_and_last_login(env.db(), user.id, encoded, None)
        .await
        .map_err(ApiError::store_failure)?;
    if let Some(cache) = env.services().credential_cache() {
        cache.forget_user(user.id);
    }
    if settings.djoser.password_changed_email_confirmation {
        send_later(env, &request, user, DjoserEmail::PasswordChanged);
    }
    if settings.djoser.logout_on_password_change {
        delete_tokens(env, user).await?;
    }
    Ok(no_content())
}

/// `UsernameSerializer`'s `new_<USERNAME_FIELD>` (the model's field, renamed: its validators as
/// at registration) and, with `retype`, `UsernameRetypeSerializer`'s `re_new_<USERNAME_FIELD>`
/// (a `CharField`): their errors into `errors`, in that order.
async fn new_username_fields(
    env: &Environment,
    errors: &mut Errors,
    fields: &Fields,
    retype: bool,
) -> Result<Option<(String, Option<String>)>, ApiError> {
    let field = env.settings().user_model.username_field();
    let name = format!("new_{field}");
    let new = model_user_fields::username(env, fields.get(&name), None)
        .await?
        .map_err(|messages| errors.0.push((name, messages)))
        .ok();
    let again = if retype {
        errors.char(fields, &format!("re_new_{field}"))
    } else {
        None
    };
    Ok(new.map(|new| (new, again)))
}

/// `UsernameRetypeSerializer.validate`: the two names must match (a non-field error).
fn check_username_retype(
    env: &Environment,
    new: &str,
    again: Option<&str>,
) -> Result<(), ApiError> {
    match again {
        Some(again) if again != new => Err(auth_core::char_field::non_field_error(
            &djoser::USERNAME_MISMATCH_ERROR
                .replace("{0}", env.settings().user_model.username_field()),
        )),
        _ => Ok(()),
    }
}

/// Saves the new name (and `last_login`), forgets the user's cached credentials (which hold the
/// old name), and sends the username-changed email when configured.
async fn save_new_username(
    env: &Environment,
    request: &HttpRequest,
    user: &User,
    username: String,
    last_login: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<(), ApiError> {
    env.settings()
        .user_model
        .save_username(env.db(), user.id, &username, last_login)
        .await
        .map_err(ApiError::store_failure)?;
    if let Some(cache) = env.services().credential_cache() {
        cache.forget_user(user.id);
    }
    if env.settings().djoser.username_changed_email_confirmation {
        let mut renamed = user.clone();
        renamed.username = username;
        send_later(env, request, &renamed, DjoserEmail::UsernameChanged);
    }
    Ok(())
}

/// `POST users/set_<USERNAME_FIELD>/` `{current_password, new_<USERNAME_FIELD>}` by the
/// logged-in user (`SetUsernameSerializer`: `current_password`, then the new name).
async fn set_username(
    guard: UserGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let RequestUser::User(user) = guard.auth().user() else {
        return Err(ApiError::not_authenticated().into());
    };
    let fields = throttled_fields(&request, env, payload).await?;
    let retype = env.settings().djoser.set_username_retype;
    let mut errors = Errors::default();
    errors.current_password(env, &fields, user).await?;
    let names = new_username_fields(env, &mut errors, &fields, retype).await?;
    errors.check()?;
    let Some((new, again)) = names else {
        return Err(field_error("current_password", auth_core::messages::FIELD_REQUIRED).into());
    };
    check_username_retype(env, &new, again.as_deref())?;
    save_new_username(env, &request, user, new, None).await?;
    Ok(no_content())
}

/// `POST users/reset_<USERNAME_FIELD>_confirm/` `{uid, token, new_<USERNAME_FIELD>}`: the name
/// is set and `last_login` moved to now, so the link cannot be used again.
///
/// djoser's `UsernameResetConfirmSerializer` is a `ModelSerializer` whose `Meta.fields` name
/// only the username: `uid` and `token` are not fields, so they are read raw from the body
/// after the name's errors (a missing `uid` is an invalid one, never "This field is required.").
async fn reset_username_confirm(
    _guard: OpenGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let fields = throttled_fields(&request, env, payload).await?;
    let retype = env.settings().djoser.username_reset_confirm_retype;
    let mut errors = Errors::default();
    let names = new_username_fields(env, &mut errors, &fields, retype).await?;
    errors.check()?;
    let Some((new, again)) = names else {
        return Err(field_error("uid", djoser::INVALID_UID_ERROR).into());
    };
    check_username_retype(env, &new, again.as_deref())?;
    let user = user_of_link(env, &fields).await?;
    let now = env.services().clock().now();
    save_new_username(env, &request, &user, new, Some(now)).await?;
    Ok(no_content())
}

/// `POST token/login/` `{<LOGIN_FIELD>, password}`: the user's DRF token, made on first use;
/// `last_login` moves to now (Django's `user_logged_in` receiver).
async fn token_login(
    _guard: OpenGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let fields = throttled_fields(&request, env, payload).await?;
    let settings = env.settings();
    // `password` then `LOGIN_FIELD`, both `CharField(required=False)`.
    let login_field = settings.user_model.username_field();
    let mut errors = Errors::default();
    let optional = |errors: &mut Errors, name: &str| match fields.get(name) {
        None => None,
        Some(_) => errors.char(&fields, name),
    };
    let password = optional(&mut errors, "password");
    let login = optional(&mut errors, login_field);
    errors.check()?;
    let user = match (login, password) {
        (Some(login), Some(password)) => {
            auth_core::accounts::authenticate(env, &login, &password).await?
        }
        _ => None,
    };
    let Some(user) = user else {
        return Err(
            auth_core::char_field::non_field_error(djoser::INVALID_CREDENTIALS_ERROR).into(),
        );
    };
    let token = token::get_or_create(env.db(), user.id)
        .await
        .map_err(ApiError::store_failure)?;
    settings
        .user_model
        .touch_last_login(env.db(), user)
        .await
        .map_err(ApiError::store_failure)?;
    Ok(json_response(
        StatusCode::OK,
        serde_json::json!({ "auth_token": token.key }).to_string(),
    ))
}

/// `UserSerializer` / `UserCreateSerializer`'s representation: `REQUIRED_FIELDS` (`email`),
/// then, for the created user, `USERNAME_FIELD` and `id`; for `me`, `id` then `USERNAME_FIELD`.
fn user_body(user: &User, username_field: &str, id_first: bool) -> String {
    let mut body = Map::new();
    body.insert("email".to_owned(), Value::from(user.email.clone()));
    if id_first {
        body.insert("id".to_owned(), user.id.to_json());
        body.insert(
            username_field.to_owned(),
            Value::from(user.username.clone()),
        );
    } else {
        body.insert(
            username_field.to_owned(),
            Value::from(user.username.clone()),
        );
        body.insert("id".to_owned(), user.id.to_json());
    }
    Value::Object(body).to_string()
}

fn json_response(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        ))
        .body(body)
}

/// `POST users/` `{email, username, password}`: a new user (`create_user`), 201 with its
/// `email`, `username` and `id`; inactive, with the activation email, under
/// `SEND_ACTIVATION_EMAIL`.
async fn users_create(
    _guard: OpenGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let fields = throttled_fields(&request, env, payload).await?;
    let settings = env.settings();
    let username_field = settings.user_model.username_field().to_owned();
    let mut errors = Errors::default();
    let email = model_user_fields::email(fields.get("email"))
        .map_err(|messages| errors.0.push(("email".to_owned(), messages)))
        .ok()
        .flatten()
        .unwrap_or_default();
    let username = model_user_fields::username(env, fields.get(&username_field), None)
        .await?
        .map_err(|messages| errors.0.push((username_field.clone(), messages)))
        .ok();
    let password = errors.char(&fields, "password");
    errors.check()?;
    let (Some(username), Some(password)) = (username, password) else {
        return Err(field_error("password", auth_core::messages::FIELD_REQUIRED).into());
    };
    // `validate`: Django's validators against the user about to be made, under `password`.
    let candidate = UserAttributes::of_user(&username_field, &username, "", "", &email);
    check_password_rules(env, &password, Some(&candidate), "password")?;
    let created = auth_core::accounts::create_user(
        env,
        &username,
        auth_core::accounts::UserFields {
            email: &email,
            password: Some(&password),
            is_staff: false,
            is_superuser: false,
        },
    )
    .await;
    let mut user = match created {
        Ok(user) => user,
        // `IntegrityError` (the name taken meanwhile, or equal once NFKC-normalised): the
        // serializer's `fail()` raised in `save()`, outside validation — a bare list.
        Err(auth_core::accounts::CreateUserError::UsernameTaken) => {
            return Ok(json_response(
                StatusCode::BAD_REQUEST,
                Value::from(vec![djoser::CANNOT_CREATE_USER_ERROR]).to_string(),
            ));
        }
        Err(error) => return Err(ApiError::store_failure(error).into()),
    };
    let djoser = &settings.djoser;
    if djoser.send_activation_email {
        settings
            .user_model
            .save_is_active(env.db(), user.id, false)
            .await
            .map_err(ApiError::store_failure)?;
        user.is_active = false;
        send_later(env, &request, &user, DjoserEmail::Activation);
    } else if djoser.send_confirmation_email {
        send_later(env, &request, &user, DjoserEmail::Confirmation);
    }
    Ok(json_response(
        StatusCode::CREATED,
        user_body(&user, &username_field, false),
    ))
}

/// `GET users/`: the logged-in user alone (`HIDE_USERS`), every user for staff.
async fn users_list(
    guard: UserGuard,
    request: HttpRequest,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let RequestUser::User(user) = guard.auth().user() else {
        return Err(ApiError::not_authenticated().into());
    };
    let users = env.settings().user_model.clone();
    let listed = if user.is_staff {
        users
            .find_all(env.db())
            .await
            .map_err(ApiError::store_failure)?
    } else {
        vec![(**user).clone()]
    };
    let field = users.username_field();
    let items: Vec<String> = listed
        .iter()
        .map(|user| user_body(user, field, true))
        .collect();
    Ok(json_response(
        StatusCode::OK,
        format!("[{}]", items.join(",")),
    ))
}

/// `users/me/`: the logged-in user's `GET`, `PUT`, `PATCH` and `DELETE`.
async fn users_me(
    guard: UserGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let RequestUser::User(user) = guard.auth().user() else {
        return Err(ApiError::not_authenticated().into());
    };
    let target = (**user).clone();
    user_action(&guard, &request, payload, target).await
}

/// `users/{id}/`: the same actions on the user `id` names. Another user is staff's only: to
/// anyone else it is 404 "Not found." (`HIDE_USERS`), or 403 for `DELETE`, as djoser's
/// `permission_denied` answers; an id that names nobody is Django's "No User matches the given
/// query.".
async fn users_detail(
    guard: UserGuard,
    request: HttpRequest,
    payload: web::Payload,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let RequestUser::User(user) = guard.auth().user() else {
        return Err(ApiError::not_authenticated().into());
    };
    let users = &env.settings().user_model;
    // DRF's `get_object_or_404` turns a value the key cannot take into a bare 404.
    let Some(id) = users.id_kind().to_python(&id) else {
        return Err(ApiError::new(auth_core::error::ErrorKind::NotFound).into());
    };
    let Some(target) = users
        .find_by_id(env.db(), id)
        .await
        .map_err(ApiError::store_failure)?
    else {
        return Err(ApiError::new(auth_core::error::ErrorKind::NotFound)
            .with_detail("No User matches the given query.")
            .into());
    };
    if !user.is_staff && target.id != user.id {
        return Err(if request.method() == actix_web::http::Method::DELETE {
            ApiError::permission_denied(auth_core::messages::PERMISSION_DENIED)
        } else {
            ApiError::new(auth_core::error::ErrorKind::NotFound)
        }
        .into());
    }
    user_action(&guard, &request, payload, target).await
}

/// `retrieve`, `update`, `partial_update` or `destroy` of `target` by the request's user.
async fn user_action(
    guard: &UserGuard,
    request: &HttpRequest,
    payload: web::Payload,
    target: User,
) -> Result<HttpResponse, ApiErrorResponse> {
    use actix_web::http::Method;

    let runtime = runtime_of(request)?;
    let env = runtime.env();
    let settings = env.settings();
    let field = settings.user_model.username_field();
    let RequestUser::User(user) = guard.auth().user() else {
        return Err(ApiError::not_authenticated().into());
    };
    match *request.method() {
        Method::GET => Ok(json_response(
            StatusCode::OK,
            user_body(&target, field, true),
        )),
        Method::DELETE => {
            // `UserDeleteSerializer`: the request user's own password, whoever is deleted.
            let fields = throttled_fields(request, env, payload).await?;
            let mut errors = Errors::default();
            errors.current_password(env, &fields, user).await?;
            errors.check()?;
            if target.id == user.id {
                delete_tokens(env, &target).await?;
            }
            auth_core::store::delete_user(env.db(), &settings.user_model, target.id)
                .await
                .map_err(ApiError::store_failure)?;
            if let Some(cache) = env.services().credential_cache() {
                cache.forget_user(target.id);
            }
            Ok(no_content())
        }
        _ => {
            // `update` / `partial_update` of `UserSerializer`: only `email` is writable.
            let fields = Fields::read(request, payload, settings).await?;
            let email = model_user_fields::email(fields.get("email"))
                .map_err(|messages| ApiError::validation(vec![("email".to_owned(), messages)]))?;
            let mut target = target;
            if let Some(email) = email {
                let deactivate = settings.djoser.send_activation_email && email != target.email;
                settings
                    .user_model
                    .save_email(env.db(), target.id, &email, deactivate.then_some(false))
                    .await
                    .map_err(ApiError::store_failure)?;
                if deactivate {
                    target.is_active = false;
                }
                target.email = email;
                if let Some(cache) = env.services().credential_cache() {
                    cache.forget_user(target.id);
                }
            }
            // `perform_update`: an inactive user is sent the activation link again.
            if settings.djoser.send_activation_email && !target.is_active {
                send_later(env, request, &target, DjoserEmail::Activation);
            }
            Ok(json_response(
                StatusCode::OK,
                user_body(&target, field, true),
            ))
        }
    }
}

/// Deletes every DRF token of `user` (djoser's `logout_user`), and forgets them in the cache.
async fn delete_tokens(env: &Environment, user: &User) -> Result<(), ApiError> {
    let found = token::find_for_user(env.db(), user.id)
        .await
        .map_err(ApiError::store_failure)?;
    token::delete_for_user(env.db(), user.id)
        .await
        .map_err(ApiError::store_failure)?;
    if let (Some(found), Some(cache)) = (found, env.services().credential_cache()) {
        cache.forget_token(&found.key);
    }
    Ok(())
}

/// `POST token/logout/`: deletes the user's DRF tokens; 204.
async fn token_logout(
    guard: UserGuard,
    request: HttpRequest,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let RequestUser::User(user) = guard.auth().user() else {
        return Err(ApiError::not_authenticated().into());
    };
    delete_tokens(runtime.env(), user).await?;
    Ok(no_content())
}
