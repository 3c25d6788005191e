//! A serializer's input and errors as DRF's views see them: `request.data` (a form, multipart
//! fields or a JSON object) and the field errors `to_internal_value` collects in declaration
//! order. The account views (djoser's, dj-rest-auth's) read their bodies through these, after
//! the `login` throttle scope: every view here that reads a password, a link or an email counts
//! against it first.

use actix_web::{HttpRequest, web};
use auth_core::ApiError;
use auth_core::char_field::{Input, char_field, email_field, json_object};
use auth_core::compat::python::json::loads as json_parser;
use auth_core::environment::Environment;
use auth_core::throttling::{
    LoginScope, ScopedRateThrottle, ThrottleClasses, ThrottleContext, ThrottleScope,
};
use auth_core::user::{AuthInfo, RequestUser};
use serde_json::{Map, Value};

use crate::post_data::{self, PostData};
use crate::request_view::HttpRequestView;

/// The request body as DRF's `request.data` holds it.
pub(crate) enum Fields {
    /// Form or multipart fields (the last of a repeated one counts).
    Form(Vec<(String, String)>),
    /// A JSON object.
    Json(Map<String, Value>),
    /// No body.
    Empty,
}

impl Fields {
    pub(crate) async fn read(
        request: &HttpRequest,
        payload: web::Payload,
        settings: &auth_core::settings::Settings,
    ) -> Result<Self, ApiError> {
        let (body, post) = post_data::read(request, payload, settings).await?;
        match post {
            PostData::Invalid(error) => Err(error),
            PostData::Fields(form) => Ok(Self::Form(form)),
            PostData::NoFields if body.is_empty() => Ok(Self::Empty),
            PostData::NoFields => {
                let value = json_parser::parse(&body).map_err(post_data::json_parse_error)?;
                Ok(Self::Json(json_object(&value)?.clone()))
            }
        }
    }

    pub(crate) fn get(&self, name: &str) -> Option<Input<'_>> {
        match self {
            Self::Form(form) => form
                .iter()
                .rev()
                .find(|(key, _)| key == name)
                .map(|(_, value)| Input::Text(value)),
            Self::Json(object) => object.get(name).map(Input::Json),
            Self::Empty => None,
        }
    }

    /// `initial_data.get(name, "")` when it is text: what djoser hands `decode_uid` and
    /// `check_token`, untrimmed.
    pub(crate) fn raw_text(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(text_of)
    }
}

/// The text of a form field or a JSON string.
pub(crate) fn text_of(input: Input<'_>) -> Option<&str> {
    match input {
        Input::Text(text) => Some(text),
        Input::Json(Value::String(text)) => Some(text),
        Input::Json(_) => None,
    }
}

/// Collects each field's errors in declaration order (DRF's `to_internal_value`).
#[derive(Default)]
pub(crate) struct Errors(pub(crate) Vec<(String, Vec<String>)>);

impl Errors {
    pub(crate) fn char(&mut self, fields: &Fields, name: &str) -> Option<String> {
        char_field(fields.get(name), true)
            .map_err(|message| self.0.push((name.to_owned(), vec![message.to_owned()])))
            .ok()
    }

    #[cfg(feature = "simplejwt")]
    /// A `CharField(max_length=…)` (trimmed): its value, or its errors (the length and null
    /// characters, both when both fail, as DRF runs every validator) into `self`.
    pub(crate) fn char_max(
        &mut self,
        fields: &Fields,
        name: &str,
        max_length: usize,
    ) -> Option<String> {
        let input = fields.get(name);
        use auth_core::messages;

        let too_long = || messages::MAX_LENGTH.replace("{max_length}", &max_length.to_string());
        let text = match char_field(input, true) {
            Ok(text) => text,
            Err(messages::NULL_CHARACTERS) => {
                let text = input.and_then(text_of).unwrap_or_default();
                let stripped = auth_core::compat::python::text::python_strip(text);
                let mut found = Vec::new();
                if stripped.chars().count() > max_length {
                    found.push(too_long());
                }
                found.push(messages::NULL_CHARACTERS.to_owned());
                self.0.push((name.to_owned(), found));
                return None;
            }
            Err(message) => {
                self.push(name, message);
                return None;
            }
        };
        if text.chars().count() > max_length {
            self.0.push((name.to_owned(), vec![too_long()]));
            return None;
        }
        Some(text)
    }

    pub(crate) fn email(&mut self, fields: &Fields, name: &str) -> Option<String> {
        email_field(fields.get(name))
            .map_err(|messages| self.0.push((name.to_owned(), messages)))
            .ok()
    }

    pub(crate) fn push(&mut self, name: &str, message: &str) {
        self.0.push((name.to_owned(), vec![message.to_owned()]));
    }

    pub(crate) fn check(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.0))
        }
    }
}

/// The `login` scope's rate per client, before any password, token or email is looked at.
pub(crate) async fn throttle_login(
    request: &HttpRequest,
    env: &Environment,
) -> Result<(), ApiError> {
    let view = HttpRequestView::new(request, env.settings());
    let cx = ThrottleContext {
        request: &view,
        user: &RequestUser::Anonymous,
        auth: &AuthInfo::None,
        env,
        scope: LoginScope::SCOPE,
    };
    ScopedRateThrottle.check(&cx).await
}

/// What every view starts with: the `login` throttle, then the body.
pub(crate) async fn throttled_fields(
    request: &HttpRequest,
    env: &Environment,
    payload: web::Payload,
) -> Result<Fields, ApiError> {
    throttle_login(request, env).await?;
    Fields::read(request, payload, env.settings()).await
}
