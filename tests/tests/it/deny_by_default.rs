//! Deny by default, over real HTTP (`auth_actix::app` on a free port): a handler that declares
//! nothing runs the project's default policy, with DRF's exact refusal, and its body does not
//! run when refused; a declared policy replaces the default (it runs once, the default not at
//! all); `#[login_not_required]` and `AllowAny` stay open; unmatched paths are refused before
//! their 404; a `ScopePolicy` governs its scope, part by part under the handlers' declarations.

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::{HttpResponse, Responder, get, post, web};
use auth_actix::permissions::{Decision, Permission, PermissionContext};
use auth_actix::{
    AllowAny, Auth, BasicAuthentication, IsAdminUser, IsAuthenticated, PolicyDefaults, ScopePolicy,
    login_not_required, permission_classes,
};
use test_support::live_server::{exchange, get as http_get, request, serve};
use test_support::*;

/// A permission that counts its checks in `COUNTER` and grants authenticated users.
macro_rules! counting_permission {
    ($name:ident, $counter:ident) => {
        static $counter: AtomicUsize = AtomicUsize::new(0);

        #[derive(Debug, Default)]
        struct $name;

        impl Permission for $name {
            async fn has_permission(&self, cx: &PermissionContext<'_>) -> Decision {
                $counter.fetch_add(1, Ordering::SeqCst);
                Ok(cx.user.is_authenticated())
            }
        }
    };
}

const JOHN: &str = "Authorization: Basic am9objpwYXNzd29yZA==\r\n"; // john:password

mod refusal {
    use super::*;

    static BODY_RAN: AtomicUsize = AtomicUsize::new(0);

    /// Written without `Auth` or a policy attribute: a route someone forgot.
    #[post("/forgotten")]
    async fn forgotten() -> impl Responder {
        BODY_RAN.fetch_add(1, Ordering::SeqCst);
        "side effect"
    }

    fn routes(config: &mut web::ServiceConfig) {
        config.service(forgotten);
    }

    #[test]
    fn an_undeclared_handler_answers_the_default_policys_refusal_and_does_not_run() {
        // DRF's default schemes: Session first, which has no challenge: 403.
        let address = serve(settings_builder().deny_by_default(true), routes);
        let reply = exchange(address, &request("POST", "/forgotten", "", b"{}"));
        assert_eq!(reply.status, 403);
        assert_eq!(reply.body, Reply::NOT_PROVIDED);
        assert_eq!(reply.header("content-type"), Some("application/json"));
        assert_eq!(reply.header("www-authenticate"), None);
        // A second time, once the route is known to be undeclared.
        let reply = exchange(address, &request("POST", "/forgotten", "", b"{}"));
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (403, Reply::NOT_PROVIDED)
        );
        assert_eq!(
            BODY_RAN.load(Ordering::SeqCst),
            0,
            "the refused handler ran"
        );

        // With Basic first, the refusal carries its challenge: 401.
        let address = serve(
            settings_builder()
                .deny_by_default(true)
                .default_authentication::<(BasicAuthentication,)>(),
            routes,
        );
        let reply = exchange(address, &request("POST", "/forgotten", "", b"{}"));
        assert_eq!(reply.status, 401);
        assert_eq!(
            reply.header("www-authenticate"),
            Some("Basic realm=\"api\"")
        );
        assert_eq!(reply.body, Reply::NOT_PROVIDED);
        assert_eq!(
            BODY_RAN.load(Ordering::SeqCst),
            0,
            "the refused handler ran"
        );

        // The default policy admits a user: the handler runs, once.
        let reply = exchange(address, &request("POST", "/forgotten", JOHN, b"{}"));
        assert_eq!((reply.status, reply.body.as_str()), (200, "side effect"));
        assert_eq!(BODY_RAN.load(Ordering::SeqCst), 1);
    }
}

mod open_routes {
    use super::*;

    #[login_not_required]
    #[get("/health")]
    async fn health_check() -> impl Responder {
        "ok"
    }

    #[permission_classes(AllowAny)]
    #[get("/whoami")]
    async fn whoami(auth: Auth) -> impl Responder {
        auth.user().to_string()
    }

    /// The same, declared below the route macro.
    #[get("/whoami-below")]
    #[permission_classes(AllowAny)]
    async fn whoami_below(auth: Auth) -> impl Responder {
        auth.user().to_string()
    }

    /// Registered by hand, not by a route macro.
    #[permission_classes(AllowAny)]
    async fn whoami_by_hand(auth: Auth) -> impl Responder {
        auth.user().to_string()
    }

    fn routes(config: &mut web::ServiceConfig) {
        config
            .service(health_check)
            .service(whoami)
            .service(whoami_below)
            .route("/by-hand", web::get().to(whoami_by_hand));
    }

    #[test]
    fn login_not_required_and_allow_any_stay_open_and_unmatched_paths_are_refused() {
        let address = serve(settings_builder().deny_by_default(true), routes);
        for _ in 0..2 {
            let reply = exchange(address, &http_get("/health", ""));
            assert_eq!((reply.status, reply.body.as_str()), (200, "ok"));
            for path in ["/whoami", "/whoami-below", "/by-hand"] {
                let reply = exchange(address, &http_get(path, ""));
                assert_eq!(
                    (reply.status, reply.body.as_str()),
                    (200, "AnonymousUser"),
                    "{path}"
                );
            }
            // A path no route matches runs the default policy before its 404.
            let reply = exchange(address, &http_get("/nowhere", ""));
            assert_eq!(
                (reply.status, reply.body.as_str()),
                (403, Reply::NOT_PROVIDED)
            );
            let reply = exchange(address, &http_get("/nowhere", JOHN));
            assert_eq!(reply.status, 404);
        }
        // Even with credentials that the default schemes would reject, the opted-out route
        // runs no policy at all.
        let reply = exchange(
            address,
            &http_get("/health", "Authorization: Basic !!!\r\n"),
        );
        assert_eq!((reply.status, reply.body.as_str()), (200, "ok"));
    }

    #[test]
    fn without_deny_by_default_an_undeclared_handler_is_open_as_in_drf() {
        #[get("/open")]
        async fn open() -> impl Responder {
            "open"
        }
        let address = serve(settings_builder().deny_by_default(false), |config| {
            config.service(open);
        });
        let reply = exchange(address, &http_get("/open", ""));
        assert_eq!((reply.status, reply.body.as_str()), (200, "open"));
    }
}

mod runs_once {
    use super::*;

    counting_permission!(DefaultCount, DEFAULT_CHECKS);
    counting_permission!(DeclaredCount, DECLARED_CHECKS);

    #[permission_classes(DeclaredCount)]
    #[get("/declared")]
    async fn declared_handler(auth: Auth) -> impl Responder {
        auth.user().to_string()
    }

    /// Declares nothing but reads the user: it gets the middleware's outcome.
    #[get("/undeclared")]
    async fn undeclared_handler(auth: Auth) -> impl Responder {
        auth.user().to_string()
    }

    #[permission_classes(DeclaredCount)]
    async fn declared_by_hand(auth: Auth) -> impl Responder {
        auth.user().to_string()
    }

    fn routes(config: &mut web::ServiceConfig) {
        config
            .service(declared_handler)
            .service(undeclared_handler)
            .route("/by-hand", web::get().to(declared_by_hand));
    }

    #[test]
    fn each_request_runs_one_policy_the_declared_one_or_the_default() {
        let address = serve(
            settings_builder()
                .deny_by_default(true)
                .default_permission::<DefaultCount>(),
            routes,
        );
        let count = || {
            (
                DEFAULT_CHECKS.load(Ordering::SeqCst),
                DECLARED_CHECKS.load(Ordering::SeqCst),
            )
        };
        for n in 1..=3 {
            let reply = exchange(address, &http_get("/declared", JOHN));
            assert_eq!((reply.status, reply.body.as_str()), (200, "john"));
            assert_eq!(count(), (0, n), "after {n} requests to /declared");
        }
        for n in 1..=3 {
            let reply = exchange(address, &http_get("/undeclared", JOHN));
            assert_eq!((reply.status, reply.body.as_str()), (200, "john"));
            assert_eq!(count(), (n, 3), "after {n} requests to /undeclared");
        }
        // A declared handler registered by hand has no name that tells the middleware, before
        // routing, that it declares a policy: its first request also runs the default, while
        // the route is learnt; the later ones run its policy alone.
        let reply = exchange(address, &http_get("/by-hand", JOHN));
        assert_eq!((reply.status, reply.body.as_str()), (200, "john"));
        assert_eq!(count(), (4, 4));
        for n in 1..=3 {
            let reply = exchange(address, &http_get("/by-hand", JOHN));
            assert_eq!((reply.status, reply.body.as_str()), (200, "john"));
            assert_eq!(count(), (4, 4 + n));
        }
    }
}

mod method_siblings {
    use super::*;

    static CREATED: AtomicUsize = AtomicUsize::new(0);

    #[permission_classes(AllowAny)]
    #[get("/items")]
    async fn list() -> impl Responder {
        "items"
    }

    /// Same path, other method, no declaration.
    #[post("/items")]
    async fn create() -> impl Responder {
        CREATED.fetch_add(1, Ordering::SeqCst);
        HttpResponse::Created().body("created")
    }

    #[test]
    fn an_undeclared_handler_beside_a_declared_one_on_the_same_path_is_still_refused() {
        let address = serve(settings_builder().deny_by_default(true), |config| {
            config.service(list).service(create);
        });
        for _ in 0..3 {
            let reply = exchange(address, &request("POST", "/items", "", b""));
            assert_eq!(reply.status, 403, "{reply:?}");
            let reply = exchange(address, &http_get("/items", ""));
            assert_eq!((reply.status, reply.body.as_str()), (200, "items"));
        }
        assert_eq!(CREATED.load(Ordering::SeqCst), 0, "the refused handler ran");
        let reply = exchange(address, &request("POST", "/items", JOHN, b""));
        assert_eq!((reply.status, reply.body.as_str()), (201, "created"));
        assert_eq!(CREATED.load(Ordering::SeqCst), 1);
    }
}

mod scope_policy {
    use super::*;

    #[get("/report")]
    async fn report() -> impl Responder {
        "report"
    }

    /// Declares only its permissions: the scope's schemes (Basic) still apply.
    #[permission_classes(AllowAny)]
    #[get("/status")]
    async fn status(auth: Auth) -> impl Responder {
        auth.user().to_string()
    }

    #[login_not_required]
    #[get("/ping")]
    async fn ping() -> impl Responder {
        "pong"
    }

    #[test]
    fn a_scope_policy_governs_its_routes_and_declarations_replace_it_part_by_part() {
        // Deny-by-default off: the scope's policy applies whatever the project's settings.
        let address = serve(settings_builder(), |config| {
            config.service(
                web::scope("/internal")
                    .wrap(ScopePolicy::new(
                        PolicyDefaults::new()
                            .authentication::<(BasicAuthentication,)>()
                            .permission::<IsAdminUser>(),
                    ))
                    .service(report)
                    .service(status)
                    .service(ping),
            );
        });
        for _ in 0..2 {
            let reply = exchange(address, &http_get("/internal/report", ""));
            assert_eq!(reply.status, 401);
            assert_eq!(
                reply.header("www-authenticate"),
                Some("Basic realm=\"api\"")
            );
            let reply = exchange(address, &http_get("/internal/report", JOHN));
            assert_eq!(reply.status, 403, "john is not staff");
            let admin = "Authorization: Basic YWRtaW46cGFzc3dvcmQ=\r\n"; // admin:password
            let reply = exchange(address, &http_get("/internal/report", admin));
            assert_eq!((reply.status, reply.body.as_str()), (200, "report"));

            // `AllowAny` replaces the scope's permission, not its schemes.
            let reply = exchange(address, &http_get("/internal/status", ""));
            assert_eq!((reply.status, reply.body.as_str()), (200, "AnonymousUser"));
            let reply = exchange(address, &http_get("/internal/status", JOHN));
            assert_eq!((reply.status, reply.body.as_str()), (200, "john"));
            let reply = exchange(
                address,
                &http_get("/internal/status", "Authorization: Basic !!!\r\n"),
            );
            assert_eq!(reply.status, 401, "Basic ran: {reply:?}");

            let reply = exchange(address, &http_get("/internal/ping", ""));
            assert_eq!((reply.status, reply.body.as_str()), (200, "pong"));
        }
    }
}

mod missing_middleware {
    use super::*;

    #[permission_classes(IsAuthenticated)]
    async fn guarded(auth: Auth) -> impl Responder {
        auth.user().to_string()
    }

    #[actix_web::test]
    async fn a_guard_on_an_app_without_the_middleware_fails_closed() {
        let settings = settings_builder().deny_by_default(true).build().unwrap();
        let db = database(&settings).await;
        let app = actix_web::test::init_service(
            actix_web::App::new()
                .configure(auth_actix::configure(settings.clone(), db.clone()))
                .route("/guarded", web::get().to(guarded)),
        )
        .await;
        let logs = CapturedLogs::default();
        let _guard = logs.set_default(tracing::Level::ERROR);
        let reply = send(&app, with_auth(get("/guarded"), basic(b"john:password"))).await;
        assert_eq!(reply.status, 500);
        assert!(
            logs.text()
                .contains("LoginRequiredMiddleware does not wrap this App"),
            "{}",
            logs.text()
        );
    }
}

mod library_views {
    use super::*;
    use auth_actix::views::{knox_endpoints, obtain_auth_token_resource, session_endpoints};

    #[test]
    fn the_login_views_stay_reachable_under_deny_by_default() {
        counting_permission!(DefaultCount, DEFAULT_CHECKS);
        let address = serve(
            settings_builder()
                .deny_by_default(true)
                .default_permission::<DefaultCount>(),
            |config| {
                config
                    .service(obtain_auth_token_resource("/api-token-auth/"))
                    .service(web::scope("/session").configure(session_endpoints))
                    .service(web::scope("/knox").configure(knox_endpoints));
            },
        );
        let form = "Content-Type: application/x-www-form-urlencoded\r\n";
        let reply = exchange(
            address,
            &request(
                "POST",
                "/api-token-auth/",
                form,
                b"username=john&password=password",
            ),
        );
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (200, r#"{"token":"abcd1234"}"#)
        );
        let reply = exchange(address, &http_get("/api-token-auth/", ""));
        assert_eq!(reply.status, 405, "{reply:?}");

        let reply = exchange(address, &http_get("/session/csrf/", ""));
        assert_eq!(reply.status, 200, "{reply:?}");
        let reply = exchange(address, &http_get("/session/login/", ""));
        assert_eq!(reply.status, 405, "{reply:?}");

        let reply = exchange(address, &request("POST", "/knox/login/", JOHN, b""));
        assert_eq!(reply.status, 200, "{reply:?}");
        // knox's login requires a user (its own `IsAuthenticated`): without one, DRF's 403.
        let reply = exchange(address, &request("POST", "/knox/login/", "", b""));
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (403, Reply::NOT_PROVIDED)
        );

        assert_eq!(
            DEFAULT_CHECKS.load(Ordering::SeqCst),
            0,
            "the default policy ran for a view that declares its own"
        );
    }
}

mod unmarked_guard {
    use super::*;
    use auth_actix::PolicyGuard;

    /// A guard written by hand, registered without `declared`.
    async fn by_hand(guard: PolicyGuard<(BasicAuthentication,), AllowAny>) -> String {
        guard.auth().user().to_string()
    }

    #[actix_web::test]
    async fn a_hand_written_guard_left_unmarked_runs_after_the_default_and_is_reported() {
        let settings = settings_builder().deny_by_default(true).build().unwrap();
        let db = database(&settings).await;
        let app = app(&settings, &db, |routes| {
            routes.route("/by-hand", web::get().to(by_hand)).route(
                "/marked",
                web::get().to(auth_actix::policy::declared(by_hand)),
            );
        })
        .await;
        let logs = CapturedLogs::default();
        let _guard = logs.set_default(tracing::Level::WARN);
        // The default (IsAuthenticated) refuses the anonymous request the handler would admit.
        assert_eq!(send(&app, get("/by-hand")).await.status, 403);
        assert_eq!(send(&app, get("/marked")).await.status, 200);
        let john = with_auth(get("/by-hand"), basic(b"john:password"));
        assert_eq!(send(&app, john).await.body, "john");
        assert!(
            logs.text().contains("policy::declared(handler)"),
            "{}",
            logs.text()
        );
    }
}

mod startup_checks {
    use super::*;

    /// Building weak settings says what is weak, as `manage.py runserver` does at start.
    #[test]
    fn building_weak_settings_logs_the_checks_that_apply_to_every_server() {
        let logs = CapturedLogs::default();
        let _guard = logs.set_default(tracing::Level::WARN);
        let _settings = AuthSettings::builder()
            .secret_key("short")
            .deny_by_default(false)
            .database_url("sqlite::memory:")
            .build()
            .unwrap();
        let text = logs.text();
        for id in ["security.W009", "auth.W001", "auth.W002"] {
            assert!(text.contains(id), "{id} missing: {text}");
        }
        assert!(!text.contains("security.W012"), "a loopback server: {text}");
    }
}
