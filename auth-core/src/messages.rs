//! Every user-visible message of the reference, defined once.
//!
//! The strings are byte-for-byte those of Django REST framework 3.18 and Django 6.1 in English.
//! Nothing else in the workspace spells a reference message: it names the constant here.

/// `AuthenticationFailed` default detail.
pub const AUTHENTICATION_FAILED: &str = "Incorrect authentication credentials.";
/// `NotAuthenticated` default detail.
pub const NOT_AUTHENTICATED: &str = "Authentication credentials were not provided.";
/// `PermissionDenied` default detail.
pub const PERMISSION_DENIED: &str = "You do not have permission to perform this action.";
/// `Throttled` default detail.
pub const THROTTLED: &str = "Request was throttled.";
/// `NotFound` default detail.
pub const NOT_FOUND: &str = "Not found.";
/// `MethodNotAllowed` detail template; `{method}` is the request method.
pub const METHOD_NOT_ALLOWED: &str = "Method \"{method}\" not allowed.";
/// `NotAcceptable` default detail.
pub const NOT_ACCEPTABLE: &str = "Could not satisfy the request Accept header.";
/// `UnsupportedMediaType` detail template; `{media_type}` is the request's content type.
pub const UNSUPPORTED_MEDIA_TYPE: &str = "Unsupported media type \"{media_type}\" in request.";
/// `ParseError` default detail.
pub const PARSE_ERROR: &str = "Malformed request.";
/// `ValidationError` default detail.
pub const INVALID_INPUT: &str = "Invalid input.";
/// The base API error's default detail.
pub const SERVER_ERROR: &str = "A server error occurred.";
/// Django's 400 page title (`django.views.defaults.bad_request`).
pub const BAD_REQUEST: &str = "Bad Request (400)";
/// Django's 400 page without a `400.html` template: `ERROR_PAGE_TEMPLATE` of
/// `django/views/defaults.py` with the title above and no details, served as
/// `text/html; charset=utf-8`.
pub const BAD_REQUEST_PAGE: &str = "\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Bad Request (400)</title>\n</head>\n<body>\n  <h1>Bad Request (400)</h1><p></p>\n</body>\n</html>\n";
/// Ours: a body over the configured limit (`AuthSettingsBuilder::max_body_size`).
pub const PAYLOAD_TOO_LARGE: &str = "Request body is too large.";
/// Ours, not the reference's: the reference has no 503. A store (database, Redis) failure must
/// never reveal its cause, so every such failure answers with this one generic sentence.
pub const SERVICE_UNAVAILABLE: &str = "Service temporarily unavailable, try again later.";

/// Basic: `Authorization: Basic` with no credentials.
pub const BASIC_NO_CREDENTIALS: &str = "Invalid basic header. No credentials provided.";
/// Basic: more than two fields.
pub const BASIC_CONTAINS_SPACES: &str =
    "Invalid basic header. Credentials string should not contain spaces.";
/// Basic: undecodable base64, or no `:` in the decoded credentials.
pub const BASIC_NOT_BASE64: &str =
    "Invalid basic header. Credentials not correctly base64 encoded.";
/// Basic (and the credential check): unknown user, wrong password or inactive user.
pub const INVALID_USERNAME_PASSWORD: &str = "Invalid username/password.";
/// A credential that resolved to an inactive user.
pub const USER_INACTIVE: &str = "User inactive or deleted.";
/// Token: `Authorization: Token` with no key.
pub const TOKEN_NO_CREDENTIALS: &str = "Invalid token header. No credentials provided.";
/// Token: more than two fields.
pub const TOKEN_CONTAINS_SPACES: &str =
    "Invalid token header. Token string should not contain spaces.";
/// Token: the key is not valid UTF-8.
pub const TOKEN_INVALID_CHARACTERS: &str =
    "Invalid token header. Token string should not contain invalid characters.";
/// Token: no such key.
pub const INVALID_TOKEN: &str = "Invalid token.";

/// Throttled detail suffix for a wait of exactly one second.
pub const EXPECTED_AVAILABLE_SECOND: &str = "Expected available in {wait} second.";
/// Throttled detail suffix for any other wait.
pub const EXPECTED_AVAILABLE_SECONDS: &str = "Expected available in {wait} seconds.";

/// Ours (declared schemes, `#[derive(Authentication)]`): a credential is present but does not
/// parse. `{credential}` names it, e.g. `X-Api-Key header`.
pub const CREDENTIAL_INVALID: &str = "Invalid {credential}.";
/// Ours: one credential of a multi-credential scheme is present, another required one is not.
pub const CREDENTIAL_MISSING: &str = "Missing {credential}.";

/// Field validation: missing field.
pub const FIELD_REQUIRED: &str = "This field is required.";
/// Field validation: `""` (or a whitespace-only username).
pub const FIELD_BLANK: &str = "This field may not be blank.";
/// Field validation: `null`.
pub const FIELD_NULL: &str = "This field may not be null.";
/// Field validation: a boolean, list or object where a string is expected.
pub const NOT_A_VALID_STRING: &str = "Not a valid string.";
/// Field validation: a NUL character.
pub const NULL_CHARACTERS: &str = "Null characters are not allowed.";
/// Field validation: a `CharField` longer than its `max_length` (`{max_length}`).
pub const MAX_LENGTH: &str = "Ensure this field has no more than {max_length} characters.";
/// A `ModelSerializer`'s `UniqueValidator` on `User.username` (the model field's `unique`
/// message).
pub const USERNAME_TAKEN: &str = "A user with that username already exists.";
/// A JSON body that is not an object; `{datatype}` is Python's type name (`list`, `str`, …).
pub const EXPECTED_DICTIONARY: &str = "Invalid data. Expected a dictionary, but got {datatype}.";

/// `Serializer.errors` for a body of JSON `null` (DRF replaces the field's "This field may not
/// be null." with it, code `null`).
pub const NO_DATA_PROVIDED: &str = "No data provided";
/// The credential check failed (obtain-token and login).
pub const UNABLE_TO_LOG_IN: &str = "Unable to log in with provided credentials.";
/// The key DRF uses for errors not tied to one field.
pub const NON_FIELD_ERRORS: &str = "non_field_errors";
