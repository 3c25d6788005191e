//! Django OAuth Toolkit's provider endpoints (`/o/token/`, `/o/revoke_token/`,
//! `/o/introspect/`) on DOT's tables as the library's migrations create them. The differential
//! suite against DOT itself is parity/run_parity.py's `oauth2-provider` group; these pin each
//! grant, each row written, and each divergence with its switch.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::test::TestRequest;
use actix_web::web;
use auth_actix::settings::{Clock as _, OAuth2Settings};
use auth_actix::store::sea_orm::{ConnectionTrait, DatabaseConnection};
use auth_actix::views::oauth2_provider_endpoints;
use auth_actix::{AllowAny, IsAuthenticated, OAuth2Authentication};
use serde_json::Value;
use test_support::*;

/// The applications: (client id, secret (stored hashed), type, grant type, redirect URIs,
/// allowed origins). `plain-client`'s secret is stored as it is.
const APPLICATIONS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "cc-client",
        "cc-secret",
        "confidential",
        "client-credentials",
        "",
        "",
    ),
    (
        "pw-client",
        "pw-secret",
        "confidential",
        "password",
        "",
        "https://spa.example.com",
    ),
    ("public-client", "", "public", "password", "", ""),
    ("public-cc", "", "public", "client-credentials", "", ""),
    ("empty-client", "", "confidential", "password", "", ""),
    (
        "ac-client",
        "ac-secret",
        "confidential",
        "authorization-code",
        "https://client.example.com/cb",
        "",
    ),
];

const JSON_HEADERS: [(&str, &str); 3] = [
    ("content-type", "application/json"),
    ("cache-control", "no-store"),
    ("pragma", "no-cache"),
];

struct Suite<A> {
    app: A,
    db: DatabaseConnection,
    clock: Arc<ManualClock>,
}

async fn start(oauth2: OAuth2Settings) -> Suite<impl TestApp> {
    let clock = ManualClock::new();
    let settings = settings_builder()
        .clock(clock.clone())
        .allowed_hosts(["*"])
        .oauth2(oauth2)
        .build()
        .unwrap();
    let db = database(&settings).await;
    let hashers = &settings.settings().password_hashers;
    for (client_id, secret, client_type, grant, redirect_uris, origins) in APPLICATIONS {
        let stored = hashers.make_password(secret);
        db.execute_unprepared(&format!(
            "INSERT INTO oauth2_provider_application (redirect_uris, client_type, \
             authorization_grant_type, client_secret, name, skip_authorization, created, \
             updated, algorithm, post_logout_redirect_uris, hash_client_secret, allowed_origins, \
             registration_source, client_id) VALUES ('{redirect_uris}', '{client_type}', \
             '{grant}', '{stored}', '{client_id}', 0, '2030-01-01 00:00:00', \
             '2030-01-01 00:00:00', '', '', 1, '{origins}', '', '{client_id}')"
        ))
        .await
        .unwrap();
    }
    db.execute_unprepared(
        "INSERT INTO oauth2_provider_application (redirect_uris, client_type, \
         authorization_grant_type, client_secret, name, skip_authorization, created, updated, \
         algorithm, post_logout_redirect_uris, hash_client_secret, allowed_origins, \
         registration_source, client_id) VALUES ('', 'confidential', 'client-credentials', \
         'plain-secret', 'plain', 0, '2030-01-01 00:00:00', '2030-01-01 00:00:00', '', '', 0, \
         '', '', 'plain-client')",
    )
    .await
    .unwrap();
    let app = app(&settings, &db, |routes| {
        routes
            .service(web::scope("/o").configure(oauth2_provider_endpoints))
            .service(route::<(OAuth2Authentication,), AllowAny>("/open/"))
            .service(route::<(OAuth2Authentication,), IsAuthenticated>("/p/"));
    })
    .await;
    Suite { app, db, clock }
}

/// A response's status, headers and body.
struct Answer {
    status: u16,
    headers: header::HeaderMap,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|value| value.to_str().unwrap())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("JSON: {}", self.body))
    }

    fn field(&self, name: &str) -> String {
        self.json()[name].as_str().unwrap_or_default().to_owned()
    }

    /// oauthlib's headers on a grant's answer.
    fn assert_json_headers(&self) {
        for (name, value) in JSON_HEADERS {
            assert_eq!(self.header(name), Some(value), "{name}: {}", self.body);
        }
    }
}

async fn call(app: &impl TestApp, request: TestRequest) -> Answer {
    let response = actix_web::test::call_service(app, request.to_request()).await;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = actix_web::test::read_body(response).await;
    Answer {
        status,
        headers,
        body: String::from_utf8(body.to_vec()).unwrap(),
    }
}

fn form(path: &str, fields: &[(&str, &str)]) -> TestRequest {
    TestRequest::post().uri(path).set_form(fields)
}

fn basic_of(client_id: &str, secret: &str) -> String {
    basic(format!("{client_id}:{secret}").as_bytes())
}

async fn token(app: &impl TestApp, client: (&str, &str), fields: &[(&str, &str)]) -> Answer {
    call(
        app,
        with_auth(form("/o/token/", fields), basic_of(client.0, client.1)),
    )
    .await
}

const CC: (&str, &str) = ("cc-client", "cc-secret");
const PW: (&str, &str) = ("pw-client", "pw-secret");
const JOHN: [(&str, &str); 3] = [
    ("grant_type", "password"),
    ("username", "john"),
    ("password", "password"),
];

/// `(user_id, application_id, scope, token, expires)` of the access token `token`.
async fn access_row(db: &DatabaseConnection, token: &str) -> Option<(Option<i64>, String, String)> {
    let checksum = auth_actix::store::oauth2_access_token::checksum(token);
    let row = db
        .query_one_raw(auth_actix::store::sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT user_id, scope, token FROM oauth2_provider_accesstoken WHERE \
                 token_checksum = '{checksum}'"
            ),
        ))
        .await
        .unwrap()?;
    Some((
        row.try_get_by_index(0).unwrap(),
        row.try_get_by_index(1).unwrap(),
        row.try_get_by_index(2).unwrap(),
    ))
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    db.query_one_raw(auth_actix::store::sea_orm::Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .unwrap()
    .unwrap()
    .try_get_by_index::<i64>(0)
    .unwrap()
}

/// Whether `access_token` authenticates a request (`request.auth` is a token; an invalid one
/// leaves the request anonymous, as DOT's `OAuth2Authentication` does).
async fn authenticates(app: &impl TestApp, access_token: &str) -> bool {
    let answer = call(
        app,
        with_auth(get("/open/"), format!("Bearer {access_token}")),
    )
    .await;
    assert_eq!(answer.status, 200);
    answer.json()["auth"] != "None"
}

#[actix_web::test]
async fn the_client_credentials_grant_issues_a_userless_token_dot_reads() {
    let suite = start(OAuth2Settings::default()).await;
    let answer = token(&suite.app, CC, &[("grant_type", "client_credentials")]).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.assert_json_headers();
    let access = answer.field("access_token");
    assert_eq!(access.len(), 30);
    assert!(access.bytes().all(|byte| byte.is_ascii_alphanumeric()));
    // oauthlib's dictionary, in its order, with Python's separators; default scopes: all.
    assert_eq!(
        answer.body,
        format!(
            r#"{{"access_token": "{access}", "expires_in": 36000, "token_type": "Bearer", "scope": "read write"}}"#
        )
    );
    // Stored as DOT stores it: the token, its checksum, no user.
    assert_eq!(
        access_row(&suite.db, &access).await,
        Some((None, "read write".to_owned(), access.clone()))
    );
    let reply = call(
        &suite.app,
        with_auth(get("/open/"), format!("Bearer {access}")),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, json_body("None", "AccessToken #1"));
    // Scopes asked for, in the order asked; an unknown one refused.
    let answer = token(
        &suite.app,
        CC,
        &[
            ("grant_type", "client_credentials"),
            ("scope", " write read "),
        ],
    )
    .await;
    assert_eq!(answer.field("scope"), "write read");
    for scope in ["", "read  write", "admin"] {
        let answer = token(
            &suite.app,
            CC,
            &[("grant_type", "client_credentials"), ("scope", scope)],
        )
        .await;
        assert_eq!(answer.status, 400);
        assert_eq!(answer.body, r#"{"error": "invalid_scope"}"#, "{scope:?}");
    }
}

#[actix_web::test]
async fn client_authentication_is_dots() {
    let suite = start(OAuth2Settings::default()).await;
    let cc = [("grant_type", "client_credentials")];
    // Basic with a base64 Python decodes leniently, body credentials, a plaintext secret.
    for request in [
        with_auth(
            form("/o/token/", &cc),
            "Basic  Y2MtY2xpZW50OmNjLXNlY3JldA==",
        ),
        form(
            "/o/token/",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "cc-client"),
                ("client_secret", "cc-secret"),
            ],
        ),
        with_auth(
            form("/o/token/", &cc),
            basic_of("plain-client", "plain-secret"),
        ),
        // A wrong Basic, then right body credentials.
        with_auth(
            form(
                "/o/token/",
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", "cc-client"),
                    ("client_secret", "cc-secret"),
                ],
            ),
            basic_of("cc-client", "wrong"),
        ),
        // A Basic value outside ASCII (a 500 in DOT) is not valid; the body's are tried.
        with_auth(
            form(
                "/o/token/",
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", "cc-client"),
                    ("client_secret", "cc-secret"),
                ],
            ),
            &b"Basic \xe9\xe9"[..],
        ),
    ] {
        let answer = call(&suite.app, request).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
    }
    for request in [
        form("/o/token/", &cc),
        with_auth(form("/o/token/", &cc), "basic Y2MtY2xpZW50OmNjLXNlY3JldA=="),
        with_auth(form("/o/token/", &cc), basic_of("cc-client", "wrong")),
        with_auth(form("/o/token/", &cc), basic_of("nobody", "cc-secret")),
        form(
            "/o/token/",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "cc-client"),
            ],
        ),
    ] {
        let answer = call(&suite.app, request).await;
        assert_eq!(answer.status, 401);
        assert_eq!(answer.body, r#"{"error": "invalid_client"}"#);
        assert_eq!(
            answer.header("www-authenticate"),
            Some(r#"Bearer error="invalid_client""#)
        );
        answer.assert_json_headers();
    }
    // Basic as one client, `client_id` of another: oauthlib's discrepancy.
    let answer = call(
        &suite.app,
        with_auth(
            form(
                "/o/token/",
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", "pw-client"),
                ],
            ),
            basic_of("cc-client", "cc-secret"),
        ),
    )
    .await;
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.body,
        r#"{"error": "server_error", "error_description": "Discrepency found between client identifier"}"#
    );
    // The request's `state` is echoed in errors.
    let answer = call(
        &suite.app,
        form(
            "/o/token/",
            &[("grant_type", "client_credentials"), ("state", "é")],
        ),
    )
    .await;
    assert_eq!(
        answer.body,
        r#"{"error": "invalid_client", "state": "\u00e9"}"#
    );
}

#[actix_web::test]
async fn requests_dot_refuses_before_any_grant() {
    let suite = start(OAuth2Settings::default()).await;
    for fields in [
        &[][..],
        &[("grant_type", "")][..],
        &[("grant_type", "CLIENT_CREDENTIALS")][..],
        &[("grant_type", "client_credentials;scope=read")][..],
        // Not served here (DOT: a 404 or a 500).
        &[("grant_type", "urn:ietf:params:oauth:grant-type:device_code")][..],
        // oauthlib's alias of the authorization-code grant: its checks, then refused where DOT
        // fails with an assertion.
        &[("grant_type", "openid"), ("code", "x")][..],
    ] {
        let answer = token(&suite.app, CC, fields).await;
        assert_eq!(answer.status, 400, "{fields:?}");
        assert_eq!(answer.body, r#"{"error": "unsupported_grant_type"}"#);
        answer.assert_json_headers();
    }
    let answer = token(&suite.app, CC, &[("grant_type", "openid")]).await;
    assert_eq!(
        answer.body,
        r#"{"error": "invalid_request", "error_description": "Missing code parameter."}"#
    );
    // A JSON body has no form fields.
    let answer = call(
        &suite.app,
        with_auth(
            TestRequest::post()
                .uri("/o/token/")
                .set_json(serde_json::json!({"grant_type": "client_credentials"})),
            basic_of("cc-client", "cc-secret"),
        ),
    )
    .await;
    assert_eq!(answer.body, r#"{"error": "unsupported_grant_type"}"#);
    // A query string, decodable or not: refused outside the grant, as text/html.
    for uri in ["/o/token/?grant_type=client_credentials", "/o/token/?a=%zz"] {
        let answer = call(
            &suite.app,
            with_auth(
                TestRequest::post()
                    .uri(uri)
                    .set_form([("grant_type", "client_credentials")]),
                basic_of("cc-client", "cc-secret"),
            ),
        )
        .await;
        assert_eq!(answer.status, 400);
        assert_eq!(
            answer.body,
            r#"{"error": "invalid_request", "error_description": "URL query parameters are not allowed"}"#
        );
        assert_eq!(
            answer.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(answer.header("cache-control"), None);
    }
    // A form that names a charset Python knows other than UTF-8: Django's 400 page.
    let answer = call(
        &suite.app,
        with_auth(
            TestRequest::post()
                .uri("/o/token/")
                .insert_header((
                    header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded; charset=latin-1",
                ))
                .set_payload("grant_type=client_credentials"),
            basic_of("cc-client", "cc-secret"),
        ),
    )
    .await;
    assert_eq!(answer.status, 400);
    assert!(answer.body.contains("<h1>Bad Request (400)</h1>"));
    // Methods: Django's bare 405, and OPTIONS.
    let answer = call(&suite.app, get("/o/token/")).await;
    assert_eq!(answer.status, 405);
    assert_eq!(answer.header("allow"), Some("POST, OPTIONS"));
    assert_eq!(answer.body, "");
    let answer = call(
        &suite.app,
        TestRequest::default()
            .method(actix_web::http::Method::OPTIONS)
            .uri("/o/token/"),
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("allow"), Some("POST, OPTIONS"));
}

#[actix_web::test]
async fn the_password_grant_issues_a_pair_of_one_new_family() {
    let suite = start(OAuth2Settings::default()).await;
    let answer = token(&suite.app, PW, &JOHN).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.assert_json_headers();
    let (access, refresh) = (answer.field("access_token"), answer.field("refresh_token"));
    assert_eq!(
        answer.body,
        format!(
            r#"{{"access_token": "{access}", "expires_in": 36000, "token_type": "Bearer", "scope": "read write", "refresh_token": "{refresh}"}}"#
        )
    );
    assert!(authenticates(&suite.app, &access).await);
    assert_eq!(
        count(
            &suite.db,
            "SELECT COUNT(*) FROM oauth2_provider_refreshtoken r JOIN \
             oauth2_provider_accesstoken a ON a.id = r.access_token_id WHERE r.revoked IS NULL \
             AND length(r.token_family) = 32 AND r.user_id = a.user_id"
        )
        .await,
        1
    );
    // oauthlib's errors, in its order.
    for (fields, body) in [
        (
            &[("grant_type", "password"), ("password", "password")][..],
            r#"{"error": "invalid_request", "error_description": "Request is missing username parameter."}"#,
        ),
        (
            &[
                ("grant_type", "password"),
                ("username", "john"),
                ("password", ""),
            ][..],
            r#"{"error": "invalid_request", "error_description": "Request is missing password parameter."}"#,
        ),
        (
            &[
                ("grant_type", "password"),
                ("username", "john"),
                ("password", "wrong"),
            ][..],
            r#"{"error": "invalid_grant", "error_description": "Invalid credentials given."}"#,
        ),
        (
            &[
                ("grant_type", "password"),
                ("username", "inactive"),
                ("password", "password"),
            ][..],
            r#"{"error": "invalid_grant", "error_description": "Invalid credentials given."}"#,
        ),
    ] {
        let answer = token(&suite.app, PW, fields).await;
        assert_eq!((answer.status, answer.body.as_str()), (400, body));
    }
    // A public client names itself.
    let answer = call(
        &suite.app,
        form(
            "/o/token/",
            &[JOHN[0], JOHN[1], JOHN[2], ("client_id", "public-client")],
        ),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[actix_web::test]
async fn a_client_not_registered_for_the_password_grant_cannot_test_passwords() {
    // DOT checks the password first: `invalid_grant` for a wrong one, `unauthorized_client`
    // for a right one. Here both are `unauthorized_client`.
    let suite = start(OAuth2Settings::default()).await;
    for password in ["password", "wrong"] {
        let answer = token(
            &suite.app,
            CC,
            &[
                ("grant_type", "password"),
                ("username", "john"),
                ("password", password),
            ],
        )
        .await;
        assert_eq!(
            answer.body, r#"{"error": "unauthorized_client"}"#,
            "{password}"
        );
    }
    let dot = start(OAuth2Settings {
        check_user_before_grant_type: true,
        ..OAuth2Settings::default()
    })
    .await;
    let answer = token(
        &dot.app,
        CC,
        &[
            ("grant_type", "password"),
            ("username", "john"),
            ("password", "wrong"),
        ],
    )
    .await;
    assert_eq!(
        answer.body,
        r#"{"error": "invalid_grant", "error_description": "Invalid credentials given."}"#
    );
}

#[actix_web::test]
async fn empty_secrets_do_not_authenticate_confidential_clients_unless_dots_check_is_asked_for() {
    let suite = start(OAuth2Settings::default()).await;
    let empty = [JOHN[0], JOHN[1], JOHN[2], ("client_id", "empty-client")];
    let answer = call(&suite.app, form("/o/token/", &empty)).await;
    assert_eq!(answer.status, 401);
    let answer = token(&suite.app, ("empty-client", ""), &JOHN).await;
    assert_eq!(answer.status, 401);
    // RFC 6749 §4.4: the client-credentials grant is for confidential clients.
    let answer = token(
        &suite.app,
        ("public-cc", ""),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(answer.body, r#"{"error": "unauthorized_client"}"#);
    let dot = start(OAuth2Settings {
        accept_empty_client_secrets: true,
        ..OAuth2Settings::default()
    })
    .await;
    assert_eq!(call(&dot.app, form("/o/token/", &empty)).await.status, 200);
    let answer = token(
        &dot.app,
        ("public-cc", ""),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(answer.status, 200);
}

async fn pair(app: &impl TestApp) -> (String, String) {
    let answer = token(app, PW, &JOHN).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    (answer.field("access_token"), answer.field("refresh_token"))
}

fn refresh_fields(refresh: &str) -> [(&str, &str); 2] {
    [("grant_type", "refresh_token"), ("refresh_token", refresh)]
}

#[actix_web::test]
async fn a_refresh_rotates_the_pair_and_a_reused_token_is_refused() {
    let suite = start(OAuth2Settings::default()).await;
    let (access, refresh) = pair(&suite.app).await;
    let answer = token(&suite.app, PW, &refresh_fields(&refresh)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let (new_access, new_refresh) = (answer.field("access_token"), answer.field("refresh_token"));
    assert_ne!(new_refresh, refresh);
    // The old access token is gone, the new one works; one family.
    assert!(!authenticates(&suite.app, &access).await);
    assert!(authenticates(&suite.app, &new_access).await);
    assert_eq!(
        count(
            &suite.db,
            "SELECT COUNT(DISTINCT token_family) FROM oauth2_provider_refreshtoken"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &suite.db,
            "SELECT COUNT(*) FROM oauth2_provider_accesstoken WHERE source_refresh_token_id = \
             (SELECT id FROM oauth2_provider_refreshtoken WHERE revoked IS NOT NULL)"
        )
        .await,
        1
    );
    // Reused: `invalid_grant`. Narrowing is allowed, widening is not.
    let answer = token(&suite.app, PW, &refresh_fields(&refresh)).await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (400, r#"{"error": "invalid_grant"}"#)
    );
    let narrowed = token(
        &suite.app,
        PW,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &new_refresh),
            ("scope", "read"),
        ],
    )
    .await;
    assert_eq!(narrowed.field("scope"), "read");
    let widened = token(
        &suite.app,
        PW,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &narrowed.field("refresh_token")),
            ("scope", "read write"),
        ],
    )
    .await;
    assert_eq!(widened.body, r#"{"error": "invalid_scope"}"#);
    // Another client's refresh token, and a missing one.
    let (_, other) = pair(&suite.app).await;
    let answer = token(&suite.app, CC, &refresh_fields(&other)).await;
    assert_eq!(answer.body, r#"{"error": "invalid_grant"}"#);
    let answer = token(&suite.app, PW, &[("grant_type", "refresh_token")]).await;
    assert_eq!(
        answer.body,
        r#"{"error": "invalid_request", "error_description": "Missing refresh token parameter."}"#
    );
}

#[actix_web::test]
async fn inside_the_grace_period_a_reused_token_answers_the_pair_already_issued() {
    let suite = start(OAuth2Settings {
        refresh_token_grace_period: std::time::Duration::from_secs(60),
        ..OAuth2Settings::default()
    })
    .await;
    let (_, refresh) = pair(&suite.app).await;
    let first = token(&suite.app, PW, &refresh_fields(&refresh)).await;
    let again = token(&suite.app, PW, &refresh_fields(&refresh)).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.body, first.body);
    suite.clock.advance(chrono::TimeDelta::seconds(61));
    let late = token(&suite.app, PW, &refresh_fields(&refresh)).await;
    assert_eq!(late.body, r#"{"error": "invalid_grant"}"#);
}

#[actix_web::test]
async fn reuse_protection_revokes_the_whole_family() {
    let suite = start(OAuth2Settings {
        refresh_token_reuse_protection: true,
        ..OAuth2Settings::default()
    })
    .await;
    let (_, refresh) = pair(&suite.app).await;
    let rotated = token(&suite.app, PW, &refresh_fields(&refresh)).await;
    let (access, current) = (
        rotated.field("access_token"),
        rotated.field("refresh_token"),
    );
    // The stolen, already rotated token comes back: everything of the family goes.
    let replay = token(&suite.app, PW, &refresh_fields(&refresh)).await;
    assert_eq!(replay.body, r#"{"error": "invalid_grant"}"#);
    assert!(!authenticates(&suite.app, &access).await);
    let answer = token(&suite.app, PW, &refresh_fields(&current)).await;
    assert_eq!(answer.body, r#"{"error": "invalid_grant"}"#);
    assert_eq!(
        count(
            &suite.db,
            "SELECT COUNT(*) FROM oauth2_provider_refreshtoken WHERE revoked IS NULL"
        )
        .await,
        0
    );
}

#[actix_web::test]
async fn without_rotation_the_refresh_token_stays_and_its_access_token_is_renewed_in_place() {
    let suite = start(OAuth2Settings {
        rotate_refresh_token: false,
        ..OAuth2Settings::default()
    })
    .await;
    let (access, refresh) = pair(&suite.app).await;
    let answer = token(&suite.app, PW, &refresh_fields(&refresh)).await;
    assert_eq!(answer.field("refresh_token"), refresh);
    let renewed = answer.field("access_token");
    assert_ne!(renewed, access);
    assert!(!authenticates(&suite.app, &access).await);
    assert!(authenticates(&suite.app, &renewed).await);
    assert_eq!(
        count(
            &suite.db,
            "SELECT COUNT(*) FROM oauth2_provider_accesstoken"
        )
        .await,
        1
    );
    // A refresh token field outside the refresh grant is not a new refresh token's value.
    let answer = token(
        &suite.app,
        PW,
        &[
            JOHN[0],
            JOHN[1],
            JOHN[2],
            ("refresh_token", "ChosenByTheClient"),
        ],
    )
    .await;
    assert_ne!(answer.field("refresh_token"), "ChosenByTheClient");
}

#[actix_web::test]
async fn concurrent_refreshes_of_one_token_rotate_it_once() {
    let suite = start(OAuth2Settings::default()).await;
    let (_, refresh) = pair(&suite.app).await;
    let fields = refresh_fields(&refresh);
    let answers =
        futures_util::future::join_all((0..6).map(|_| token(&suite.app, PW, &fields))).await;
    let issued: std::collections::BTreeSet<String> = answers
        .iter()
        .filter(|answer| answer.status == 200)
        .map(|answer| answer.field("refresh_token"))
        .collect();
    assert_eq!(issued.len(), 1, "one new pair between them");
    for answer in &answers {
        assert!(answer.status == 200 || answer.body == r#"{"error": "invalid_grant"}"#);
    }
    assert_eq!(
        count(
            &suite.db,
            "SELECT COUNT(*) FROM oauth2_provider_refreshtoken"
        )
        .await,
        2
    );
}

#[actix_web::test]
async fn an_inactive_users_refresh_token_is_refused_unless_dots_behaviour_is_asked_for() {
    for (dot, status) in [(false, 400), (true, 200)] {
        let suite = start(OAuth2Settings {
            authenticate_inactive_users: dot,
            ..OAuth2Settings::default()
        })
        .await;
        let (_, refresh) = pair(&suite.app).await;
        suite
            .db
            .execute_unprepared("UPDATE auth_user SET is_active = 0 WHERE username = 'john'")
            .await
            .unwrap();
        let answer = token(&suite.app, PW, &refresh_fields(&refresh)).await;
        assert_eq!(answer.status, status, "{}", answer.body);
    }
}

#[actix_web::test]
async fn hashed_storage_keeps_only_checksums_and_still_works() {
    let suite = start(OAuth2Settings {
        compliant_bcp_rfc9700_token_storage: true,
        refresh_token_grace_period: std::time::Duration::from_secs(60),
        ..OAuth2Settings::default()
    })
    .await;
    let (access, refresh) = pair(&suite.app).await;
    assert_eq!(
        count(
            &suite.db,
            "SELECT COUNT(*) FROM oauth2_provider_accesstoken WHERE token <> ''"
        )
        .await
            + count(
                &suite.db,
                "SELECT COUNT(*) FROM oauth2_provider_refreshtoken WHERE token <> ''"
            )
            .await,
        0
    );
    assert!(authenticates(&suite.app, &access).await);
    assert_eq!(
        token(&suite.app, PW, &refresh_fields(&refresh))
            .await
            .status,
        200
    );
    // The pair cannot be answered again (DOT answers empty strings and fails).
    let again = token(&suite.app, PW, &refresh_fields(&refresh)).await;
    assert_eq!(again.body, r#"{"error": "invalid_grant"}"#);
}

#[actix_web::test]
async fn an_allowed_https_origin_gets_cors_on_a_refresh() {
    let suite = start(OAuth2Settings::default()).await;
    for (origin, allowed) in [
        ("https://spa.example.com", true),
        ("http://spa.example.com", false),
        ("https://evil.example.com", false),
    ] {
        let (_, refresh) = pair(&suite.app).await;
        let answer = call(
            &suite.app,
            with_auth(
                form("/o/token/", &refresh_fields(&refresh)),
                basic_of(PW.0, PW.1),
            )
            .insert_header((header::ORIGIN, origin)),
        )
        .await;
        assert_eq!(answer.status, 200);
        assert_eq!(
            answer.header("access-control-allow-origin"),
            allowed.then_some(origin),
            "{origin}"
        );
    }
}

#[actix_web::test]
async fn expires_in_is_the_setting_and_zero_is_oauthlibs_hour() {
    for (seconds, expected) in [(60, 60), (0, 3600)] {
        let suite = start(OAuth2Settings {
            access_token_expire_seconds: seconds,
            ..OAuth2Settings::default()
        })
        .await;
        let answer = token(&suite.app, CC, &[("grant_type", "client_credentials")]).await;
        assert_eq!(answer.json()["expires_in"], expected);
        let access = answer.field("access_token");
        suite.clock.advance(chrono::TimeDelta::seconds(expected));
        assert!(!authenticates(&suite.app, &access).await);
    }
}

#[actix_web::test]
async fn revocation_is_rfc_7009_on_the_clients_own_tokens() {
    let suite = start(OAuth2Settings::default()).await;
    let (access, refresh) = pair(&suite.app).await;
    let revoke = |fields: Vec<(&'static str, String)>, client: (&str, &str)| {
        with_auth(
            TestRequest::post().uri("/o/revoke_token/").set_form(fields),
            basic_of(client.0, client.1),
        )
    };
    // Another client cannot revoke it: still 200, nothing done.
    let answer = call(&suite.app, revoke(vec![("token", access.clone())], CC)).await;
    assert_eq!((answer.status, answer.body.as_str()), (200, ""));
    assert_eq!(
        answer.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(authenticates(&suite.app, &access).await);
    // Its own access token: the refresh token holding it goes too.
    let answer = call(&suite.app, revoke(vec![("token", access.clone())], PW)).await;
    assert_eq!(answer.status, 200);
    assert!(!authenticates(&suite.app, &access).await);
    assert_eq!(
        token(&suite.app, PW, &refresh_fields(&refresh)).await.body,
        r#"{"error": "invalid_grant"}"#
    );
    // A refresh token, by hint or not: its access token goes too.
    let (access, refresh) = pair(&suite.app).await;
    let answer = call(
        &suite.app,
        revoke(
            vec![
                ("token", refresh.clone()),
                ("token_type_hint", "refresh_token".into()),
            ],
            PW,
        ),
    )
    .await;
    assert_eq!(answer.status, 200);
    assert!(!authenticates(&suite.app, &access).await);
    // Errors, with oauthlib's JSON headers.
    let answer = call(&suite.app, revoke(vec![], PW)).await;
    assert_eq!(
        answer.body,
        r#"{"error": "invalid_request", "error_description": "Missing token parameter."}"#
    );
    answer.assert_json_headers();
    let answer = call(
        &suite.app,
        revoke(vec![("token", "x".into())], ("pw-client", "no")),
    )
    .await;
    assert_eq!(answer.status, 401);
    let answer = call(
        &suite.app,
        with_auth(
            TestRequest::post()
                .uri("/o/revoke_token/?token=x")
                .set_form([("token", "x")]),
            basic_of(PW.0, PW.1),
        ),
    )
    .await;
    assert_eq!(
        answer.body,
        r#"{"error": "invalid_request", "error_description": "URL query parameters are not allowed"}"#
    );
    answer.assert_json_headers();
}

#[actix_web::test]
async fn introspection_answers_authenticated_clients_and_introspection_tokens() {
    let suite = start(OAuth2Settings::default()).await;
    let (access, _) = pair(&suite.app).await;
    let introspector = token(
        &suite.app,
        CC,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "read write"),
        ],
    )
    .await
    .field("access_token");
    let exp = suite.clock.now().timestamp() + 36000;
    let active = format!(
        r#"{{"active": true, "scope": "read write", "exp": {exp}, "client_id": "pw-client", "username": "john"}}"#
    );
    // A client by Basic, by body, by query (GET); a token's own `token` by GET or POST.
    for request in [
        with_auth(
            TestRequest::post()
                .uri("/o/introspect/")
                .set_form([("token", &access)]),
            basic_of(CC.0, CC.1),
        ),
        TestRequest::post().uri("/o/introspect/").set_form([
            ("token", access.as_str()),
            ("client_id", "cc-client"),
            ("client_secret", "cc-secret"),
        ]),
        get(&format!(
            "/o/introspect/?token={access}&client_id=cc-client&client_secret=cc-secret"
        )),
    ] {
        let answer = call(&suite.app, request).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.body, active);
        assert_eq!(answer.header("content-type"), Some("application/json"));
    }
    // A Bearer token needs the `introspection` scope.
    let answer = call(
        &suite.app,
        with_auth(
            get(&format!("/o/introspect/?token={access}")),
            format!("Bearer {introspector}"),
        ),
    )
    .await;
    assert_eq!((answer.status, answer.body.as_str()), (403, ""));
    // Unknown tokens, a missing one, nobody at all.
    let client = |request: TestRequest| with_auth(request, basic_of(CC.0, CC.1));
    let answer = call(&suite.app, client(get("/o/introspect/?token=nope"))).await;
    assert_eq!(answer.body, r#"{"active": false}"#);
    let answer = call(&suite.app, client(get("/o/introspect/"))).await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (
            400,
            r#"{"error": "invalid_request", "error_description": "Token parameter is missing."}"#
        )
    );
    let answer = call(&suite.app, get(&format!("/o/introspect/?token={access}"))).await;
    assert_eq!(answer.status, 403);
    assert_eq!(
        answer.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    // An authenticated client with a method the view lacks; OPTIONS without anyone.
    let answer = call(&suite.app, client(TestRequest::put().uri("/o/introspect/"))).await;
    assert_eq!(answer.status, 405);
    assert_eq!(answer.header("allow"), Some("GET, POST, HEAD, OPTIONS"));
    let answer = call(&suite.app, TestRequest::put().uri("/o/introspect/")).await;
    assert_eq!(answer.status, 403);
    // An inactive user's token is not active here (DOT says it is).
    suite
        .db
        .execute_unprepared("UPDATE auth_user SET is_active = 0 WHERE username = 'john'")
        .await
        .unwrap();
    let answer = call(
        &suite.app,
        client(get(&format!("/o/introspect/?token={access}"))),
    )
    .await;
    assert_eq!(answer.body, r#"{"active": false}"#);
}

/// A grant row as DOT's consent step writes it, for `ac-client` and john.
async fn grant(db: &DatabaseConnection, code: &str, challenge: &str, method: &str) {
    db.execute_unprepared(&format!(
        "INSERT INTO oauth2_provider_grant (code, expires, redirect_uri, scope, application_id, \
         user_id, created, updated, code_challenge, code_challenge_method, nonce, claims, \
         resource) VALUES ('{code}', '2030-01-01 00:01:00', 'https://client.example.com/cb', \
         'read', (SELECT id FROM oauth2_provider_application WHERE client_id = 'ac-client'), \
         (SELECT id FROM auth_user WHERE username = 'john'), '2030-01-01 00:00:00', \
         '2030-01-01 00:00:00', '{challenge}', '{method}', '', '{{}}', '[]')"
    ))
    .await
    .unwrap();
}

const AC: (&str, &str) = ("ac-client", "ac-secret");
const VERIFIER: &str = "dBjftJeZ4CVP-mJ92K9qECoaQPl4GxzM3dzixZ1lNIU";
const CHALLENGE: &str = "Azzq9bWk162vRXe0L_ivrKf0LBz7qQLk1Rmbx91ZvtA";

fn code_fields<'a>(code: &'a str, verifier: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", "https://client.example.com/cb"),
        ("code_verifier", verifier),
    ]
}

#[actix_web::test]
async fn an_authorization_code_is_redeemed_once_with_its_pkce_verifier() {
    let suite = start(OAuth2Settings::default()).await;
    grant(&suite.db, "TheCode", CHALLENGE, "S256").await;
    let wrong = token(&suite.app, AC, &code_fields("TheCode", "not-the-verifier")).await;
    assert_eq!(wrong.body, r#"{"error": "invalid_grant"}"#);
    let answer = token(&suite.app, AC, &code_fields("TheCode", VERIFIER)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.field("scope"), "read");
    assert!(!answer.field("refresh_token").is_empty());
    let again = token(&suite.app, AC, &code_fields("TheCode", VERIFIER)).await;
    assert_eq!(again.body, r#"{"error": "invalid_grant"}"#);
    // Concurrent redemptions: one pair between them.
    grant(&suite.db, "Raced", CHALLENGE, "S256").await;
    let fields = code_fields("Raced", VERIFIER);
    let answers =
        futures_util::future::join_all((0..6).map(|_| token(&suite.app, AC, &fields))).await;
    assert_eq!(
        answers.iter().filter(|answer| answer.status == 200).count(),
        1
    );
    assert_eq!(
        count(
            &suite.db,
            "SELECT COUNT(*) FROM oauth2_provider_refreshtoken"
        )
        .await,
        2
    );
    // PKCE and redirect URI errors.
    grant(&suite.db, "NoChallenge", "", "").await;
    let answer = token(&suite.app, AC, &code_fields("NoChallenge", VERIFIER)).await;
    assert_eq!(
        answer.body,
        r#"{"error": "invalid_grant", "error_description": "Challenge not found"}"#
    );
    grant(&suite.db, "Plain", "abc", "plain").await;
    let answer = token(
        &suite.app,
        AC,
        &[
            ("grant_type", "authorization_code"),
            ("code", "Plain"),
            ("redirect_uri", "https://client.example.com/other"),
            ("code_verifier", "abc"),
        ],
    )
    .await;
    assert_eq!(
        answer.body,
        r#"{"error": "invalid_request", "error_description": "Mismatching redirect URI."}"#
    );
    // Without `redirect_uri`: the application's only one.
    let answer = token(
        &suite.app,
        AC,
        &[
            ("grant_type", "authorization_code"),
            ("code", "Plain"),
            ("code_verifier", "abc"),
        ],
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    // Expired.
    grant(&suite.db, "Late", CHALLENGE, "S256").await;
    suite.clock.advance(chrono::TimeDelta::seconds(60));
    let answer = token(&suite.app, AC, &code_fields("Late", VERIFIER)).await;
    assert_eq!(answer.body, r#"{"error": "invalid_grant"}"#);
}

#[actix_web::test]
async fn deleting_a_user_deletes_their_dot_rows_as_djangos_collector_does() {
    let suite = start(OAuth2Settings::default()).await;
    let (access, refresh) = pair(&suite.app).await;
    let rotated = token(&suite.app, PW, &refresh_fields(&refresh)).await;
    assert_eq!(rotated.status, 200);
    // john also owns an application, with a client-credentials token of its own.
    suite
        .db
        .execute_unprepared(
            "UPDATE oauth2_provider_application SET user_id = (SELECT id FROM auth_user WHERE \
             username = 'john') WHERE client_id = 'cc-client'",
        )
        .await
        .unwrap();
    let owned = token(&suite.app, CC, &[("grant_type", "client_credentials")]).await;
    let admin = token(
        &suite.app,
        PW,
        &[
            ("grant_type", "password"),
            ("username", "admin"),
            ("password", "password"),
        ],
    )
    .await;
    let john = auth_actix::store::user::AUTH_USER
        .find_by_username(&suite.db, "john")
        .await
        .unwrap()
        .unwrap();
    let deleted =
        auth_actix::store::delete_user(&suite.db, &auth_actix::store::user::AUTH_USER, john.id)
            .await
            .unwrap();
    assert!(deleted);
    assert!(!authenticates(&suite.app, &access).await);
    assert!(!authenticates(&suite.app, &rotated.field("access_token")).await);
    assert!(!authenticates(&suite.app, &owned.field("access_token")).await);
    assert!(authenticates(&suite.app, &admin.field("access_token")).await);
    assert_eq!(
        count(
            &suite.db,
            "SELECT COUNT(*) FROM oauth2_provider_application WHERE client_id = 'cc-client'"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &suite.db,
            "SELECT COUNT(*) FROM oauth2_provider_refreshtoken"
        )
        .await,
        1
    );
}

/// The consent step needs the session: the app behind `SessionMiddleware`, with the session
/// login views at `/auth` to log in.
async fn consent_client() -> (
    auth_actix::test::TestClient<impl TestApp>,
    DatabaseConnection,
) {
    let settings = settings_builder().allowed_hosts(["*"]).build().unwrap();
    let suite = start(OAuth2Settings::default()).await;
    drop(suite.app);
    let db = suite.db;
    let app = session_app(&settings, &db, |routes| {
        routes
            .service(web::scope("/o").configure(oauth2_provider_endpoints))
            .service(web::scope("/auth").configure(auth_actix::views::session_endpoints));
    })
    .await;
    (auth_actix::test::TestClient::new(app), db)
}

const AUTHORIZE: &str = "/o/authorize/?client_id=ac-client&response_type=code&state=xyz\
    &code_challenge=Azzq9bWk162vRXe0L_ivrKf0LBz7qQLk1Rmbx91ZvtA&code_challenge_method=S256";

async fn answer_of<B: actix_web::body::MessageBody>(
    response: actix_web::dev::ServiceResponse<B>,
) -> Answer {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = actix_web::test::read_body(response).await;
    Answer {
        status,
        headers,
        body: String::from_utf8(body.to_vec()).unwrap(),
    }
}

/// The consent form's fields as the page renders them.
fn hidden_fields(page: &str) -> Vec<(String, String)> {
    page.split("<input type=\"hidden\" name=\"")
        .skip(1)
        .map(|field| {
            let name = field.split('"').next().unwrap().to_owned();
            let value = field
                .split_once("value=\"")
                .filter(|_| field.find("value=\"") < field.find('>'))
                .map(|(_, rest)| rest.split('"').next().unwrap().to_owned())
                .unwrap_or_default();
            (name, value)
        })
        .collect()
}

#[actix_web::test]
async fn the_consent_step_issues_a_code_the_token_endpoint_redeems() {
    let (mut client, _db) = consent_client().await;
    // Anonymous: Django's login redirect, the whole request in `next`.
    let anonymous = answer_of(client.get(AUTHORIZE).await.unwrap()).await;
    assert_eq!(anonymous.status, 302);
    assert_eq!(
        anonymous.header("location"),
        Some(
            "/accounts/login/?next=/o/authorize/%3Fclient_id%3Dac-client%26response_type%3Dcode\
             %26state%3Dxyz%26code_challenge%3DAzzq9bWk162vRXe0L_ivrKf0LBz7qQLk1Rmbx91ZvtA\
             %26code_challenge_method%3DS256"
        )
    );
    assert_eq!(
        client
            .login("/auth", "john", "password")
            .await
            .unwrap()
            .as_u16(),
        200
    );
    let page = answer_of(client.get(AUTHORIZE).await.unwrap()).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        page.body
            .contains("<h3 class=\"block-center-heading\">Authorize ac-client?</h3>")
    );
    assert!(page.body.contains("<li>Reading scope</li>"));
    let fields = hidden_fields(&page.body);
    assert_eq!(fields[0].0, "csrfmiddlewaretoken");
    // The consent, CSRF-checked: without a token it is refused.
    let mut consent: Vec<(String, String)> = fields.clone();
    let cookies = client
        .cookies()
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("; ");
    let forged = TestRequest::post()
        .uri("/o/authorize/")
        .insert_header((header::COOKIE, cookies))
        .set_form(
            consent
                .iter()
                .filter(|(name, _)| name != "csrfmiddlewaretoken")
                .cloned()
                .chain([("allow".to_owned(), "Authorize".to_owned())])
                .collect::<Vec<_>>(),
        );
    let refused = call(client.app(), forged).await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("CSRF verification failed."));
    consent.push(("allow".to_owned(), "Authorize".to_owned()));
    let allowed = answer_of(
        client
            .send(
                TestRequest::post()
                    .uri("/o/authorize/")
                    .set_form(consent.clone()),
            )
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(allowed.status, 302, "{}", allowed.body);
    let location = allowed.header("location").unwrap().to_owned();
    let code = location
        .strip_prefix("https://client.example.com/cb?code=")
        .and_then(|rest| rest.strip_suffix("&state=xyz"))
        .unwrap_or_else(|| panic!("{location}"));
    assert_eq!(code.len(), 30);
    let redeemed = answer_of(
        client
            .send(with_auth(
                form("/o/token/", &code_fields(code, VERIFIER)),
                basic_of(AC.0, AC.1),
            ))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(redeemed.status, 200, "{}", redeemed.body);
    assert_eq!(redeemed.field("scope"), "read write");
    // Denied: the client is told.
    let denied: Vec<(String, String)> = consent
        .iter()
        .filter(|(name, _)| name != "allow")
        .cloned()
        .collect();
    let denied = answer_of(
        client
            .send(TestRequest::post().uri("/o/authorize/").set_form(denied))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        denied.header("location"),
        Some("https://client.example.com/cb?error=access_denied&state=xyz")
    );
    // A refusal is never sent to a URI the application did not register (DOT sends it
    // anywhere: an open redirect).
    let elsewhere: Vec<(String, String)> = consent
        .iter()
        .filter(|(name, _)| name != "allow")
        .map(|(name, value)| match name.as_str() {
            "redirect_uri" => (name.clone(), "https://evil.example.com/".to_owned()),
            _ => (name.clone(), value.clone()),
        })
        .collect();
    let refused = answer_of(
        client
            .send(TestRequest::post().uri("/o/authorize/").set_form(elsewhere))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains("Mismatching redirect URI."));
}

#[actix_web::test]
async fn consent_errors_are_dots_page_or_a_redirect_to_the_client() {
    let (mut client, _db) = consent_client().await;
    client.login("/auth", "john", "password").await.unwrap();
    let missing = answer_of(
        client
            .get("/o/authorize/?response_type=code")
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(missing.status, 400);
    assert!(missing.body.contains(
        "<h2>Error: invalid_request</h2>\n            <p>Missing client_id parameter.</p>"
    ));
    let mismatch = answer_of(
        client
            .get("/o/authorize/?client_id=ac-client&response_type=code&redirect_uri=https://evil.example.com/cb")
            .await
            .unwrap(),
    )
    .await;
    assert!(mismatch.body.contains("Mismatching redirect URI."));
    let no_pkce = answer_of(
        client
            .get("/o/authorize/?client_id=ac-client&response_type=code&state=s%20t")
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(no_pkce.status, 302);
    assert_eq!(
        no_pkce.header("location"),
        Some(
            "https://client.example.com/cb?error=invalid_request&error_description=Code+challenge+required.&state=s+t"
        )
    );
    // The implicit grant is not served.
    let implicit = answer_of(
        client
            .get("/o/authorize/?client_id=ac-client&response_type=token")
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        implicit.header("location"),
        Some("https://client.example.com/cb?error=unauthorized_client")
    );
}

#[actix_web::test]
async fn the_password_grant_is_throttled_as_the_login_endpoints_are() {
    let suite = start(OAuth2Settings::default()).await;
    let wrong = [
        ("grant_type", "password"),
        ("username", "john"),
        ("password", "guess"),
    ];
    let from_one_address = |client: (&str, &str), fields: &[(&str, &str)]| {
        with_auth(form("/o/token/", fields), basic_of(client.0, client.1))
            .peer_addr("203.0.113.7:40000".parse().unwrap())
    };
    for _ in 0..10 {
        let answer = call(&suite.app, from_one_address(PW, &wrong)).await;
        assert_eq!(answer.status, 400);
    }
    let answer = call(&suite.app, from_one_address(PW, &JOHN)).await;
    assert_eq!(answer.status, 429, "{}", answer.body);
    assert!(answer.header("retry-after").is_some());
    // The other grants are not counted.
    let answer = call(
        &suite.app,
        from_one_address(CC, &[("grant_type", "client_credentials")]),
    )
    .await;
    assert_eq!(answer.status, 200);
}

#[actix_web::test]
async fn a_stored_restriction_that_is_not_a_list_of_uris_is_never_inherited() {
    let suite = start(OAuth2Settings::default()).await;
    let (_, refresh) = pair(&suite.app).await;
    suite
        .db
        .execute_unprepared(
            r#"UPDATE oauth2_provider_refreshtoken SET resource = '"https://x.example/"'"#,
        )
        .await
        .unwrap();
    let answer = token(&suite.app, PW, &refresh_fields(&refresh)).await;
    assert_eq!(answer.status, 400);
    assert!(
        answer.body.starts_with(r#"{"error": "invalid_target""#),
        "{}",
        answer.body
    );
}

#[actix_web::test]
async fn introspection_reads_client_credentials_from_a_form_only_on_post() {
    let suite = start(OAuth2Settings::default()).await;
    let (access, _) = pair(&suite.app).await;
    let form_fields = [
        ("token", access.as_str()),
        ("client_id", "cc-client"),
        ("client_secret", "cc-secret"),
    ];
    let put = TestRequest::put()
        .uri("/o/introspect/")
        .set_form(form_fields);
    assert_eq!(call(&suite.app, put).await.status, 403);
    let post = TestRequest::post()
        .uri("/o/introspect/")
        .set_form(form_fields);
    assert_eq!(call(&suite.app, post).await.status, 200);
}

/// Writes an access token of application `application_id` for john, and (when `refresh` is
/// given) its refresh token, as DOT's models write them; their ids.
async fn dot_pair(
    db: &DatabaseConnection,
    application_id: i64,
    access: &str,
    refresh: Option<&str>,
) -> (i64, Option<i64>) {
    let checksum = auth_actix::store::oauth2_access_token::checksum;
    db.execute_unprepared(&format!(
        "INSERT INTO oauth2_provider_accesstoken (token, token_checksum, expires, scope, \
         application_id, user_id, created, updated, resource) VALUES ('{access}', '{}', \
         '2030-01-02 00:00:00', 'read write', {application_id}, (SELECT id FROM auth_user WHERE \
         username = 'john'), '2030-01-01 00:00:00', '2030-01-01 00:00:00', '[]')",
        checksum(access)
    ))
    .await
    .unwrap();
    let access_id = count(
        db,
        &format!(
            "SELECT id FROM oauth2_provider_accesstoken WHERE token_checksum = '{}'",
            checksum(access)
        ),
    )
    .await;
    let Some(refresh) = refresh else {
        return (access_id, None);
    };
    db.execute_unprepared(&format!(
        "INSERT INTO oauth2_provider_refreshtoken (token, token_checksum, access_token_id, \
         application_id, user_id, created, updated, token_family, resource) VALUES ('{refresh}', \
         '{}', {access_id}, {application_id}, (SELECT id FROM auth_user WHERE username = \
         'john'), '2030-01-01 00:00:00', '2030-01-01 00:00:00', NULL, '[]')",
        checksum(refresh)
    ))
    .await
    .unwrap();
    let refresh_id = count(
        db,
        &format!("SELECT id FROM oauth2_provider_refreshtoken WHERE access_token_id = {access_id}"),
    )
    .await;
    (access_id, Some(refresh_id))
}

fn revoke_form(client: (&str, &str), fields: &[(&str, &str)]) -> TestRequest {
    with_auth(
        form("/o/revoke_token/", fields),
        basic_of(client.0, client.1),
    )
}

#[actix_web::test]
async fn test_revoke_long_refresh_token_with_and_without_the_wrong_hint() {
    // DOT 3.4.1's test_revoke_long_refresh_token and _with_wrong_hint: a refresh token longer
    // than 255 characters is found by its checksum, by its own hint or after the other one.
    let suite = start(OAuth2Settings::default()).await;
    for (index, hint) in ["refresh_token", "access_token"].into_iter().enumerate() {
        let long = format!("{index}").repeat(500);
        let access = format!("1234567890-{index}");
        let (access_id, refresh_id) = dot_pair(&suite.db, 2, &access, Some(&long)).await;
        let answer = call(
            &suite.app,
            revoke_form(PW, &[("token", &long), ("token_type_hint", hint)]),
        )
        .await;
        assert_eq!(answer.status, 200, "{hint}");
        let refresh_id = refresh_id.unwrap();
        assert_eq!(
            count(
                &suite.db,
                &format!(
                    "SELECT COUNT(*) FROM oauth2_provider_refreshtoken WHERE id = {refresh_id} \
                     AND revoked IS NOT NULL"
                )
            )
            .await,
            1,
            "{hint}: the refresh token is revoked"
        );
        assert_eq!(
            count(
                &suite.db,
                &format!("SELECT COUNT(*) FROM oauth2_provider_accesstoken WHERE id = {access_id}")
            )
            .await,
            0,
            "{hint}: its access token is deleted"
        );
    }
}

#[actix_web::test]
async fn test_hinted_lookup_falls_back_across_token_types_respecting_ownership() {
    // Another client's access token and the caller's refresh token share a value; the hint
    // names the access tokens, where only the other client's is: the lookup goes on to the
    // caller's refresh token, and the other client's token is left alone.
    let suite = start(OAuth2Settings::default()).await;
    let (other_access, _) = dot_pair(&suite.db, 1, "shared-token-value", None).await;
    let (own_access, own_refresh) =
        dot_pair(&suite.db, 2, "own-access-token", Some("shared-token-value")).await;
    let answer = call(
        &suite.app,
        revoke_form(
            PW,
            &[
                ("token", "shared-token-value"),
                ("token_type_hint", "access_token"),
            ],
        ),
    )
    .await;
    assert_eq!(answer.status, 200);
    let own_refresh = own_refresh.unwrap();
    for (sql, want) in [
        (
            format!(
                "SELECT COUNT(*) FROM oauth2_provider_refreshtoken WHERE id = {own_refresh} AND \
                 revoked IS NOT NULL"
            ),
            1,
        ),
        (
            format!("SELECT COUNT(*) FROM oauth2_provider_accesstoken WHERE id = {other_access}"),
            1,
        ),
        (
            format!("SELECT COUNT(*) FROM oauth2_provider_accesstoken WHERE id = {own_access}"),
            0,
        ),
    ] {
        assert_eq!(count(&suite.db, &sql).await, want, "{sql}");
    }
}
