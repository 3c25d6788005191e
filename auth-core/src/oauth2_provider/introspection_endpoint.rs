//! DOT's `IntrospectTokenView` (RFC 7662): what an authorized caller learns about an access
//! token.
//!
//! The caller is a client authenticating as on the token endpoint (Basic, then the body's
//! `client_id`/`client_secret`; any client), or else a Bearer access token with the
//! `introspection` scope; anyone else gets DOT's bare 403. The token is the `token` query
//! field of a `GET` or form field of a `POST`. The answer is Django's `JsonResponse`
//! (`", "` and `": "`): `{"active": false}` for an unknown, expired (or, here, inactive user's)
//! token, else `active`, `scope`, `exp` (Unix seconds), then `client_id`, `username` and `aud`
//! when the token has an application, a user and RFC 8707 resources.
//!
//! **Safer than DOT:** a token of an inactive user is `{"active": false}` unless
//! `authenticate_inactive_users` is set, since `OAuth2Authentication` refuses it here (DOT
//! answers `active: true`, and its resource server accepts it).

use serde_json::{Map, Value};

use crate::compat::python::json::dumps::dumps;
use crate::environment::Environment;
use crate::error::ApiError;
use crate::store::oauth2_access_token::{self, checksum};
use crate::store::oauth2_application;

/// The scope a Bearer token needs to call the introspection endpoint.
pub const INTROSPECTION_SCOPE: &str = "introspection";

/// `get_token_response(token_value)`: the status and the JSON body.
pub async fn get_token_response(
    env: &Environment,
    token: Option<&str>,
) -> Result<(u16, String), ApiError> {
    let Some(token) = token else {
        let mut body = Map::new();
        body.insert("error".to_owned(), Value::from("invalid_request"));
        body.insert(
            "error_description".to_owned(),
            Value::from("Token parameter is missing."),
        );
        return Ok((400, dumps(&Value::Object(body))));
    };
    let inactive = || (200, dumps(&serde_json::json!({"active": false})));
    let users = &env.settings().user_model;
    let found = oauth2_access_token::by_checksum(env.db(), users, &checksum(token))
        .await
        .map_err(ApiError::store_failure)?;
    let Some((access_token, user)) = found else {
        return Ok(inactive());
    };
    let now = env.services().clock().now();
    if access_token.is_expired(now) {
        return Ok(inactive());
    }
    if let Some(user) = &user
        && !user.is_active
        && !env.settings().oauth2.authenticate_inactive_users
    {
        return Ok(inactive());
    }
    let mut body = Map::new();
    body.insert("active".to_owned(), Value::Bool(true));
    body.insert("scope".to_owned(), Value::from(access_token.scope.as_str()));
    body.insert(
        "exp".to_owned(),
        Value::from(access_token.expires.timestamp()),
    );
    if let Some(application_id) = access_token.application_id {
        let application = oauth2_application::by_id(env.db(), application_id)
            .await
            .map_err(ApiError::store_failure)?;
        if let Some(application) = application {
            body.insert("client_id".to_owned(), Value::from(application.client_id));
        }
    }
    if let Some(user) = user {
        body.insert("username".to_owned(), Value::from(user.username));
    }
    if access_token.resource.restricted {
        body.insert(
            "aud".to_owned(),
            Value::Array(
                access_token
                    .resource
                    .uris
                    .iter()
                    .map(|uri| Value::from(uri.as_str()))
                    .collect(),
            ),
        );
    }
    Ok((200, dumps(&Value::Object(body))))
}
