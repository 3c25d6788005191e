//! Procedural macros of `auth-actix`: DRF's per-view policy as attributes, checked by the
//! compiler. Use them through `auth-actix` (`use auth_actix::{authentication_classes, …}`).
//!
//! Each entry point here is thin: parsing, checking and code generation live in `policy` and
//! `derive`. Generated code names runtime items only through `::auth_actix::__private`
//! (override with `crate = "…"`).

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod derive;
mod errors;
mod formatting;
mod handler;
mod import_hint;
mod keywords;
mod login_not_required;
mod policy;
mod user_columns;

use proc_macro::TokenStream;

use keywords::PolicyPart;

/// DRF's `authentication_classes`: the schemes that identify the caller, tried in order.
///
/// The first scheme that authenticates wins; the first that fails ends the request with its
/// error; if none attempts, the request is anonymous. `#[authentication_classes()]` means no
/// schemes (DRF's `[]`). Omitted, the scope's `PolicyDefaults` then the project settings apply.
///
/// ```
/// use actix_web::{get, Responder};
/// use auth_actix::{authentication_classes, permission_classes, Auth};
/// use auth_actix::{BasicAuthentication, TokenAuthentication, IsAuthenticated};
///
/// #[get("/me")]
/// #[authentication_classes(TokenAuthentication, BasicAuthentication)]
/// #[permission_classes(IsAuthenticated)]
/// async fn me(auth: Auth) -> impl Responder {
///     auth.user().to_string()
/// }
/// ```
///
/// The same handler with its guard written by hand (the macros generate the equivalent: a hidden
/// struct implementing `auth_actix::policy::HandlerPolicy` with these lists, and a
/// `DeclaredGuard` of it as the first parameter, so that a wrong list is one error on your
/// token rather than also an unregistrable handler):
///
/// ```
/// use actix_web::{get, Responder};
/// use auth_actix::{Auth, PolicyGuard, BasicAuthentication, TokenAuthentication, IsAuthenticated};
/// use auth_actix::policy::DefaultThrottles;
/// use auth_actix::throttling::NoThrottleScope;
///
/// #[get("/me")]
/// async fn me(
///     _: PolicyGuard<
///         (TokenAuthentication, BasicAuthentication,),
///         (IsAuthenticated,),
///         DefaultThrottles,
///         NoThrottleScope,
///     >,
///     auth: Auth,
/// ) -> impl Responder {
///     auth.user().to_string()
/// }
/// ```
///
/// A permission in the scheme list is one error, on that name:
///
/// ```text
/// error[E0277]: `IsAuthenticated` is not an authentication scheme or a list of them
///  --> src/main.rs:4:25
///   |
/// 4 | #[authentication_classes(IsAuthenticated)]
///   |                          ^^^^^^^^^^^^^^^ not a scheme list
/// ```
///
/// A library name the file does not import is one error with the line to add:
///
/// ```text
/// error: `BasicAuthentication` is not imported: add `use auth_actix::BasicAuthentication;`
/// ```
#[proc_macro_attribute]
pub fn authentication_classes(arguments: TokenStream, item: TokenStream) -> TokenStream {
    policy::expand::expand(PolicyPart::Authentication, arguments.into(), item.into()).into()
}

/// DRF's `permission_classes`: each must grant, in order. Items are permission types or
/// expressions with `&`, `|`, `!` (or DRF's `~`) and parentheses; `!` binds tightest, then `&`,
/// then `|`, as in DRF.
///
/// ```
/// use actix_web::{post, Responder};
/// use auth_actix::{authentication_classes, permission_classes, Auth};
/// use auth_actix::{BasicAuthentication, IsAuthenticated, IsAdminUser, ReadOnly};
///
/// #[post("/articles")]
/// #[authentication_classes(BasicAuthentication)]
/// #[permission_classes(IsAuthenticated & (IsAdminUser | ReadOnly))]
/// async fn articles(auth: Auth) -> impl Responder {
///     auth.user().to_string()
/// }
/// ```
///
/// Without the macro, the expression is the type
/// `PolicyGuard<(BasicAuthentication,), (And<IsAuthenticated, Or<IsAdminUser, ReadOnly>>,), ()>`.
///
/// A scheme in the permission list is one error, on that name (also when a route macro or
/// `.to()` registers the handler):
///
/// ```text
/// error[E0277]: `BasicAuthentication` is not a permission or a list of permissions
///  --> src/main.rs:4:22
///   |
/// 4 | #[permission_classes(BasicAuthentication)]
///   |                      ^^^^^^^^^^^^^^^^^^^ not a permission list
/// ```
#[proc_macro_attribute]
pub fn permission_classes(arguments: TokenStream, item: TokenStream) -> TokenStream {
    policy::expand::expand(PolicyPart::Permissions, arguments.into(), item.into()).into()
}

/// DRF's `throttle_classes`: every throttle is evaluated after the permissions; when any refuses,
/// the longest wait is the 429's `Retry-After`. Omitted, the project's
/// `DEFAULT_THROTTLE_CLASSES` apply.
///
/// ```
/// use auth_actix::{throttle_classes, throttle_scope, AnonRateThrottle, ScopedRateThrottle};
///
/// #[throttle_classes(AnonRateThrottle, ScopedRateThrottle)]
/// #[throttle_scope("uploads")]
/// async fn upload() -> &'static str {
///     "stored"
/// }
/// ```
///
/// Without the macros the guard is
/// `PolicyGuard<DefaultAuthentication, DefaultPermissions, (AnonRateThrottle, ScopedRateThrottle,), Uploads>`
/// with `auth_actix::throttling::declare_throttle_scope!(Uploads = "uploads");`.
///
/// `ScopedRateThrottle` without a scope is an error on that name:
///
/// ```text
/// error: `ScopedRateThrottle` reads the view's scope: add `#[throttle_scope("…")]`
///  --> src/main.rs:3:20
///   |
/// 3 | #[throttle_classes(ScopedRateThrottle)]
///   |                    ^^^^^^^^^^^^^^^^^^
/// ```
#[proc_macro_attribute]
pub fn throttle_classes(arguments: TokenStream, item: TokenStream) -> TokenStream {
    policy::expand::expand(PolicyPart::Throttles, arguments.into(), item.into()).into()
}

/// DRF's `renderer_classes`: what the view can answer in, in the order content negotiation
/// tries them against `Accept` (and `?format=`), before authentication. A request none of them
/// can answer gets `406 {"detail":"Could not satisfy the request Accept header."}`, rendered by
/// the first; every refusal is rendered by the chosen renderer, as DRF renders it. Omitted, the
/// scope's or project's `DEFAULT_RENDERER_CLASSES` apply, else JSON alone. The handler asks
/// [`Auth::accepted_renderer`] which one to answer in.
///
/// ```
/// use actix_web::HttpResponse;
/// use auth_actix::{renderer_classes, permission_classes, Auth, CSVRenderer, JSONRenderer, IsAuthenticated};
///
/// #[permission_classes(IsAuthenticated)]
/// #[renderer_classes(CSVRenderer, JSONRenderer)]
/// async fn report(auth: Auth) -> HttpResponse {
///     let renderer = auth.accepted_renderer();
///     let body = if renderer.format == "csv" { "user\r\njohn\r\n" } else { r#"[{"user":"john"}]"# };
///     HttpResponse::Ok().content_type(renderer.content_type().as_ref()).body(body)
/// }
/// ```
///
/// [`Auth::accepted_renderer`]: https://docs.rs/auth-actix/latest/auth_actix/struct.Auth.html#method.accepted_renderer
#[proc_macro_attribute]
pub fn renderer_classes(arguments: TokenStream, item: TokenStream) -> TokenStream {
    policy::expand::expand(PolicyPart::Renderers, arguments.into(), item.into()).into()
}

/// DRF's `api_view`: the methods the view answers. Any other method is answered, after the
/// view's authentication, permissions and throttles, with DRF's
/// `405 {"detail":"Method \"PUT\" not allowed."}` (rendered by the accepted renderer), and
/// `OPTIONS`, unless listed, with DRF's `SimpleMetadata` (`name` from the function's name,
/// `description` from its doc comment, `renders`, `parses`). Every response of the view carries
/// `Allow: GET, POST, OPTIONS`. As DRF's, `HEAD` is not implied by `GET`: list it to answer it.
/// The view's other parts are the project defaults unless declared beside it.
///
/// Register the handler for every method — `.route("/articles/", web::to(articles))` — or give
/// the path first, and `.service(articles)` registers it as actix-web's route macros do (which
/// cannot be combined with it: they let only their own method through):
///
/// ```
/// use actix_web::{App, HttpResponse};
/// use auth_actix::{api_view, permission_classes, Auth, IsAuthenticatedOrReadOnly};
///
/// /// Lists the articles, or adds one.
/// #[api_view("/articles/", GET, POST)]
/// #[permission_classes(IsAuthenticatedOrReadOnly)]
/// async fn articles(auth: Auth) -> HttpResponse {
///     HttpResponse::Ok().json(auth.user().to_string())
/// }
///
/// let app = App::new().service(articles);
/// # let _ = app;
/// ```
#[proc_macro_attribute]
pub fn api_view(arguments: TokenStream, item: TokenStream) -> TokenStream {
    policy::expand::expand(PolicyPart::ApiView, arguments.into(), item.into()).into()
}

/// DRF's `throttle_scope`: the name `ScopedRateThrottle` looks up in the throttle rates. Goes
/// with `#[throttle_classes(…, ScopedRateThrottle)]` (see there).
#[proc_macro_attribute]
pub fn throttle_scope(arguments: TokenStream, item: TokenStream) -> TokenStream {
    policy::expand::expand(PolicyPart::ThrottleScope, arguments.into(), item.into()).into()
}

/// Django's `login_not_required`: this handler is open under deny-by-default (health checks,
/// static files). It runs no policy at all: no authentication, no permission, no throttle; the
/// OpenAPI document lists its operation without security. A handler that needs the user
/// declares `#[permission_classes(AllowAny)]` instead.
///
/// ```
/// use actix_web::{get, Responder};
/// use auth_actix::login_not_required;
///
/// #[login_not_required]
/// #[get("/health")]
/// async fn health() -> impl Responder {
///     "ok"
/// }
/// ```
///
/// Combined with a policy attribute, or on a handler taking `Auth`, it is an error:
///
/// ```text
/// error: `Auth` runs the default policy, which `#[login_not_required]` turns off: declare `#[permission_classes(AllowAny)]` instead to read the user
///  --> src/main.rs:5:18
///   |
/// 5 | async fn health(auth: Auth) -> impl Responder {
///   |                       ^^^^
/// ```
#[proc_macro_attribute]
pub fn login_not_required(arguments: TokenStream, item: TokenStream) -> TokenStream {
    login_not_required::expand(arguments.into(), item.into()).into()
}

/// Declares a custom scheme (DRF's `BaseAuthentication` subclass): each field is a credential
/// read from the request and parsed with `FromStr`; the struct's `Verify` impl checks them.
///
/// Sources: `#[credential(header = "X-Api-Key")]`, `cookie = "…"`, `query = "…"`, and
/// `bearer = "ApiKey"` for `Authorization: ApiKey <credential>`. `Option<T>` fields are
/// optional. A scheme whose credentials are all absent does not attempt; a credential that does
/// not parse fails with `Invalid <credential>.`. `#[authentication(challenge = "ApiKey")]` gives
/// the scheme a `WWW-Authenticate` value (401 when first); without it, errors are 403, as in DRF.
///
/// ```
/// use auth_actix::authentication::{ApiError, AuthContext, AuthInfo, Authenticated, Outcome, Verify};
/// use auth_actix::django::crypto::constant_time_compare;
/// use auth_actix::Authentication;
///
/// #[derive(Authentication)]
/// #[authentication(challenge = "ApiKey")]
/// struct ApiKey {
///     #[credential(header = "X-Api-Key")]
///     key: String,
/// }
///
/// impl Verify for ApiKey {
///     async fn verify(self, cx: &AuthContext<'_>) -> Result<Authenticated, ApiError> {
///         let user = cx.settings().user_model.find_by_username(cx.db(), "service")
///             .await
///             .map_err(ApiError::store_failure)?;
///         match user {
///             // A secret is compared in constant time, never with `==`.
///             Some(user) if constant_time_compare(&self.key, "expected") => {
///                 Ok(Authenticated { user: user.into(), auth: AuthInfo::None })
///             }
///             _ => Err(ApiError::authentication_failed("Invalid API key.")),
///         }
///     }
/// }
/// ```
///
/// Without the derive, `ApiKey` would implement the trait by hand (what the derive generates):
///
/// ```text
/// impl Authentication for ApiKey {
///     const NAME: &'static str = "ApiKey";
///     async fn authenticate(cx: &AuthContext<'_>) -> Outcome {
///         let source = Source::Header("X-Api-Key");
///         let key = match source.find(cx.request) {
///             Found::Absent => return Outcome::NotAttempted,
///             Found::Invalid(error) => return Outcome::Failed(error),
///             Found::Present(text) => match source.parse::<String>(&text) {
///                 Ok(key) => key,
///                 Err(error) => return Outcome::Failed(error),
///             },
///         };
///         match ApiKey { key }.verify(cx).await {
///             Ok(authenticated) => Outcome::Authenticated(authenticated),
///             Err(error) => Outcome::Failed(error),
///         }
///     }
///     fn challenge(_cx: &AuthContext<'_>) -> Option<String> { Some("ApiKey".into()) }
/// }
/// ```
///
/// DRF's "subclass `TokenAuthentication` and set `keyword`" is one line:
///
/// ```
/// use auth_actix::Authentication;
///
/// #[derive(Authentication)]
/// #[authentication(token, keyword = "Bearer")]
/// struct BearerToken;
/// ```
///
/// Two sources on one field are an error on the second:
///
/// ```text
/// error: conflicting sources `header` and `cookie`: a credential comes from one place
///  --> src/main.rs:3:43
///   |
/// 3 |     #[credential(header = "X-Api-Key", cookie = "key")]
///   |                                        ^^^^^^
/// ```
#[proc_macro_derive(Authentication, attributes(authentication, credential))]
pub fn derive_authentication(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    let mut errors = errors::Errors::default();
    let scheme = derive::ast::parse(&input, &mut errors);
    match scheme {
        Some(scheme) if errors.is_empty() => derive::expand::expand(&scheme).into(),
        _ => errors.into_compile_errors().into(),
    }
}

/// Reads a custom user model's own columns with their types, beside the built-in ones:
/// Django's `request.user.display_name` for a model with `display_name = CharField(…)`.
///
/// Each named field is the column of its name (or `#[user_column(name = "…")]`), decoded as
/// sea-orm decodes the field's type; read them with `Auth::user_columns::<T>()` in a handler or
/// `UserModel::find_with_columns::<T, _>(db, id)`.
///
/// ```
/// use auth_actix::UserColumns;
///
/// #[derive(UserColumns)]
/// struct MemberFields {
///     display_name: String,
///     shoe_size: Option<i32>,
///     #[user_column(name = "team_id")]
///     team: Option<i32>,
/// }
/// # use auth_actix::store::user_columns::UserColumns as _;
/// assert_eq!(MemberFields::COLUMNS, ["display_name", "shoe_size", "team_id"]);
/// ```
#[proc_macro_derive(UserColumns, attributes(user_column))]
pub fn derive_user_columns(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    user_columns::expand(&input).into()
}
