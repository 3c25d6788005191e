//! dj-rest-auth 7.2.0's `PasswordResetView` (`password/reset/`) and `PasswordResetConfirmView`
//! (`password/reset/confirm/`), as `dj_rest_auth/serializers.py` defines them with Django's
//! `PasswordResetForm` and, when django-allauth is installed (`REST_AUTH` `ALLAUTH`), with
//! `forms.py`'s `AllAuthPasswordResetForm` and allauth 65.21.1.
//!
//! [`dj_rest_auth_endpoints`](crate::views::dj_rest_auth_endpoints) mounts both (trailing slash
//! optional); [`rest_auth_password_reset_resource`] and
//! [`rest_auth_password_reset_confirm_resource`] mount one anywhere. Both run the project's
//! default authentication (a session's POST needs its CSRF token) and throttles under scope
//! `dj_rest_auth`, allow anyone, and count against the `login` scope first.
//!
//! `password/reset/` `{email}` answers 200 `{"detail":"Password reset e-mail has been sent."}`
//! for any valid address, then emails the users it names:
//! * with allauth, the address is lower-cased (allauth's `EmailField`) and every active user it
//!   names (allauth's `filter_users_by_email`: its `account_emailaddress` rows, then the users'
//!   own email column, compared after NFKC and case folding) gets allauth's
//!   `account/email/password_reset_key` email at the address as sent (lower-cased), with a link
//!   of a base36 uid and allauth's email-aware token. Making the token gives the user's own
//!   email its `account_emailaddress` row, as in allauth;
//! * without, Django's `PasswordResetForm`: every active user with a usable password whose email
//!   equals the address ignoring case (`email__iexact`, then NFKC and case folding) gets Django's
//!   `registration/password_reset_email.html` at the user's own address, with a link of the
//!   urlsafe-base64 uid and Django's token. The form's field is `EmailField(max_length=254)`:
//!   a longer address that DRF's field takes is refused by the form, an error DRF nests,
//!   `{"email":{"email":["Ensure this value has at most 254 characters (it has N)."]}}`.
//!
//! `password/reset/confirm/` `{new_password1, new_password2, uid, token}`: the uid must name a
//! user (`{"uid":["Invalid value"]}`), the token be valid for it (`{"token":["Invalid value"]}`),
//! then Django's `SetPasswordForm` (match, then the validators); the password is saved and the
//! link is spent with it. 200 `{"detail":"Password has been reset with the new password."}`.
//!
//! Divergences, each safer (`docs/accounts.md` lists them):
//! * the link comes from `REST_AUTH` `PASSWORD_RESET_CONFIRM_URL`
//!   ([`RestAuthSettings::password_reset_link`]); dj-rest-auth reverses the project's
//!   `password_reset_confirm` URL and answers 500 when there is none (and, without allauth,
//!   when `django.contrib.admin`, which holds the email's template, is not installed);
//! * the users are looked up, the token made and the email sent after the answer, so a known
//!   and an unknown address get the same answer in the same time (dj-rest-auth answers once the
//!   mail server has taken the message);
//! * a UUID uid that does not parse is `{"uid":["Invalid value"]}` (Django lets its
//!   `ValidationError` through: a 500).
//!
//! [`RestAuthSettings::password_reset_link`]: auth_core::dj_rest_auth::RestAuthSettings::password_reset_link

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use auth_core::ApiError;
use auth_core::allauth::password_reset_token;
use auth_core::allauth::user_pk_url::{url_str_to_user_pk, user_pk_to_url_str};
use auth_core::allauth::userkit::filter_users_by_email;
use auth_core::compat::python::text::splitlines;
use auth_core::django::hashers::is_password_usable;
use auth_core::django::mail::EmailMessage;
use auth_core::django::password_reset_token::UserState;
use auth_core::django::unicode_ci_compare::unicode_ci_compare;
use auth_core::django::urlsafe_base64::{urlsafe_base64_decode, urlsafe_base64_encode};
use auth_core::environment::Environment;
use auth_core::user::User;
use serde_json::json;

use crate::deferred_mail::RequestSite;
use crate::error::ApiErrorResponse;
use crate::request_fields::{Errors, throttled_fields};
use crate::rest_auth_account_views::{password_field, set_password_form};
use crate::rest_auth_views::{RestAuthGuard, json_response, open_post_resource};
use crate::routed_handler::{DeclaredName, declared};
use crate::runtime::runtime_of;

/// `PasswordResetView`'s answer.
pub const PASSWORD_RESET_SENT: &str = "Password reset e-mail has been sent.";
/// `PasswordResetConfirmView`'s answer.
pub const PASSWORD_RESET_DONE: &str = "Password has been reset with the new password.";
/// `PasswordResetConfirmSerializer`'s error for a bad `uid` or `token`.
pub const INVALID_VALUE: &str = "Invalid value";

/// allauth's template prefix of the reset email.
const RESET_EMAIL: &str = "account/email/password_reset_key";
/// Django's template of the reset email (`PasswordResetForm.save`).
const DJANGO_RESET_EMAIL: &str = "registration/password_reset_email.html";

const PASSWORD_RESET: &str = "auth_actix::dj_rest_auth::password_reset";
const PASSWORD_RESET_CONFIRM: &str = "auth_actix::dj_rest_auth::password_reset_confirm";
inventory::submit!(DeclaredName(PASSWORD_RESET));
inventory::submit!(DeclaredName(PASSWORD_RESET_CONFIRM));

/// `path` answering `POST` as dj-rest-auth's `PasswordResetView`; other methods DRF's 405.
pub fn rest_auth_password_reset_resource(path: &str) -> actix_web::Resource {
    open_post_resource(path, PASSWORD_RESET).route(web::post().to(declared(password_reset)))
}

/// `path` answering `POST` as dj-rest-auth's `PasswordResetConfirmView`; other methods DRF's
/// 405.
pub fn rest_auth_password_reset_confirm_resource(path: &str) -> actix_web::Resource {
    open_post_resource(path, PASSWORD_RESET_CONFIRM)
        .route(web::post().to(declared(password_reset_confirm)))
}

/// `POST password/reset/` `{email}`: see the module's documentation.
async fn password_reset(
    _guard: RestAuthGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let fields = throttled_fields(&request, env, payload).await?;
    let mut errors = Errors::default();
    let email = errors.email(&fields, "email");
    errors.check()?;
    let email = email.unwrap_or_default();
    let site = RequestSite::of(env, &request);
    let task_env = env.clone();
    if env.settings().rest_auth.allauth {
        // allauth's `EmailField.clean`: the address lower-cased, and so it is sent.
        let email = email.to_lowercase();
        crate::deferred_mail::send_after_answer(env, RESET_EMAIL, async move {
            reset_emails(&task_env, &site, &email)
                .await
                .map_err(|error| error.to_string())
        });
    } else {
        // `PasswordResetForm.email = EmailField(max_length=254)`, whose errors DRF nests under
        // the serializer's field.
        let length = email.chars().count();
        if length > 254 {
            let message =
                format!("Ensure this value has at most 254 characters (it has {length}).");
            return Ok(json_response(
                StatusCode::BAD_REQUEST,
                json!({ "email": { "email": [message] } }),
            ));
        }
        crate::deferred_mail::send_after_answer(env, DJANGO_RESET_EMAIL, async move {
            django_reset_emails(&task_env, &site, &email)
                .await
                .map_err(|error| error.to_string())
        });
    }
    Ok(json_response(
        StatusCode::OK,
        json!({ "detail": PASSWORD_RESET_SENT }),
    ))
}

/// Django's `PasswordResetForm.get_users` and `save`: one email per active user with a usable
/// password whose email is `email` ignoring case, at the user's own address.
async fn django_reset_emails(
    env: &Environment,
    site: &RequestSite,
    email: &str,
) -> Result<Vec<EmailMessage>, ApiError> {
    let settings = env.settings();
    let generator = settings
        .password_reset_token_generator()
        .map_err(|error| ApiError::store_failure(error.to_string()))?;
    let now = env.services().clock().now();
    let templates = &settings.mail_templates;
    let failed = |error: auth_core::templated_mail::TemplateError| ApiError::store_failure(error);
    let mut messages = Vec::new();
    let users = settings
        .user_model
        .find_all_by_email_iexact(env.db(), email)
        .await
        .map_err(ApiError::store_failure)?;
    for user in users.into_iter().filter(|user| {
        user.is_active
            && is_password_usable(Some(&user.password))
            && unicode_ci_compare(email, &user.email)
    }) {
        let pk = user.id.to_string();
        let token = generator
            .make_token(&django_state(&user, &pk), now)
            .ok_or_else(|| ApiError::store_failure("the clock is before 2001"))?;
        let uid = urlsafe_base64_encode(pk.as_bytes());
        let context = json!({
            "email": user.email,
            "domain": site.host,
            "site_name": site.host,
            "uid": uid,
            "user": { "get_username": user.username, "pk": user.id.to_json(), "email": user.email },
            "token": token,
            "protocol": site.protocol,
            "password_reset_url": link(settings, site, &uid, &token),
        });
        // `"".join(subject.splitlines())`; the body as rendered.
        let subject = templates
            .render_raw("registration/password_reset_subject.txt", &context)
            .map_err(failed)?;
        messages.push(EmailMessage {
            subject: splitlines(&subject).concat(),
            body: templates
                .render_raw(DJANGO_RESET_EMAIL, &context)
                .map_err(failed)?,
            from_email: settings.email.default_from_email.clone(),
            to: vec![user.email.clone()],
            ..EmailMessage::default()
        });
    }
    Ok(messages)
}

/// The reset link for `uid` and `token` (`default_url_generator` also turns `%3F` back into
/// `?`).
fn link(
    settings: &auth_core::settings::Settings,
    site: &RequestSite,
    uid: &str,
    token: &str,
) -> String {
    settings
        .rest_auth
        .password_reset_link()
        .format(|name| match name {
            "uid" => uid.to_owned(),
            "token" => token.to_owned(),
            "protocol" => site.protocol.to_owned(),
            _ => site.host.clone(),
        })
        .replace("%3F", "?")
}

/// `AllAuthPasswordResetForm.clean_email` and `save`: one email to `email` per active user it
/// names.
async fn reset_emails(
    env: &Environment,
    site: &RequestSite,
    email: &str,
) -> Result<Vec<EmailMessage>, ApiError> {
    let settings = env.settings();
    let mut messages = Vec::new();
    for user in filter_users_by_email(env, email, Some(true))
        .await
        .map_err(ApiError::store_failure)?
    {
        let token =
            password_reset_token::make_token(env, &user, env.services().clock().now()).await?;
        let uid = user_pk_to_url_str(user.id);
        let url = link(settings, site, &uid, &token);
        let context = json!({
            "email": email,
            "current_site": { "name": site.host, "domain": site.host },
            "user": { "pk": user.id.to_json(), "username": user.username, "email": user.email },
            "password_reset_url": url,
            "token": token,
            "uid": uid,
            // allauth's default login methods (`{"username"}`) do not include the email.
            "username": user.username,
        });
        messages.push(render(env, email, &context)?);
    }
    Ok(messages)
}

/// allauth's `render_mail`: the subject on one line behind `[<site name>] `, the message.
fn render(
    env: &Environment,
    email: &str,
    context: &serde_json::Value,
) -> Result<EmailMessage, ApiError> {
    let settings = env.settings();
    let templates = &settings.mail_templates;
    let failed = |error: auth_core::templated_mail::TemplateError| ApiError::store_failure(error);
    let subject = templates
        .render_text(&format!("{RESET_EMAIL}_subject.txt"), context)
        .map_err(failed)?;
    // `" ".join(subject.splitlines()).strip()`.
    let subject = subject
        .split([
            '\n', '\r', '\x0b', '\x0c', '\x1c', '\x1d', '\x1e', '\u{85}', '\u{2028}', '\u{2029}',
        ])
        .collect::<Vec<_>>()
        .join(" ");
    let site_name = context["current_site"]["name"].as_str().unwrap_or_default();
    let body = templates
        .render_text(&format!("{RESET_EMAIL}_message.txt"), context)
        .map_err(failed)?;
    Ok(EmailMessage {
        subject: format!(
            "[{site_name}] {}",
            auth_core::compat::python::text::python_strip(&subject)
        ),
        body,
        from_email: settings.email.default_from_email.clone(),
        to: vec![email.to_owned()],
        ..EmailMessage::default()
    })
}

/// `POST password/reset/confirm/`: see the module's documentation.
async fn password_reset_confirm(
    _guard: RestAuthGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let settings = env.settings();
    let fields = throttled_fields(&request, env, payload).await?;
    let mut errors = Errors::default();
    let first = password_field(&mut errors, &fields, "new_password1");
    let second = password_field(&mut errors, &fields, "new_password2");
    let uid = errors.char(&fields, "uid");
    let token = errors.char(&fields, "token");
    errors.check()?;
    let (Some(first), Some(second), Some(uid), Some(token)) = (first, second, uid, token) else {
        return Err(field_error("uid").into());
    };
    let user = user_of_uid(env, &uid)
        .await?
        .ok_or_else(|| field_error("uid"))?;
    let now = env.services().clock().now();
    let valid = if settings.rest_auth.allauth {
        password_reset_token::check_token(env, &user, &token, now).await?
    } else {
        let pk = user.id.to_string();
        settings
            .password_reset_token_generator()
            .map_err(|error| ApiError::store_failure(error.to_string()))?
            .check_token(&django_state(&user, &pk), &token, now)
    };
    if !valid {
        return Err(field_error("token").into());
    }
    set_password_form(settings, &user, &first, &second)?;
    let encoded = auth_core::accounts::make_password(env, &first).await?;
    settings
        .user_model
        .save_password(env.db(), user.id, encoded)
        .await
        .map_err(ApiError::store_failure)?;
    if let Some(cache) = env.services().credential_cache() {
        cache.forget_user(user.id);
    }
    Ok(json_response(
        StatusCode::OK,
        json!({ "detail": PASSWORD_RESET_DONE }),
    ))
}

/// The user `uid` names, as `UserModel._default_manager.get(pk=…)` finds it: with allauth its
/// `url_str_to_user_pk` (base36, or a UUID's hex); without, Django's `urlsafe_base64_decode`
/// then `force_str` (UTF-8) of `str(pk)`.
async fn user_of_uid(env: &Environment, uid: &str) -> Result<Option<User>, ApiError> {
    let settings = env.settings();
    let users = &settings.user_model;
    let id = if settings.rest_auth.allauth {
        url_str_to_user_pk(users.id_kind(), uid)
    } else {
        urlsafe_base64_decode(uid)
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|text| users.id_kind().to_python(&text))
    };
    let Some(id) = id else {
        return Ok(None);
    };
    users
        .find_by_id(env.db(), id)
        .await
        .map_err(ApiError::store_failure)
}

/// What Django's token binds of `user` (`pk` is `str(user.pk)`).
fn django_state<'a>(user: &'a User, pk: &'a str) -> UserState<'a> {
    UserState {
        pk,
        password: &user.password,
        last_login: user.last_login,
        email: &user.email,
    }
}

fn field_error(name: &str) -> ApiError {
    ApiError::validation(vec![(name.to_owned(), vec![INVALID_VALUE.to_owned()])])
}
