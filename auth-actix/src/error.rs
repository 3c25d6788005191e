//! DRF's error responses for actix-web: what its exception handler renders.

use std::fmt;
use std::ops::Deref;

use actix_web::body::BoxBody;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, Responder, ResponseError};
use auth_core::renderers::{JSONRenderer, Renderer, RendererInfo};

/// An [`ApiError`](auth_core::ApiError) as an actix-web response, rendered by the view's
/// accepted renderer (JSON unless the view declares others: compact `{"detail":"…"}`,
/// `Content-Type: application/json`), with `WWW-Authenticate` / `Retry-After` when the error
/// carries them.
///
/// Return it from handlers (`Result<_, ApiErrorResponse>`): `?` converts an `ApiError`, which
/// renders as JSON; [`Auth::error`](crate::Auth::error) renders one with the request's accepted
/// renderer. It exists because actix-web's `ResponseError` cannot be implemented for `ApiError`
/// outside the crate that defines one of them (the orphan rule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiErrorResponse(pub auth_core::ApiError, pub(crate) &'static RendererInfo);

impl From<auth_core::ApiError> for ApiErrorResponse {
    fn from(error: auth_core::ApiError) -> Self {
        Self(error, &JSON)
    }
}

/// Marks Django's plain 400 page (a `SuspiciousOperation` answered by Django, outside the view),
/// which gets none of an API view's default headers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DjangoBadRequest;

/// The renderer of errors no negotiation chose one for, and of views that declare none.
pub(crate) static JSON: RendererInfo = JSONRenderer::INFO;

impl ApiErrorResponse {
    /// `error`, rendered by `renderer` (DRF renders an exception with the request's accepted
    /// renderer).
    pub fn rendered_by(error: auth_core::ApiError, renderer: &'static RendererInfo) -> Self {
        Self(error, renderer)
    }

    /// The renderer that renders this error.
    pub fn renderer(&self) -> &'static RendererInfo {
        self.1
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
        if self.0.kind().is_django_bad_request() {
            let mut response = HttpResponse::build(self.status_code())
                .insert_header((
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ))
                .body(auth_core::messages::BAD_REQUEST_PAGE);
            // Django's own answer, not the view's: DRF's `finalize_response` never sees it.
            response.extensions_mut().insert(DjangoBadRequest);
            return response;
        }
        let mut response = HttpResponse::build(self.status_code());
        let content_type = if std::ptr::eq(self.1, &JSON) {
            Ok(HeaderValue::from_static("application/json"))
        } else {
            HeaderValue::from_str(&self.1.content_type())
        };
        // A renderer's media type and charset are constants of its type; one that is not a
        // header value (a custom renderer's typo) leaves the header out.
        if let Ok(content_type) = content_type {
            response.insert_header((header::CONTENT_TYPE, content_type));
        }
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
        response.body((self.1.render_error)(&self.0))
    }
}

/// An error is also a complete response, so a handler can return it directly.
impl Responder for ApiErrorResponse {
    type Body = BoxBody;

    fn respond_to(self, _request: &HttpRequest) -> HttpResponse<Self::Body> {
        self.error_response()
    }
}
