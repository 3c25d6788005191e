//! DOT's `AuthorizationView` (`/o/authorize/`) for the authorization-code grant: the consent
//! page a logged-in user answers, and the redirect back to the client with a code (RFC 6749
//! §4.1.1–4.1.2) or an error.
//!
//! * Anonymous: Django's `redirect_to_login` (`LOGIN_URL?next=…`); with `prompt=none`, the
//!   client gets `error=login_required`.
//! * `GET`: oauthlib's `validate_authorization_request` in its order. Errors about the client or
//!   its redirect URI (`FatalClientError`) are DOT's 400 page; the others redirect to the client
//!   (`redirect_uri` `?`/`&` `error=…&error_description=…&state=…`). Valid: the code is issued at
//!   once for an application that skips authorization (or with `approval_prompt=auto` and a
//!   live token covering the scopes), else the consent page.
//! * `POST`: DOT's `AllowForm` (missing fields: the page again with Django's error list), then
//!   denied (`error=access_denied`) or the whole validation again on the form's values, a code
//!   (30 characters, `AUTHORIZATION_CODE_EXPIRE_SECONDS`) stored as DOT's `Grant`, and the
//!   redirect `code=…&state=…`.
//!
//! **Safer than DOT:** a consent `POST` whose redirect URI the application did not register is
//! DOT's 400 page (DOT sends `error=access_denied` to it, whatever it is: an open redirect). The
//! consent `POST` is always CSRF-checked (DOT relies on the project's
//! `CsrfViewMiddleware`: without it, any site can submit a user's consent). The implicit grant
//! (`response_type=token`, RFC 9700 §2.1.2) is refused (`unauthorized_client`), as DOT refuses
//! it under `COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT`. An unknown `client_id` in the consent form
//! (a 500 in DOT) is the 400 page `Invalid client_id parameter value.`; a query string oauthlib
//! cannot parse (a 500) is the 400 page `Unable to parse query string`.

use chrono::TimeDelta;

use crate::compat::python::parse::{quote, urlencode};
use crate::compat::python::text::python_split;
use crate::environment::Environment;
use crate::error::ApiError;
use crate::oauth2::OAuth2Error;
use crate::oauth2::resource_validator::is_valid_resource_uri;
use crate::oauth2::urldecode::has_invalid_hex_escape;
use crate::store::oauth2_application::{self, Application, grant_type};
use crate::store::{oauth2_access_token, oauth2_grant};
use crate::user::User;

use super::authorize_page::{ConsentPage, HIDDEN_FIELDS, error_page};
use super::bearer_token::generate_token;
use super::redirect_uri::{default_redirect_uri, is_absolute_uri, redirect_uri_allowed};
use super::token_request::scope_to_list;

/// What the endpoint answers. `Debug` shows neither locations (they carry codes) nor pages
/// (they carry CSRF tokens).
#[derive(Clone, PartialEq, Eq)]
pub enum AuthorizationAnswer {
    /// `302` to this location.
    Redirect(String),
    /// A page (`text/html; charset=utf-8`): the consent form (200) or an error (400).
    Page(u16, String),
    /// Django's 400 page: a redirect to a scheme the application may not use
    /// (`DisallowedRedirect`).
    DisallowedRedirect,
    /// A `JsonResponse` (`application/json`): `prompt=create`, which DOT does not support
    /// without its registration setting.
    Json(u16, String),
}

impl std::fmt::Debug for AuthorizationAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Redirect(_) => f.write_str("Redirect(..)"),
            Self::Page(status, _) => f.debug_tuple("Page").field(status).finish_non_exhaustive(),
            Self::DisallowedRedirect => f.write_str("DisallowedRedirect"),
            Self::Json(status, body) => f.debug_tuple("Json").field(status).field(body).finish(),
        }
    }
}

/// One request to the endpoint.
pub struct AuthorizationRequest<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// The request's path, escaped as Django's `get_full_path` escapes it.
    pub path: &'a str,
    /// The raw query string.
    pub query: &'a str,
    /// Django's `request.POST` (the consent form).
    pub post: &'a [(String, String)],
    /// The session's user.
    pub user: Option<&'a User>,
    /// A masked CSRF token for the consent form.
    pub csrf_token: &'a str,
}

impl std::fmt::Debug for AuthorizationRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthorizationRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// Why a request is refused.
enum Refusal {
    /// A `FatalClientError`: the 400 page.
    Fatal(&'static str, String),
    /// Any other error, sent to the client's redirect URI.
    Redirect(String, OAuth2Error),
}

/// The parameters of the request (the query's on `GET`, the form's on `POST`).
struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }
}

/// What validation found.
struct Validated {
    application: Application,
    redirect_uri: String,
    scopes: Vec<String>,
    state: Option<String>,
    response_type: String,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    nonce: Option<String>,
    claims: Option<String>,
}

/// An error oauthlib redirects: `redirect_uri` plus `?` or `&` and its two-tuples
/// (DOT's `OAuthLibMixin.error_response`).
fn error_location(redirect_uri: &str, error: &OAuth2Error) -> String {
    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    format!("{redirect_uri}{separator}{}", urlencode(error.twotuples()))
}

/// The fatal page for a query string oauthlib cannot parse (a 500 in DOT).
fn unparsable_query() -> AuthorizationAnswer {
    AuthorizationAnswer::Page(
        400,
        error_page("invalid_request", "Unable to parse query string"),
    )
}

/// oauthlib's duplicate check: the first of these parameters given more than once.
fn duplicated(params: &Params) -> Option<&'static str> {
    [
        "client_id",
        "response_type",
        "redirect_uri",
        "scope",
        "state",
    ]
    .into_iter()
    .find(|name| params.all(name).len() > 1)
}

/// oauthlib's `add_params_to_uri` (the query re-encoded with the parameters added).
fn add_params_to_uri(uri: &str, params: &[(&str, &str)]) -> String {
    let (before_fragment, fragment) = match uri.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (uri, None),
    };
    let (base, query) = before_fragment
        .split_once('?')
        .unwrap_or((before_fragment, ""));
    let existing: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    let pairs = existing
        .iter()
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .chain(params.iter().copied());
    let mut location = format!("{base}?{}", urlencode(pairs));
    if let Some(fragment) = fragment {
        location.push('#');
        location.push_str(fragment);
    }
    location
}

/// `OAuth2ResponseRedirect`: a redirect whose scheme the application allows
/// (`ALLOWED_REDIRECT_URI_SCHEMES`).
fn redirect(env: &Environment, location: String) -> AuthorizationAnswer {
    let scheme = location
        .split_once(':')
        .map(|(scheme, _)| scheme.to_ascii_lowercase());
    let allowed = &env.settings().oauth2.allowed_redirect_uri_schemes;
    match scheme {
        Some(scheme) if allowed.contains(&scheme) => AuthorizationAnswer::Redirect(location),
        _ => AuthorizationAnswer::DisallowedRedirect,
    }
}

/// oauthlib's `AuthorizationCodeGrant.validate_authorization_request`, with DOT's validator.
async fn validate(
    env: &Environment,
    params: &Params,
    duplicates_checked: bool,
) -> Result<Result<Validated, Refusal>, ApiError> {
    let settings = &env.settings().oauth2;
    if duplicates_checked && let Some(name) = duplicated(params) {
        return Ok(Err(Refusal::Fatal(
            "invalid_request",
            format!("Duplicate {name} parameter."),
        )));
    }
    let Some(client_id) = params.get("client_id").filter(|id| !id.is_empty()) else {
        return Ok(Err(Refusal::Fatal(
            "invalid_request",
            "Missing client_id parameter.".to_owned(),
        )));
    };
    let application = oauth2_application::by_client_id(env.db(), client_id)
        .await
        .map_err(ApiError::store_failure)?;
    let Some(application) = application else {
        return Ok(Err(Refusal::Fatal(
            "invalid_request",
            "Invalid client_id parameter value.".to_owned(),
        )));
    };
    let redirect_uri = match params.get("redirect_uri") {
        Some(uri) => {
            if !is_absolute_uri(uri) {
                return Ok(Err(Refusal::Fatal(
                    "invalid_request",
                    "Invalid redirect URI.".to_owned(),
                )));
            }
            if !redirect_uri_allowed(uri, &application.redirect_uris) {
                return Ok(Err(Refusal::Fatal(
                    "invalid_request",
                    "Mismatching redirect URI.".to_owned(),
                )));
            }
            uri.to_owned()
        }
        None => match default_redirect_uri(&application) {
            Some(uri) if is_absolute_uri(uri) => uri.to_owned(),
            Some(_) => {
                return Ok(Err(Refusal::Fatal(
                    "invalid_request",
                    "Invalid redirect URI.".to_owned(),
                )));
            }
            None => {
                return Ok(Err(Refusal::Fatal(
                    "invalid_request",
                    "Missing redirect URI.".to_owned(),
                )));
            }
        },
    };
    let state = params.get("state").filter(|state| !state.is_empty());
    let refuse = |error: OAuth2Error| {
        Ok(Err(Refusal::Redirect(
            redirect_uri.clone(),
            error.with_state(state),
        )))
    };
    let Some(response_type) = params.get("response_type") else {
        return refuse(OAuth2Error::invalid_request(
            "Missing response_type parameter.",
        ));
    };
    // The implicit grant is not served (see the module docs); any other type without `code`
    // is not a code request.
    if response_type != "token" && !response_type.contains("code") && response_type != "none" {
        return refuse(OAuth2Error::custom("unsupported_response_type", ""));
    }
    let allowed = match response_type {
        "code" => application.allows_grant_type(&[grant_type::AUTHORIZATION_CODE]),
        "code id_token" | "code token" | "code id_token token" => {
            application.allows_grant_type(&[grant_type::OPENID_HYBRID])
        }
        _ => false,
    };
    if !allowed {
        return refuse(OAuth2Error::unauthorized_client());
    }
    let code_challenge = params.get("code_challenge");
    if settings.pkce_required && code_challenge.is_none() {
        return refuse(OAuth2Error::invalid_request("Code challenge required."));
    }
    let code_challenge_method = match code_challenge {
        Some(_) => {
            let method = params.get("code_challenge_method").unwrap_or("plain");
            if method != "plain" && method != "S256" {
                return refuse(OAuth2Error::invalid_request(
                    "Transform algorithm not supported.",
                ));
            }
            Some(method.to_owned())
        }
        // Without a challenge (`PKCE_REQUIRED` off) the method is stored as sent, as DOT's
        // `request.code_challenge_method or ""` stores it.
        None => params
            .get("code_challenge_method")
            .filter(|method| !method.is_empty())
            .map(str::to_owned),
    };
    let scopes = match params.get("scope") {
        Some(scope) => scope_to_list(scope),
        None => settings.default_scope_names(),
    };
    let available = settings.scope_names();
    if !scopes.iter().all(|scope| available.contains(scope)) {
        return refuse(OAuth2Error::invalid_scope());
    }
    Ok(Ok(Validated {
        application,
        redirect_uri,
        scopes,
        state: state.map(str::to_owned),
        response_type: response_type.to_owned(),
        code_challenge: code_challenge.map(str::to_owned),
        code_challenge_method,
        nonce: params
            .get("nonce")
            .filter(|nonce| !nonce.is_empty())
            .map(str::to_owned),
        claims: params
            .get("claims")
            .filter(|claims| !claims.is_empty())
            .map(str::to_owned),
    }))
}

/// oauthlib's `create_authorization_code` and DOT's `save_authorization_code`: the code stored
/// and the redirect `code=…&state=…`.
async fn issue_code(
    env: &Environment,
    validated: &Validated,
    user: &User,
    resource: &[String],
) -> Result<AuthorizationAnswer, ApiError> {
    let settings = &env.settings().oauth2;
    let code = generate_token();
    let now = crate::store::datetime::truncate(env.services().clock().now());
    let expires = TimeDelta::try_seconds(settings.authorization_code_expire_seconds)
        .and_then(|lifetime| now.checked_add_signed(lifetime))
        .ok_or_else(|| ApiError::store_failure("AUTHORIZATION_CODE_EXPIRE_SECONDS out of range"))?;
    let scope = validated.scopes.join(" ");
    // `json.dumps(request.claims or {})`: the claims arrive as text, so they are stored as a
    // JSON string.
    let claims = validated.claims.as_ref().map_or_else(
        || "{}".to_owned(),
        |claims| {
            crate::compat::python::json::dumps::dumps(&serde_json::Value::from(claims.as_str()))
        },
    );
    oauth2_grant::insert(
        env.db(),
        &oauth2_grant::NewGrant {
            code: &code,
            application_id: validated.application.id,
            user_id: user.id,
            expires,
            redirect_uri: &validated.redirect_uri,
            scope: &scope,
            code_challenge: validated.code_challenge.as_deref().unwrap_or(""),
            code_challenge_method: validated.code_challenge_method.as_deref().unwrap_or(""),
            resource,
            nonce: validated.nonce.as_deref().unwrap_or(""),
            claims: &claims,
        },
        now,
    )
    .await
    .map_err(ApiError::store_failure)?;
    let mut params = vec![("code", code.as_str())];
    if let Some(state) = &validated.state {
        params.push(("state", state.as_str()));
    }
    Ok(redirect(
        env,
        add_params_to_uri(&validated.redirect_uri, &params),
    ))
}

/// An invalid RFC 8707 resource among `resources`, as DOT refuses it (`invalid_target`).
fn invalid_resource(resources: &[&str], state: Option<&str>) -> Option<OAuth2Error> {
    resources
        .iter()
        .find(|uri| !is_valid_resource_uri(uri))
        .map(|uri| {
            OAuth2Error::custom(
            "invalid_target",
            format!(
                "The resource '{uri}' is not a valid resource indicator: it must be an absolute \
                 URI with a scheme and host."
            ),
        )
        .with_state(state)
        })
}

/// The answer to `request`.
pub async fn authorize(
    env: &Environment,
    request: &AuthorizationRequest<'_>,
) -> Result<AuthorizationAnswer, ApiError> {
    // The query as oauthlib parses it; one it cannot parse is refused (a 500 in DOT).
    // `parse_qsl(strict_parsing=True)`: every field has `=` (an empty one is refused too).
    let query_ok = !has_invalid_hex_escape(request.query)
        && (request.query.is_empty() || request.query.split('&').all(|field| field.contains('=')));
    let query = Params {
        pairs: form_urlencoded::parse(request.query.as_bytes())
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect(),
    };
    let Some(user) = request.user else {
        return anonymous(env, request, &query, query_ok).await;
    };
    if request.method == "POST" {
        return consent(env, request, user, query, query_ok).await;
    }
    if !query_ok {
        return Ok(unparsable_query());
    }
    let validated = match validate(env, &query, true).await? {
        Ok(validated) => validated,
        Err(refusal) => return Ok(refused(env, refusal)),
    };
    let prompt: Vec<&str> = python_split(query.get("prompt").unwrap_or("")).collect();
    if prompt.contains(&"create") {
        return Ok(prompt_create_unsupported());
    }
    if prompt.contains(&"login") {
        return Ok(prompt_login(env, request));
    }
    let resources = query.all("resource");
    if let Some(error) = invalid_resource(&resources, validated.state.as_deref()) {
        return Ok(redirect(
            env,
            error_location(&validated.redirect_uri, &error),
        ));
    }
    let resources: Vec<String> = resources.iter().map(|uri| (*uri).to_owned()).collect();
    let approval = query
        .get("approval_prompt")
        .unwrap_or(&env.settings().oauth2.request_approval_prompt);
    if validated.application.skip_authorization {
        return issue_code(env, &validated, user, &resources).await;
    }
    if approval == "auto" {
        let now = env.services().clock().now();
        let live =
            oauth2_access_token::live_scopes_of(env.db(), user.id, validated.application.id, now)
                .await
                .map_err(ApiError::store_failure)?;
        let covered = live.iter().any(|scope| {
            let granted: Vec<&str> = python_split(scope).collect();
            validated
                .scopes
                .iter()
                .all(|asked| granted.contains(&asked.as_str()))
        });
        if covered {
            return issue_code(env, &validated, user, &resources).await;
        }
    }
    let descriptions: Vec<String> = validated
        .scopes
        .iter()
        .map(|scope| {
            env.settings()
                .oauth2
                .scopes
                .iter()
                .find(|(name, _)| name == scope)
                .map_or_else(|| scope.clone(), |(_, description)| description.clone())
        })
        .collect();
    let scope = validated.scopes.join(" ");
    let resource = resources.join(" ");
    let values = [
        Some(validated.redirect_uri.as_str()),
        Some(scope.as_str()),
        // DOT puts `nonce` and `claims` in the form only from OpenID Connect's credentials.
        None,
        Some(validated.application.client_id.as_str()),
        validated.state.as_deref(),
        Some(validated.response_type.as_str()),
        validated.code_challenge.as_deref(),
        validated.code_challenge_method.as_deref(),
        None,
        (!resource.is_empty()).then_some(resource.as_str()),
    ];
    let page = ConsentPage {
        application_name: &validated.application.name,
        csrf_token: request.csrf_token,
        values,
        scope_descriptions: &descriptions,
        missing_fields: &[],
    };
    Ok(AuthorizationAnswer::Page(200, page.render()))
}

/// DOT's `error_response`: the 400 page or the redirect to the client.
fn refused(env: &Environment, refusal: Refusal) -> AuthorizationAnswer {
    match refusal {
        Refusal::Fatal(error, description) => {
            AuthorizationAnswer::Page(400, error_page(error, &description))
        }
        Refusal::Redirect(redirect_uri, error) => {
            redirect(env, error_location(&redirect_uri, &error))
        }
    }
}

/// DOT's answer to `prompt=create` without `OIDC_RP_INITIATED_REGISTRATION_ENABLED`.
fn prompt_create_unsupported() -> AuthorizationAnswer {
    AuthorizationAnswer::Json(
        400,
        r#"{"error": "invalid_request", "error_description": "prompt=create is not supported"}"#
            .to_owned(),
    )
}

/// Django's `redirect_to_login(next)`: `LOGIN_URL` with `next` quoted (`/` kept).
fn redirect_to_login(env: &Environment, next: &str) -> AuthorizationAnswer {
    let login_url = &env.settings().oauth2.login_url;
    let separator = if login_url.contains('?') { '&' } else { '?' };
    AuthorizationAnswer::Redirect(format!("{login_url}{separator}next={}", quote(next)))
}

/// DOT's `handle_prompt_login`: to the login page, with the request's query in `next` minus
/// `prompt` (`dict(parse_qsl(query))`: blank values dropped, the last of a repeated one kept,
/// in the order they first came; written back by `urlencode`).
fn prompt_login(env: &Environment, request: &AuthorizationRequest<'_>) -> AuthorizationAnswer {
    let mut fields: Vec<(String, String)> = Vec::new();
    for (key, value) in form_urlencoded::parse(request.query.as_bytes()) {
        if value.is_empty() {
            continue;
        }
        match fields.iter_mut().find(|(existing, _)| *existing == key) {
            Some(field) => field.1 = value.into_owned(),
            None => fields.push((key.into_owned(), value.into_owned())),
        }
    }
    fields.retain(|(key, _)| key != "prompt");
    let query = urlencode(
        fields
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str())),
    );
    let mut next = request.path.to_owned();
    if !query.is_empty() {
        next.push('?');
        next.push_str(&query);
    }
    redirect_to_login(env, &next)
}

/// `LoginRequiredMixin.handle_no_permission` for an anonymous request (DOT's override).
async fn anonymous(
    env: &Environment,
    request: &AuthorizationRequest<'_>,
    query: &Params,
    query_ok: bool,
) -> Result<AuthorizationAnswer, ApiError> {
    let prompt: Vec<&str> = python_split(query.get("prompt").unwrap_or("")).collect();
    if prompt.contains(&"none") {
        if !query_ok {
            return Ok(unparsable_query());
        }
        let validated = match validate(env, query, true).await? {
            Ok(validated) => validated,
            Err(refusal) => return Ok(refused(env, refusal)),
        };
        let error =
            OAuth2Error::custom("login_required", "").with_state(validated.state.as_deref());
        return Ok(redirect(
            env,
            error_location(&validated.redirect_uri, &error),
        ));
    }
    if prompt.contains(&"create") {
        return Ok(prompt_create_unsupported());
    }
    if prompt.contains(&"login") {
        return Ok(prompt_login(env, request));
    }
    // Django's `redirect_to_login(request.get_full_path())`.
    let mut full_path = request.path.to_owned();
    if !request.query.is_empty() {
        full_path.push('?');
        full_path.push_str(request.query);
    }
    Ok(redirect_to_login(env, &full_path))
}

/// `POST`: DOT's `AllowForm` and `form_valid`.
async fn consent(
    env: &Environment,
    request: &AuthorizationRequest<'_>,
    user: &User,
    query: Params,
    query_ok: bool,
) -> Result<AuthorizationAnswer, ApiError> {
    let form = Params {
        pairs: request.post.to_vec(),
    };
    // `CharField` strips; the required ones must be left with something.
    let cleaned = |name: &str| {
        form.get(name)
            .map(|value| crate::compat::python::text::python_strip(value).to_owned())
            .filter(|value| !value.is_empty())
    };
    let missing: Vec<&str> = ["redirect_uri", "scope", "client_id", "response_type"]
        .into_iter()
        .filter(|name| cleaned(name).is_none())
        .collect();
    if !missing.is_empty() {
        let values = HIDDEN_FIELDS.map(|name| form.get(name));
        let page = ConsentPage {
            application_name: "",
            csrf_token: request.csrf_token,
            values,
            scope_descriptions: &[],
            missing_fields: &missing,
        };
        return Ok(AuthorizationAnswer::Page(200, page.render()));
    }
    let value = |name: &str| cleaned(name).unwrap_or_default();
    let (client_id, redirect_uri) = (value("client_id"), value("redirect_uri"));
    let state = cleaned("state");
    let application = oauth2_application::by_client_id(env.db(), &client_id)
        .await
        .map_err(ApiError::store_failure)?;
    let Some(application) = application else {
        return Ok(AuthorizationAnswer::Page(
            400,
            error_page("invalid_request", "Invalid client_id parameter value."),
        ));
    };
    // Nothing is sent to a redirect URI the application did not register (DOT sends the
    // refusal and the resource errors below to the form's URI as it is: an open redirect).
    let unsendable = if !is_absolute_uri(&redirect_uri) {
        Some("Invalid redirect URI.")
    } else if !redirect_uri_allowed(&redirect_uri, &application.redirect_uris) {
        Some("Mismatching redirect URI.")
    } else {
        None
    };
    if let Some(description) = unsendable {
        return Ok(AuthorizationAnswer::Page(
            400,
            error_page("invalid_request", description),
        ));
    }
    let resource_text = cleaned("resource").unwrap_or_default();
    let resources: Vec<&str> = python_split(&resource_text).collect();
    if let Some(error) = invalid_resource(&resources, state.as_deref()) {
        return Ok(redirect(env, error_location(&redirect_uri, &error)));
    }
    // `BooleanField` with `CheckboxInput`: `"true"`/`"false"` in any case, else any value
    // that is not empty is true (`"0"` too).
    let allow = form
        .get("allow")
        .is_some_and(|value| !value.is_empty() && value.to_lowercase() != "false");
    if !allow {
        let error = OAuth2Error::custom("access_denied", "").with_state(state.as_deref());
        return Ok(redirect(env, error_location(&redirect_uri, &error)));
    }
    // oauthlib validates again: a request built from the `POST`'s URI (its query string,
    // checked for duplicates), with the form's values over it — always the client, redirect
    // URI, response type, state and scopes; the PKCE challenge, nonce and claims when the form
    // has them.
    if !query_ok {
        return Ok(unparsable_query());
    }
    if let Some(name) = duplicated(&query) {
        return Ok(AuthorizationAnswer::Page(
            400,
            error_page("invalid_request", &format!("Duplicate {name} parameter.")),
        ));
    }
    let mut pairs = query.pairs;
    let mut set = |name: &str, value: Option<String>| {
        pairs.retain(|(key, _)| key != name);
        if let Some(value) = value {
            pairs.push((name.to_owned(), value));
        }
    };
    set("client_id", Some(client_id));
    set("redirect_uri", Some(redirect_uri));
    set("response_type", Some(value("response_type")));
    set("scope", Some(value("scope")));
    set("state", state.clone());
    for name in ["code_challenge", "code_challenge_method", "nonce", "claims"] {
        if let Some(value) = cleaned(name) {
            set(name, Some(value));
        }
    }
    let params = Params { pairs };
    let validated = match validate(env, &params, false).await? {
        Ok(validated) => validated,
        Err(Refusal::Fatal(error, description)) => {
            return Ok(AuthorizationAnswer::Page(
                400,
                error_page(error, &description),
            ));
        }
        // oauthlib's own redirect here: `add_params_to_uri`.
        Err(Refusal::Redirect(redirect_uri, error)) => {
            return Ok(redirect(
                env,
                add_params_to_uri(&redirect_uri, &error.twotuples()),
            ));
        }
    };
    let resources: Vec<String> = resources.iter().map(|uri| (*uri).to_owned()).collect();
    issue_code(env, &validated, user, &resources).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_oauthlibs() {
        let error =
            OAuth2Error::invalid_request("Code challenge required.").with_state(Some("s t"));
        assert_eq!(
            error_location("https://c.example/cb", &error),
            "https://c.example/cb?error=invalid_request&error_description=Code+challenge+required.&state=s+t"
        );
        assert_eq!(
            error_location("https://c.example/cb?a=1", &OAuth2Error::invalid_scope()),
            "https://c.example/cb?a=1&error=invalid_scope"
        );
        assert_eq!(
            add_params_to_uri(
                "https://c.example/cb?a=%20b",
                &[("code", "C"), ("state", "é")]
            ),
            "https://c.example/cb?a=+b&code=C&state=%C3%A9"
        );
        // oauthlib.common.add_params_to_uri: blank pairs kept, empty fields dropped.
        assert_eq!(
            add_params_to_uri("https://c.example/cb?=&a=&&b", &[("code", "C")]),
            "https://c.example/cb?=&a=&b=&code=C"
        );
    }
}
