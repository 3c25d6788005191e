//! Django OAuth Toolkit's provider views: `AuthorizationView`, `TokenView`, `RevokeTokenView`,
//! `IntrospectTokenView` and `OAuthProtectedResourceMetadataView` (RFC 9728).
//!
//! `web::scope("/o").configure(auth_actix::views::oauth2_provider_endpoints)` mounts them at
//! DOT's paths (`oauth2_provider.urls`): `authorize/`, `token/`, `revoke_token/`,
//! `introspect/` and `.well-known/oauth-protected-resource` (with its RFC 9728 path-component
//! form `.well-known/oauth-protected-resource/<path>`). The consent step reads the Django session and sets the CSRF cookie: the app
//! needs [`SessionMiddleware`](crate::SessionMiddleware) around it.
//!
//! They are Django views, not DRF ones, as DOT's are: `login_not_required` (deny-by-default
//! leaves them alone: they authenticate their clients themselves), no content negotiation, the
//! body read as Django's `request.POST` (form-encoded and multipart bodies; any other body has
//! no fields), a method they do not implement answered with Django's bare 405 (`Allow`, an
//! empty `text/html` body) and `OPTIONS` with Django's 200. What they answer is in
//! [`auth_core::oauth2_provider`]'s `token_endpoint`, `revocation_endpoint` and
//! `introspection_endpoint`.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse, web};
use auth_core::authentication::OAuth2Authentication;
use auth_core::authentication::scheme::AuthContext;
use auth_core::django::http::host::validate_host;
use auth_core::django::http::uri::absolute_uri_without_query;
use auth_core::oauth2::protected_resource::WELL_KNOWN;
use auth_core::oauth2::urldecode::has_invalid_hex_escape;
use auth_core::oauth2_provider::authorization_endpoint::{
    AuthorizationAnswer, AuthorizationRequest, authorize as authorize_request,
};
use auth_core::oauth2_provider::client_authentication::authenticate_client;
use auth_core::oauth2_provider::introspection_endpoint::{INTROSPECTION_SCOPE, get_token_response};
use auth_core::oauth2_provider::token_endpoint::EndpointResponse;
use auth_core::oauth2_provider::token_request::TokenRequest;
use auth_core::oauth2_provider::{revocation_endpoint, token_endpoint};
use auth_core::request::RequestView as _;
use auth_core::response_effects::ResponseEffects;
use auth_core::{ApiError, ErrorKind};

use crate::error::ApiErrorResponse;
use crate::post_data;
use crate::request_view::HttpRequestView;
use crate::routed_handler::{DeclaredName, Exempt};
use crate::runtime::runtime_of;

const TOKEN: &str = "auth_actix::oauth2::token";
const REVOKE_TOKEN: &str = "auth_actix::oauth2::revoke_token";
const INTROSPECT: &str = "auth_actix::oauth2::introspect";
const AUTHORIZE: &str = "auth_actix::oauth2::authorize";
const RESOURCE_METADATA: &str = "auth_actix::oauth2::oauth-resource-metadata";
inventory::submit!(DeclaredName(AUTHORIZE));
inventory::submit!(DeclaredName(RESOURCE_METADATA));
inventory::submit!(DeclaredName(TOKEN));
inventory::submit!(DeclaredName(REVOKE_TOKEN));
inventory::submit!(DeclaredName(INTROSPECT));

/// Django's `text/html; charset=utf-8`, the type of an `HttpResponse` that sets none.
const DJANGO_HTML: HeaderValue = HeaderValue::from_static("text/html; charset=utf-8");

/// Registers the views at DOT's paths (see the module docs).
///
/// ```
/// use actix_web::{test, web};
/// use auth_actix::AuthSettings;
/// use auth_actix::views::oauth2_provider_endpoints;
///
/// # actix_web::rt::System::new().block_on(async {
/// let settings = AuthSettings::builder().secret_key("example-secret-key-of-32-bytes-at-least").database_url("sqlite::memory:").build()?;
/// let db = settings.connect_and_migrate().await?;
/// let app = test::init_service(
///     auth_actix::app(settings, db).service(web::scope("/o").configure(oauth2_provider_endpoints)),
/// )
/// .await;
/// let response = test::call_service(
///     &app,
///     test::TestRequest::post()
///         .uri("/o/token/")
///         .set_form([("grant_type", "client_credentials")])
///         .to_request(),
/// )
/// .await;
/// // No client credentials: oauthlib's `invalid_client`.
/// assert_eq!(response.status(), 401);
/// assert_eq!(test::read_body(response).await, r#"{"error": "invalid_client"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
pub fn oauth2_provider_endpoints(config: &mut web::ServiceConfig) {
    config
        .service(
            web::resource("/authorize/")
                .name(AUTHORIZE)
                .default_service(web::to(Exempt(authorize))),
        )
        .service(
            web::resource("/token/")
                .name(TOKEN)
                .route(web::post().to(Exempt(token)))
                .default_service(web::to(Exempt(post_only))),
        )
        .service(
            web::resource("/revoke_token/")
                .name(REVOKE_TOKEN)
                .route(web::post().to(Exempt(revoke_token)))
                .default_service(web::to(Exempt(post_only))),
        )
        .service(
            web::resource("/introspect/")
                .name(INTROSPECT)
                .default_service(web::to(Exempt(introspect))),
        )
        .service(
            web::resource([
                WELL_KNOWN,
                "/.well-known/oauth-protected-resource/{path:.+}",
            ])
            .name(RESOURCE_METADATA)
            .default_service(web::to(Exempt(protected_resource_metadata))),
        );
}

/// `OAuthProtectedResourceMetadataView`: `GET` (and `HEAD`) answer the RFC 9728 document as
/// DOT's `JsonResponse` with `Access-Control-Allow-Origin: *`; `OPTIONS` Django's 200, any
/// other method its 405. No authentication: the document is public.
async fn protected_resource_metadata(
    request: HttpRequest,
) -> Result<HttpResponse, ApiErrorResponse> {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return Ok(django_other_method(&request, "GET, HEAD, OPTIONS"));
    }
    let runtime = runtime_of(&request)?;
    let settings = runtime.settings();
    let view = HttpRequestView::new(&request, settings);
    // `build_absolute_uri` calls `get_host()`: a host outside ALLOWED_HOSTS (or none, which
    // Django would replace with the server's own name) is Django's 400 page, so no client
    // chooses the URLs the document advertises.
    let host = view
        .host()
        .filter(|host| validate_host(host, &settings.allowed_hosts))
        .ok_or_else(|| ApiError::new(ErrorKind::DisallowedHost))?;
    let url = absolute_uri_without_query(view.is_secure(), host, request.uri().path());
    let document = settings
        .oauth2
        .protected_resource
        .document(&url, &settings.oauth2.scope_names());
    Ok(HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        ))
        .insert_header((
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ))
        .body(document))
}

/// Django's `View.dispatch` for a method the view does not implement (`HttpResponseNotAllowed`)
/// and for `OPTIONS` (`View.options`).
fn django_other_method(request: &HttpRequest, allow: &'static str) -> HttpResponse {
    let status = if request.method() == Method::OPTIONS {
        StatusCode::OK
    } else {
        StatusCode::METHOD_NOT_ALLOWED
    };
    HttpResponse::build(status)
        .insert_header((header::ALLOW, HeaderValue::from_static(allow)))
        .insert_header((header::CONTENT_TYPE, DJANGO_HTML))
        .finish()
}

async fn post_only(request: HttpRequest) -> HttpResponse {
    django_other_method(&request, "POST, OPTIONS")
}

/// An endpoint's answer as DOT's view writes it.
fn respond(answer: EndpointResponse) -> HttpResponse {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = HttpResponse::build(status);
    if answer.json_headers {
        response
            .insert_header((
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ))
            .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
            .insert_header((header::PRAGMA, HeaderValue::from_static("no-cache")));
    } else {
        response.insert_header((header::CONTENT_TYPE, DJANGO_HTML));
    }
    // oauthlib writes the description unescaped; one that is not a header value (it comes
    // from settings or fixed text) is left out rather than failing the response.
    if let Some(challenge) = answer
        .www_authenticate
        .and_then(|challenge| HeaderValue::from_str(&challenge).ok())
    {
        response.insert_header((header::WWW_AUTHENTICATE, challenge));
    }
    // The request's own `Origin` (Latin-1 text): written back as its bytes.
    if let Some(origin) = answer.allow_origin.and_then(|origin| {
        let bytes: Option<Vec<u8>> = origin.chars().map(|c| u8::try_from(c).ok()).collect();
        HeaderValue::from_bytes(&bytes?).ok()
    }) {
        response.insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, origin));
    }
    response.body(answer.body)
}

/// The body as Django's `request.POST`, with the settings' limits. A form (or multipart) body
/// over the limit is Django's `RequestDataTooBig`, its 400 page; any other body Django never
/// reads, so one over the limit has no fields, as any other.
async fn post_fields(
    request: &HttpRequest,
    payload: web::Payload,
    settings: &auth_core::settings::Settings,
) -> Result<Vec<(String, String)>, ApiErrorResponse> {
    let body = post_data::read_body(
        payload,
        settings.max_body_size,
        settings.authentication_timeout,
    )
    .await;
    let body = match body {
        Err(error) if error.kind() == ErrorKind::PayloadTooLarge => {
            let form = request
                .headers()
                .get(header::CONTENT_TYPE)
                .is_some_and(|value| {
                    let value = String::from_utf8_lossy(value.as_bytes()).to_ascii_lowercase();
                    let media_type = value.split(';').next().unwrap_or_default().trim();
                    media_type == "application/x-www-form-urlencoded"
                        || media_type == "multipart/form-data"
                });
            if form {
                return Err(ApiError::new(ErrorKind::SuspiciousOperation).into());
            }
            return Ok(Vec::new());
        }
        other => other?,
    };
    Ok(post_data::django_post(request, body).await?)
}

/// A header as Django's `META` holds it: repeated lines joined by `,`.
fn meta(request: &HttpRequest, name: header::HeaderName) -> Option<Vec<u8>> {
    let mut lines = request.headers().get_all(name);
    let mut joined = lines.next()?.as_bytes().to_vec();
    for line in lines {
        joined.push(b',');
        joined.extend_from_slice(line.as_bytes());
    }
    Some(joined)
}

/// The headers oauthlib reads: `Authorization` (bytes) and `Origin` (Latin-1 text).
struct OAuthlibHeaders {
    authorization: Option<Vec<u8>>,
    origin: Option<String>,
}

impl OAuthlibHeaders {
    fn of(request: &HttpRequest) -> Self {
        Self {
            authorization: meta(request, header::AUTHORIZATION),
            origin: meta(request, header::ORIGIN)
                .map(|origin| auth_core::compat::python::text::latin1(&origin).into_owned()),
        }
    }

    fn request<'a>(&'a self, query: &'a str, post: &'a [(String, String)]) -> TokenRequest<'a> {
        TokenRequest {
            query,
            authorization: self.authorization.as_deref(),
            post,
            origin: self.origin.as_deref(),
        }
    }
}

/// The password grant takes a user's password: throttled as the library's other login
/// endpoints are (scope `login`, by client address; DOT has no throttle, though oauthlib asks
/// the server to "protect the endpoint against brute force attacks").
async fn throttle_password_grant(
    request: &HttpRequest,
    runtime: &crate::runtime::AuthRuntime,
) -> Result<(), ApiErrorResponse> {
    use auth_core::throttling::{ScopedRateThrottle, Throttle as _, ThrottleContext};
    use auth_core::user::{AuthInfo, RequestUser};
    let view = HttpRequestView::new(request, runtime.settings());
    let cx = ThrottleContext {
        request: &view,
        user: &RequestUser::Anonymous,
        auth: &AuthInfo::None,
        env: runtime.env(),
        scope: Some(auth_core::settings::LOGIN_SCOPE),
    };
    let decision = ScopedRateThrottle.allow_request(&cx).await?;
    if decision.allowed {
        Ok(())
    } else {
        Err(ApiError::throttled(decision.wait, None).into())
    }
}

async fn token(
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let post = post_fields(&request, payload, runtime.settings()).await?;
    let grant_type = post
        .iter()
        .rev()
        .find(|(name, _)| name == "grant_type")
        .map(|(_, value)| value.as_str());
    if grant_type == Some("password") {
        throttle_password_grant(&request, &runtime).await?;
    }
    let headers = OAuthlibHeaders::of(&request);
    let token_request = headers.request(request.query_string(), &post);
    let answer = token_endpoint::create_token_response(runtime.env(), &token_request).await?;
    Ok(respond(answer))
}

async fn revoke_token(
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let post = post_fields(&request, payload, runtime.settings()).await?;
    let headers = OAuthlibHeaders::of(&request);
    let token_request = headers.request(request.query_string(), &post);
    let answer =
        revocation_endpoint::create_revocation_response(runtime.env(), &token_request).await?;
    Ok(respond(answer))
}

/// `IntrospectTokenView`: `OPTIONS` passes; any other method must come from an authenticated
/// client or carry an access token with the `introspection` scope (DOT's bare 403 otherwise);
/// then `GET` reads `token` from the query, `POST` from the form, others get Django's 405.
async fn introspect(
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    const ALLOW: &str = "GET, POST, HEAD, OPTIONS";
    if request.method() == Method::OPTIONS {
        return Ok(django_other_method(&request, ALLOW));
    }
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    // Django parses `request.POST` for a `POST` only.
    let post = if request.method() == Method::POST {
        post_fields(&request, payload, runtime.settings()).await?
    } else {
        Vec::new()
    };
    let field = |name: &str| {
        post.iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    // oauthlib's request for the client check is built from the URI too: `client_id` and
    // `client_secret` may come from the query string, the body's winning. A query oauthlib
    // cannot decode (a 500 in DOT) authenticates no client.
    let query = request.query_string();
    let decodable = !has_invalid_hex_escape(query);
    let mut params: Vec<(String, String)> = if !decodable {
        Vec::new()
    } else {
        form_urlencoded::parse(query.as_bytes())
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect()
    };
    params.extend(post.iter().cloned());
    let headers = OAuthlibHeaders::of(&request);
    let credentials = headers.request(query, &params).client_credentials();
    let client = if !decodable {
        None
    } else {
        authenticate_client(env, credentials).await?
    };
    if client.is_none() {
        let view = HttpRequestView::new(&request, runtime.settings());
        let effects = ResponseEffects::default();
        let cx = AuthContext {
            request: &view,
            env,
            effects: &effects,
        };
        let valid = OAuth2Authentication::verify_request(
            &cx,
            field("access_token"),
            &[INTROSPECTION_SCOPE],
        )
        .await?;
        if !valid {
            return Ok(HttpResponse::Forbidden()
                .insert_header((header::CONTENT_TYPE, DJANGO_HTML))
                .finish());
        }
    }
    let token = match *request.method() {
        // Django's `View` answers `HEAD` with `get`.
        Method::GET | Method::HEAD => {
            // `request.GET.get("token")`: the last value.
            form_urlencoded::parse(request.query_string().as_bytes())
                .filter(|(name, _)| name == "token")
                .last()
                .map(|(_, value)| value.into_owned())
        }
        Method::POST => field("token").map(str::to_owned),
        _ => return Ok(django_other_method(&request, ALLOW)),
    };
    let (status, body) = get_token_response(env, token.as_deref()).await?;
    Ok(
        HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::OK))
            .insert_header((
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ))
            .body(body),
    )
}

/// Django's `csrf_failure` page (`403_csrf.html` without `DEBUG`).
const CSRF_FAILURE_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta http-equiv=\"content-type\" content=\"text/html; charset=utf-8\">\n  <meta name=\"color-scheme\" content=\"light dark\" />\n  <meta name=\"robots\" content=\"NONE,NOARCHIVE\">\n  <title>403 Forbidden</title>\n  <style >\n    html * { padding:0; margin:0; }\n    body * { padding:10px 20px; }\n    body * * { padding:0; }\n    body { font-family: sans-serif; background:#eee; color:#000; }\n    body>div { border-bottom:1px solid #ddd; }\n    h1 { font-weight:normal; margin-bottom:.4em; }\n    h1 span { font-size:60%; color:#666; font-weight:normal; }\n    #info { background:#f6f6f6; }\n    #info ul { margin: 0.5em 4em; }\n    #info p, #summary p { padding-top:10px; }\n    #summary { background: #ffc; }\n    #explanation { background:#eee; border-bottom: 0px none; }\n  </style>\n</head>\n<body>\n<div id=\"summary\">\n  <h1>Forbidden <span>(403)</span></h1>\n  <p>CSRF verification failed. Request aborted.</p>\n\n\n</div>\n\n<div id=\"explanation\">\n  <p><small>More information is available with DEBUG=True.</small></p>\n</div>\n\n</body>\n</html>\n";

/// `AuthorizationView` (`LoginRequiredMixin`, `FormView`): the login check first for every
/// method; then `GET` (and `HEAD`) the consent page, `POST` (and `PUT`, as `FormView` answers
/// it) the consent, CSRF-checked; `OPTIONS` Django's 200, any other method its 405.
async fn authorize(
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    const ALLOW: &str = "GET, POST, PUT, HEAD, OPTIONS";
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let settings = runtime.settings();
    let effects = crate::request_session::effects_of(&request);
    let method = request.method().clone();
    let consent = method == Method::POST || method == Method::PUT;
    // Django parses `request.POST` for a `POST` only (`FormView.put` posts an empty form).
    let post = if method == Method::POST {
        post_fields(&request, payload, settings).await?
    } else {
        Vec::new()
    };
    let post_data = post_data::PostData::Fields(post.clone());
    let view = HttpRequestView::new(&request, settings).with_post_data(&post_data);
    let user = auth_core::login::get_user(env, &view, &effects).await?;
    if user.is_some() && !consent && method != Method::GET && method != Method::HEAD {
        return Ok(django_other_method(&request, ALLOW));
    }
    if user.is_some() && consent {
        // Always checked here (DOT relies on the project's `CsrfViewMiddleware`).
        if auth_core::authentication::session::enforce_csrf(env, &view)
            .await
            .is_err()
        {
            return Ok(HttpResponse::Forbidden()
                .insert_header((header::CONTENT_TYPE, DJANGO_HTML))
                .body(CSRF_FAILURE_PAGE));
        }
    }
    let csrf_token = if user.is_some() {
        auth_core::csrf_secret::get_token(env, &view, &effects).await?
    } else {
        String::new()
    };
    let path = auth_core::django::http::uri::escape_uri_path(request.path());
    let authorization = AuthorizationRequest {
        method: if consent { "POST" } else { "GET" },
        path: &path,
        query: request.query_string(),
        post: &post,
        user: user.as_ref(),
        csrf_token: &csrf_token,
    };
    let answer = authorize_request(env, &authorization).await?;
    let mut response = match answer {
        AuthorizationAnswer::Redirect(location) => {
            match HeaderValue::from_str(&location) {
                Ok(location) => HttpResponse::Found()
                    .insert_header((header::LOCATION, location))
                    .insert_header((header::CONTENT_TYPE, DJANGO_HTML))
                    .finish(),
                // Not a header value (a control character a client registered): Django's 400.
                Err(_) => bad_request_page(),
            }
        }
        AuthorizationAnswer::Page(status, body) => {
            HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST))
                .insert_header((header::CONTENT_TYPE, DJANGO_HTML))
                .body(body)
        }
        AuthorizationAnswer::DisallowedRedirect => bad_request_page(),
        AuthorizationAnswer::Json(status, body) => {
            HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST))
                .insert_header((
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ))
                .body(body)
        }
    };
    // Clickjacking: the consent page is never framed (Django's `XFrameOptionsMiddleware`, in
    // every project `startproject` makes, sends the same).
    response
        .headers_mut()
        .insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    Ok(response)
}

/// Django's 400 page.
fn bad_request_page() -> HttpResponse {
    HttpResponse::BadRequest()
        .insert_header((header::CONTENT_TYPE, DJANGO_HTML))
        .body(auth_core::messages::BAD_REQUEST_PAGE)
}
