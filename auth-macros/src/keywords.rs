//! The names the macros recognise, one table per fact.

/// The policy attributes that one guard combines. A future part (throttles) is one more row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PolicyPart {
    /// `#[authentication_classes(…)]`.
    Authentication,
    /// `#[permission_classes(…)]`.
    Permissions,
    /// `#[throttle_classes(…)]`.
    Throttles,
    /// `#[throttle_scope("…")]`.
    ThrottleScope,
    /// `#[renderer_classes(…)]`.
    Renderers,
    /// `#[api_view(…)]`: the methods the view answers.
    ApiView,
}

/// Attribute name → part.
pub(crate) const POLICY_ATTRIBUTES: &[(&str, PolicyPart)] = &[
    ("authentication_classes", PolicyPart::Authentication),
    ("permission_classes", PolicyPart::Permissions),
    ("throttle_classes", PolicyPart::Throttles),
    ("throttle_scope", PolicyPart::ThrottleScope),
    ("renderer_classes", PolicyPart::Renderers),
    ("api_view", PolicyPart::ApiView),
];

/// `#[api_view]` with one of actix-web's route macros on the same function.
pub(crate) const API_VIEW_WITH_ROUTE_MACRO: &str = "`#[api_view]` answers the methods it does not list with 405, which actix-web's route macros never let through: give the path to `#[api_view(\"/path/\", GET, POST)]` and remove the route macro, or register the handler with `.route(\"/path/\", web::to(handler))`";

/// Django's `View.http_method_names`, upper-cased: the methods `#[api_view]` may list.
pub(crate) const HTTP_METHOD_NAMES: &[&str] = &[
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE",
];

/// The throttle that reads the view's scope, and so needs `#[throttle_scope]`.
pub(crate) const SCOPED_RATE_THROTTLE: &str = "ScopedRateThrottle";

impl PolicyPart {
    /// The attribute's name.
    pub(crate) fn attribute(self) -> &'static str {
        POLICY_ATTRIBUTES
            .iter()
            .find(|(_, part)| *part == self)
            .map_or("", |(name, _)| name)
    }

    /// The part an attribute path names (by its last segment, so `auth_actix::permission_classes`
    /// counts too).
    pub(crate) fn of(path: &syn::Path) -> Option<Self> {
        let last = path.segments.last()?;
        POLICY_ATTRIBUTES
            .iter()
            .find(|(name, _)| last.ident == name)
            .map(|(_, part)| *part)
    }
}

/// The option that names the runtime crate (`crate = "my_auth"`).
pub(crate) const CRATE: &str = "crate";
/// The default runtime crate.
pub(crate) const DEFAULT_CRATE: &str = "auth_actix";

/// `#[authentication(…)]` on a derive: keys.
pub(crate) const CHALLENGE: &str = "challenge";
/// `#[authentication(name = "…")]`: the scheme's recorded name (default: the type's name).
pub(crate) const NAME: &str = "name";
/// `#[authentication(token, keyword = "…")]`: configure DRF's token scheme.
pub(crate) const TOKEN: &str = "token";
/// The keyword of a configured token scheme.
pub(crate) const KEYWORD: &str = "keyword";

/// `#[credential(…)]` sources on a derive's fields.
pub(crate) const SOURCES: &[&str] = &["header", "cookie", "query", "bearer"];

/// What an absorbed sibling attribute is rewritten to: `#[permission_classes(<this>)]`. Keeping
/// the attribute (rather than deleting it) lets rustc resolve its path, so the user's
/// `use auth_actix::permission_classes;` is not reported unused; its own expansion is then a
/// no-op.
pub(crate) const ABSORBED: &str = "__absorbed_by_sibling_policy_attribute";

/// Attributes of a handler function that go on every item generated for it: conditional
/// compilation and lint levels.
pub(crate) const SHARED_ATTRIBUTES: &[&str] = &[
    "cfg", "cfg_attr", "allow", "expect", "warn", "deny", "forbid",
];

/// actix-web's route macros (by last path segment). A policy attribute written above one of
/// them lets it expand first, so that the policy applies to the function it registers.
pub(crate) const ROUTE_ATTRIBUTES: &[&str] = &[
    "get", "post", "put", "delete", "patch", "head", "options", "trace", "connect", "route",
    "routes",
];

/// `#[login_not_required]`: the attribute's name.
pub(crate) const LOGIN_NOT_REQUIRED: &str = "login_not_required";

/// The error on a handler with both a policy attribute and `#[login_not_required]`, whichever
/// expands first.
pub(crate) const POLICY_WITH_LOGIN_NOT_REQUIRED: &str = "a handler with a policy runs that \
    policy instead of the default one; `#[login_not_required]` is for handlers without a policy \
    (declare `#[permission_classes(AllowAny)]` to open this one)";

/// The names `auth_actix` exports at its root that policy lists take: for the import hint
/// (`import_hint`). A feature-gated one (knox, simplejwt) is included: the hint's `use` line is
/// right once the feature is on.
pub(crate) const LIBRARY_NAMES: &[&str] = &[
    "BasicAuthentication",
    "BearerAuthentication",
    "RemoteUserAuthentication",
    "SessionAuthentication",
    "TokenAuthentication",
    "KnoxTokenAuthentication",
    "JwtAuthentication",
    "JwtCookieAuthentication",
    "JwtStatelessUserAuthentication",
    "AllowAny",
    "IsAdminUser",
    "IsAuthenticated",
    "IsAuthenticatedOrReadOnly",
    "ReadOnly",
    "AnonRateThrottle",
    "ScopedRateThrottle",
    "UserRateThrottle",
    "CSVRenderer",
    "JSONRenderer",
    "StaticHTMLRenderer",
];
