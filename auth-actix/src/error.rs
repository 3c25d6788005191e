//! DRF's error responses for actix-web: what its exception handler renders.

use std::fmt;
use std::ops::Deref;

use actix_web::body::BoxBody;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, Responder, ResponseError};

/// An [`ApiError`](auth_core::ApiError) as an actix-web response: compact JSON
/// `{"detail":"…"}`, `Content-Type: application/json`, and `WWW-Authenticate` / `Retry-After`
/// when the error carries them.
///
/// Return it from handlers (`Result<_, ApiErrorResponse>`): `?` converts an `ApiError`. It
/// exists because actix-web's `ResponseError` cannot be implemented for `ApiError` outside the
/// crate that defines one of them (the orphan rule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiErrorResponse(pub auth_core::ApiError);

impl From<auth_core::ApiError> for ApiErrorResponse {
    fn from(error: auth_core::ApiError) -> Self {
        Self(error)
    }
}

impl Deref for ApiErrorResponse {
    type Target = auth_core::ApiError;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl fmt::Display for ApiErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for ApiErrorResponse {}

impl ResponseError for ApiErrorResponse {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        if self.0.kind() == auth_core::ErrorKind::DisallowedHost {
            return HttpResponse::build(self.status_code())
                .insert_header((
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ))
                .body(auth_core::messages::BAD_REQUEST_PAGE);
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        ));
        if let Some(challenge) = self.0.challenge() {
            // A challenge is built from settings (realm, keyword); one that is not a valid
            // header value is left out rather than failing the response.
            if let Ok(value) = HeaderValue::from_str(challenge) {
                response.insert_header((header::WWW_AUTHENTICATE, value));
            }
        }
        if let Some(seconds) = self.0.retry_after() {
            response.insert_header((header::RETRY_AFTER, seconds));
        }
        response.body(self.0.body_json())
    }
}

/// An error is also a complete response, so a handler can return it directly.
impl Responder for ApiErrorResponse {
    type Body = BoxBody;

    fn respond_to(self, _request: &HttpRequest) -> HttpResponse<Self::Body> {
        self.error_response()
    }
}
