//! DRF's `request.POST` as session authentication's CSRF check
//! (`SessionAuthentication.enforce_csrf`) reads it: the body parsed by the view's parsers (JSON,
//! form, multipart), read before the handler and replayed to it.

use std::borrow::Cow;

use actix_web::HttpRequest;
use actix_web::http::header;
use actix_web::web::Bytes;
use auth_core::ApiError;
use auth_core::auth_token_serializer::{Credentials, Input};
use auth_core::char_field::{json_object, validate_char_fields};
use auth_core::compat::python::json::loads as json_parser;

/// The body's form fields, or the parser error DRF would raise when reading them. `Debug` shows
/// field names only (the login form's values are a password and a CSRF token).
pub(crate) enum PostData {
    /// Form or multipart fields (text fields only; files are not needed here).
    Fields(Vec<(String, String)>),
    /// A body that parsed but has no form fields (JSON, or empty).
    NoFields,
    /// DRF's parse error: 400 `JSON parse error - …`, or 415 for a type no parser takes.
    Invalid(ApiError),
}

impl std::fmt::Debug for PostData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Fields(fields) => f
                .debug_tuple("Fields")
                .field(&fields.iter().map(|(name, _)| name).collect::<Vec<_>>())
                .finish(),
            Self::NoFields => f.write_str("NoFields"),
            Self::Invalid(error) => f.debug_tuple("Invalid").field(error).finish(),
        }
    }
}

/// The value Django's `QueryDict.get(name)` answers for these fields (`request.POST`, and DRF's
/// `request.data` for a form or multipart body): the **last** one of a repeated field.
fn last_value<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .rev()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

impl PostData {
    /// The value of field `name`: the last, as Django's `QueryDict.get`.
    pub(crate) fn field(&self, name: &str) -> Result<Option<Cow<'_, str>>, ApiError> {
        match self {
            Self::Fields(fields) => Ok(last_value(fields, name).map(Cow::Borrowed)),
            Self::NoFields => Ok(None),
            Self::Invalid(error) => Err(error.clone()),
        }
    }
}

/// DRF's `AuthTokenSerializer` over a parsed body: form fields, or the JSON object (an empty
/// body is an empty form: every field is required).
pub(crate) fn credentials(body: &Bytes, post: &PostData) -> Result<Credentials, ApiError> {
    let mut values = char_fields(body, post, &[("username", true), ("password", false)])?;
    let password = values.pop();
    let username = values.pop();
    match (username, password) {
        (Some(username), Some(password)) => Ok(Credentials { username, password }),
        _ => Err(ApiError::new(auth_core::ErrorKind::ServerError)),
    }
}

/// A serializer of text fields `(name, trim_whitespace)` over a parsed body: form fields (the
/// last of a repeated one), or the JSON object; an empty body is an empty form, so every field
/// is required. The values in the order asked, or every field's error together.
pub(crate) fn char_fields(
    body: &Bytes,
    post: &PostData,
    fields: &[(&str, bool)],
) -> Result<Vec<String>, ApiError> {
    match post {
        PostData::Invalid(error) => Err(error.clone()),
        PostData::Fields(form) => {
            validate_char_fields(|name| last_value(form, name).map(Input::Text), fields)
        }
        PostData::NoFields if body.is_empty() => validate_char_fields(|_| None, fields),
        PostData::NoFields => {
            let value = json_parser::parse(body).map_err(json_parse_error)?;
            let object = json_object(&value)?;
            validate_char_fields(|name| object.get(name).map(Input::Json), fields)
        }
    }
}

/// A `CharField(required=False)` of a parsed body: `None` when the body does not have it, else
/// its value or its error (`{"refresh":["This field may not be blank."]}`).
#[cfg(feature = "simplejwt")]
pub(crate) fn optional_char_field(
    body: &Bytes,
    post: &PostData,
    name: &str,
    trim: bool,
) -> Result<Option<String>, ApiError> {
    let present = match post {
        PostData::Invalid(error) => return Err(error.clone()),
        PostData::Fields(form) => last_value(form, name).is_some(),
        PostData::NoFields if body.is_empty() => false,
        PostData::NoFields => {
            let value = json_parser::parse(body).map_err(json_parse_error)?;
            json_object(&value)?.contains_key(name)
        }
    };
    if !present {
        return Ok(None);
    }
    let mut values = char_fields(body, post, &[(name, trim)])?;
    Ok(values.pop())
}

/// DRF's `JSONParser`: `ParseError('JSON parse error - %s' % exc)`, `exc` being the `ValueError`
/// of Python's decoder, whose text `json_parser` reproduces. Nesting past
/// `json_parser::MAX_DEPTH` is reported the same way, where DRF fails with a 500
/// (`RecursionError`).
pub(crate) fn json_parse_error(error: json_parser::JsonParseError) -> ApiError {
    ApiError::new(auth_core::ErrorKind::ParseError)
        .with_detail(format!("JSON parse error - {error}"))
}

/// The request's body read with the settings' limits ([`read_body`]) and parsed ([`parse`]):
/// what every view of the library that takes a body starts with.
pub(crate) async fn read(
    request: &HttpRequest,
    payload: actix_web::web::Payload,
    settings: &auth_core::settings::Settings,
) -> Result<(Bytes, PostData), ApiError> {
    let body = read_body(
        payload,
        settings.max_body_size,
        settings.authentication_timeout,
    )
    .await?;
    let post = parse(request, body.clone()).await;
    Ok((body, post))
}

/// Reads the whole body, refusing one over `limit` bytes with 413, and one that does not arrive
/// within `timeout` as malformed (400): a client trickling a body must not hold the request.
pub(crate) async fn read_body(
    payload: actix_web::web::Payload,
    limit: usize,
    timeout: std::time::Duration,
) -> Result<Bytes, ApiError> {
    actix_web::rt::time::timeout(timeout, read_all(payload, limit))
        .await
        .unwrap_or_else(|_| Err(ApiError::new(auth_core::ErrorKind::ParseError)))
}

async fn read_all(mut payload: actix_web::web::Payload, limit: usize) -> Result<Bytes, ApiError> {
    use futures_core::Stream;

    let mut body = actix_web::web::BytesMut::new();
    while let Some(chunk) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut payload).poll_next(cx)).await
    {
        let chunk = chunk.map_err(|_| ApiError::new(auth_core::ErrorKind::ParseError))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::new(auth_core::ErrorKind::PayloadTooLarge));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// The request's `Content-Type` (lossy text, empty when absent) and its media type, trimmed and
/// lower-cased, as Django's `parse_header_parameters` reads it.
fn content_type(request: &HttpRequest) -> (String, String) {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .unwrap_or_default();
    let media_type = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    (content_type, media_type)
}

/// Parses `body` as DRF's default parsers would for `request`'s content type.
pub(crate) async fn parse(request: &HttpRequest, body: Bytes) -> PostData {
    // An empty body is never parsed (DRF's `_load_data_and_files` with no stream).
    if body.is_empty() {
        return PostData::NoFields;
    }
    let (content_type, media_type) = content_type(request);
    match media_type.as_str() {
        "application/json" => match json_parser::parse(&body) {
            Ok(_) => PostData::NoFields,
            Err(error) => PostData::Invalid(json_parse_error(error)),
        },
        "application/x-www-form-urlencoded" => PostData::Fields(query_dict(&body)),
        "multipart/form-data" => multipart_fields(&content_type, body).await,
        _ => PostData::Invalid(ApiError::unsupported_media_type(&content_type)),
    }
}

#[cfg(feature = "oauth2")]
/// Django's `DATA_UPLOAD_MAX_NUMBER_FIELDS` default: a form with more fields is refused with
/// Django's 400 page (`TooManyFieldsSent`).
const DATA_UPLOAD_MAX_NUMBER_FIELDS: usize = 1000;

#[cfg(feature = "oauth2")]
/// Django's own `request.POST` (a plain Django view's, not DRF's `request.data`): the fields of
/// a form-encoded or multipart body, every one in order; no fields for an empty body or any
/// other content type (no parse error, no 415). A multipart body Django cannot parse, or more
/// than 1,000 fields, is Django's 400 page (`MultiPartParserError`, `TooManyFieldsSent`).
pub(crate) async fn django_post(
    request: &HttpRequest,
    body: Bytes,
) -> Result<Vec<(String, String)>, ApiError> {
    let (content_type, media_type) = content_type(request);
    let too_many = || ApiError::new(auth_core::ErrorKind::TooManyFieldsSent);
    // RFC 1866: a form body is UTF-8; a `charset` Python knows that is not `utf-8` is Django's
    // `BadRequest` (an unknown one is ignored), whatever the body.
    if media_type == "application/x-www-form-urlencoded"
        && charset(&content_type).is_some_and(|charset| {
            auth_core::compat::python::codecs::is_known_codec(&charset)
                && charset.to_lowercase() != "utf-8"
        })
    {
        return Err(ApiError::new(auth_core::ErrorKind::SuspiciousOperation));
    }
    if body.is_empty() {
        return Ok(Vec::new());
    }
    match media_type.as_str() {
        "application/x-www-form-urlencoded" => {
            // `limited_parse_qsl`: one field more than there are `&`.
            if 1 + body.iter().filter(|&&byte| byte == b'&').count() > DATA_UPLOAD_MAX_NUMBER_FIELDS
            {
                return Err(too_many());
            }
            Ok(query_dict(&body))
        }
        "multipart/form-data" => match multipart_fields(&content_type, body).await {
            PostData::Fields(fields) if fields.len() > DATA_UPLOAD_MAX_NUMBER_FIELDS => {
                Err(too_many())
            }
            PostData::Fields(fields) => Ok(fields),
            PostData::NoFields => Ok(Vec::new()),
            PostData::Invalid(_) => Err(ApiError::new(auth_core::ErrorKind::SuspiciousOperation)),
        },
        _ => Ok(Vec::new()),
    }
}

/// Django's `QueryDict(body)`: the fields of a form-encoded body, `+` as a space and `%XX`
/// escapes decoded as UTF-8 (invalid sequences replaced); a body that is not UTF-8 is read as
/// Latin-1 first ("some user agents are misbehaving", Django's fallback), so its raw bytes are
/// characters, not replacement marks.
fn query_dict(body: &[u8]) -> Vec<(String, String)> {
    let latin1;
    let text = match std::str::from_utf8(body) {
        Ok(_) => body,
        Err(_) => {
            latin1 = body
                .iter()
                .map(|&byte| char::from(byte))
                .collect::<String>();
            latin1.as_bytes()
        }
    };
    form_urlencoded::parse(text)
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect()
}

#[cfg(feature = "oauth2")]
/// The `charset` parameter of a `Content-Type` as Django's `parse_header_parameters` reads
/// it: names compared lower-cased, values trimmed and unquoted.
fn charset(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|inner| inner.strip_suffix('"'))
            .unwrap_or(value);
        Some(value.to_owned())
    })
}

async fn multipart_fields(content_type: &str, body: Bytes) -> PostData {
    let Ok(boundary) = multer::parse_boundary(content_type) else {
        return PostData::Invalid(
            ApiError::new(auth_core::ErrorKind::ParseError)
                .with_detail("Multipart form parse error - Invalid boundary in multipart: None"),
        );
    };
    let stream = single_chunk(body);
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut fields = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().map(str::to_owned);
                let is_file = field.file_name().is_some();
                match field.text().await {
                    Ok(text) if !is_file => {
                        if let Some(name) = name {
                            fields.push((name, text));
                        }
                    }
                    Ok(_) => {}
                    Err(error) => return multipart_error(&error),
                }
            }
            Ok(None) => return PostData::Fields(fields),
            Err(error) => return multipart_error(&error),
        }
    }
}

fn multipart_error(error: &multer::Error) -> PostData {
    PostData::Invalid(
        ApiError::new(auth_core::ErrorKind::ParseError)
            .with_detail(format!("Multipart form parse error - {error}")),
    )
}

/// A one-chunk stream of the body, for multer.
fn single_chunk(
    body: Bytes,
) -> impl futures_core::Stream<Item = Result<Bytes, std::convert::Infallible>> {
    struct Once(Option<Bytes>);
    impl futures_core::Stream for Once {
        type Item = Result<Bytes, std::convert::Infallible>;
        fn poll_next(
            self: std::pin::Pin<&mut Self>,
            _cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.get_mut().0.take().map(Ok))
        }
    }
    Once(Some(body))
}
