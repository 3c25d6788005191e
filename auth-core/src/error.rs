//! DRF's API exceptions (`rest_framework.exceptions`) as one error type: kind, detail, code,
//! challenge and wait.

use std::borrow::Cow;

use crate::messages;

/// Which of the reference's exceptions an [`ApiError`] is; decides its status and default text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `AuthenticationFailed`: credentials were presented and are wrong (401, or 403 without a challenge).
    AuthenticationFailed,
    /// `NotAuthenticated`: a permission needed a user and none was authenticated (401 or 403).
    NotAuthenticated,
    /// `PermissionDenied` (403).
    PermissionDenied,
    /// `Throttled` (429).
    Throttled,
    /// `NotFound` (404).
    NotFound,
    /// `MethodNotAllowed` (405).
    MethodNotAllowed,
    /// `NotAcceptable` (406): decided by content negotiation, before authentication.
    NotAcceptable,
    /// `UnsupportedMediaType` (415).
    UnsupportedMediaType,
    /// `ParseError` (400).
    ParseError,
    /// `ValidationError` (400): its body is a mapping of field names to messages.
    ValidationError,
    /// The body is larger than the configured limit (413). Ours: the reference has no such error.
    PayloadTooLarge,
    /// A store (database, cache) failed: 503 with a generic detail. Never treated as anonymous.
    ServiceUnavailable,
    /// The base `APIException` (500).
    ServerError,
    /// Django's `DisallowedHost`: the request's host is not in `ALLOWED_HOSTS`. Django answers it
    /// before any view, with its plain 400 page ([`messages::BAD_REQUEST_PAGE`]), not DRF's JSON.
    DisallowedHost,
    /// Django's `TooManyFieldsSent`: the query string has more fields than
    /// `DATA_UPLOAD_MAX_NUMBER_FIELDS`; raised when DRF's negotiation reads `query_params`, and
    /// answered, as every `SuspiciousOperation`, with Django's plain 400 page.
    TooManyFieldsSent,
    /// Another `SuspiciousOperation` raised while the view ran (DOT's `OAuth2Authentication`
    /// raises one for an invalid percent escape in the query string): Django's plain 400 page.
    SuspiciousOperation,
}

impl ErrorKind {
    /// The status this kind is sent with. Authentication kinds answer 401 here; [`ApiError::status`]
    /// turns them into 403 when no challenge is attached (the 401/403 rule of DRF's
    /// `APIView.handle_exception`).
    pub const fn default_status(self) -> u16 {
        match self {
            Self::AuthenticationFailed | Self::NotAuthenticated => 401,
            Self::PermissionDenied => 403,
            Self::Throttled => 429,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::NotAcceptable => 406,
            Self::UnsupportedMediaType => 415,
            Self::ParseError | Self::ValidationError => 400,
            Self::PayloadTooLarge => 413,
            Self::ServiceUnavailable => 503,
            Self::ServerError => 500,
            Self::DisallowedHost | Self::TooManyFieldsSent | Self::SuspiciousOperation => 400,
        }
    }

    /// The reference's default detail of this kind.
    pub const fn default_detail(self) -> &'static str {
        match self {
            Self::AuthenticationFailed => messages::AUTHENTICATION_FAILED,
            Self::NotAuthenticated => messages::NOT_AUTHENTICATED,
            Self::PermissionDenied => messages::PERMISSION_DENIED,
            Self::Throttled => messages::THROTTLED,
            Self::NotFound => messages::NOT_FOUND,
            Self::MethodNotAllowed => messages::METHOD_NOT_ALLOWED,
            Self::NotAcceptable => messages::NOT_ACCEPTABLE,
            Self::UnsupportedMediaType => messages::UNSUPPORTED_MEDIA_TYPE,
            Self::ParseError => messages::PARSE_ERROR,
            Self::ValidationError => messages::INVALID_INPUT,
            Self::PayloadTooLarge => messages::PAYLOAD_TOO_LARGE,
            Self::ServiceUnavailable => messages::SERVICE_UNAVAILABLE,
            Self::ServerError => messages::SERVER_ERROR,
            Self::DisallowedHost | Self::TooManyFieldsSent | Self::SuspiciousOperation => {
                messages::BAD_REQUEST
            }
        }
    }

    /// The reference's default code of this kind.
    pub const fn default_code(self) -> &'static str {
        match self {
            Self::AuthenticationFailed => "authentication_failed",
            Self::NotAuthenticated => "not_authenticated",
            Self::PermissionDenied => "permission_denied",
            Self::Throttled => "throttled",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::NotAcceptable => "not_acceptable",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::ParseError => "parse_error",
            Self::ValidationError => "invalid",
            Self::PayloadTooLarge => "payload_too_large",
            Self::ServiceUnavailable => "service_unavailable",
            Self::ServerError => "error",
            Self::DisallowedHost => "disallowed_host",
            Self::TooManyFieldsSent => "too_many_fields_sent",
            Self::SuspiciousOperation => "suspicious_operation",
        }
    }

    /// Whether Django answers this kind itself, with its plain 400 page (a `SuspiciousOperation`
    /// that DRF's exception handler does not handle), rather than DRF's JSON.
    pub const fn is_django_bad_request(self) -> bool {
        matches!(
            self,
            Self::DisallowedHost | Self::TooManyFieldsSent | Self::SuspiciousOperation
        )
    }

    /// Whether the 401/403 rule applies to this kind: 401 with the first scheme's
    /// `WWW-Authenticate`, or 403 when that scheme has none (DRF's `APIView.handle_exception`).
    pub const fn is_authentication_error(self) -> bool {
        matches!(self, Self::AuthenticationFailed | Self::NotAuthenticated)
    }
}

/// An API error: what DRF's exception handler (`rest_framework.views.exception_handler`) turns
/// into a response.
///
/// The detail is a reference message or one the application chose; it never carries a secret,
/// so `Debug` and `Display` are safe to log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct ApiError {
    kind: ErrorKind,
    detail: Cow<'static, str>,
    code: Cow<'static, str>,
    challenge: Option<String>,
    wait: Option<u64>,
    /// A body other than `{"detail":…}` (boxed: errors travel in `Result`s, kept small).
    body: Option<Box<Body>>,
}

/// The bodies other than DRF's plain `{"detail":…}`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Body {
    /// A validation error's body: field name (or `non_field_errors`) → messages.
    Fields(Vec<(String, Vec<String>)>),
    /// A detail that is a dict (simplejwt's `DetailDictMixin`): the members after `detail` and
    /// `code`.
    DictDetail(Vec<(String, serde_json::Value)>),
    /// An exception raised with a dict as its detail (DOT's scope permissions set `message` to
    /// `{"detail": …, "required_scopes": […]}`): the members after `detail`, no `code`.
    DetailMembers(Vec<(String, serde_json::Value)>),
}

impl ApiError {
    /// An error of `kind` with its default detail and code.
    pub fn new(kind: ErrorKind) -> Self {
        Self {
            kind,
            detail: Cow::Borrowed(kind.default_detail()),
            code: Cow::Borrowed(kind.default_code()),
            challenge: None,
            wait: None,
            body: None,
        }
    }

    /// `ValidationError` with DRF's mapping body, fields in the order given:
    /// `{"username":["This field is required."]}`.
    pub fn validation(fields: Vec<(String, Vec<String>)>) -> Self {
        let mut error = Self::new(ErrorKind::ValidationError);
        error.body = Some(Box::new(Body::Fields(fields)));
        error
    }

    /// `AuthenticationFailed(detail)`.
    pub fn authentication_failed(detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::AuthenticationFailed).with_detail(detail)
    }

    /// `NotAuthenticated()`.
    pub fn not_authenticated() -> Self {
        Self::new(ErrorKind::NotAuthenticated)
    }

    /// `PermissionDenied(detail)`.
    pub fn permission_denied(detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::PermissionDenied).with_detail(detail)
    }

    /// `MethodNotAllowed(method)`: `Method "PUT" not allowed.`
    pub fn method_not_allowed(method: &str) -> Self {
        Self::new(ErrorKind::MethodNotAllowed)
            .with_detail(messages::METHOD_NOT_ALLOWED.replace("{method}", method))
    }

    /// `NotAcceptable()`.
    pub fn not_acceptable() -> Self {
        Self::new(ErrorKind::NotAcceptable)
    }

    /// `UnsupportedMediaType(media_type)`.
    pub fn unsupported_media_type(media_type: &str) -> Self {
        Self::new(ErrorKind::UnsupportedMediaType)
            .with_detail(messages::UNSUPPORTED_MEDIA_TYPE.replace("{media_type}", media_type))
    }

    /// A store failure: 503 with the generic detail. Log the cause before calling this; the
    /// response never carries it.
    pub fn service_unavailable() -> Self {
        Self::new(ErrorKind::ServiceUnavailable)
    }

    /// A store (database, Redis, hashing threads) failed: logs the cause, which stays in the
    /// log, and returns the generic 503. A failure is never taken for "no such user".
    pub fn store_failure(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "authentication store failure");
        Self::service_unavailable()
    }

    /// `Throttled(wait, detail)` built as DRF's `Throttled.__init__` builds it: the wait is rounded
    /// up, the detail gets `Expected available in N second(s).` appended, and `Retry-After`
    /// carries the rounded wait unless it is zero.
    pub fn throttled(wait: Option<f64>, detail: Option<&str>) -> Self {
        let mut text = detail.unwrap_or(messages::THROTTLED).to_owned();
        let wait = wait.map(|seconds| {
            // Saturating float→int cast: a NaN or negative wait counts as 0, as `math.ceil`
            // would produce for the reference's non-negative waits.
            let seconds = seconds.ceil().max(0.0) as u64;
            let template = if seconds == 1 {
                messages::EXPECTED_AVAILABLE_SECOND
            } else {
                messages::EXPECTED_AVAILABLE_SECONDS
            };
            text.push(' ');
            text.push_str(&template.replace("{wait}", &seconds.to_string()));
            seconds
        });
        let mut error = Self::new(ErrorKind::Throttled).with_detail(text);
        error.wait = wait;
        error
    }

    /// Replaces the detail.
    #[must_use]
    pub fn with_detail(mut self, detail: impl Into<Cow<'static, str>>) -> Self {
        self.detail = detail.into();
        self
    }

    /// Makes the detail a dict, as simplejwt's `DetailDictMixin` raises it: the body becomes
    /// `{"detail":…,"code":…}` followed by `members` in order (`[]` for just the two), where DRF
    /// renders a plain `{"detail":…}`.
    #[must_use]
    pub fn with_dict_detail(mut self, members: Vec<(String, serde_json::Value)>) -> Self {
        self.body = Some(Box::new(Body::DictDetail(members)));
        self
    }

    /// Makes the body the dict `{"detail":…}` followed by `members` in order, as DRF renders an
    /// exception raised with a dict detail (a permission whose `message` is a dict).
    #[must_use]
    pub fn with_detail_members(mut self, members: Vec<(String, serde_json::Value)>) -> Self {
        self.body = Some(Box::new(Body::DetailMembers(members)));
        self
    }

    /// Replaces the code.
    #[must_use]
    pub fn with_code(mut self, code: impl Into<Cow<'static, str>>) -> Self {
        self.code = code.into();
        self
    }

    /// Attaches (or clears) the `WWW-Authenticate` value of the view's first scheme (DRF's
    /// `APIView.get_authenticate_header`); an empty value counts as none, as it does in DRF.
    #[must_use]
    pub fn with_challenge(mut self, challenge: Option<String>) -> Self {
        self.challenge = challenge.filter(|value| !value.is_empty());
        self
    }

    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The detail sent in the body.
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// The error code (`not_authenticated`, `permission_denied`, …).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The `WWW-Authenticate` value, if one is attached.
    pub fn challenge(&self) -> Option<&str> {
        self.challenge.as_deref()
    }

    /// The `Retry-After` value: the rounded wait, absent when none or zero (DRF's
    /// `exception_handler` skips a falsy wait).
    pub fn retry_after(&self) -> Option<u64> {
        self.wait.filter(|&seconds| seconds != 0)
    }

    /// The response status: the kind's status, except that an authentication error without a
    /// challenge is sent as 403 with the same body and code (DRF's `APIView.handle_exception`).
    pub fn status(&self) -> u16 {
        if self.kind.is_authentication_error() && self.challenge.is_none() {
            403
        } else {
            self.kind.default_status()
        }
    }

    /// The body DRF's JSON renderer writes: `{"detail":"…"}`, compact, UTF-8, with U+2028 and
    /// U+2029 escaped (DRF's `JSONRenderer` with the default `UNICODE_JSON` and `COMPACT_JSON`).
    pub fn body_json(&self) -> String {
        if let Some(Body::Fields(fields)) = self.body.as_deref() {
            let entries: Vec<String> = fields
                .iter()
                .map(|(name, messages)| {
                    let messages: Vec<String> = messages.iter().map(|m| json_string(m)).collect();
                    format!("{}:[{}]", json_string(name), messages.join(","))
                })
                .collect();
            return format!("{{{}}}", entries.join(","));
        }
        let dict = match self.body.as_deref() {
            Some(Body::DictDetail(members)) => Some((
                format!(
                    "{{\"detail\":{},\"code\":{}",
                    json_string(&self.detail),
                    json_string(&self.code)
                ),
                members,
            )),
            Some(Body::DetailMembers(members)) => Some((
                format!("{{\"detail\":{}", json_string(&self.detail)),
                members,
            )),
            _ => None,
        };
        if let Some((mut body, members)) = dict {
            for (name, value) in members {
                body.push(',');
                body.push_str(&json_string(name));
                body.push(':');
                body.push_str(&json_value(value));
            }
            body.push('}');
            return body;
        }
        let mut body = String::with_capacity(self.detail.len() + 14);
        body.push_str("{\"detail\":");
        body.push_str(&json_string(&self.detail));
        body.push('}');
        body
    }
}

/// A JSON string literal as the reference renders it: serde_json's escaping (UTF-8 output), plus
/// the two line separators that Python's `json` escapes and serde_json does not.
pub fn json_string(text: &str) -> String {
    json_value(&serde_json::Value::from(text))
}

/// A JSON value as DRF's renderer writes it: compact, UTF-8, U+2028 and U+2029 escaped.
fn json_value(value: &serde_json::Value) -> String {
    let text = value.to_string();
    if text.contains(['\u{2028}', '\u{2029}']) {
        text.replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttled_detail_rounds_the_wait_up_and_picks_singular() {
        let error = ApiError::throttled(Some(0.2), None);
        assert_eq!(
            error.detail(),
            "Request was throttled. Expected available in 1 second."
        );
        assert_eq!(error.retry_after(), Some(1));
        let error = ApiError::throttled(Some(2.0), Some("Slow down!"));
        assert_eq!(
            error.detail(),
            "Slow down! Expected available in 2 seconds."
        );
        assert_eq!(error.code(), "throttled");
    }

    #[test]
    fn a_dict_detail_renders_detail_code_then_its_members() {
        let error = ApiError::authentication_failed("User not found")
            .with_code("user_not_found")
            .with_dict_detail(Vec::new());
        assert_eq!(
            error.body_json(),
            r#"{"detail":"User not found","code":"user_not_found"}"#
        );
        let error = ApiError::authentication_failed("x")
            .with_code("c")
            .with_dict_detail(vec![(
                "messages".to_owned(),
                serde_json::json!([{"message": "é\u{2028}"}]),
            )]);
        assert_eq!(
            error.body_json(),
            "{\"detail\":\"x\",\"code\":\"c\",\"messages\":[{\"message\":\"é\\u2028\"}]}"
        );
        assert_eq!(
            error.status(),
            403,
            "without a challenge, as any authentication error"
        );
    }

    #[test]
    fn throttled_without_wait_has_no_retry_after() {
        let error = ApiError::throttled(None, None);
        assert_eq!(error.detail(), "Request was throttled.");
        assert_eq!(error.retry_after(), None);
        assert_eq!(error.status(), 429);
    }

    #[test]
    fn throttled_wait_rounding_to_zero_omits_retry_after() {
        let error = ApiError::throttled(Some(0.0), None);
        assert_eq!(
            error.detail(),
            "Request was throttled. Expected available in 0 seconds."
        );
        assert_eq!(error.retry_after(), None);
    }

    #[test]
    fn authentication_error_without_challenge_is_403_with_same_code() {
        let error = ApiError::not_authenticated();
        assert_eq!(error.status(), 403);
        assert_eq!(error.code(), "not_authenticated");
        let error = error.with_challenge(Some("Token".into()));
        assert_eq!(error.status(), 401);
        assert_eq!(error.challenge(), Some("Token"));
    }

    #[test]
    fn empty_challenge_counts_as_none() {
        let error = ApiError::not_authenticated().with_challenge(Some(String::new()));
        assert_eq!(error.status(), 403);
    }

    #[test]
    fn body_is_compact_utf8_with_line_separators_escaped() {
        let error = ApiError::permission_denied("café \"x\" \u{2028}\u{2029}");
        assert_eq!(
            error.body_json(),
            "{\"detail\":\"café \\\"x\\\" \\u2028\\u2029\"}"
        );
    }

    #[test]
    fn validation_body_is_the_field_mapping_in_order() {
        let error = ApiError::validation(vec![
            ("username".into(), vec!["This field is required.".into()]),
            (
                "password".into(),
                vec!["This field may not be blank.".into()],
            ),
        ]);
        assert_eq!(error.status(), 400);
        assert_eq!(
            error.body_json(),
            r#"{"username":["This field is required."],"password":["This field may not be blank."]}"#
        );
    }

    #[test]
    fn method_not_allowed_names_the_method() {
        let error = ApiError::method_not_allowed("PUT");
        assert_eq!(
            error.body_json(),
            r#"{"detail":"Method \"PUT\" not allowed."}"#
        );
        assert_eq!(error.status(), 405);
    }
}
