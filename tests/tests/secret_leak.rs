//! No password, hash, token key, session key, CSRF secret or secret key appears in `Debug`,
//! `Display`, logs or errors (DESIGN.md §6).
//!
//! One scenario runs every scheme through the real endpoints with all `tracing` output of the
//! process captured at TRACE, collecting each secret that occurs on the way (the ones the test
//! chose and the ones the library generated: token keys, knox tokens and digests, session keys,
//! CSRF secrets and masked tokens, password hashes read back from the database). Then no
//! secret may appear in the captured log, in an error response, or in the `Debug` or `Display`
//! of any value the library hands out. Every secret is long and unique, so a substring match
//! is a leak and never a coincidence.
//!
//! The tests after the scenario pin leaks found in values the scenario does not reach through
//! the pipeline; each says which field leaks.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex, OnceLock};

use actix_web::dev::{Service, ServiceResponse};
use actix_web::{HttpResponse, web};
use auth_actix::authentication::{
    AuthContext, AuthInfo, ForcedAuthentication, HttpRequestView, KnoxAuth, ResponseEffects,
    SessionCookie, Source,
};
use auth_actix::django::csrf::{self, CsrfConfig, CsrfRequest};
use auth_actix::django::{session_data, signing};
use auth_actix::policy::Resolve;
use auth_actix::store::sea_orm::{ConnectionTrait, EntityTrait};
use auth_actix::store::{self, knox_token, session as session_rows, token, user};
use auth_actix::test::TestClient;
use auth_actix::throttling::ThrottleClasses;
use auth_actix::views::{knox_endpoints, obtain_auth_token_resource, session_endpoints};
use auth_actix::{
    Auth, AuthRuntime, AuthSettings, BasicAuthentication, IsAuthenticated, KnoxTokenAuthentication,
    PolicyGuard, RemoteUserAuthentication, SessionAuthentication, TokenAuthentication,
    UserRateThrottle,
};
// Internals whose `Debug` could show a credential: not on auth-actix's face.
use auth_core::authentication::authorization_header::Fields;
use auth_core::knox;
use test_support::{CapturedLogs, TEST_ITERATIONS, add_user, session_app};

const SECRET_KEY: &str = "sk-leak-test-8f1c2e7a9b3d4f60-django-insecure-current";
const FALLBACK_KEY: &str = "sk-leak-test-5e6d7c8b9a0f1e2d-rotated-away-fallback";
const DB_PASSWORD: &str = "Db-Pa55word-4c9e1f7b2a6d";
const ALICE_PASSWORD: &str = "alice-correct-horse-battery-staple-71c3";
/// A near miss of Alice's password: what a typo reveals is as secret as the password.
const WRONG_PASSWORD: &str = "alice-correct-horse-battery-stapel-71c3";
const DORMANT_PASSWORD: &str = "dormant-inactive-account-password-33af";
const UNKNOWN_USER_PASSWORD: &str = "nobody-guessed-this-password-58be";

fn database_url() -> String {
    format!("postgres://app_user:{DB_PASSWORD}@db.internal.invalid:5432/app")
}

/// Installs the process-wide subscriber once: a global one, not a thread-local default, so that
/// events from the hashing pool's threads and the database driver's threads are captured too.
fn capture() -> &'static CapturedLogs {
    static CAPTURED: OnceLock<CapturedLogs> = OnceLock::new();
    CAPTURED.get_or_init(|| {
        let captured = CapturedLogs::default();
        tracing::subscriber::set_global_default(captured.subscriber(tracing::Level::TRACE))
            .unwrap();
        captured
    })
}

/// The secrets that occurred, by name.
#[derive(Default)]
struct Secrets(Vec<(String, String)>);

impl Secrets {
    fn add(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let (name, value) = (name.into(), value.into());
        // Below this a substring match could be a coincidence (or a field name).
        assert!(
            value.len() >= 12,
            "{name} is too short to search for: {value:?}"
        );
        if !self.0.iter().any(|(_, known)| *known == value) {
            self.0.push((name, value));
        }
    }

    /// An encoded password: the whole column and its last field (the derived key, or random
    /// characters for an unusable password), so that a hash printed on its own is found too.
    /// An empty column (a user the remote-user backend created) holds nothing to search for.
    fn add_password_column(&mut self, name: &str, encoded: &str) {
        if encoded.is_empty() {
            return;
        }
        self.add(format!("{name} (encoded)"), encoded);
        let last = encoded.rsplit(['$', '!']).next().unwrap_or_default();
        self.add(format!("{name} (hash field)"), last);
    }
}

/// What a place showed: where it came from and the text.
#[derive(Clone, Default)]
struct Shown(Arc<Mutex<Vec<(String, String)>>>);

impl Shown {
    fn add(&self, place: impl Into<String>, text: impl Into<String>) {
        self.0.lock().unwrap().push((place.into(), text.into()));
    }

    fn debug(&self, place: &str, value: &dyn std::fmt::Debug) {
        self.add(format!("Debug of {place}"), format!("{value:?}"));
        self.add(format!("pretty Debug of {place}"), format!("{value:#?}"));
    }

    fn display(&self, place: &str, value: &dyn std::fmt::Display) {
        self.add(format!("Display of {place}"), value.to_string());
    }
}

/// Every (place, secret) pair where the secret shows, with the text around it.
fn leaks(shown: &[(String, String)], secrets: &Secrets) -> Vec<String> {
    let mut found = Vec::new();
    for (place, text) in shown {
        for (name, secret) in &secrets.0 {
            if let Some(at) = text.find(secret.as_str()) {
                let start = text.floor_char_boundary(at.saturating_sub(80));
                let end = text.ceil_char_boundary((at + secret.len() + 40).min(text.len()));
                found.push(format!("{name} in {place}: …{}…", &text[start..end]));
            }
        }
    }
    found
}

/// The view of every authenticated route: records how the library shows the request's
/// outcome, and answers with the user's name only.
async fn inspect<S, P, T>(
    guard: PolicyGuard<S, P, T>,
    auth: Auth,
    shown: web::Data<Shown>,
) -> HttpResponse
where
    S: auth_actix::policy::AuthenticationPolicy,
    P: auth_actix::permissions::PermissionClasses + Resolve + 'static,
    T: ThrottleClasses + Resolve + 'static,
{
    let scheme = auth.scheme().unwrap_or("none");
    let place = |what: &str| format!("{what} ({scheme})");
    shown.debug(&place("PolicyGuard"), &guard);
    shown.debug(&place("Auth"), &auth);
    shown.debug(&place("AuthState"), auth.state());
    shown.debug(&place("RequestUser"), auth.user());
    shown.display(&place("RequestUser"), auth.user());
    if let Some(user) = auth.user().as_user() {
        shown.debug(&place("User"), user);
        shown.display(&place("User"), user);
    }
    shown.debug(&place("AuthInfo"), auth.auth());
    shown.debug(&place("AuthInfo::token"), &auth.auth().token());
    shown.debug(&place("AuthInfo::knox_token"), &auth.auth().knox_token());
    HttpResponse::Ok().json(serde_json::json!({ "user": auth.user().to_string() }))
}

fn inspected<S, P, T>(path: &str) -> actix_web::Resource
where
    S: auth_actix::policy::AuthenticationPolicy,
    P: auth_actix::permissions::PermissionClasses + Resolve + 'static,
    T: ThrottleClasses + Resolve + 'static,
{
    web::resource(path).route(web::route().to(auth_actix::policy::declared(inspect::<S, P, T>)))
}

/// Status and body of a response.
async fn read<B: actix_web::body::MessageBody>(response: ServiceResponse<B>) -> (u16, String) {
    let status = response.status().as_u16();
    let body = actix_web::test::read_body(response).await;
    (status, String::from_utf8(body.to_vec()).unwrap())
}

/// A client that also keeps every error response and every cookie value it was given.
struct Scenario<'a, S> {
    client: TestClient<&'a S>,
    shown: Shown,
    secrets: &'a mut Secrets,
}

impl<S, B> Scenario<'_, S>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: actix_web::body::MessageBody,
{
    async fn send(&mut self, what: &str, request: actix_web::test::TestRequest) -> (u16, String) {
        let response = self.client.send(request).await.unwrap();
        let (status, body) = read(response).await;
        if status >= 400 {
            self.shown.add(format!("error response of {what}"), &body);
        }
        self.remember_cookies();
        (status, body)
    }

    async fn get(&mut self, what: &str, path: &str) -> (u16, String) {
        self.send(what, actix_web::test::TestRequest::get().uri(path))
            .await
    }

    async fn post_json(
        &mut self,
        what: &str,
        path: &str,
        body: &serde_json::Value,
    ) -> (u16, String) {
        self.send(
            what,
            actix_web::test::TestRequest::post()
                .uri(path)
                .set_json(body),
        )
        .await
    }

    fn remember_cookies(&mut self) {
        for (name, value) in self.client.cookies() {
            if !value.is_empty() {
                self.secrets.add(format!("{name} cookie"), value.clone());
            }
        }
    }
}

fn json_field(body: &str, field: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(body).unwrap();
    value[field].as_str().unwrap().to_owned()
}

fn settings() -> AuthSettings {
    AuthSettings::builder()
        .secret_key(SECRET_KEY)
        .secret_key_fallbacks([FALLBACK_KEY])
        .database_url(database_url())
        .pbkdf2_iterations(TEST_ITERATIONS)
        .remote_user_header("X-Remote-User")
        .throttle_rate("user", "2/min")
        // The cache keeps token rows and users: its paths must not show them either.
        .auth_cache_ttl(std::time::Duration::from_secs(60))
        .build()
        .unwrap()
}

async fn find_user(db: &store::DatabaseConnection, name: &str) -> user::User {
    user::AUTH_USER
        .find_by_username(db, name)
        .await
        .unwrap()
        .unwrap()
}

#[actix_web::test]
#[allow(clippy::too_many_lines)]
async fn a_full_scenario_shows_no_secret_in_logs_debug_display_or_errors() {
    let captured = capture();
    let mut secrets = Secrets::default();
    for (name, value) in [
        ("SECRET_KEY", SECRET_KEY),
        ("SECRET_KEY_FALLBACKS[0]", FALLBACK_KEY),
        ("database password", DB_PASSWORD),
        ("Alice's password", ALICE_PASSWORD),
        ("a wrong password", WRONG_PASSWORD),
        ("the inactive user's password", DORMANT_PASSWORD),
        ("an unknown user's password", UNKNOWN_USER_PASSWORD),
    ] {
        secrets.add(name, value);
    }
    secrets.add("database URL", database_url());

    let settings = settings();
    let db = store::connect_and_migrate("sqlite::memory:").await.unwrap();
    let alice = add_user(&db, &settings, "alice", ALICE_PASSWORD, true, false).await;
    add_user(&db, &settings, "dormant", DORMANT_PASSWORD, false, false).await;
    let shown = Shown::default();
    let app = session_app(&settings, &db, |routes| {
        routes
            .app_data(web::Data::new(shown.clone()))
            .service(web::scope("/auth").configure(session_endpoints))
            .service(web::scope("/knox").configure(knox_endpoints))
            .service(obtain_auth_token_resource("/api-token-auth/"))
            .service(inspected::<(BasicAuthentication,), IsAuthenticated, ()>(
                "/basic/",
            ))
            .service(inspected::<(TokenAuthentication,), IsAuthenticated, ()>(
                "/token/",
            ))
            .service(inspected::<(SessionAuthentication,), IsAuthenticated, ()>(
                "/session/",
            ))
            .service(inspected::<(KnoxTokenAuthentication,), IsAuthenticated, ()>("/knox-only/"))
            .service(inspected::<(RemoteUserAuthentication,), IsAuthenticated, ()>("/remote/"))
            .service(inspected::<
                (TokenAuthentication,),
                IsAuthenticated,
                (UserRateThrottle,),
            >("/throttled/"));
    })
    .await;
    let mut run = Scenario {
        client: TestClient::new(&app),
        shown: shown.clone(),
        secrets: &mut secrets,
    };

    // Basic: success, wrong password, unknown user, inactive user.
    for (what, credentials, status) in [
        ("Basic success", format!("alice:{ALICE_PASSWORD}"), 200),
        (
            "Basic wrong password",
            format!("alice:{WRONG_PASSWORD}"),
            401,
        ),
        (
            "Basic unknown user",
            format!("nobody:{UNKNOWN_USER_PASSWORD}"),
            401,
        ),
        (
            "Basic inactive user",
            format!("dormant:{DORMANT_PASSWORD}"),
            401,
        ),
    ] {
        let header = test_support::basic(credentials.as_bytes());
        run.secrets.add(
            format!("Authorization of {what}"),
            header.trim_start_matches("Basic "),
        );
        run.client.credentials(&header);
        assert_eq!(run.get(what, "/basic/").await.0, status, "{what}");
    }
    run.client.clear_credentials();

    // DRF tokens: obtain (right and wrong password), use (twice: the second from the cache), a
    // wrong key (twice: the second from the negative cache), then a throttled request.
    let (status, _) = run
        .post_json(
            "obtain-token wrong password",
            "/api-token-auth/",
            &serde_json::json!({ "username": "alice", "password": WRONG_PASSWORD }),
        )
        .await;
    assert_eq!(status, 400);
    let (status, body) = run
        .post_json(
            "obtain-token",
            "/api-token-auth/",
            &serde_json::json!({ "username": "alice", "password": ALICE_PASSWORD }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let key = json_field(&body, "token");
    run.secrets.add("DRF token key", &key);
    let wrong_key = token::generate_key();
    run.secrets.add("a wrong DRF token key", &wrong_key);
    run.client.credentials(&format!("Token {key}"));
    for _ in 0..2 {
        assert_eq!(run.get("token auth", "/token/").await.0, 200);
    }
    run.client.credentials(&format!("Token {wrong_key}"));
    for _ in 0..2 {
        assert_eq!(run.get("wrong token", "/token/").await.0, 401);
    }
    run.client.credentials(&format!("Token {key}"));
    let statuses = [
        run.get("throttled", "/throttled/").await.0,
        run.get("throttled", "/throttled/").await.0,
        run.get("throttled", "/throttled/").await.0,
    ];
    assert_eq!(statuses, [200, 200, 429]);
    run.shown.debug("TestClient with credentials", &run.client);
    run.client.clear_credentials();

    // Sessions: a failed login, a login, the masked CSRF token, safe and unsafe requests (the
    // cookie's secret and a masked token as the header), a CSRF failure, logout.
    let status = run
        .client
        .login("/auth", "alice", WRONG_PASSWORD)
        .await
        .unwrap();
    assert_eq!(status.as_u16(), 400);
    run.remember_cookies();
    let status = run
        .client
        .login("/auth", "alice", ALICE_PASSWORD)
        .await
        .unwrap();
    assert_eq!(status.as_u16(), 200);
    run.remember_cookies();
    let (status, body) = run.get("CSRF token", "/auth/csrf/").await;
    assert_eq!(status, 200);
    let masked = json_field(&body, "csrf_token");
    run.secrets.add("masked CSRF token", &masked);
    let session_key = run.client.cookies()["sessionid"].clone();
    let csrf_secret = run.client.cookies()["csrftoken"].clone();
    assert_eq!(run.get("session GET", "/session/").await.0, 200);
    let post = || actix_web::test::TestRequest::post().uri("/session/");
    assert_eq!(run.send("session POST", post()).await.0, 200);
    let jar = format!("sessionid={session_key}; csrftoken={csrf_secret}");
    let with_token = |token: &str| {
        post()
            .insert_header(("Cookie", jar.clone()))
            .insert_header(("X-CSRFToken", token.to_owned()))
            .to_request()
    };
    let (status, _) = read(actix_web::test::call_service(&app, with_token(&masked)).await).await;
    assert_eq!(status, 200);
    let forged = csrf::mask_cipher_secret(&csrf::generate_secret()).unwrap();
    let (status, body) = read(actix_web::test::call_service(&app, with_token(&forged)).await).await;
    assert_eq!(status, 403, "{body}");
    shown.add("error response of a CSRF failure", body);
    run.shown.debug("TestClient logged in", &run.client);

    let rows = session_rows::Entity::find().all(&db).await.unwrap();
    assert!(!rows.is_empty());
    for row in &rows {
        run.secrets.add("session key (stored)", &row.session_key);
        run.secrets.add("signed session data", &row.session_data);
        shown.debug("session row", row);
    }
    let stored_alice = find_user(&db, "alice").await;
    run.secrets.add(
        "session auth hash (_auth_user_hash)",
        session_data::session_auth_hash(&stored_alice.password, SECRET_KEY),
    );
    let decoded = session_data::decode(&rows[0].session_data, SECRET_KEY, &[]).unwrap();
    assert!(decoded.contains_key(session_data::HASH_SESSION_KEY));
    let corrupted = session_data::decode(&rows[0].session_data, "not the key at all", &[]);
    shown.debug("a session that does not verify", &corrupted);
    if let Err(error) = &corrupted {
        shown.display("Corrupted", error);
    }
    let (status, _) = run
        .post_json("logout", "/auth/logout/", &serde_json::json!({}))
        .await;
    assert_eq!(status, 204);
    assert_eq!(run.get("after logout", "/session/").await.0, 403);

    // knox: login with Basic, use, a wrong token with the right lookup prefix, logout.
    run.client.credentials(&test_support::basic(
        format!("alice:{ALICE_PASSWORD}").as_bytes(),
    ));
    let (status, body) = run.send("knox login", post_to("/knox/login/")).await;
    assert_eq!(status, 200, "{body}");
    let knox_token_text = json_field(&body, "token");
    run.secrets.add("knox token", &knox_token_text);
    run.secrets
        .add("knox digest", knox::digest(&knox_token_text));
    run.secrets
        .add("knox token_key", knox::token_key(&knox_token_text));
    run.client.credentials(&format!("Token {knox_token_text}"));
    assert_eq!(run.get("knox auth", "/knox-only/").await.0, 200);
    let candidates =
        knox_token::candidates(&db, &user::AUTH_USER, knox::token_key(&knox_token_text))
            .await
            .unwrap();
    assert_eq!(candidates.len(), 1);
    for (row, owner) in &candidates {
        shown.debug("knox row", row);
        shown.debug("knox row's user", owner);
        shown.debug(
            "KnoxAuth",
            &KnoxAuth {
                row: row.clone(),
                username: owner.username.clone(),
            },
        );
    }
    let wrong_knox = format!(
        "{}{}",
        knox::token_key(&knox_token_text),
        "f".repeat(knox_token_text.len() - knox::TOKEN_KEY_LENGTH)
    );
    run.secrets.add("a wrong knox token", &wrong_knox);
    run.client.credentials(&format!("Token {wrong_knox}"));
    assert_eq!(run.get("wrong knox token", "/knox-only/").await.0, 401);
    run.client.credentials(&format!("Token {knox_token_text}"));
    assert_eq!(
        run.send("knox logout", post_to("/knox/logout/")).await.0,
        204
    );
    assert_eq!(run.get("after knox logout", "/knox-only/").await.0, 401);
    let created = knox_token::create(
        &db,
        &settings.settings().knox,
        settings.services().clock().now(),
        alice.id,
    )
    .await
    .unwrap();
    run.secrets.add("knox token (created)", &created.token);
    run.secrets
        .add("knox digest (created)", &created.row.digest);
    shown.debug("CreatedToken", &created);
    run.client.clear_credentials();

    // Remote user: an unknown name is created with an unusable password.
    let remote = actix_web::test::TestRequest::get()
        .uri("/remote/")
        .insert_header(("X-Remote-User", "remote-visitor"));
    assert_eq!(run.send("remote user", remote).await.0, 200);

    // Values read back and built directly, with every secret now known.
    for name in ["alice", "dormant", "remote-visitor"] {
        let row = find_user(&db, name).await;
        run.secrets
            .add_password_column(&format!("{name}'s password column"), &row.password);
        shown.debug("User row", &row);
        shown.display("User row", &row);
    }
    let hashed = auth_actix::authentication::make_password(
        &settings.environment(db.clone()),
        ALICE_PASSWORD,
    )
    .await
    .unwrap();
    run.secrets.add_password_column("a fresh hash", &hashed);
    shown.debug(
        "NewUser",
        &user::NewUser {
            username: "newcomer".to_owned(),
            password: hashed.clone(),
            email: String::new(),
            is_staff: false,
            is_superuser: false,
            is_active: true,
        },
    );
    shown.debug(
        "UserFields",
        &auth_actix::authentication::UserFields {
            email: "alice@example.com",
            password: Some(ALICE_PASSWORD),
            is_staff: false,
            is_superuser: false,
        },
    );
    let token_row = token::find_for_user(&db, alice.id).await.unwrap().unwrap();
    shown.debug("token row", &token_row);
    let cache = settings.services().credential_cache().unwrap();
    shown.debug("CredentialCache", cache);
    shown.debug(
        "TokenLookup (known)",
        &cache.token(&key, settings.services().clock().now()),
    );
    shown.debug(
        "TokenLookup (refused)",
        &cache.token(&wrong_key, settings.services().clock().now()),
    );
    let token_info = AuthInfo::Token(Arc::new(token_row));
    shown.debug("AuthInfo::Token", &token_info);
    shown.debug(
        "AuthInfo::Value",
        &AuthInfo::Value(Arc::from(SECRET_KEY.to_owned())),
    );
    shown.debug(
        "ForcedAuthentication",
        &ForcedAuthentication {
            user: stored_alice.clone(),
            auth: token_info,
        },
    );
    shown.debug("AuthSettings", &settings);
    shown.debug("SECRET_KEY", &settings.settings().secret_key);
    shown.debug(
        "SECRET_KEY_FALLBACKS",
        &settings.settings().secret_key_fallbacks,
    );
    shown.debug("Settings", settings.settings());
    let env = settings.environment(db.clone());
    shown.debug("Environment", &env);
    shown.debug("AuthRuntime", &AuthRuntime::new(&settings, db.clone()));
    let effects = ResponseEffects::default();
    effects.set_session_cookie(SessionCookie::Set(session_key.clone()));
    effects.set_csrf_secret(csrf_secret.clone());
    shown.debug("ResponseEffects", &effects);
    shown.debug("SessionCookie", &SessionCookie::Set(session_key.clone()));
    let fallbacks = [FALLBACK_KEY];
    shown.debug(
        "Signer",
        &signing::Signer::new(SECRET_KEY, &fallbacks, signing::SIGNER_SALT),
    );
    let csrf_request = CsrfRequest {
        method: "POST",
        host: Some("testserver"),
        cookie: Some(&csrf_secret),
        // A form token wins over the header even when wrong: this one is refused.
        form_token: Some(&forged),
        header_token: Some(&masked),
        ..CsrfRequest::default()
    };
    shown.debug("CsrfRequest", &csrf_request);
    let refusal = csrf::check(&csrf_request, &CsrfConfig::default()).unwrap_err();
    shown.debug("csrf::Reason", &refusal);
    shown.display("csrf::Reason", &refusal);

    // The backend called directly, then a store failure (the tables are dropped): a 503 whose
    // cause is logged, for a token the cache has not seen and for a session cookie.
    let http_request = actix_web::test::TestRequest::get().to_http_request();
    let view = HttpRequestView::new(&http_request, settings.settings());
    let cx = AuthContext {
        request: &view,
        env: &env,
        effects: &effects,
    };
    shown.debug("AuthContext", &cx);
    let refused = auth_actix::authentication::authenticate(&env, "alice", WRONG_PASSWORD).await;
    shown.debug("a refused authenticate", &refused);
    db.execute_unprepared("DROP TABLE authtoken_token")
        .await
        .unwrap();
    db.execute_unprepared("DROP TABLE django_session")
        .await
        .unwrap();
    let unseen_key = token::generate_key();
    run.secrets
        .add("a DRF token key during a store failure", &unseen_key);
    run.client.credentials(&format!("Token {unseen_key}"));
    assert_eq!(
        run.get("token during store failure", "/token/").await.0,
        503
    );
    run.client.clear_credentials();
    let unseen_session = session_data::generate_session_key();
    run.secrets
        .add("a session key during a store failure", &unseen_session);
    let request = actix_web::test::TestRequest::get()
        .uri("/session/")
        .insert_header(("Cookie", format!("sessionid={unseen_session}")))
        .to_request();
    let (status, body) = read(actix_web::test::call_service(&app, request).await).await;
    assert_eq!(status, 503);
    shown.add("error response of a session store failure", body);
    // knox_authtoken references auth_user: it goes first.
    for table in ["knox_authtoken", "auth_user"] {
        db.execute_unprepared(&format!("DROP TABLE {table}"))
            .await
            .unwrap();
    }
    let failed = auth_actix::authentication::authenticate(&env, "alice", ALICE_PASSWORD).await;
    let error = failed.unwrap_err();
    shown.debug("ApiError of a store failure", &error);
    shown.display("ApiError of a store failure", &error);
    let actix_error = auth_actix::ApiErrorResponse::from(error);
    shown.debug("auth_actix::ApiErrorResponse", &actix_error);
    shown.display("auth_actix::ApiErrorResponse", &actix_error);

    // The log is not vacuous: the pipeline and the store failure were recorded.
    let log = captured.text();
    for expected in [
        "auth_pipeline",
        "outcome=\"allowed\"",
        "outcome=\"authentication_failed\"",
        "outcome=\"throttled\"",
        "authentication store failure",
    ] {
        assert!(
            log.contains(expected),
            "{expected:?} missing from the log:\n{log}"
        );
    }
    shown.add("the tracing output (TRACE)", log);

    let shown = shown.0.lock().unwrap().clone();
    println!(
        "{} secrets searched in {} places:",
        secrets.0.len(),
        shown.len()
    );
    for (name, _) in &secrets.0 {
        println!("  {name}");
    }
    if std::env::var_os("SECRET_LEAK_DUMP").is_some() {
        for (place, text) in &shown {
            println!("==== {place}\n{text}");
        }
    }
    let found = leaks(&shown, &secrets);
    assert!(
        found.is_empty(),
        "{} leak(s) of {} secrets over {} places:\n{}",
        found.len(),
        secrets.0.len(),
        shown.len(),
        found.join("\n")
    );
}

fn post_to(path: &str) -> actix_web::test::TestRequest {
    actix_web::test::TestRequest::post().uri(path)
}

/// Leak: `AuthSettingsBuilder` derives `Debug`, which prints `database_url` as given (a
/// PostgreSQL URL holds the password). `AuthSettings`' own `Debug` redacts it; the builder
/// should too (the secret keys are already `SecretKey`s, which redact themselves).
#[test]
fn settings_builder_debug_hides_the_database_url() {
    let builder = AuthSettings::builder()
        .secret_key(SECRET_KEY)
        .secret_key_fallbacks([FALLBACK_KEY])
        .database_url(database_url());
    let mut secrets = Secrets::default();
    secrets.add("SECRET_KEY", SECRET_KEY);
    secrets.add("SECRET_KEY_FALLBACKS[0]", FALLBACK_KEY);
    secrets.add("database password", DB_PASSWORD);
    let shown = [
        (
            "Debug of AuthSettingsBuilder".to_owned(),
            format!("{builder:?}"),
        ),
        (
            "pretty Debug of AuthSettingsBuilder".to_owned(),
            format!("{builder:#?}"),
        ),
    ];
    let found = leaks(&shown, &secrets);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// DOT's remote introspection credentials (`RESOURCE_SERVER_AUTH_TOKEN`, the client secret of
/// `RESOURCE_SERVER_INTROSPECTION_CREDENTIALS`) in the settings, the builder and the services.
#[test]
fn introspection_credentials_are_not_in_debug() {
    const AUTH_TOKEN: &str = "introspection-token-6b1d0c9e2f";
    const CLIENT_SECRET: &str = "introspection-client-secret-94ac1e";
    let mut secrets = Secrets::default();
    secrets.add("RESOURCE_SERVER_AUTH_TOKEN", AUTH_TOKEN);
    secrets.add(
        "RESOURCE_SERVER_INTROSPECTION_CREDENTIALS[1]",
        CLIENT_SECRET,
    );
    let mut shown = Vec::new();
    for value in [
        serde_json::json!({"RESOURCE_SERVER_INTROSPECTION_URL": "http://127.0.0.1:9/o/introspect/",
                           "RESOURCE_SERVER_AUTH_TOKEN": AUTH_TOKEN}),
        serde_json::json!({"RESOURCE_SERVER_INTROSPECTION_URL": "http://127.0.0.1:9/o/introspect/",
                           "RESOURCE_SERVER_INTROSPECTION_CREDENTIALS": ["client", CLIENT_SECRET]}),
    ] {
        let oauth2 = auth_actix::settings::OAuth2Settings::from_oauth2_provider(&value).unwrap();
        let builder = AuthSettings::builder()
            .secret_key(SECRET_KEY)
            .oauth2(oauth2.clone());
        shown.push(("Debug of OAuth2Settings".to_owned(), format!("{oauth2:#?}")));
        shown.push((
            "Debug of AuthSettingsBuilder".to_owned(),
            format!("{builder:#?}"),
        ));
        let built = builder.build().unwrap();
        shown.push(("Debug of AuthSettings".to_owned(), format!("{built:#?}")));
    }
    // The settings are printed (the URL shows), their secrets are not.
    assert!(
        shown
            .iter()
            .all(|(_, text)| text.contains("127.0.0.1:9/o/introspect/")),
        "{shown:?}"
    );
    let found = leaks(&shown, &secrets);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Leak: `HttpRequestView` derives `Debug`, which prints the whole `HttpRequest`: actix-web
/// redacts `Authorization`, `Proxy-Authorization` and `Cookie`, but prints every other header
/// and the query string, so the `X-CSRFToken` header (a masked CSRF token: its first half
/// unmasks the second into the CSRF secret) and a credential in the query string (which
/// `#[derive(Authentication)]` schemes may read, `Source::Query`) show in full. Inside the
/// crate the view also holds the parsed POST body (`PostData`, `derive(Debug)`), whose fields
/// are the login form's `password` and `csrfmiddlewaretoken`.
#[test]
fn request_view_debug_hides_the_csrf_header_and_query_credentials() {
    let settings = AuthSettings::builder()
        .secret_key(SECRET_KEY)
        .build()
        .unwrap();
    let secret = csrf::generate_secret();
    let masked = csrf::mask_cipher_secret(&secret).unwrap();
    let api_key = token::generate_key();
    let request = actix_web::test::TestRequest::post()
        .uri(&format!("/items/?api_key={api_key}"))
        .insert_header(("Authorization", format!("Token {api_key}")))
        .insert_header(("Cookie", format!("csrftoken={secret}")))
        .insert_header(("X-CSRFToken", masked.clone()))
        .to_http_request();
    let view = HttpRequestView::new(&request, settings.settings());
    let mut secrets = Secrets::default();
    secrets.add("CSRF secret", secret);
    secrets.add("masked CSRF token (X-CSRFToken)", masked);
    secrets.add("credential in the query string", api_key);
    let shown = [("Debug of HttpRequestView".to_owned(), format!("{view:?}"))];
    let found = leaks(&shown, &secrets);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Leak: the values that carry a credential between parsing and checking derive `Debug` and
/// print it: `authorization_header::Fields` (the `Authorization` credentials as bytes, for Basic
/// the base64 of `user:password`) and `credential::Found::Present` (the credential of a
/// `#[derive(Authentication)]` scheme, as text).
#[test]
fn credential_carriers_debug_hides_the_credential() {
    let key = token::generate_key();
    let header = format!("Token {key}");
    let fields = Fields::parse(header.as_bytes()).unwrap();
    let request = actix_web::test::TestRequest::get()
        .insert_header(("X-Api-Key", key.clone()))
        .to_http_request();
    let settings = AuthSettings::builder()
        .secret_key(SECRET_KEY)
        .build()
        .unwrap();
    let view = HttpRequestView::new(&request, settings.settings());
    let found = Source::Header("x-api-key").find(&view);
    assert!(!found.is_absent());
    let mut secrets = Secrets::default();
    secrets.add("token key", &key);
    // `Debug` of a byte slice lists the bytes: `[97, 98, …]`.
    secrets.add("token key as Debug bytes", format!("{:?}", key.as_bytes()));
    let shown = [
        ("Debug of Fields".to_owned(), format!("{fields:?}")),
        ("Debug of Found".to_owned(), format!("{found:?}")),
    ];
    let leaked = leaks(&shown, &secrets);
    assert!(leaked.is_empty(), "{}", leaked.join("\n"));
}

/// simplejwt: the settings hold the signing key, a token is a credential, and a refusal may
/// carry PyJWT's reason; none of them may show the key or the token.
#[test]
fn simplejwt_values_hide_the_signing_key_and_the_token() {
    use auth_core::simplejwt::{SimpleJwtSettings, Token, TokenKind};

    let signing_key = "sj-leak-test-7d2e9c4b1a6f3e80-simplejwt-signing-key";
    let settings = SimpleJwtSettings::new(signing_key).unwrap();
    let now = chrono::Utc::now();
    let token = Token::for_user(
        TokenKind::Refresh,
        &settings,
        1,
        "pbkdf2_sha256$1$salt$hash",
        now,
    );
    let text = token.encode().unwrap();
    let mut tampered = text.clone();
    tampered.push('x');
    let refused = Token::decode(TokenKind::Access, &tampered, &settings, now, true).unwrap_err();
    let mut secrets = Secrets::default();
    secrets.add("simplejwt signing key", signing_key);
    secrets.add("simplejwt token", &text);
    secrets.add(
        "simplejwt token signature",
        text.rsplit('.').next().unwrap_or_default(),
    );
    let validated = auth_core::simplejwt::ValidatedToken::new(
        TokenKind::Refresh,
        token.payload().clone(),
        text.clone(),
    );
    let auth = AuthInfo::Jwt(Arc::new(validated));
    let shown = [
        ("Debug of AuthInfo::Jwt".to_owned(), format!("{auth:?}")),
        (
            "Debug of SimpleJwtSettings".to_owned(),
            format!("{settings:?}"),
        ),
        ("Debug of Token".to_owned(), format!("{token:?}")),
        ("Debug of TokenError".to_owned(), format!("{refused:?}")),
        ("Display of TokenError".to_owned(), format!("{refused}")),
    ];
    let leaked = leaks(&shown, &secrets);
    assert!(leaked.is_empty(), "{}", leaked.join("\n"));
}
