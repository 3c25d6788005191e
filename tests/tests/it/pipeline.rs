//! The request pipeline (spec §0): scheme order, the 401/403 rule, NotAuthenticated versus
//! PermissionDenied, negotiation before authentication, authentication before 405, defaults
//! from scopes and settings, object permissions, and store failures.

use std::any::Any;
use std::borrow::Cow;

use actix_web::http::Method;
use actix_web::{HttpResponse, test, web};
use auth_actix::authentication::{AuthContext, Authentication, Outcome};
use auth_actix::permissions::{And, Decision, Not, Or, Permission, PermissionContext};
use auth_actix::policy::{DefaultAuthentication, DefaultPermissions};
use auth_actix::settings::{SettingsFile, UnauthenticatedUser};
use auth_actix::store::sea_orm::ConnectionTrait;
use auth_actix::views::method_not_allowed;
use auth_actix::{
    AllowAny, ApiErrorResponse, Auth, BasicAuthentication, IsAdminUser, IsAuthenticated,
    IsAuthenticatedOrReadOnly, PolicyDefaults, PolicyGuard, RemoteUserAuthentication,
    TokenAuthentication,
};
use test_support::*;

const CUSTOM_MESSAGE: &str = "Custom: You cannot access this resource";

/// A permission with DRF's `message` and `code` that always refuses.
#[derive(Debug, Default)]
struct CustomMessage;

impl Permission for CustomMessage {
    async fn has_permission(&self, _cx: &PermissionContext<'_>) -> Decision {
        Ok(false)
    }

    fn message(&self) -> Option<Cow<'static, str>> {
        Some(CUSTOM_MESSAGE.into())
    }

    fn code(&self) -> Option<Cow<'static, str>> {
        Some("permission_denied_custom".into())
    }
}

/// A custom scheme that always fails with `Bad credentials` and has no challenge (spec §1.8).
#[derive(Debug)]
struct AlwaysFails;

impl Authentication for AlwaysFails {
    const NAME: &'static str = "AlwaysFails";

    async fn authenticate(_cx: &AuthContext<'_>) -> Outcome {
        Outcome::failed("Bad credentials")
    }
}

/// An article owned by a user, for object-level checks.
struct Article {
    owner: String,
}

/// Owner-only access at object level, with a custom message.
#[derive(Debug, Default)]
struct IsOwner;

impl Permission for IsOwner {
    async fn has_permission(&self, cx: &PermissionContext<'_>) -> Decision {
        Ok(cx.user.is_authenticated())
    }

    async fn has_object_permission(
        &self,
        cx: &PermissionContext<'_>,
        object: &dyn Any,
    ) -> Decision {
        Ok(object
            .downcast_ref::<Article>()
            .is_some_and(|article| article.owner == cx.user.username()))
    }

    fn message(&self) -> Option<Cow<'static, str>> {
        Some(CUSTOM_MESSAGE.into())
    }
}

async fn article(
    guard: PolicyGuard<(BasicAuthentication,), IsOwner>,
    owner: web::Path<String>,
) -> Result<HttpResponse, ApiErrorResponse> {
    let article = Article {
        owner: owner.into_inner(),
    };
    guard.auth().check_object_permissions(&article).await?;
    Ok(HttpResponse::Ok().body(article.owner))
}

async fn with_json_body(
    _guard: PolicyGuard<(TokenAuthentication,), IsAuthenticated>,
    body: web::Json<serde_json::Value>,
) -> HttpResponse {
    HttpResponse::Ok().json(body.into_inner())
}

static COUNTED_RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Counts how often it is asked; never attempts.
struct Counting;

impl Authentication for Counting {
    const NAME: &'static str = "Counting";

    async fn authenticate(_cx: &AuthContext<'_>) -> Outcome {
        COUNTED_RUNS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Outcome::NotAttempted
    }
}

async fn guard_then_auth(_guard: PolicyGuard<(Counting,), AllowAny>, auth: Auth) -> HttpResponse {
    HttpResponse::Ok().body(auth.user().to_string())
}

async fn auth_only(auth: Auth) -> HttpResponse {
    HttpResponse::Ok().body(format!("{}|{:?}", auth.user(), auth.scheme()))
}

fn app_config(config: &mut web::ServiceConfig) {
    config
        .service(route::<
            (BasicAuthentication, RemoteUserAuthentication),
            IsAuthenticated,
        >("/basic-remote/"))
        .service(route::<
            (RemoteUserAuthentication, BasicAuthentication),
            IsAuthenticated,
        >("/remote-basic/"))
        .service(route::<
            (TokenAuthentication, BasicAuthentication),
            IsAuthenticated,
        >("/token-basic/"))
        .service(route::<(), IsAuthenticated>("/none/"))
        .service(route::<(), CustomMessage>("/none-custom/"))
        .service(route::<(BasicAuthentication,), CustomMessage>("/custom/"))
        .service(route::<
            (BasicAuthentication,),
            And<IsAuthenticated, CustomMessage>,
        >("/composed-custom/"))
        .service(route::<(BasicAuthentication,), IsAdminUser>("/admin/"))
        .service(route::<(BasicAuthentication,), IsAuthenticatedOrReadOnly>(
            "/read-only/",
        ))
        .service(route::<
            (BasicAuthentication,),
            Or<IsAdminUser, IsAuthenticatedOrReadOnly>,
        >("/admin-or-read-only/"))
        .service(route::<(BasicAuthentication,), Not<IsAuthenticated>>(
            "/not-authenticated/",
        ))
        .service(route::<
            (BasicAuthentication,),
            (IsAuthenticated, IsAdminUser),
        >("/list/"))
        .service(route::<(AlwaysFails,), ()>("/custom-auth/"))
        .service(route::<(TokenAuthentication,), AllowAny>(
            "/token-allow-any/",
        ))
        .service(route::<(BasicAuthentication,), AllowAny>(
            "/basic-allow-any/",
        ))
        .service(route::<DefaultAuthentication, DefaultPermissions>(
            "/defaults/",
        ))
        .service(
            web::resource("/function-view/")
                .route(web::get().to(whoami::<(TokenAuthentication,), IsAuthenticated>))
                .route(web::post().to(whoami::<(TokenAuthentication,), IsAuthenticated>))
                .default_service(web::to(method_not_allowed::<
                    (TokenAuthentication,),
                    IsAuthenticated,
                >())),
        )
        .service(web::resource("/articles/{owner}/").route(web::get().to(article)))
        .service(web::resource("/auth-only/").route(web::get().to(auth_only)))
        .service(web::resource("/json-body/").route(web::post().to(with_json_body)))
        .service(web::resource("/guard-then-auth/").route(web::get().to(guard_then_auth)))
        .service(
            web::scope("/scoped")
                .app_data(
                    PolicyDefaults::new()
                        .authentication::<(TokenAuthentication,)>()
                        .permission::<IsAuthenticated>(),
                )
                .service(route::<DefaultAuthentication, DefaultPermissions>(
                    "/defaults/",
                ))
                .service(web::resource("/auth-only/").route(web::get().to(auth_only)))
                .service(web::resource("/json-body/").route(web::post().to(with_json_body)))
                .service(web::resource("/guard-then-auth/").route(web::get().to(guard_then_auth))),
        );
}

/// The suite's app: the library on `db` with these routes.
async fn suite_app(settings: &AuthSettings, db: &DatabaseConnection) -> impl TestApp + use<> {
    app(settings, db, |routes| {
        routes.configure(app_config);
    })
    .await
}

const DEFAULT_DENIED: &str = r#"{"detail":"You do not have permission to perform this action."}"#;

#[actix_web::test]
async fn first_scheme_with_challenge_makes_not_provided_a_401() {
    let settings = settings_builder()
        .remote_user_header("X-Remote-User")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, get("/basic-remote/")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.www_authenticate.as_deref(),
        Some("Basic realm=\"api\"")
    );
    assert_eq!(reply.body, Reply::NOT_PROVIDED);
}

#[actix_web::test]
async fn first_scheme_without_challenge_turns_401_into_403() {
    let settings = settings_builder()
        .remote_user_header("X-Remote-User")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, get("/remote-basic/")).await;
    assert_eq!(reply.status, 403);
    assert_eq!(reply.www_authenticate, None);
    assert_eq!(reply.body, Reply::NOT_PROVIDED);
    let reply = send(&app, with_auth(get("/remote-basic/"), basic(b"john:wrong"))).await;
    assert_eq!(reply.status, 403);
    assert_eq!(reply.www_authenticate, None);
    assert_eq!(reply.body, detail("Invalid username/password."));
}

#[actix_web::test]
async fn challenge_comes_from_the_first_scheme_even_when_a_later_one_failed() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, with_auth(get("/token-basic/"), basic(b"john:wrong"))).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.www_authenticate.as_deref(), Some("Token"));
    assert_eq!(reply.body, detail("Invalid username/password."));
    let reply = send(
        &app,
        with_auth(get("/token-basic/"), basic(b"john:password")),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, json_body("john", "None"));
}

#[actix_web::test]
async fn first_successful_scheme_wins() {
    let settings = settings_builder()
        .remote_user_header("X-Remote-User")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let request = with_auth(get("/remote-basic/"), basic(b"john:password"))
        .insert_header(("X-Remote-User", "admin"));
    let reply = send(&app, request).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, json_body("admin", "None"));
}

#[actix_web::test]
async fn first_failing_scheme_aborts_the_chain() {
    let settings = settings_builder()
        .remote_user_header("X-Remote-User")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let request = with_auth(get("/basic-remote/"), basic(b"john:wrong"))
        .insert_header(("X-Remote-User", "admin"));
    let reply = send(&app, request).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.body, detail("Invalid username/password."));
}

#[actix_web::test]
async fn view_without_schemes_refuses_anonymous_with_permission_denied() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, get("/none/")).await;
    assert_eq!(reply.status, 403);
    assert_eq!(reply.body, DEFAULT_DENIED);
    let reply = send(&app, get("/none-custom/")).await;
    assert_eq!(reply.status, 403);
    assert_eq!(reply.body, detail(CUSTOM_MESSAGE));
}

#[actix_web::test]
async fn not_authenticated_beats_the_permission_message_for_anonymous_requests() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, get("/custom/")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.www_authenticate.as_deref(),
        Some("Basic realm=\"api\"")
    );
    assert_eq!(reply.body, Reply::NOT_PROVIDED);
    let reply = send(&app, with_auth(get("/custom/"), basic(b"john:password"))).await;
    assert_eq!(reply.status, 403);
    assert_eq!(reply.www_authenticate, None);
    assert_eq!(reply.body, detail(CUSTOM_MESSAGE));
}

#[actix_web::test]
async fn composed_permissions_carry_no_custom_message() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(
        &app,
        with_auth(get("/composed-custom/"), basic(b"john:password")),
    )
    .await;
    assert_eq!(reply.status, 403);
    assert_eq!(reply.body, DEFAULT_DENIED);
}

#[actix_web::test]
async fn is_admin_user_rows() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, get("/admin/")).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (401, Reply::NOT_PROVIDED)
    );
    let reply = send(&app, with_auth(get("/admin/"), basic(b"john:password"))).await;
    assert_eq!((reply.status, reply.body.as_str()), (403, DEFAULT_DENIED));
    let reply = send(&app, with_auth(get("/admin/"), basic(b"admin:password"))).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, json_body("admin", "None"));
}

#[actix_web::test]
async fn is_authenticated_or_read_only_rows() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    for method in [Method::GET, Method::HEAD, Method::OPTIONS] {
        let reply = send(
            &app,
            test::TestRequest::default()
                .method(method.clone())
                .uri("/read-only/"),
        )
        .await;
        assert_eq!(reply.status, 200, "{method}");
    }
    let reply = send(&app, test::TestRequest::post().uri("/read-only/")).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (401, Reply::NOT_PROVIDED)
    );
    let reply = send(
        &app,
        with_auth(
            test::TestRequest::post().uri("/read-only/"),
            basic(b"john:password"),
        ),
    )
    .await;
    assert_eq!(reply.status, 200);
}

#[actix_web::test]
async fn admin_or_read_only_rows() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, get("/admin-or-read-only/")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, json_body("AnonymousUser", "None"));
    let reply = send(&app, test::TestRequest::post().uri("/admin-or-read-only/")).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (401, Reply::NOT_PROVIDED)
    );
}

#[actix_web::test]
async fn not_is_authenticated_rows() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, get("/not-authenticated/")).await;
    assert_eq!(reply.status, 200);
    let reply = send(
        &app,
        with_auth(get("/not-authenticated/"), basic(b"john:password")),
    )
    .await;
    assert_eq!((reply.status, reply.body.as_str()), (403, DEFAULT_DENIED));
}

#[actix_web::test]
async fn permission_lists_are_checked_in_order() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    // IsAuthenticated fails first for anonymous: not provided (and the 401 challenge).
    let reply = send(&app, get("/list/")).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (401, Reply::NOT_PROVIDED)
    );
    // Then IsAdminUser refuses john.
    let reply = send(&app, with_auth(get("/list/"), basic(b"john:password"))).await;
    assert_eq!((reply.status, reply.body.as_str()), (403, DEFAULT_DENIED));
    let reply = send(&app, with_auth(get("/list/"), basic(b"admin:password"))).await;
    assert_eq!(reply.status, 200);
}

#[actix_web::test]
async fn custom_scheme_failure_without_challenge_is_403_even_without_permissions() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, get("/custom-auth/")).await;
    assert_eq!(reply.status, 403);
    assert_eq!(reply.body, detail("Bad credentials"));
}

#[actix_web::test]
async fn content_negotiation_fails_before_authentication() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let request =
        with_auth(get("/admin/"), basic(b"john:wrong")).insert_header(("Accept", "text/xml"));
    let reply = send(&app, request).await;
    assert_eq!(reply.status, 406);
    assert_eq!(
        reply.body,
        detail("Could not satisfy the request Accept header.")
    );
    let request = get("/admin/").insert_header(("Accept", "application/json; indent=4"));
    assert_eq!(send(&app, request).await.status, 401);
}

#[actix_web::test]
async fn authentication_failures_win_over_method_not_allowed() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, test::TestRequest::put().uri("/function-view/")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.www_authenticate.as_deref(), Some("Token"));
    assert_eq!(reply.body, Reply::NOT_PROVIDED);
    let request = with_auth(
        test::TestRequest::put().uri("/function-view/"),
        "Token abcd1234",
    );
    let reply = send(&app, request).await;
    assert_eq!(reply.status, 405);
    assert_eq!(reply.body, r#"{"detail":"Method \"PUT\" not allowed."}"#);
    let request = with_auth(
        test::TestRequest::post().uri("/function-view/"),
        "Token abcd1234",
    );
    assert_eq!(send(&app, request).await.status, 200);
}

#[actix_web::test]
async fn a_database_failure_is_a_generic_503_never_anonymous() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    db.execute_unprepared("DROP TABLE authtoken_token")
        .await
        .unwrap();
    let reply = send(&app, with_auth(get("/token-allow-any/"), "Token abcd1234")).await;
    assert_eq!(reply.status, 503);
    assert_eq!(reply.www_authenticate, None);
    assert_eq!(
        reply.body,
        detail("Service temporarily unavailable, try again later.")
    );
    db.execute_unprepared("DROP TABLE auth_user").await.unwrap();
    let reply = send(
        &app,
        with_auth(get("/basic-allow-any/"), basic(b"john:password")),
    )
    .await;
    assert_eq!(reply.status, 503);
    assert_eq!(
        reply.body,
        detail("Service temporarily unavailable, try again later.")
    );
    // Without credentials nothing touches the store: the open view still answers.
    assert_eq!(send(&app, get("/basic-allow-any/")).await.status, 200);
}

#[actix_web::test]
async fn project_defaults_apply_when_the_view_declares_nothing() {
    let settings = settings_builder()
        .default_authentication::<(TokenAuthentication,)>()
        .default_permission::<IsAuthenticated>()
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, get("/defaults/")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.www_authenticate.as_deref(), Some("Token"));
    let reply = send(&app, with_auth(get("/defaults/"), "Token abcd1234")).await;
    assert_eq!(reply.body, json_body("john", "abcd1234"));
}

/// `REST_FRAMEWORK`'s `DEFAULT_*_CLASSES` as DRF's class paths, from the environment: the
/// lists run in their order, the challenge is the first scheme's, every throttle counts.
#[actix_web::test]
async fn project_defaults_from_a_settings_file_by_drfs_class_paths() {
    let iterations = TEST_ITERATIONS.to_string();
    let variables = [
        ("SUITE_SECRET_KEY", SECRET_KEY),
        ("SUITE_PBKDF2_ITERATIONS", iterations.as_str()),
        ("SUITE_DATABASE_URL", "sqlite::memory:"),
        ("SUITE_DENY_BY_DEFAULT", "false"),
        ("SUITE_ALLOWED_HOSTS", r#"["testserver"]"#),
        (
            "SUITE_REST_FRAMEWORK__DEFAULT_AUTHENTICATION_CLASSES",
            r#"["rest_framework.authentication.TokenAuthentication", "rest_framework.authentication.BasicAuthentication"]"#,
        ),
        (
            "SUITE_REST_FRAMEWORK__DEFAULT_PERMISSION_CLASSES",
            r#"["rest_framework.permissions.IsAuthenticatedOrReadOnly", "rest_framework.permissions.AllowAny"]"#,
        ),
        (
            "SUITE_REST_FRAMEWORK__DEFAULT_THROTTLE_CLASSES",
            r#"["rest_framework.throttling.AnonRateThrottle", "rest_framework.throttling.UserRateThrottle"]"#,
        ),
        (
            "SUITE_REST_FRAMEWORK__DEFAULT_THROTTLE_RATES",
            r#"{ anon = "2/min", user = false }"#,
        ),
    ];
    let settings = SettingsFile::new()
        .env("SUITE_")
        .load_with_env(
            variables
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned())),
        )
        .unwrap()
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, with_auth(get("/defaults/"), "Token wrong")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.www_authenticate.as_deref(), Some("Token"));
    assert_eq!(reply.body, detail("Invalid token."));
    let reply = send(&app, with_auth(get("/defaults/"), basic(b"john:password"))).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, json_body("john", "None"));
    for _ in 0..3 {
        let reply = send(&app, with_auth(get("/defaults/"), "Token abcd1234")).await;
        assert_eq!(reply.body, json_body("john", "abcd1234"));
    }
    // Anonymous reads pass IsAuthenticatedOrReadOnly, and AnonRateThrottle counts them.
    assert_eq!(send(&app, get("/defaults/")).await.status, 200);
    assert_eq!(send(&app, get("/defaults/")).await.status, 200);
    let reply = send(&app, get("/defaults/")).await;
    assert_eq!(reply.status, 429);
}

#[actix_web::test]
async fn library_defaults_are_drfs_session_basic_and_allow_any() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, get("/defaults/")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, json_body("AnonymousUser", "None"));
    let reply = send(&app, with_auth(get("/defaults/"), basic(b"john:wrong"))).await;
    // DEFAULT_AUTHENTICATION_CLASSES = [Session, Basic]: Session has no challenge, so 403.
    assert_eq!(reply.status, 403);
    assert_eq!(reply.www_authenticate, None);
    assert_eq!(reply.body, detail("Invalid username/password."));
}

#[actix_web::test]
async fn scope_defaults_win_over_project_defaults() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, get("/scoped/defaults/")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.www_authenticate.as_deref(), Some("Token"));
    let reply = send(&app, with_auth(get("/scoped/defaults/"), "Token abcd1234")).await;
    assert_eq!(reply.status, 200);
    // The Auth extractor alone runs the scope's defaults too.
    let reply = send(&app, get("/scoped/auth-only/")).await;
    assert_eq!(reply.status, 401);
}

#[actix_web::test]
async fn auth_extractor_alone_runs_the_default_policy() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, get("/auth-only/")).await;
    assert_eq!(reply.body, "AnonymousUser|None");
    let reply = send(&app, with_auth(get("/auth-only/"), basic(b"john:password"))).await;
    assert_eq!(reply.body, "john|Some(\"BasicAuthentication\")");
    let reply = send(&app, with_auth(get("/auth-only/"), basic(b"john:nope"))).await;
    assert_eq!(reply.status, 403);
}

#[actix_web::test]
async fn unauthenticated_user_setting_none_gives_no_user() {
    let settings = settings_builder()
        .unauthenticated_user(UnauthenticatedUser::None)
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, get("/defaults/")).await;
    assert_eq!(reply.body, json_body("None", "None"));
}

#[actix_web::test]
async fn object_permission_refusal_uses_the_permission_message() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(
        &app,
        with_auth(get("/articles/john/"), basic(b"john:password")),
    )
    .await;
    assert_eq!(reply.status, 200);
    let reply = send(
        &app,
        with_auth(get("/articles/admin/"), basic(b"john:password")),
    )
    .await;
    assert_eq!(reply.status, 403);
    assert_eq!(reply.body, detail(CUSTOM_MESSAGE));
}

#[actix_web::test]
async fn refusal_comes_before_any_body_extractor_reads_the_body() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let malformed = || {
        test::TestRequest::post()
            .uri("/json-body/")
            .insert_header(("Content-Type", "application/json"))
            .set_payload("{bad")
    };
    let reply = send(&app, malformed()).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.body, Reply::NOT_PROVIDED);
    let reply = send(&app, with_auth(malformed(), "Token wrong")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.body, detail("Invalid token."));
    // Once the policy passes, the body extractor reads the body as usual.
    assert_eq!(
        send(&app, with_auth(malformed(), "Token abcd1234"))
            .await
            .status,
        400
    );
    let valid = test::TestRequest::post()
        .uri("/json-body/")
        .insert_header(("Content-Type", "application/json"))
        .set_payload(r#"{"a":1}"#);
    let reply = send(&app, with_auth(valid, "Token abcd1234")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, r#"{"a":1}"#);
}

/// actix-web's `web::Json` refusals in DRF's shape, with no per-route wiring (`configure`'s
/// `JsonConfig`).
#[actix_web::test]
async fn a_json_body_extractor_answers_drfs_parse_errors() {
    let settings = settings_builder().max_body_size(64).build().unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let post = |content_type: &str, body: &str| {
        with_auth(
            test::TestRequest::post()
                .uri("/json-body/")
                .insert_header(("Content-Type", content_type.to_owned()))
                .set_payload(body.to_owned()),
            "Token abcd1234",
        )
    };
    let reply = send(&app, post("application/json", "{bad")).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.content_type.as_deref(), Some("application/json"));
    assert_eq!(
        reply.body,
        detail("JSON parse error - key must be a string at line 1 column 2")
    );
    let reply = send(&app, post("text/plain", "{}")).await;
    assert_eq!(reply.status, 415);
    assert_eq!(
        reply.body,
        detail("Unsupported media type \"text/plain\" in request.")
    );
    let reply = send(
        &app,
        post("application/json", &format!("[{}]", "1,".repeat(40))),
    )
    .await;
    assert_eq!(reply.status, 413);
    assert_eq!(reply.body, detail("Request body is too large."));
}

#[actix_web::test]
async fn auth_after_a_guard_reuses_its_outcome_instead_of_authenticating_again() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let before = COUNTED_RUNS.load(std::sync::atomic::Ordering::SeqCst);
    let reply = send(&app, get("/guard-then-auth/")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, "AnonymousUser");
    assert_eq!(
        COUNTED_RUNS.load(std::sync::atomic::Ordering::SeqCst) - before,
        1
    );
}
