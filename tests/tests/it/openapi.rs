//! The `openapi` feature: each handler's declared policy becomes its operation's `security` and
//! the document's `components.securitySchemes`, served over HTTP as JSON.
//!
//! Registered handlers are per process, and every module of the `it` binary shares this one:
//! a handler with a policy attribute elsewhere in the binary and the name of an operation here
//! would make that operation ambiguous. The handlers here have names no other module uses.

use actix_web::{App, HttpResponse, Responder, get, post, web};
use auth_actix::authentication::{AuthContext, Authenticated, Verify};
use auth_actix::openapi::{PolicySecurity, PolicySecurityError};
use auth_actix::{
    AllowAny, ApiError, Auth, AuthSettings, Authentication, BasicAuthentication,
    BearerAuthentication, IsAdminUser, IsAuthenticated, IsAuthenticatedOrReadOnly,
    JwtAuthentication, JwtCookieAuthentication, JwtStatelessUserAuthentication,
    KnoxTokenAuthentication, PolicyDefaults, PolicyGuard, ReadOnly, SessionAuthentication,
    TokenAuthentication, authentication_classes, operation_policy, permission_classes,
    throttle_classes, throttle_scope,
};
use serde_json::{Value, json};
use utoipa::OpenApi;

/// A service key in a header, as a custom scheme declares it.
#[derive(Authentication)]
#[authentication(challenge = "ApiKey")]
struct ServiceKey {
    /// The key issued to a partner service.
    #[credential(header = "X-Api-Key")]
    key: String,
    /// Optional, so not part of the requirement.
    #[credential(query = "tenant")]
    tenant: Option<u32>,
}

impl Verify for ServiceKey {
    async fn verify(self, _cx: &AuthContext<'_>) -> Result<Authenticated, ApiError> {
        let _ = (self.key, self.tenant);
        Err(ApiError::authentication_failed("Invalid API key."))
    }
}

/// Two credentials together: each gets its own scheme.
#[derive(Authentication)]
struct SignedRequest {
    #[credential(header = "X-Client")]
    client: String,
    #[credential(cookie = "signature")]
    signature: String,
}

impl Verify for SignedRequest {
    async fn verify(self, _cx: &AuthContext<'_>) -> Result<Authenticated, ApiError> {
        let _ = (self.client, self.signature);
        Err(ApiError::authentication_failed("Invalid signature."))
    }
}

#[utoipa::path(get, path = "/articles/", responses((status = 200)))]
#[get("/articles/")]
#[authentication_classes(TokenAuthentication, SessionAuthentication)]
#[permission_classes(IsAuthenticatedOrReadOnly)]
async fn list_articles(auth: Auth) -> impl Responder {
    auth.user().to_string()
}

#[utoipa::path(post, path = "/articles/", responses((status = 201)))]
#[post("/articles/")]
#[authentication_classes(TokenAuthentication, SessionAuthentication)]
#[permission_classes(IsAuthenticatedOrReadOnly)]
async fn create_article(auth: Auth) -> impl Responder {
    auth.user().to_string()
}

// The policy attributes above the route attribute work the same.
#[utoipa::path(get, path = "/me/", responses((status = 200)))]
#[authentication_classes(BasicAuthentication, BearerAuthentication)]
#[permission_classes(IsAuthenticated & (IsAdminUser | ReadOnly))]
#[throttle_classes(auth_actix::ScopedRateThrottle)]
#[throttle_scope("me")]
#[get("/me/")]
async fn me(auth: Auth) -> impl Responder {
    auth.user().to_string()
}

#[utoipa::path(get, path = "/health/", responses((status = 200)))]
#[get("/health/")]
#[authentication_classes()]
#[permission_classes(AllowAny)]
async fn health() -> impl Responder {
    "ok"
}

#[utoipa::path(get, path = "/partners/", responses((status = 200)))]
#[get("/partners/")]
#[authentication_classes(ServiceKey, SignedRequest, KnoxTokenAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn partners(auth: Auth) -> impl Responder {
    auth.user().to_string()
}

// Schemes left to the project's defaults.
#[utoipa::path(get, path = "/reports/", responses((status = 200)))]
#[get("/reports/")]
#[permission_classes(IsAuthenticated)]
async fn reports(auth: Auth) -> impl Responder {
    auth.user().to_string()
}

// Schemes left to the defaults of the `/v2/` scope.
#[utoipa::path(get, path = "/v2/reports/", responses((status = 200)))]
#[get("/reports/")]
#[permission_classes(IsAuthenticated)]
async fn reports_v2(auth: Auth) -> impl Responder {
    auth.user().to_string()
}

// A guard written by hand, registered by hand.
type StaffOnly = PolicyGuard<(BasicAuthentication,), IsAdminUser>;

#[utoipa::path(delete, path = "/cache/", responses((status = 204)))]
async fn clear_cache(_: StaffOnly) -> impl Responder {
    HttpResponse::NoContent().finish()
}
operation_policy!(clear_cache, StaffOnly);

// simplejwt's schemes and dj-rest-auth's cookie one.
#[utoipa::path(get, path = "/jwt-profile/", responses((status = 200)))]
#[get("/jwt-profile/")]
#[authentication_classes(
    JwtAuthentication,
    JwtStatelessUserAuthentication,
    JwtCookieAuthentication
)]
#[permission_classes(IsAuthenticated)]
async fn jwt_profile(auth: Auth) -> impl Responder {
    auth.user().to_string()
}

// No policy at all: the document keeps what the path attribute says.
#[utoipa::path(get, path = "/legacy/", responses((status = 200)), security(("legacy" = [])))]
#[get("/legacy/")]
async fn legacy() -> impl Responder {
    "legacy"
}

#[derive(OpenApi)]
#[openapi(paths(
    list_articles,
    create_article,
    me,
    health,
    partners,
    reports,
    reports_v2,
    clear_cache,
    jwt_profile,
    legacy
))]
struct ApiDoc;

fn openapi_settings() -> AuthSettings {
    AuthSettings::builder()
        .secret_key("openapi-test-key")
        .default_authentication::<(SessionAuthentication, BasicAuthentication)>()
        .build()
        .unwrap()
}

fn document(settings: &AuthSettings) -> Value {
    let mut document = ApiDoc::openapi();
    PolicySecurity::new(settings)
        .scope(
            "/v2/",
            PolicyDefaults::new().authentication::<TokenAuthentication>(),
        )
        .apply(&mut document)
        .unwrap();
    serde_json::to_value(&document).unwrap()
}

fn security(document: &Value, path: &str, method: &str) -> Value {
    document["paths"][path][method]["security"].clone()
}

#[test]
fn operation_ids_are_the_handler_names() {
    let document = document(&openapi_settings());
    assert_eq!(
        document["paths"]["/articles/"]["get"]["operationId"],
        "list_articles"
    );
    assert_eq!(
        document["paths"]["/cache/"]["delete"]["operationId"],
        "clear_cache"
    );
}

#[test]
fn read_only_for_anonymous_lists_the_empty_requirement_on_safe_methods_only() {
    let document = document(&openapi_settings());
    assert_eq!(
        security(&document, "/articles/", "get"),
        json!([{ "TokenAuthentication": [] }, { "SessionAuthentication": [] }, {}])
    );
    // An unsafe method: no anonymous access, and a session needs the CSRF cookie and header.
    assert_eq!(
        security(&document, "/articles/", "post"),
        json!([
            { "TokenAuthentication": [] },
            {
                "SessionAuthentication": [],
                "SessionAuthentication.csrf-cookie": [],
                "SessionAuthentication.csrf-header": []
            }
        ])
    );
}

#[test]
fn authenticated_views_list_each_scheme_in_order_and_no_empty_requirement() {
    let document = document(&openapi_settings());
    assert_eq!(
        security(&document, "/me/", "get"),
        json!([{ "BasicAuthentication": [] }, { "TokenAuthentication.Bearer": [] }])
    );
    assert_eq!(
        security(&document, "/cache/", "delete"),
        json!([{ "BasicAuthentication": [] }])
    );
}

#[test]
fn jwt_schemes_are_bearer_tokens_and_the_cookie_scheme_names_its_cookie() {
    use auth_actix::settings::JwtCookieSettings;

    let settings = AuthSettings::builder()
        .secret_key("openapi-test-key")
        .jwt_cookies(JwtCookieSettings {
            access_cookie: Some("jwt-access".to_owned()),
            ..JwtCookieSettings::default()
        })
        .build()
        .unwrap();
    let document = document(&settings);
    assert_eq!(
        security(&document, "/jwt-profile/", "get"),
        json!([
            { "JWTAuthentication": [] },
            { "JWTStatelessUserAuthentication": [] },
            { "JWTCookieAuthentication": [] }
        ])
    );
    let schemes = &document["components"]["securitySchemes"];
    let bearer = |description: &str| json!({ "type": "http", "scheme": "bearer", "description": description });
    assert_eq!(
        schemes["JWTAuthentication"],
        bearer(
            "a simplejwt access token (JWT), sent as `Authorization: Bearer <a simplejwt access token (JWT)>`."
        )
    );
    assert_eq!(
        schemes["JWTCookieAuthentication"],
        bearer(
            "a simplejwt access token (JWT), sent as `Authorization: Bearer <a simplejwt access token (JWT)>`. Without the header, the `jwt-access` cookie holds it (dj-rest-auth's cookie mode)."
        )
    );
}

#[test]
fn an_open_view_without_schemes_has_only_the_empty_requirement() {
    let document = document(&openapi_settings());
    assert_eq!(security(&document, "/health/", "get"), json!([{}]));
}

#[test]
fn custom_schemes_describe_their_declared_credentials() {
    let document = document(&openapi_settings());
    assert_eq!(
        security(&document, "/partners/", "get"),
        json!([
            { "ServiceKey": [] },
            { "SignedRequest.X-Client": [], "SignedRequest.signature": [] },
            { "KnoxTokenAuthentication": [] }
        ])
    );
    let schemes = &document["components"]["securitySchemes"];
    assert_eq!(
        schemes["ServiceKey"],
        json!({ "type": "apiKey", "in": "header", "name": "X-Api-Key",
                "description": "The key issued to a partner service." })
    );
    assert_eq!(
        schemes["SignedRequest.X-Client"],
        json!({ "type": "apiKey", "in": "header", "name": "X-Client",
                "description": "The X-Client header." })
    );
    assert_eq!(
        schemes["SignedRequest.signature"],
        json!({ "type": "apiKey", "in": "cookie", "name": "signature",
                "description": "The signature cookie." })
    );
    assert_eq!(
        schemes["KnoxTokenAuthentication"],
        json!({ "type": "apiKey", "in": "header", "name": "Authorization",
                "description": "a knox token, sent as `Authorization: Token <a knox token>` (the whole value goes in this header)." })
    );
}

#[test]
fn defaults_come_from_the_settings_or_the_scope() {
    let document = document(&openapi_settings());
    assert_eq!(
        security(&document, "/reports/", "get"),
        json!([{ "SessionAuthentication": [] }, { "BasicAuthentication": [] }])
    );
    assert_eq!(
        security(&document, "/v2/reports/", "get"),
        json!([{ "TokenAuthentication": [] }])
    );
}

/// Under deny-by-default (the default) a handler that declares nothing runs the defaults, and
/// its operation says so; without it, nothing runs and its hand-written security is kept.
#[test]
fn a_view_without_a_policy_is_described_by_the_defaults_it_runs() {
    assert_eq!(
        security(&document(&openapi_settings()), "/legacy/", "get"),
        json!([{ "SessionAuthentication": [] }, { "BasicAuthentication": [] }])
    );
    let drf = AuthSettings::builder()
        .secret_key("openapi-test-key")
        .deny_by_default(false)
        .build()
        .unwrap();
    assert_eq!(
        security(&document(&drf), "/legacy/", "get"),
        json!([{ "legacy": [] }])
    );
}

#[test]
fn the_security_schemes_of_the_built_in_classes() {
    let document = document(&openapi_settings());
    let schemes = &document["components"]["securitySchemes"];
    assert_eq!(
        schemes["BasicAuthentication"],
        json!({ "type": "http", "scheme": "basic",
                "description": "A Django user name and password (realm `api`)." })
    );
    assert_eq!(
        schemes["TokenAuthentication"],
        json!({ "type": "apiKey", "in": "header", "name": "Authorization",
                "description": "a DRF token key, sent as `Authorization: Token <a DRF token key>` (the whole value goes in this header)." })
    );
    assert_eq!(
        schemes["TokenAuthentication.Bearer"],
        json!({ "type": "http", "scheme": "bearer",
                "description": "a DRF token key, sent as `Authorization: Bearer <a DRF token key>`." })
    );
    assert_eq!(
        schemes["SessionAuthentication"],
        json!({ "type": "apiKey", "in": "cookie", "name": "sessionid",
                "description": "Django's session cookie, set by a login (`sessionid`)." })
    );
    assert_eq!(
        schemes["SessionAuthentication.csrf-cookie"],
        json!({ "type": "apiKey", "in": "cookie", "name": "csrftoken",
                "description": "Django's CSRF cookie (`csrftoken`), needed on unsafe methods." })
    );
    assert_eq!(
        schemes["SessionAuthentication.csrf-header"]["name"],
        json!("X-Csrftoken")
    );
    // Exactly the schemes the operations use (the hand-written `legacy` one is the
    // application's to declare).
    let mut names: Vec<&String> = schemes.as_object().unwrap().keys().collect();
    names.sort();
    assert_eq!(
        names,
        [
            "BasicAuthentication",
            "JWTAuthentication",
            "JWTCookieAuthentication",
            "JWTStatelessUserAuthentication",
            "KnoxTokenAuthentication",
            "ServiceKey",
            "SessionAuthentication",
            "SessionAuthentication.csrf-cookie",
            "SessionAuthentication.csrf-header",
            "SignedRequest.X-Client",
            "SignedRequest.signature",
            "TokenAuthentication",
            "TokenAuthentication.Bearer",
        ]
    );
}

#[test]
fn the_project_keyword_and_cookie_names_are_used() {
    let settings = AuthSettings::builder()
        .secret_key("openapi-test-key")
        .token_keyword("Bearer")
        .build()
        .unwrap();
    let document = document(&settings);
    // The project's keyword is `Bearer`: `TokenAuthentication` is HTTP Bearer under its own name.
    assert_eq!(
        security(&document, "/articles/", "get")[0],
        json!({ "TokenAuthentication": [] })
    );
    assert_eq!(
        document["components"]["securitySchemes"]["TokenAuthentication"]["scheme"],
        "bearer"
    );
}

mod first {
    use actix_web::{Responder, get};
    use auth_actix::{Auth, IsAuthenticated, TokenAuthentication};
    use auth_actix::{authentication_classes, permission_classes};

    #[utoipa::path(get, path = "/first/clash/", responses((status = 200)))]
    #[get("/first/clash/")]
    #[authentication_classes(TokenAuthentication)]
    #[permission_classes(IsAuthenticated)]
    pub(crate) async fn clash(auth: Auth) -> impl Responder {
        auth.user().to_string()
    }
}

mod second {
    use actix_web::{Responder, get};
    use auth_actix::{AllowAny, permission_classes};

    // The same function name in another module.
    #[get("/second/clash/")]
    #[permission_classes(AllowAny)]
    pub(crate) async fn clash() -> impl Responder {
        "second"
    }
}

#[test]
fn two_handlers_with_one_name_are_reported_and_left_alone() {
    #[derive(OpenApi)]
    #[openapi(paths(first::clash, health))]
    struct Clashing;

    let _ = second::clash;
    let mut document = Clashing::openapi();
    let error = PolicySecurity::new(&openapi_settings())
        .apply(&mut document)
        .unwrap_err();
    let PolicySecurityError::AmbiguousOperation {
        operation_id,
        mut modules,
    } = error;
    modules.sort();
    assert_eq!(operation_id, "clash");
    assert_eq!(modules, ["it::openapi::first", "it::openapi::second"]);
    let json = serde_json::to_value(&document).unwrap();
    assert_eq!(
        json["paths"]["/first/clash/"]["get"]["security"],
        Value::Null
    );
    // The rest of the document is still written.
    assert_eq!(json["paths"]["/health/"]["get"]["security"], json!([{}]));
}

#[actix_web::test]
async fn the_document_is_served_as_json() {
    let settings = openapi_settings();
    let mut document = ApiDoc::openapi();
    PolicySecurity::new(&settings).apply(&mut document).unwrap();
    let app = actix_web::test::init_service(App::new().app_data(web::Data::new(document)).route(
        "/openapi.json",
        web::get().to(|document: web::Data<utoipa::openapi::OpenApi>| async move {
            HttpResponse::Ok().json(document.get_ref())
        }),
    ))
    .await;
    let response = actix_web::test::call_service(
        &app,
        actix_web::test::TestRequest::get()
            .uri("/openapi.json")
            .to_request(),
    )
    .await;
    assert_eq!(response.status(), 200);
    let body: Value = actix_web::test::read_body_json(response).await;
    assert_eq!(body["openapi"], "3.1.0");
    assert_eq!(
        body["paths"]["/articles/"]["get"]["security"],
        json!([{ "TokenAuthentication": [] }, { "SessionAuthentication": [] }, {}])
    );
}

/// For every described operation, an anonymous request is refused exactly when the document
/// lists no empty requirement, and the first scheme's credentials get a known user through.
#[actix_web::test]
async fn what_the_document_says_is_what_the_server_enforces() {
    let settings = test_support::settings_builder()
        .default_authentication::<(SessionAuthentication, BasicAuthentication)>()
        .throttle_rate("me", "100/min")
        .build()
        .unwrap();
    let db = test_support::database(&settings).await;
    let app = test_support::app(&settings, &db, |routes| {
        routes
            .service(list_articles)
            .service(create_article)
            .service(me)
            .service(health)
            .service(reports)
            .route("/cache/", web::delete().to(clear_cache));
    })
    .await;
    let document = document(&settings);
    let token = "Token abcd1234".to_owned();
    let john = test_support::basic(b"john:password");
    let admin = test_support::basic(b"admin:password");
    let cases = [
        ("GET", "/articles/", Some(token.clone())),
        ("POST", "/articles/", Some(token)),
        ("GET", "/me/", Some(john.clone())),
        ("GET", "/health/", None),
        ("GET", "/reports/", Some(john)),
        ("DELETE", "/cache/", Some(admin)),
    ];
    for (method, path, credentials) in cases {
        let security = security(&document, path, &method.to_lowercase());
        let open = security.as_array().unwrap().contains(&json!({}));
        let request = || {
            actix_web::test::TestRequest::default()
                .method(method.parse().unwrap())
                .uri(path)
        };
        let anonymous = test_support::send(&app, request()).await;
        assert_eq!(
            !matches!(anonymous.status, 401 | 403),
            open,
            "{method} {path}: documented {security}, anonymous got {anonymous:?}"
        );
        if let Some(credentials) = credentials {
            let reply =
                test_support::send(&app, test_support::with_auth(request(), credentials)).await;
            assert!(
                (200..300).contains(&reply.status),
                "{method} {path} with the first scheme's credentials: {reply:?}"
            );
        }
    }
}

/// DOT's scope permissions: each operation's OAuth 2 requirement lists the scopes it needs (one
/// requirement per alternative of `TokenMatchesOASRequirements`), and the scheme offers the
/// provider's flows with every scope an operation needs.
mod oauth2_scopes {
    use actix_web::{Responder, get, post};
    use auth_actix::settings::OAuth2Settings;
    use auth_actix::{
        Auth, AuthSettings, IsAdminUser, OAuth2Authentication, TokenAuthentication,
        TokenHasReadWriteScope, TokenHasScope, TokenMatchesOASRequirements, authentication_classes,
        permission_classes, required_alternate_scopes, required_scopes,
    };
    use serde_json::json;
    use utoipa::OpenApi;

    required_scopes!(OrdersScope = ["orders"]);
    required_scopes!(AdminScope = ["admin"]);
    required_alternate_scopes!(OrderAlternatives {
        POST: [["create", "write"], ["admin"]],
    });

    #[utoipa::path(get, path = "/orders/", responses((status = 200)))]
    #[get("/orders/")]
    #[authentication_classes(OAuth2Authentication, TokenAuthentication)]
    #[permission_classes(TokenHasReadWriteScope<OrdersScope>)]
    async fn dot_list_orders(auth: Auth) -> impl Responder {
        auth.user().to_string()
    }

    #[utoipa::path(post, path = "/orders/", responses((status = 201)))]
    #[post("/orders/")]
    #[authentication_classes(OAuth2Authentication)]
    #[permission_classes(TokenMatchesOASRequirements<OrderAlternatives>)]
    async fn dot_create_order(auth: Auth) -> impl Responder {
        auth.user().to_string()
    }

    #[utoipa::path(put, path = "/orders/", responses((status = 200)))]
    #[actix_web::put("/orders/")]
    #[authentication_classes(OAuth2Authentication)]
    #[permission_classes(TokenMatchesOASRequirements<OrderAlternatives>)]
    async fn dot_replace_orders(auth: Auth) -> impl Responder {
        auth.user().to_string()
    }

    #[utoipa::path(get, path = "/staff/", responses((status = 200)))]
    #[get("/staff/")]
    #[authentication_classes(OAuth2Authentication)]
    #[permission_classes(TokenHasScope<AdminScope> | IsAdminUser)]
    async fn dot_staff(auth: Auth) -> impl Responder {
        auth.user().to_string()
    }

    #[derive(OpenApi)]
    #[openapi(paths(dot_list_orders, dot_create_order, dot_replace_orders, dot_staff))]
    struct Dot;

    #[test]
    fn scopes_are_listed_per_operation_and_offered_by_the_flows() {
        let settings = AuthSettings::builder()
            .secret_key("openapi oauth2")
            .oauth2(OAuth2Settings {
                scopes: vec![("orders".to_owned(), "The orders".to_owned())],
                token_url: "https://auth.example.com/o/token/".to_owned(),
                ..OAuth2Settings::default()
            })
            .build()
            .unwrap();
        let mut document = Dot::openapi();
        auth_actix::openapi::PolicySecurity::new(&settings)
            .apply(&mut document)
            .unwrap();
        let document = serde_json::to_value(&document).unwrap();
        assert_eq!(
            document["paths"]["/orders/"]["get"]["security"],
            json!([
                { "OAuth2Authentication": ["orders", "read"] },
                { "TokenAuthentication": [] }
            ])
        );
        assert_eq!(
            document["paths"]["/orders/"]["post"]["security"],
            json!([
                { "OAuth2Authentication": ["create", "write"] },
                { "OAuth2Authentication": ["admin"] }
            ])
        );
        // A method the alternatives do not list refuses every token: still described as
        // needing one, never as open.
        assert_eq!(
            document["paths"]["/orders/"]["put"]["security"],
            json!([{ "OAuth2Authentication": [] }])
        );
        // An admin user passes without the scope: no scope is required of a token.
        assert_eq!(
            document["paths"]["/staff/"]["get"]["security"],
            json!([{ "OAuth2Authentication": [] }])
        );
        let scheme = &document["components"]["securitySchemes"]["OAuth2Authentication"];
        assert_eq!(scheme["type"], "oauth2");
        let flow = &scheme["flows"]["clientCredentials"];
        assert_eq!(flow["tokenUrl"], "https://auth.example.com/o/token/");
        assert_eq!(
            flow["scopes"],
            json!({
                "admin": "admin",
                "create": "create",
                "orders": "The orders",
                "read": "read",
                "write": "write"
            })
        );
        assert_eq!(
            scheme["flows"]["authorizationCode"]["authorizationUrl"],
            "/o/authorize/"
        );
    }
}
