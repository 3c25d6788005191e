//! dj-rest-auth 7.2.0's `LoginView` and `LogoutView` (`dj_rest_auth/views.py`), in its JWT mode
//! (`USE_JWT`) and its token mode, with `SESSION_LOGIN`, as the `REST_AUTH` settings say.
//!
//! `web::scope("/dj-rest-auth").configure(auth_actix::views::dj_rest_auth_endpoints)` mounts
//! `login/`, `logout/`, `token/verify/` and `token/refresh/` as dj-rest-auth's `urls.py` does in
//! JWT mode, and with the `accounts` feature `user/` and `password/change/`
//! (`rest_auth_account_views`), `password/reset/` and `password/reset/confirm/`
//! (`rest_auth_password_reset_views`); [`rest_auth_login_resource`] and [`rest_auth_logout_resource`]
//! mount one anywhere.
//!
//! With `SESSION_LOGIN` (dj-rest-auth's default) the app needs
//! [`SessionMiddleware`](crate::SessionMiddleware), which sends the session's cookies (without
//! it the views answer 500 rather than log in without a session).
//!
//! As in dj-rest-auth, both views run the project's default authentication (a session's POST
//! needs its CSRF token), allow anyone, and are throttled by the default throttles under scope
//! `dj_rest_auth`. Login additionally counts against the `login` scope before any password is
//! checked, as every login endpoint here.
//!
//! Divergences, secure by default (`docs/simplejwt.md` lists them):
//! * logout without a refresh token (dj-rest-auth's 401 "Refresh token was not included …") or
//!   with a JSON `null` one (its 200) answers as dj-rest-auth but writes no row: dj-rest-auth
//!   blacklists a token it has just made up (`RefreshToken(None)`), leaving an outstanding and a
//!   blacklisted row owned by nobody;
//! * logout with a body that is not a JSON object (dj-rest-auth: a 500 "An error has
//!   occurred.") is 401 "Refresh token was not included in request data.";
//! * login by an email two accounts share is the usual 400 (see `login_serializer`);
//! * `GET logout/` is always 405 (dj-rest-auth logs out on GET when allauth's
//!   `ACCOUNT_LOGOUT_ON_GET` is set).

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use auth_core::ApiError;
use auth_core::char_field::Input;
use auth_core::compat::python::json::loads as json_parser;
use auth_core::date_time_field::date_time_field;
use auth_core::login_serializer;
use auth_core::policy::DefaultThrottles;
use auth_core::simplejwt_serializers as serializers;
use auth_core::store::token;
use auth_core::throttling::{
    LoginScope, ScopedRateThrottle, ThrottleClasses, ThrottleContext, ThrottleScope,
};
use auth_core::user::{AuthInfo, RequestUser, User};
use chrono::TimeDelta;
use serde_json::{Map, Value};

use crate::default_response_headers::DefaultResponseHeaders;
use crate::error::ApiErrorResponse;
use crate::guard::{PolicyGuard, method_not_allowed};
use crate::post_data::{self, PostData};
use crate::request_view::HttpRequestView;
use crate::routed_handler::{DeclaredName, declared};
use crate::runtime::runtime_of;
use crate::simplejwt_views::TokenView;
use crate::{AllowAny, jwt_cookie_views};

auth_core::declare_throttle_scope!(
    /// dj-rest-auth's views' `throttle_scope`.
    pub DjRestAuthScope = "dj_rest_auth"
);

/// The views' policy: the project's schemes and throttles (scope `dj_rest_auth`), `AllowAny`.
pub(crate) type RestAuthGuard = PolicyGuard<
    auth_core::policy::DefaultAuthentication,
    AllowAny,
    DefaultThrottles,
    DjRestAuthScope,
>;

/// `LogoutView`'s answer.
pub const SUCCESSFULLY_LOGGED_OUT: &str = "Successfully logged out.";
/// `LogoutView`'s answer when neither `USE_JWT`, `SESSION_LOGIN` nor a token authenticates.
pub const SHOULD_BE_LOGGED_IN: &str =
    "You should be logged in to logout. Check whether the token is passed.";
/// `LogoutView` in JWT mode with `JWT_AUTH_HTTPONLY` and no refresh cookie.
pub const REFRESH_NOT_IN_COOKIE: &str = "Refresh token was not included in cookie data.";
/// `LogoutView` in JWT mode without `JWT_AUTH_HTTPONLY` and no `refresh` in the body.
pub const REFRESH_NOT_IN_DATA: &str = "Refresh token was not included in request data.";
/// `LogoutView` in JWT mode with neither the blacklist app nor `JWT_AUTH_COOKIE`.
pub const TOKEN_NOT_DELETED: &str = "Neither cookies or blacklist are enabled, so the token has \
                                     not been deleted server side. Please make sure the token is \
                                     deleted client side.";

const LOGIN: &str = "auth_actix::dj_rest_auth::login";
const LOGOUT: &str = "auth_actix::dj_rest_auth::logout";
inventory::submit!(DeclaredName(LOGIN));
inventory::submit!(DeclaredName(LOGOUT));

/// Registers `login/`, `logout/`, `token/verify/` and `token/refresh/` (the last two are
/// simplejwt's verify view and dj-rest-auth's cookie-aware refresh view), and with the
/// `accounts` feature `user/`, `password/change/`, `password/reset/` and
/// `password/reset/confirm/` (trailing slash optional).
pub fn dj_rest_auth_endpoints(config: &mut web::ServiceConfig) {
    config
        .service(rest_auth_login_resource("/login/"))
        .service(rest_auth_logout_resource("/logout/"))
        .service(TokenView::TokenVerify.resource("/token/verify/"))
        .service(jwt_cookie_views::cookie_token_refresh_resource(
            "/token/refresh/",
        ));
    // `re_path(r'user/?$')`, `re_path(r'password/change/?$')`.
    // `password/reset/?$` and `password/reset/confirm/?$` too.
    #[cfg(feature = "accounts")]
    for slash in ["/", ""] {
        use crate::rest_auth_password_reset_views as reset;
        config
            .service(crate::rest_auth_account_views::rest_auth_user_resource(
                &format!("/user{slash}"),
            ))
            .service(
                crate::rest_auth_account_views::rest_auth_password_change_resource(&format!(
                    "/password/change{slash}"
                )),
            )
            .service(reset::rest_auth_password_reset_resource(&format!(
                "/password/reset{slash}"
            )))
            .service(reset::rest_auth_password_reset_confirm_resource(&format!(
                "/password/reset/confirm{slash}"
            )));
    }
}

/// `path` answering `POST` as dj-rest-auth's `LoginView`; other methods DRF's 405 (after the
/// view's authentication, as DRF).
pub fn rest_auth_login_resource(path: &str) -> actix_web::Resource {
    open_post_resource(path, LOGIN).route(web::post().to(declared(login)))
}

/// The resource of a dj-rest-auth view that answers `POST` and allows anyone (the route is the
/// caller's): `Allow: POST, OPTIONS`, and another method DRF's 405 after the project's
/// authentication.
pub(crate) fn open_post_resource(path: &str, name: &str) -> actix_web::Resource {
    web::resource(path)
        .name(name)
        .app_data(DefaultResponseHeaders::methods(&["POST"]))
        .default_service(web::to(method_not_allowed::<
            auth_core::policy::DefaultAuthentication,
            AllowAny,
        >()))
}

/// `path` answering `POST` as dj-rest-auth's `LogoutView`; other methods DRF's 405 (`Allow`
/// names `GET`, which the view defines to refuse).
pub fn rest_auth_logout_resource(path: &str) -> actix_web::Resource {
    web::resource(path)
        .name(LOGOUT)
        .app_data(DefaultResponseHeaders::methods(&["GET", "POST"]))
        .route(web::post().to(declared(logout)))
        .default_service(web::to(method_not_allowed::<
            auth_core::policy::DefaultAuthentication,
            AllowAny,
        >()))
}

pub(crate) fn json_response(status: StatusCode, body: Value) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        ))
        .body(body.to_string())
}

fn append_cookie(response: &mut HttpResponse, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// `UserDetailsSerializer`: `pk`, the username field, `email`, `first_name`, `last_name`.
pub(crate) fn user_details(user: &User, username_field: &str) -> Value {
    let mut details = Map::new();
    details.insert("pk".to_owned(), user.id.to_json());
    details.insert(
        username_field.to_owned(),
        Value::from(user.username.clone()),
    );
    if !details.contains_key("email") {
        details.insert("email".to_owned(), Value::from(user.email.clone()));
    }
    details.insert(
        "first_name".to_owned(),
        Value::from(user.first_name.clone()),
    );
    details.insert("last_name".to_owned(), Value::from(user.last_name.clone()));
    Value::Object(details)
}

/// The login serializer's fields from a parsed body (form fields, the last of a repeated one,
/// or the JSON object; an empty body is an empty form).
fn login_fields(
    body: &web::Bytes,
    post: &PostData,
) -> Result<login_serializer::LoginFields, ApiError> {
    match post {
        PostData::Invalid(error) => Err(error.clone()),
        PostData::Fields(form) => login_serializer::fields(|name| {
            form.iter()
                .rev()
                .find(|(key, _)| key == name)
                .map(|(_, value)| Input::Text(value))
        }),
        PostData::NoFields if body.is_empty() => login_serializer::fields(|_| None),
        PostData::NoFields => {
            let value = json_parser::parse(body).map_err(post_data::json_parse_error)?;
            let object = auth_core::char_field::json_object(&value)?;
            login_serializer::fields(|name| object.get(name).map(Input::Json))
        }
    }
}

/// `LoginView.post`: the serializer, then `login()` and `get_response()`.
async fn login(
    guard: RestAuthGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let settings = runtime.settings();
    // Brute-force protection: the login scope's rate per client, before any password.
    let view = HttpRequestView::new(&request, settings);
    let throttle_cx = ThrottleContext {
        request: &view,
        user: &RequestUser::Anonymous,
        auth: &AuthInfo::None,
        env,
        scope: LoginScope::SCOPE,
    };
    ScopedRateThrottle.check(&throttle_cx).await?;
    let (body, post) = post_data::read(&request, payload, settings).await?;
    let fields = login_fields(&body, &post)?;
    let user = login_serializer::validate(env, &fields).await?;

    let modes = &settings.rest_auth;
    let now = env.services().clock().now();
    let response = if modes.use_jwt {
        let jwt = settings.simple_jwt_or_default()?;
        let (Value::Object(mut body), access, refresh) = jwt_pair_body(env, &user).await? else {
            return Err(ApiError::store_failure("the JWT body is not an object").into());
        };
        let cookies = &settings.jwt_cookies;
        // "Wasnt sure if the serializer needed this": dj-rest-auth blanks it for scripts.
        if cookies.http_only {
            body.insert("refresh".to_owned(), Value::from(""));
        }
        if cookies.return_expiration {
            let at = |lifetime: std::time::Duration| {
                let lifetime = TimeDelta::from_std(lifetime).unwrap_or(TimeDelta::MAX);
                date_time_field(now.checked_add_signed(lifetime).unwrap_or(now))
            };
            body.insert(
                "access_expiration".to_owned(),
                Value::from(at(jwt.access_token_lifetime)),
            );
            body.insert(
                "refresh_expiration".to_owned(),
                Value::from(at(jwt.refresh_token_lifetime)),
            );
        }
        let mut response = json_response(StatusCode::OK, Value::Object(body));
        if let Some(cookie) = cookies.access_cookie(&access, jwt.access_token_lifetime, now) {
            append_cookie(&mut response, &cookie);
        }
        if let Some(cookie) = cookies.refresh_cookie(&refresh, jwt.refresh_token_lifetime, now) {
            append_cookie(&mut response, &cookie);
        }
        response
    } else {
        // `TOKEN_CREATOR`: `Token.objects.get_or_create(user=user)`.
        let token = token::get_or_create(runtime.db(), user.id)
            .await
            .map_err(ApiError::store_failure)?;
        json_response(StatusCode::OK, serde_json::json!({ "key": token.key }))
    };
    if modes.session_login {
        guard.auth().login(&user).await?;
    }
    Ok(response)
}

/// `JWTSerializer`'s body for a new pair of `user` (`jwt_encode(user)`): `access`, `refresh`,
/// `user`; with the two tokens.
pub(crate) async fn jwt_pair_body(
    env: &auth_core::environment::Environment,
    user: &User,
) -> Result<(Value, String, String), ApiError> {
    let settings = env.settings();
    let jwt = settings.simple_jwt_or_default()?;
    let pair = serializers::pair_for_user(env, &jwt, user).await?;
    let text = |name: &str| {
        pair.get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let (access, refresh) = (text("access"), text("refresh"));
    let mut body = Map::new();
    body.insert("access".to_owned(), Value::from(access.clone()));
    body.insert("refresh".to_owned(), Value::from(refresh.clone()));
    body.insert(
        "user".to_owned(),
        user_details(user, settings.user_model.username_field()),
    );
    Ok((Value::Object(body), access, refresh))
}

/// The `refresh` member of the body as `request.data['refresh']` reads it.
enum RefreshField {
    /// `KeyError` (and, here, a body that is not an object).
    Missing,
    /// JSON `null`: dj-rest-auth makes a new token of it.
    Null,
    /// A string (a form field, or a JSON string).
    Text(String),
    /// Another JSON type: PyJWT refuses it as "Token is invalid".
    Other,
}

fn refresh_field(body: &web::Bytes, post: &PostData) -> Result<RefreshField, ApiError> {
    match post {
        PostData::Invalid(error) => Err(error.clone()),
        PostData::Fields(form) => Ok(form
            .iter()
            .rev()
            .find(|(key, _)| key == "refresh")
            .map_or(RefreshField::Missing, |(_, value)| {
                RefreshField::Text(value.clone())
            })),
        PostData::NoFields if body.is_empty() => Ok(RefreshField::Missing),
        PostData::NoFields => {
            let value = json_parser::parse(body).map_err(post_data::json_parse_error)?;
            Ok(match value.get("refresh") {
                None => RefreshField::Missing,
                Some(Value::Null) => RefreshField::Null,
                Some(Value::String(text)) => RefreshField::Text(text.clone()),
                Some(_) => RefreshField::Other,
            })
        }
    }
}

/// `LogoutView.logout`.
async fn logout(
    guard: RestAuthGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let settings = runtime.settings();
    let modes = &settings.rest_auth;
    let auth = guard.auth();
    if auth.auth().is_none() && !modes.use_jwt && !modes.session_login {
        return Ok(json_response(
            StatusCode::BAD_REQUEST,
            serde_json::json!({ "detail": SHOULD_BE_LOGGED_IN }),
        ));
    }
    // `request.user.auth_token.delete()`: a user with a DRF token loses it.
    if let RequestUser::User(user) = auth.user() {
        let found = token::find_for_user(runtime.db(), user.id)
            .await
            .map_err(ApiError::store_failure)?;
        if let Some(found) = found {
            token::delete_for_user(runtime.db(), user.id)
                .await
                .map_err(ApiError::store_failure)?;
            if let Some(cache) = env.services().credential_cache() {
                cache.forget_token(&found.key);
            }
        }
    }
    if modes.session_login {
        auth.logout().await?;
    }

    let mut status = StatusCode::OK;
    let mut detail = SUCCESSFULLY_LOGGED_OUT.to_owned();
    let mut deletions = Vec::new();
    if modes.use_jwt {
        let jwt = settings.simple_jwt_or_default()?;
        let cookies = &settings.jwt_cookies;
        deletions = cookies.unset_cookies();
        if jwt.token_blacklist {
            let presented = if cookies.http_only {
                let from_cookie = cookies
                    .refresh_cookie
                    .as_deref()
                    .and_then(|name| request.cookie(name))
                    .map(|cookie| cookie.value().to_owned());
                match from_cookie {
                    Some(text) => RefreshField::Text(text),
                    None => {
                        status = StatusCode::UNAUTHORIZED;
                        detail = REFRESH_NOT_IN_COOKIE.to_owned();
                        RefreshField::Null
                    }
                }
            } else {
                let (body, post) = post_data::read(&request, payload, settings).await?;
                match refresh_field(&body, &post)? {
                    RefreshField::Missing => {
                        status = StatusCode::UNAUTHORIZED;
                        detail = REFRESH_NOT_IN_DATA.to_owned();
                        RefreshField::Null
                    }
                    other => other,
                }
            };
            let refused = match presented {
                // A token dj-rest-auth would make up and blacklist: nothing to do here.
                RefreshField::Null | RefreshField::Missing => None,
                RefreshField::Other => {
                    Some(auth_core::simplejwt::messages::TOKEN_IS_INVALID.to_owned())
                }
                RefreshField::Text(text) => serializers::blacklist_refresh(env, &jwt, &text)
                    .await?
                    .err()
                    .map(|error| error.message().to_owned()),
            };
            if let Some(message) = refused {
                status = StatusCode::UNAUTHORIZED;
                detail = message;
            }
        } else if cookies.access_cookie.is_none() {
            detail = TOKEN_NOT_DELETED.to_owned();
        }
    }
    let mut response = json_response(status, serde_json::json!({ "detail": detail }));
    for cookie in &deletions {
        append_cookie(&mut response, cookie);
    }
    Ok(response)
}
