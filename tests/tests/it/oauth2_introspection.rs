//! DOT's remote resource-server mode (`RESOURCE_SERVER_INTROSPECTION_URL`): a resource server on
//! its own database checks the tokens of an authorization server — this library's own
//! `/o/introspect/`, served over real HTTP by an `HttpServer` — through the `ureq` transport.
//! The differential suite against DOT (both sides as resource servers, DOT and this library as
//! authorization servers, a scripted one for odd answers) is parity/run_introspection.py; these
//! pin what DOT cannot show: the caching, the timeout, the refused configurations.

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use actix_web::{App, HttpServer, web};
use auth_actix::settings::OAuth2Settings;
use auth_actix::store::sea_orm::{ConnectionTrait, DatabaseConnection};
use auth_actix::views::oauth2_provider_endpoints;
use auth_actix::{AllowAny, IsAuthenticated, OAuth2Authentication};
use auth_core::services::http_introspection::HttpIntrospection;
use auth_core::services::introspection_transport::{IntrospectionFuture, IntrospectionTransport};
use test_support::*;

/// The authorization server's tokens: (token, username or none, scope).
const AS_TOKENS: &[(&str, Option<&str>, &str)] = &[
    ("Introspector0000000000000000M", None, "introspection"),
    ("JohnRead00000000000000000000A", Some("john"), "read"),
    ("BobOnlyThere0000000000000000B", Some("bob"), "read write"),
    ("ClientOnly000000000000000000C", None, "read"),
];

/// The real transport, counting the requests it makes.
#[derive(Debug)]
struct Counting {
    inner: HttpIntrospection,
    calls: AtomicUsize,
}

impl IntrospectionTransport for Counting {
    fn post<'a>(
        &'a self,
        url: &'a str,
        authorization: &'a str,
        body: String,
    ) -> IntrospectionFuture<'a> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.post(url, authorization, body)
    }
}

/// Starts this library's provider endpoints on a free port, on a database holding the
/// reference's fixtures, a client `rs-client`/`rs-secret`, the tokens of [`AS_TOKENS`] (valid
/// until 2099) and the user `bob`; returns the introspection URL and the server's handle.
async fn authorization_server() -> (String, actix_web::dev::ServerHandle) {
    let settings = settings_builder().allowed_hosts(["*"]).build().unwrap();
    let db = database(&settings).await;
    add_user(&db, &settings, "bob", "password", true, false).await;
    let secret = settings
        .settings()
        .password_hashers
        .make_password("rs-secret");
    db.execute_unprepared(&format!(
        "INSERT INTO oauth2_provider_application (redirect_uris, client_type, \
         authorization_grant_type, client_secret, name, skip_authorization, created, updated, \
         algorithm, post_logout_redirect_uris, hash_client_secret, allowed_origins, \
         registration_source, client_id) VALUES ('', 'confidential', 'client-credentials', \
         '{secret}', 'rs', 0, '2030-01-01 00:00:00', '2030-01-01 00:00:00', '', '', 1, '', '', \
         'rs-client')"
    ))
    .await
    .unwrap();
    for (token, username, scope) in AS_TOKENS {
        let user = username.map_or("NULL".to_owned(), |name| {
            format!("(SELECT id FROM auth_user WHERE username = '{name}')")
        });
        let checksum = auth_actix::store::oauth2_access_token::checksum(token);
        db.execute_unprepared(&format!(
            "INSERT INTO oauth2_provider_accesstoken (token, token_checksum, expires, scope, \
             application_id, user_id, created, updated, resource) VALUES ('{token}', \
             '{checksum}', '2099-01-01 00:00:00', '{scope}', 1, {user}, '2030-01-01 00:00:00', \
             '2030-01-01 00:00:00', '[]')"
        ))
        .await
        .unwrap();
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let server = HttpServer::new(move || {
        App::new()
            .configure(auth_actix::configure(settings.clone(), db.clone()))
            .service(web::scope("/o").configure(oauth2_provider_endpoints))
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    (format!("http://{address}/o/introspect/"), handle)
}

/// `OAUTH2_PROVIDER` of a resource server of `url`, authenticated by the introspection token.
fn remote(url: &str, extra: serde_json::Value) -> OAuth2Settings {
    let mut value = serde_json::json!({
        "RESOURCE_SERVER_INTROSPECTION_URL": url,
        "RESOURCE_SERVER_AUTH_TOKEN": "Introspector0000000000000000M",
        "RESOURCE_SERVER_TOKEN_CACHING_SECONDS": 3600,
    });
    if let (Some(base), Some(extra)) = (value.as_object_mut(), extra.as_object()) {
        base.extend(extra.clone());
    }
    OAuth2Settings::from_oauth2_provider(&value).unwrap()
}

struct ResourceServer<A> {
    app: A,
    db: DatabaseConnection,
    clock: Arc<ManualClock>,
    transport: Arc<Counting>,
}

impl<A: TestApp> ResourceServer<A> {
    fn calls(&self) -> usize {
        self.transport.calls.load(Ordering::SeqCst)
    }

    async fn get(&self, path: &str, token: &str) -> (u16, Option<String>, String) {
        self.call(get(path), token).await
    }

    async fn call(
        &self,
        request: actix_web::test::TestRequest,
        token: &str,
    ) -> (u16, Option<String>, String) {
        let response = actix_web::test::call_service(
            &self.app,
            with_auth(request, format!("Bearer {token}")).to_request(),
        )
        .await;
        let status = response.status().as_u16();
        let challenge = response
            .headers()
            .get("www-authenticate")
            .map(|value| value.to_str().unwrap().to_owned());
        let body = actix_web::test::read_body(response).await;
        (status, challenge, String::from_utf8(body.to_vec()).unwrap())
    }

    /// (id, token, expires, scope, application_id, username) of the stored row of `token`.
    async fn row(
        &self,
        token: &str,
    ) -> Option<(i64, String, String, String, Option<i64>, Option<String>)> {
        let checksum = auth_actix::store::oauth2_access_token::checksum(token);
        let row = self
            .db
            .query_one_raw(auth_actix::store::sea_orm::Statement::from_string(
                self.db.get_database_backend(),
                format!(
                    "SELECT t.id, t.token, t.expires, t.scope, t.application_id, u.username \
                     FROM oauth2_provider_accesstoken t LEFT JOIN auth_user u ON u.id = \
                     t.user_id WHERE t.token_checksum = '{checksum}'"
                ),
            ))
            .await
            .unwrap()?;
        Some((
            row.try_get_by_index(0).unwrap(),
            row.try_get_by_index(1).unwrap(),
            row.try_get_by_index(2).unwrap(),
            row.try_get_by_index(3).unwrap(),
            row.try_get_by_index(4).unwrap(),
            row.try_get_by_index(5).unwrap(),
        ))
    }
}

async fn resource_server(
    oauth2: OAuth2Settings,
    cache: Option<Duration>,
) -> ResourceServer<impl TestApp> {
    let clock = ManualClock::new();
    let remote = oauth2.remote_introspection.clone().unwrap();
    let transport = Arc::new(Counting {
        inner: HttpIntrospection::new(&remote).unwrap(),
        calls: AtomicUsize::new(0),
    });
    let mut builder = settings_builder()
        .clock(clock.clone())
        .oauth2(oauth2)
        .oauth2_introspection_transport(transport.clone());
    if let Some(ttl) = cache {
        builder = builder.auth_cache_ttl(ttl);
    }
    let settings = builder.build().unwrap();
    let db = database(&settings).await;
    let app = app(&settings, &db, |routes| {
        routes
            .service(route::<(OAuth2Authentication,), IsAuthenticated>("/p/"))
            .service(route::<(OAuth2Authentication,), AllowAny>("/open/"));
    })
    .await;
    ResourceServer {
        app,
        db,
        clock,
        transport,
    }
}

const INVALID: &str =
    r#"Bearer realm="api",error="invalid_token",error_description="The access token is invalid.""#;

#[actix_web::test]
async fn a_remote_token_is_introspected_once_stored_as_dot_stores_it_and_asked_again_after_expiry()
{
    let (url, handle) = authorization_server().await;
    let rs = resource_server(remote(&url, serde_json::json!({})), None).await;
    let token = "JohnRead00000000000000000000A";
    let (status, _, body) = rs.get("/p/", token).await;
    assert_eq!(status, 200, "{body}");
    let (id, stored, expires, scope, application, username) = rs.row(token).await.unwrap();
    assert_eq!(
        (stored.as_str(), scope.as_str(), application, username),
        (token, "read", None, Some("john".to_owned()))
    );
    // `exp` is 2099: the row is trusted for the caching time from the resource server's now.
    assert_eq!(expires, "2030-01-01 01:00:00");
    assert_eq!(body, json_body("john", &format!("AccessToken #{id}")));
    assert_eq!(rs.calls(), 1);

    // The stored row answers until it expires…
    rs.clock.advance(chrono::TimeDelta::minutes(59));
    assert_eq!(rs.get("/p/", token).await.0, 200);
    assert_eq!(rs.calls(), 1);
    // …then the token is asked about again, and the row renewed in place.
    rs.clock.advance(chrono::TimeDelta::minutes(2));
    assert_eq!(rs.get("/p/", token).await.0, 200);
    assert_eq!(rs.calls(), 2);
    let renewed = rs.row(token).await.unwrap();
    assert_eq!((renewed.0, renewed.2.as_str()), (id, "2030-01-01 02:01:00"));
    handle.stop(true).await;
}

#[actix_web::test]
async fn test_get_resource_and_test_post_resource() {
    // DOT's test_introspection_auth.py: a token known only to the authorization server opens
    // the resource for GET and for POST (with a form body, which DOT reads).
    let (url, handle) = authorization_server().await;
    let rs = resource_server(remote(&url, serde_json::json!({})), None).await;
    let token = "BobOnlyThere0000000000000000B";
    let post = actix_web::test::TestRequest::post()
        .uri("/p/")
        .set_form([("field", "value")]);
    let (status, _, body) = rs.call(post, token).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.starts_with(r#"{"user":"bob""#), "{body}");
    assert_eq!(rs.get("/p/", token).await.0, 200);
    assert_eq!(rs.calls(), 1);
    handle.stop(true).await;
}

#[actix_web::test]
async fn users_are_created_by_username_and_client_tokens_have_none() {
    let (url, handle) = authorization_server().await;
    let rs = resource_server(remote(&url, serde_json::json!({})), None).await;
    let (status, _, body) = rs.get("/p/", "BobOnlyThere0000000000000000B").await;
    assert_eq!(status, 200, "{body}");
    let bob = rs
        .db
        .query_one_raw(auth_actix::store::sea_orm::Statement::from_string(
            rs.db.get_database_backend(),
            "SELECT password, is_active, is_staff, email FROM auth_user WHERE username = 'bob'",
        ))
        .await
        .unwrap()
        .unwrap();
    // Django's `get_or_create(username=…)`: an empty password (no login), active, no email.
    assert_eq!(bob.try_get_by_index::<String>(0).unwrap(), "");
    assert!(bob.try_get_by_index::<bool>(1).unwrap());
    assert!(!bob.try_get_by_index::<bool>(2).unwrap());
    assert_eq!(bob.try_get_by_index::<String>(3).unwrap(), "");

    let client_token = "ClientOnly000000000000000000C";
    let (status, _, body) = rs.get("/open/", client_token).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.starts_with(r#"{"user":"None""#), "{body}");
    assert_eq!(rs.row(client_token).await.unwrap().5, None);
    handle.stop(true).await;
}

#[actix_web::test]
async fn an_inactive_token_is_refused_and_remembered_only_by_the_credential_cache() {
    let (url, handle) = authorization_server().await;
    let uncached = resource_server(remote(&url, serde_json::json!({})), None).await;
    for _ in 0..2 {
        let (status, challenge, _) = uncached.get("/p/", "NoSuchToken").await;
        assert_eq!((status, challenge.as_deref()), (401, Some(INVALID)));
    }
    // DOT asks each time.
    assert_eq!(uncached.calls(), 2);
    assert!(uncached.row("NoSuchToken").await.is_none());

    let cached = resource_server(
        remote(&url, serde_json::json!({})),
        Some(Duration::from_secs(60)),
    )
    .await;
    for _ in 0..3 {
        assert_eq!(cached.get("/p/", "NoSuchToken").await.0, 401);
    }
    assert_eq!(cached.calls(), 1);
    handle.stop(true).await;
}

#[actix_web::test]
async fn basic_client_credentials_work_and_wrong_ones_refuse_every_remote_token() {
    let (url, handle) = authorization_server().await;
    let token = "JohnRead00000000000000000000A";
    let basic = |secret: &str| {
        serde_json::json!({
            "RESOURCE_SERVER_AUTH_TOKEN": null,
            "RESOURCE_SERVER_INTROSPECTION_CREDENTIALS": ["rs-client", secret],
        })
    };
    let rs = resource_server(remote(&url, basic("rs-secret")), None).await;
    assert_eq!(rs.get("/p/", token).await.0, 200);
    let wrong = resource_server(remote(&url, basic("wrong")), None).await;
    let (status, challenge, _) = wrong.get("/p/", token).await;
    assert_eq!((status, challenge.as_deref()), (401, Some(INVALID)));
    assert!(wrong.row(token).await.is_none());
    handle.stop(true).await;
}

#[actix_web::test]
async fn hashed_storage_keeps_no_token_text() {
    let (url, handle) = authorization_server().await;
    let oauth2 = remote(
        &url,
        serde_json::json!({"COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": true}),
    );
    let rs = resource_server(oauth2, None).await;
    let token = "JohnRead00000000000000000000A";
    assert_eq!(rs.get("/p/", token).await.0, 200);
    assert_eq!(rs.row(token).await.unwrap().1, "");
    assert_eq!(rs.get("/p/", token).await.0, 200);
    assert_eq!(rs.calls(), 1);
    handle.stop(true).await;
}

#[actix_web::test]
async fn an_unreachable_or_silent_authorization_server_refuses_within_the_timeout() {
    // Nothing listens on a port just freed.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_url = format!("http://{}/o/introspect/", closed.local_addr().unwrap());
    drop(closed);
    let rs = resource_server(remote(&closed_url, serde_json::json!({})), None).await;
    let (status, challenge, _) = rs.get("/p/", "JohnRead00000000000000000000A").await;
    assert_eq!((status, challenge.as_deref()), (401, Some(INVALID)));

    // One that accepts the connection and never answers: DOT would wait for ever.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_url = format!("http://{}/o/introspect/", silent.local_addr().unwrap());
    let rs = resource_server(
        remote(
            &silent_url,
            serde_json::json!({"RESOURCE_SERVER_INTROSPECTION_TIMEOUT_SECONDS": 0.5}),
        ),
        None,
    )
    .await;
    let started = Instant::now();
    let (status, challenge, _) = rs.get("/p/", "JohnRead00000000000000000000A").await;
    assert_eq!((status, challenge.as_deref()), (401, Some(INVALID)));
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(400) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
    drop(silent);
}

#[actix_web::test]
async fn half_configured_or_unreadable_settings_refuse_to_start() {
    for value in [
        serde_json::json!({"RESOURCE_SERVER_INTROSPECTION_URL": "http://as/o/introspect/"}),
        serde_json::json!({"RESOURCE_SERVER_AUTH_TOKEN": "t"}),
        serde_json::json!({"RESOURCE_SERVER_INTROSPECTION_URL": "http://as/",
                           "RESOURCE_SERVER_INTROSPECTION_CREDENTIALS": ["only-id"]}),
        serde_json::json!({"AUTHENTICATION_SERVER_EXP_TIME_ZONE": "Europe/Paris"}),
        serde_json::json!({"RESOURCE_SERVER_INTROSPECTION_TIMEOUT_SECONDS": 0}),
    ] {
        assert!(
            OAuth2Settings::from_oauth2_provider(&value).is_err(),
            "{value}"
        );
    }
    let unreadable = remote(
        "https://as.example/o/introspect/",
        serde_json::json!({"RESOURCE_SERVER_INTROSPECTION_CA_CERTIFICATES": "/nonexistent/ca.pem"}),
    );
    // An introspection outlasting the authentication timeout would be a 503, never DOT's 401.
    let slow = remote(
        "https://as.example/o/introspect/",
        serde_json::json!({"RESOURCE_SERVER_INTROSPECTION_TIMEOUT_SECONDS": 20}),
    );
    let error = settings_builder().oauth2(slow).build().unwrap_err();
    assert!(
        error
            .to_string()
            .contains("must be below the authentication timeout"),
        "{error}"
    );
    let error = settings_builder().oauth2(unreadable).build().unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("remote token introspection: /nonexistent/ca.pem"),
        "{error}"
    );
    // The token is in no message.
    let debug = format!(
        "{:?}",
        remote("http://as/", serde_json::json!({})).remote_introspection
    );
    assert!(!debug.contains("Introspector0000"), "{debug}");
}
