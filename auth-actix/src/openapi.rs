//! OpenAPI security from each handler's declared policy (the `openapi` feature).
//!
//! Every handler whose policy is declared with `#[authentication_classes]`,
//! `#[permission_classes]`, `#[throttle_classes]` or `#[throttle_scope]` registers it under its
//! function name (a handler with a hand-written [`PolicyGuard`] does so with
//! [`operation_policy!`](crate::operation_policy)). [`PolicySecurity::apply`] then walks a
//! utoipa document and, for every operation whose `operationId` is such a name (what
//! `#[utoipa::path]` uses unless told otherwise), writes:
//!
//! - `security`: one requirement per scheme that reads a credential, in the view's order (a
//!   session is its cookie, plus the CSRF cookie and header on unsafe methods), then the empty
//!   requirement `{}` when an anonymous request passes the view's permissions with that method
//!   (`AllowAny`, `ReadOnly` or `IsAuthenticatedOrReadOnly` on a `GET`, …);
//! - `components.securitySchemes`: every scheme those requirements name — HTTP Basic, DRF's
//!   `Token <key>` as an `Authorization` header (HTTP Bearer when the keyword is `Bearer`), the
//!   session and CSRF cookies and header, and each `#[derive(Authentication)]` scheme's declared
//!   credential (header, cookie, query parameter or `Authorization` keyword; its field's doc
//!   comment is the description).
//!
//! The declared policy replaces any `security` the path attribute wrote by hand, so the document
//! cannot drift from what the server enforces. Views that leave a part of their policy to the
//! defaults are described with the project's defaults, or with the [`PolicyDefaults`] of the
//! scope their path is under ([`PolicySecurity::scope`]).
//!
//! ```
//! use actix_web::{get, post, Responder};
//! use auth_actix::openapi::PolicySecurity;
//! use auth_actix::{authentication_classes, permission_classes, Auth, AuthSettings};
//! use auth_actix::{IsAuthenticatedOrReadOnly, SessionAuthentication, TokenAuthentication};
//! use utoipa::OpenApi;
//!
//! #[utoipa::path(get, path = "/articles/", responses((status = 200)))]
//! #[get("/articles/")]
//! #[authentication_classes(TokenAuthentication, SessionAuthentication)]
//! #[permission_classes(IsAuthenticatedOrReadOnly)]
//! async fn articles(auth: Auth) -> impl Responder {
//!     auth.user().to_string()
//! }
//!
//! #[derive(OpenApi)]
//! #[openapi(paths(articles))]
//! struct ApiDoc;
//!
//! let settings = AuthSettings::builder().secret_key("example only").build().unwrap();
//! let mut document = ApiDoc::openapi();
//! PolicySecurity::new(&settings).apply(&mut document).unwrap();
//! let json = serde_json::to_value(&document).unwrap();
//! assert_eq!(
//!     json["paths"]["/articles/"]["get"]["security"],
//!     serde_json::json!([{ "TokenAuthentication": [] }, { "SessionAuthentication": [] }, {}])
//! );
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use auth_core::AuthSettings;
use auth_core::authentication::{CredentialLocation, SecurityScheme};
use auth_core::operation_security;
use auth_core::permissions::PermissionClasses;
use auth_core::policy::{
    AuthenticationPolicy, DefaultAuthentication, DefaultPermissions, PolicyDefaults, Resolve,
};
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, AuthorizationCode, ClientCredentials, Flow, HttpAuthScheme, HttpBuilder,
    OAuth2, Scopes, SecurityRequirement, SecurityScheme as OpenApiScheme,
};
use utoipa::openapi::{Components, OpenApi, RefOr};

use crate::guard::PolicyGuard;

pub use auth_core::operation_security::OperationSecurity;

/// How a registered handler's policy is described for one method (`None`: it has no policy to
/// describe).
type Describe = fn(Option<&PolicyDefaults>, &AuthSettings, &str) -> Option<OperationSecurity>;

/// One handler's policy, registered by the policy macros (through
/// [`operation_policy!`](crate::operation_policy)).
#[doc(hidden)]
pub struct DeclaredOperation {
    handler: &'static str,
    module_path: &'static str,
    /// `None` for a `#[login_not_required]` handler, which runs no policy.
    describe: Option<Describe>,
}

impl DeclaredOperation {
    /// The registration of `handler` (a function name) in `module_path`.
    pub const fn new(handler: &'static str, module_path: &'static str, describe: Describe) -> Self {
        Self {
            handler,
            module_path,
            describe: Some(describe),
        }
    }

    /// The registration of `#[login_not_required]` handler `handler` in `module_path`.
    pub const fn login_not_required(handler: &'static str, module_path: &'static str) -> Self {
        Self {
            handler,
            module_path,
            describe: None,
        }
    }
}

/// The extension that marks the operation of a `#[login_not_required]` handler.
pub const LOGIN_NOT_REQUIRED_EXTENSION: &str = "x-login-not-required";

impl fmt::Debug for DeclaredOperation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeclaredOperation")
            .field("handler", &self.handler)
            .field("module_path", &self.module_path)
            .finish_non_exhaustive()
    }
}

inventory::collect!(DeclaredOperation);

/// How the policy macros find a handler's guard type without restating it (which would repeat
/// any error in it): from the handler function's first parameter, then, through autoref
/// specialisation, [`DescribePolicy`] when the guard implements it and nothing otherwise (the
/// guard's own errors are reported once, by the handler).
#[doc(hidden)]
pub mod __probe {
    use std::marker::PhantomData;

    use auth_core::AuthSettings;
    use auth_core::operation_security::OperationSecurity;
    use auth_core::policy::PolicyDefaults;

    use super::DescribePolicy;

    /// The type of a handler's first argument, as a value to call methods on. `(&probe)
    /// .describe(…)` finds [`ViaPolicy`] (receiver `&Probe<G>`) first when its bound holds, and
    /// [`ViaFallback`] (receiver `&&Probe<G>`, one autoref later) otherwise.
    #[derive(Debug)]
    pub struct Probe<G>(PhantomData<fn() -> G>);

    /// The first element of an argument tuple.
    pub trait FirstOf {
        /// The first element.
        type First;
    }

    macro_rules! first_of {
        ($first:ident $(, $rest:ident)*) => {
            impl<$first $(, $rest)*> FirstOf for ($first, $($rest,)*) {
                type First = $first;
            }
        };
    }

    first_of!(A);
    first_of!(A, B);
    first_of!(A, B, C);
    first_of!(A, B, C, D);
    first_of!(A, B, C, D, E);
    first_of!(A, B, C, D, E, F);
    first_of!(A, B, C, D, E, F, G);
    first_of!(A, B, C, D, E, F, G, H);
    first_of!(A, B, C, D, E, F, G, H, I);
    first_of!(A, B, C, D, E, F, G, H, I, J);
    first_of!(A, B, C, D, E, F, G, H, I, J, K);
    first_of!(A, B, C, D, E, F, G, H, I, J, K, L);
    first_of!(A, B, C, D, E, F, G, H, I, J, K, L, M);
    first_of!(A, B, C, D, E, F, G, H, I, J, K, L, M, N);
    first_of!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O);
    first_of!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P);

    impl<G> Probe<G> {
        /// The probe of `handler`'s first parameter (the guard the policy macros put there).
        pub fn of_handler<F, Args>(_handler: &F) -> Probe<Args::First>
        where
            F: actix_web::Handler<Args>,
            Args: FirstOf,
        {
            Probe(PhantomData)
        }
    }

    /// Chosen when the guard describes itself.
    pub trait ViaPolicy {
        /// The guard's description.
        fn describe(
            &self,
            defaults: Option<&PolicyDefaults>,
            settings: &AuthSettings,
            method: &str,
        ) -> Option<OperationSecurity>;
    }

    impl<G: DescribePolicy> ViaPolicy for Probe<G> {
        fn describe(
            &self,
            defaults: Option<&PolicyDefaults>,
            settings: &AuthSettings,
            method: &str,
        ) -> Option<OperationSecurity> {
            Some(G::describe(defaults, settings, method))
        }
    }

    /// Chosen otherwise: nothing to describe.
    pub trait ViaFallback {
        /// Nothing.
        fn describe(
            &self,
            defaults: Option<&PolicyDefaults>,
            settings: &AuthSettings,
            method: &str,
        ) -> Option<OperationSecurity>;
    }

    impl<G> ViaFallback for &Probe<G> {
        fn describe(
            &self,
            _defaults: Option<&PolicyDefaults>,
            _settings: &AuthSettings,
            _method: &str,
        ) -> Option<OperationSecurity> {
            None
        }
    }
}

/// A policy type that can describe itself: [`PolicyGuard`]. Used by
/// [`operation_policy!`](crate::operation_policy).
pub trait DescribePolicy {
    /// The security of an operation with `method` under this policy.
    fn describe(
        defaults: Option<&PolicyDefaults>,
        settings: &AuthSettings,
        method: &str,
    ) -> OperationSecurity;
}

/// [`DescribePolicy::describe`] in the form [`DeclaredOperation`] keeps.
#[doc(hidden)]
pub fn describe_policy<G: DescribePolicy>(
    defaults: Option<&PolicyDefaults>,
    settings: &AuthSettings,
    method: &str,
) -> Option<OperationSecurity> {
    Some(G::describe(defaults, settings, method))
}

impl<S, P, T, Scope, R> DescribePolicy for PolicyGuard<S, P, T, Scope, R>
where
    S: AuthenticationPolicy,
    P: PermissionClasses + Resolve,
{
    fn describe(
        defaults: Option<&PolicyDefaults>,
        settings: &AuthSettings,
        method: &str,
    ) -> OperationSecurity {
        operation_security::describe::<S, P>(
            defaults,
            settings.defaults(),
            settings.settings(),
            method,
        )
    }
}

impl<D: crate::handler_policy::HandlerPolicy> DescribePolicy
    for crate::handler_policy::DeclaredGuard<D>
{
    fn describe(
        defaults: Option<&PolicyDefaults>,
        settings: &AuthSettings,
        method: &str,
    ) -> OperationSecurity {
        operation_security::describe::<D::Authentication, D::Permissions>(
            defaults,
            settings.defaults(),
            settings.settings(),
            method,
        )
    }
}

/// Writes each registered handler's security into a utoipa document (see the
/// [module](self)). Also a utoipa [`Modify`](utoipa::Modify), which logs what
/// [`apply`](Self::apply) would return as an error.
#[derive(Debug, Clone)]
pub struct PolicySecurity<'a> {
    settings: &'a AuthSettings,
    scopes: Vec<(String, PolicyDefaults)>,
}

/// Operations [`PolicySecurity::apply`] could not describe; every other operation was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicySecurityError {
    /// Several registered handlers have this operation's id as their name (in these modules):
    /// give each a distinct `operation_id` in `#[utoipa::path]` and register it under that
    /// name with [`operation_policy!`](crate::operation_policy), or rename one.
    #[error("operation `{operation_id}` matches handlers in several modules: {}", modules.join(", "))]
    AmbiguousOperation {
        /// The operation id.
        operation_id: String,
        /// The modules of the handlers with that name.
        modules: Vec<String>,
    },
}

impl<'a> PolicySecurity<'a> {
    /// Describes policies with the project `settings` (its default schemes and permissions, its
    /// cookie, header and keyword names).
    pub fn new(settings: &'a AuthSettings) -> Self {
        Self {
            settings,
            scopes: Vec::new(),
        }
    }

    /// The [`PolicyDefaults`] a `web::scope` gives the views under `path_prefix` (the longest
    /// matching prefix wins), as `app_data` does at run time.
    #[must_use]
    pub fn scope(mut self, path_prefix: impl Into<String>, defaults: PolicyDefaults) -> Self {
        self.scopes.push((path_prefix.into(), defaults));
        self
    }

    fn defaults_for(&self, path: &str) -> Option<&PolicyDefaults> {
        self.scopes
            .iter()
            .filter(|(prefix, _)| path.starts_with(prefix.as_str()))
            .max_by_key(|(prefix, _)| prefix.len())
            .map(|(_, defaults)| defaults)
    }

    /// Writes `security` on every operation of a registered handler and adds the schemes they
    /// name to `components.securitySchemes`. Operations of unregistered handlers are left as
    /// they are. An operation id shared by several registered handlers is left as it is and
    /// reported; the rest of the document is still written.
    pub fn apply(&self, openapi: &mut OpenApi) -> Result<(), PolicySecurityError> {
        let mut registered: BTreeMap<&str, Vec<&DeclaredOperation>> = BTreeMap::new();
        for declared in inventory::iter::<DeclaredOperation> {
            registered
                .entry(declared.handler)
                .or_default()
                .push(declared);
        }
        let mut schemes: BTreeMap<String, OpenApiScheme> = BTreeMap::new();
        let mut oauth2_schemes: BTreeMap<String, SecurityScheme> = BTreeMap::new();
        let mut scopes = BTreeSet::new();
        let mut first_error = None;
        for (path, item) in &mut openapi.paths.paths {
            let defaults = self.defaults_for(path);
            let mut operations: Vec<(String, &mut Operation)> = [
                ("GET", &mut item.get),
                ("PUT", &mut item.put),
                ("POST", &mut item.post),
                ("DELETE", &mut item.delete),
                ("OPTIONS", &mut item.options),
                ("HEAD", &mut item.head),
                ("PATCH", &mut item.patch),
                ("TRACE", &mut item.trace),
                ("QUERY", &mut item.query),
            ]
            .into_iter()
            .filter_map(|(method, operation)| Some((method.to_owned(), operation.as_mut()?)))
            .collect();
            operations.extend(
                item.additional_operations
                    .iter_mut()
                    .map(|(method, operation)| (method.to_ascii_uppercase(), operation)),
            );
            for (method, operation) in operations {
                let Some(id) = operation.operation_id.as_deref() else {
                    continue;
                };
                let declared = match registered.get(id).map(Vec::as_slice) {
                    None | Some([]) => {
                        // A handler that declares nothing runs the defaults under
                        // deny-by-default (and nothing otherwise, which is left undescribed).
                        if self.settings.settings().deny_by_default {
                            let security = operation_security::describe::<
                                DefaultAuthentication,
                                DefaultPermissions,
                            >(
                                defaults,
                                self.settings.defaults(),
                                self.settings.settings(),
                                &method,
                            );
                            note_oauth2(&security, &mut oauth2_schemes);
                            operation.security =
                                Some(requirements(&security, &mut schemes, &mut scopes));
                        }
                        continue;
                    }
                    Some([declared]) => declared,
                    Some(several) => {
                        first_error.get_or_insert(PolicySecurityError::AmbiguousOperation {
                            operation_id: id.to_owned(),
                            modules: several
                                .iter()
                                .map(|declared| declared.module_path.to_owned())
                                .collect(),
                        });
                        continue;
                    }
                };
                match declared.describe {
                    Some(describe) => {
                        if let Some(security) = describe(defaults, self.settings, &method) {
                            note_oauth2(&security, &mut oauth2_schemes);
                            operation.security =
                                Some(requirements(&security, &mut schemes, &mut scopes));
                        }
                    }
                    None => {
                        // No policy runs: open to anyone, and marked as opted out.
                        operation.security = Some(vec![SecurityRequirement::default()]);
                        operation
                            .extensions
                            .get_or_insert_with(Default::default)
                            .insert(
                                LOGIN_NOT_REQUIRED_EXTENSION.to_owned(),
                                serde_json::Value::Bool(true),
                            );
                    }
                }
            }
        }
        for (name, scheme) in &oauth2_schemes {
            if let Some(flows) = with_flows(scheme, &scopes, self.settings.settings()) {
                schemes.insert(name.clone(), flows);
            }
        }
        if !schemes.is_empty() {
            let components = openapi.components.get_or_insert_with(Components::new);
            for (name, scheme) in schemes {
                components
                    .security_schemes
                    .entry(name)
                    .or_insert(RefOr::T(scheme));
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}

impl utoipa::Modify for PolicySecurity<'_> {
    fn modify(&self, openapi: &mut OpenApi) {
        if let Err(error) = self.apply(openapi) {
            tracing::warn!(%error, "OpenAPI security left out for an operation");
        }
    }
}

/// The operation's `security` list, recording the schemes it names. A requirement with an
/// OAuth 2 scheme is one requirement per alternative of the scopes the view's permissions need
/// (`TokenMatchesOASRequirements`' alternatives), each listing its scopes.
fn requirements(
    security: &OperationSecurity,
    schemes: &mut BTreeMap<String, OpenApiScheme>,
    scopes: &mut BTreeSet<String>,
) -> Vec<SecurityRequirement> {
    let mut list = Vec::new();
    for requirement in &security.requirements {
        let oauth2 = requirement
            .iter()
            .any(|scheme| matches!(scheme.location, CredentialLocation::OAuth2 { .. }));
        // No alternative at all (a method `TokenMatchesOASRequirements` does not list, which
        // every token is refused): still the scheme's requirement, with no scopes, never an
        // operation without one.
        let lists = security.oauth2_scopes.lists();
        let alternatives: Vec<&[String]> = if oauth2 && !lists.is_empty() {
            lists.iter().map(Vec::as_slice).collect()
        } else {
            vec![&[]]
        };
        for alternative in alternatives {
            scopes.extend(alternative.iter().cloned());
            let written = requirement
                .iter()
                .fold(SecurityRequirement::default(), |all, scheme| {
                    schemes
                        .entry(scheme.name.clone().into_owned())
                        .or_insert_with(|| openapi_scheme(scheme));
                    let listed: &[String] =
                        if matches!(scheme.location, CredentialLocation::OAuth2 { .. }) {
                            alternative
                        } else {
                            &[]
                        };
                    all.add(scheme.name.clone().into_owned(), listed.to_vec())
                });
            list.push(written);
        }
    }
    if security.allows_anonymous {
        list.push(SecurityRequirement::default());
    }
    list
}

/// The OAuth 2 schemes' flows, once every operation's scopes are known: the authorization-code
/// and client-credentials flows of the provider, each offering every scope an operation needs,
/// described from `OAUTH2_PROVIDER`'s `SCOPES` (or by its name).
fn with_flows(
    scheme: &SecurityScheme,
    scopes: &BTreeSet<String>,
    settings: &auth_core::settings::Settings,
) -> Option<OpenApiScheme> {
    let CredentialLocation::OAuth2 {
        token_url,
        authorization_url,
    } = &scheme.location
    else {
        return None;
    };
    let described = |scope: &String| {
        #[cfg(feature = "oauth2")]
        let known = settings
            .oauth2
            .scopes
            .iter()
            .find(|(name, _)| name == scope)
            .map(|(_, description)| description.clone());
        #[cfg(not(feature = "oauth2"))]
        let known: Option<String> = {
            let _ = settings;
            None
        };
        (scope.clone(), known.unwrap_or_else(|| scope.clone()))
    };
    let offered = || Scopes::from_iter(scopes.iter().map(described));
    Some(OpenApiScheme::OAuth2(OAuth2::with_description(
        [
            Flow::AuthorizationCode(AuthorizationCode::new(
                authorization_url.clone(),
                token_url.clone(),
                offered(),
            )),
            Flow::ClientCredentials(ClientCredentials::new(token_url.clone(), offered())),
        ],
        scheme.description.clone().into_owned(),
    )))
}

/// Keeps the OAuth 2 schemes `security` names, whose flows are written last.
fn note_oauth2(security: &OperationSecurity, oauth2: &mut BTreeMap<String, SecurityScheme>) {
    for scheme in security.requirements.iter().flatten() {
        if matches!(scheme.location, CredentialLocation::OAuth2 { .. }) {
            oauth2
                .entry(scheme.name.clone().into_owned())
                .or_insert_with(|| scheme.clone());
        }
    }
}

/// The Security Scheme Object of one credential.
fn openapi_scheme(scheme: &SecurityScheme) -> OpenApiScheme {
    let description = scheme.description.clone().into_owned();
    match &scheme.location {
        CredentialLocation::HttpBasic | CredentialLocation::HttpBearer => {
            let kind = if scheme.location == CredentialLocation::HttpBasic {
                HttpAuthScheme::Basic
            } else {
                HttpAuthScheme::Bearer
            };
            OpenApiScheme::Http(
                HttpBuilder::new()
                    .scheme(kind)
                    .description(Some(description))
                    .build(),
            )
        }
        CredentialLocation::Header(name) => OpenApiScheme::ApiKey(ApiKey::Header(
            ApiKeyValue::with_description(name.clone(), description),
        )),
        CredentialLocation::Cookie(name) => OpenApiScheme::ApiKey(ApiKey::Cookie(
            ApiKeyValue::with_description(name.clone(), description),
        )),
        CredentialLocation::Query(name) => OpenApiScheme::ApiKey(ApiKey::Query(
            ApiKeyValue::with_description(name.clone(), description),
        )),
        // Given its flows by `with_flows` once every operation is described.
        CredentialLocation::OAuth2 { .. } => OpenApiScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(description))
                .build(),
        ),
    }
}
