//! dj-rest-auth's cookie-aware token refresh (`get_refresh_view()` in `dj_rest_auth/jwt_auth.py`,
//! mounted as its `token/refresh/`): the refresh token from the body, or else from the
//! `JWT_AUTH_REFRESH_COOKIE` cookie; the new access token set in the `JWT_AUTH_COOKIE` cookie
//! and answered with its `access_expiration`.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use auth_core::ApiError;
use auth_core::date_time_field::date_time_field;
use auth_core::simplejwt::messages;
use auth_core::simplejwt_serializers as serializers;
use chrono::TimeDelta;
use serde_json::Value;

use crate::default_response_headers::DefaultResponseHeaders;
use crate::error::ApiErrorResponse;
use crate::guard::{PolicyGuard, method_not_allowed};
use crate::post_data;
use crate::routed_handler::{DeclaredName, declared};
use crate::runtime::runtime_of;

/// `CookieTokenRefreshSerializer`'s refusal when neither the body nor the cookie has a token.
pub const NO_VALID_REFRESH_TOKEN: &str = "No valid refresh token found.";

const COOKIE_REFRESH: &str = "auth_actix::dj_rest_auth::token_refresh";
inventory::submit!(DeclaredName(COOKIE_REFRESH));

/// `path` answering `POST` as dj-rest-auth's `RefreshViewWithCookieSupport` (simplejwt's
/// `TokenRefreshView` with the cookie serializer): no authentication, no permissions, other
/// methods DRF's 405.
pub fn cookie_token_refresh_resource(path: &str) -> actix_web::Resource {
    web::resource(path)
        .name(COOKIE_REFRESH)
        .app_data(DefaultResponseHeaders::methods(&["POST"]))
        .route(web::post().to(declared(refresh)))
        .default_service(web::to(method_not_allowed::<(), ()>()))
}

async fn refresh(
    _guard: PolicyGuard<(), ()>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let settings = env.settings();
    let jwt = settings.simple_jwt_or_default()?;
    let cookies = &settings.jwt_cookies;
    let answer = async {
        let (body, post) = post_data::read(&request, payload, settings).await?;
        // `refresh = CharField(required=False)`: validated when sent; then, when empty, the
        // cookie.
        let sent = post_data::optional_char_field(&body, &post, "refresh", true)?;
        let from_cookie = || {
            cookies
                .refresh_cookie
                .as_deref()
                .and_then(|name| request.cookie(name))
                .map(|cookie| cookie.value().to_owned())
        };
        let token = match sent.filter(|text| !text.is_empty()).or_else(from_cookie) {
            Some(token) => token,
            None => {
                return Err(ApiError::authentication_failed(NO_VALID_REFRESH_TOKEN)
                    .with_code(messages::CODE_TOKEN_NOT_VALID)
                    .with_dict_detail(Vec::new()));
            }
        };
        serializers::refresh(env, &jwt, &token).await
    }
    .await;
    let mut body = match answer {
        Ok(body) => body,
        Err(error) => return Err(serializers::view_error(&jwt, error).into()),
    };
    let now = env.services().clock().now();
    let mut response = HttpResponse::Ok();
    response.insert_header((
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    ));
    let lifetime = |duration: std::time::Duration| {
        now.checked_add_signed(TimeDelta::from_std(duration).unwrap_or(TimeDelta::MAX))
            .unwrap_or(now)
    };
    if let Some(Value::String(access)) = body.get("access") {
        if let Some(cookie) = cookies.access_cookie(access, jwt.access_token_lifetime, now) {
            response.append_header((header::SET_COOKIE, cookie));
        }
        body.insert(
            "access_expiration".to_owned(),
            Value::from(date_time_field(lifetime(jwt.access_token_lifetime))),
        );
    }
    if let Some(Value::String(refresh)) = body.get("refresh").cloned() {
        if let Some(cookie) = cookies.refresh_cookie(&refresh, jwt.refresh_token_lifetime, now) {
            response.append_header((header::SET_COOKIE, cookie));
        }
        if cookies.http_only {
            body.shift_remove("refresh");
        } else {
            body.insert(
                "refresh_expiration".to_owned(),
                Value::from(date_time_field(lifetime(jwt.refresh_token_lifetime))),
            );
        }
    }
    Ok(response.body(Value::Object(body).to_string()))
}
