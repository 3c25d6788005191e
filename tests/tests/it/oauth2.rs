//! Django OAuth Toolkit's resource-server side (`OAuth2Authentication` and the scope
//! permissions) on DOT's own `oauth2_provider_accesstoken` table, created by the library's
//! migrations with the DDL Django 6.1.3's `migrate` writes for DOT 3.4.1 on SQLite (shared/spec/third-party.md,
//! Appendix A). The differential suite against DOT itself is parity/run_parity.py's `oauth2`
//! group; these pin each rule and each divergence on its own.

use actix_web::test::TestRequest;
use actix_web::web;
use auth_actix::permissions::{Not, Or};
use auth_actix::settings::OAuth2Settings;
use auth_actix::store::sea_orm::{ConnectionTrait, DatabaseConnection};
use auth_actix::views::oauth2_provider_endpoints;
use auth_actix::{
    AllowAny, IsAdminUser, IsAuthenticated, IsAuthenticatedOrTokenHasScope, OAuth2Authentication,
    OAuth2ProtectedResourceAuthentication, SessionAuthentication, TokenAuthentication,
    TokenHasReadWriteScope, TokenHasResourceScope, TokenHasScope, TokenMatchesOASRequirements,
    required_alternate_scopes, required_scopes,
};
use test_support::*;

/// One application (DOT 3.4.1's tables, as Django creates them on SQLite, come with the
/// library's migrations).
const DDL: &[&str] = &[
    r#"INSERT INTO "oauth2_provider_application" ("redirect_uris", "client_type", "authorization_grant_type", "client_secret", "name", "skip_authorization", "created", "updated", "algorithm", "post_logout_redirect_uris", "hash_client_secret", "allowed_origins", "registration_source", "client_id") VALUES ('', 'confidential', 'client-credentials', '', 'suite', 0, '2030-01-01 00:00:00', '2030-01-01 00:00:00', '', '', 1, '', '', 'suite-client')"#,
];

/// The tokens of the suite: (token, username or none, scope, expires, resource JSON).
const TOKENS: &[(&str, Option<&str>, &str, &str, &str)] = &[
    (
        "JohnReadWrite",
        Some("john"),
        "read write",
        "2030-01-02 00:00:00",
        "[]",
    ),
    (
        "JohnRead",
        Some("john"),
        "read",
        "2030-01-02 00:00:00",
        "[]",
    ),
    (
        "JohnOrdersWrite",
        Some("john"),
        "orders:write",
        "2030-01-02 00:00:00",
        "[]",
    ),
    (
        "JohnExpired",
        Some("john"),
        "read write",
        "2029-12-31 23:00:00",
        "[]",
    ),
    (
        "ExpiresNow",
        Some("john"),
        "read write",
        "2030-01-01 00:00:00",
        "[]",
    ),
    ("Client", None, "read write", "2030-01-02 00:00:00", "[]"),
    (
        "Inactive",
        Some("inactive"),
        "read write",
        "2030-01-02 00:00:00",
        "[]",
    ),
    ("Admin", Some("admin"), "read", "2030-01-02 00:00:00", "[]"),
    (
        "ForApi",
        Some("john"),
        "read",
        "2030-01-02 00:00:00",
        r#"["http://api.example.com/p"]"#,
    ),
    (
        "JohnWrite",
        Some("john"),
        "write",
        "2030-01-02 00:00:00",
        "[]",
    ),
    (
        "JohnOrdersRead",
        Some("john"),
        "orders:read",
        "2030-01-02 00:00:00",
        "[]",
    ),
    (
        "ClientOrders",
        None,
        "orders:write",
        "2030-01-02 00:00:00",
        "[]",
    ),
];

/// The suite's users and tokens, and DOT's tables with the tokens above.
async fn database_with_dot(settings: &AuthSettings) -> DatabaseConnection {
    let db = database(settings).await;
    dot_tables(&db).await;
    db
}

async fn dot_tables(db: &DatabaseConnection) {
    for statement in DDL {
        db.execute_unprepared(statement).await.unwrap();
    }
    for (token, user, scope, expires, resource) in TOKENS {
        let checksum = auth_actix::store::oauth2_access_token::checksum(token);
        let user = user.map_or("NULL".to_owned(), |name| {
            format!("(SELECT id FROM auth_user WHERE username = '{name}')")
        });
        db.execute_unprepared(&format!(
            "INSERT INTO oauth2_provider_accesstoken (token, expires, scope, application_id, \
             user_id, created, updated, token_checksum, resource) VALUES ('{token}', \
             '{expires}', '{scope}', 1, {user}, '2030-01-01 00:00:00', '2030-01-01 00:00:00', \
             '{checksum}', '{resource}')"
        ))
        .await
        .unwrap();
    }
}

required_scopes!(ReadWrite = ["read", "write"]);
required_scopes!(Admin = ["admin"]);
required_scopes!(Orders = ["orders"]);
required_scopes!(Read = ["read"]);
required_alternate_scopes!(Oas {
    GET: [["read"]],
    POST: [["create", "write"], ["admin"]],
});

type OAuth2 = (OAuth2Authentication,);

async fn suite(oauth2: OAuth2Settings) -> impl TestApp + use<> {
    let settings = settings_builder()
        .clock(ManualClock::new())
        .allowed_hosts(["*"])
        .oauth2(oauth2)
        .build()
        .unwrap();
    let db = database_with_dot(&settings).await;
    routes(&settings, &db).await
}

async fn routes(settings: &AuthSettings, db: &DatabaseConnection) -> impl TestApp + use<> {
    app(settings, db, |routes| {
        routes
            .service(route::<OAuth2, IsAuthenticated>("/p/"))
            .service(route::<OAuth2, AllowAny>("/open/"))
            .service(route::<OAuth2, TokenHasScope<ReadWrite>>("/scope/"))
            .service(route::<OAuth2, TokenHasReadWriteScope>("/rw/"))
            .service(route::<OAuth2, TokenHasResourceScope<Orders>>("/orders/"))
            .service(route::<OAuth2, TokenMatchesOASRequirements<Oas>>("/oas/"))
            .service(route::<OAuth2, Not<TokenHasScope<Admin>>>("/not-admin/"))
            .service(route::<
                (OAuth2Authentication, TokenAuthentication),
                Or<TokenHasScope<Admin>, IsAdminUser>,
            >("/admin-or-scope/"))
            .service(route::<
                (OAuth2Authentication, SessionAuthentication),
                IsAuthenticatedOrTokenHasScope<Read>,
            >("/or-session/"))
            .service(route::<
                (TokenAuthentication, OAuth2Authentication),
                IsAuthenticated,
            >("/token-first/"))
            .service(route::<
                (OAuth2ProtectedResourceAuthentication,),
                IsAuthenticated,
            >("/protected-resource/"))
            .service(route::<(TokenAuthentication,), TokenHasScope<ReadWrite>>(
                "/scope-token-auth/",
            ))
            .service(route::<
                (TokenAuthentication,),
                TokenMatchesOASRequirements<Oas>,
            >("/oas-token-auth/"))
            .service(web::scope("/o").configure(oauth2_provider_endpoints));
    })
    .await
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

const CHALLENGE: &str = r#"Bearer realm="api""#;

/// The status of `GET /p/` with `token`.
async fn status_on_p(app: &impl TestApp, token: &str) -> u16 {
    send(app, with_auth(get("/p/"), bearer(token))).await.status
}

fn refused_with(description: &str) -> String {
    format!(r#"Bearer realm="api",error="invalid_token",error_description="{description}""#)
}

#[actix_web::test]
async fn a_live_token_authenticates_its_user_and_is_request_auth() {
    let app = suite(OAuth2Settings::default()).await;
    let reply = send(&app, with_auth(get("/p/"), bearer("JohnReadWrite"))).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body, json_body("john", "AccessToken #1"));
    // `bearer` in any case, runs of whitespace, and Python's Latin-1 whitespace split.
    for header in [
        &b"bearer   JohnReadWrite "[..],
        b"BEARER\tJohnReadWrite",
        b"Bearer\xa0JohnReadWrite",
    ] {
        let reply = send(&app, with_auth(get("/p/"), header)).await;
        assert_eq!(reply.status, 200, "{:?}", String::from_utf8_lossy(header));
    }
}

#[actix_web::test]
async fn a_refused_token_is_not_provided_credentials_with_the_reason_in_the_challenge() {
    let app = suite(OAuth2Settings::default()).await;
    for (token, reason) in [
        ("Unknown", "The access token is invalid."),
        ("JohnExpired", "The access token has expired."),
        ("ExpiresNow", "The access token has expired."),
    ] {
        let reply = send(&app, with_auth(get("/p/"), bearer(token))).await;
        assert_eq!(reply.status, 401, "{token}");
        assert_eq!(reply.body, Reply::NOT_PROVIDED, "{token}");
        assert_eq!(
            reply.www_authenticate.as_deref(),
            Some(refused_with(reason).as_str())
        );
    }
    // No token, another scheme, a malformed header: the plain challenge.
    for request in [
        get("/p/"),
        with_auth(get("/p/"), "Token abcd1234"),
        with_auth(get("/p/"), "Bearer a b"),
        with_auth(get("/p/"), "Bearer"),
    ] {
        let reply = send(&app, request).await;
        assert_eq!(reply.status, 401);
        assert_eq!(reply.www_authenticate.as_deref(), Some(CHALLENGE));
        assert_eq!(reply.body, Reply::NOT_PROVIDED);
    }
}

#[actix_web::test]
async fn a_client_credentials_token_authenticates_no_user() {
    let app = suite(OAuth2Settings::default()).await;
    let reply = send(&app, with_auth(get("/open/"), bearer("Client"))).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, json_body("None", "AccessToken #6"));
    // Authenticated, so IsAuthenticated's refusal is a 403, not a 401.
    let reply = send(&app, with_auth(get("/p/"), bearer("Client"))).await;
    assert_eq!(reply.status, 403);
    assert_eq!(reply.www_authenticate, None);
    assert_eq!(
        reply.body,
        detail("You do not have permission to perform this action.")
    );
}

#[actix_web::test]
async fn an_inactive_users_token_is_invalid_unless_dots_behaviour_is_asked_for() {
    let app = suite(OAuth2Settings::default()).await;
    let reply = send(&app, with_auth(get("/p/"), bearer("Inactive"))).await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.www_authenticate.as_deref(),
        Some(refused_with("The access token is invalid.").as_str())
    );
    let app = suite(OAuth2Settings {
        authenticate_inactive_users: true,
        ..OAuth2Settings::default()
    })
    .await;
    let reply = send(&app, with_auth(get("/open/"), bearer("Inactive"))).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, json_body("inactive", "AccessToken #7"));
}

#[actix_web::test]
async fn a_token_in_the_query_string_refuses_the_request_unless_dots_transport_is_asked_for() {
    let app = suite(OAuth2Settings::default()).await;
    let reply = send(&app, get("/p/?access_token=JohnReadWrite")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.www_authenticate.as_deref(), Some(CHALLENGE));
    // Even beside a valid header (RFC 9700 §4.3.2, DOT's compliant mode).
    let reply = send(
        &app,
        with_auth(get("/p/?access_token=x"), bearer("JohnReadWrite")),
    )
    .await;
    assert_eq!(reply.status, 401);
    let app = suite(OAuth2Settings {
        compliant_bcp_rfc9700_access_token_transport: false,
        ..OAuth2Settings::default()
    })
    .await;
    let reply = send(&app, get("/p/?access_token=JohnReadWrite")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, json_body("john", "AccessToken #1"));
    // The header wins over the parameter.
    let reply = send(
        &app,
        with_auth(get("/p/?access_token=JohnReadWrite"), "Token abcd1234"),
    )
    .await;
    assert_eq!(reply.status, 401);
}

#[actix_web::test]
async fn a_token_in_a_form_body_is_read_when_no_header_is_sent() {
    let app = suite(OAuth2Settings::default()).await;
    let form = |body: &'static str| {
        TestRequest::post()
            .uri("/open/")
            .insert_header(("content-type", "application/x-www-form-urlencoded"))
            .set_payload(body)
    };
    let reply = send(&app, form("access_token=Unknown&access_token=JohnRead")).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body, json_body("john", "AccessToken #2"));
    // A malformed JSON body is DRF's parse error, raised from authentication (DOT reads
    // `request.POST`), even with a valid header.
    let reply = send(
        &app,
        with_auth(
            TestRequest::post()
                .uri("/open/")
                .insert_header(("content-type", "application/json"))
                .set_payload("{"),
            bearer("JohnRead"),
        ),
    )
    .await;
    assert_eq!(reply.status, 400, "{}", reply.body);
}

#[actix_web::test]
async fn an_invalid_percent_escape_is_djangos_bad_request_page() {
    let app = suite(OAuth2Settings::default()).await;
    let reply = send(&app, with_auth(get("/open/?x=%zz"), bearer("JohnRead"))).await;
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("Bad Request (400)"), "{}", reply.body);
    let reply = send(&app, with_auth(get("/open/?x=%41"), bearer("JohnRead"))).await;
    assert_eq!(reply.status, 200);
}

#[actix_web::test]
async fn scopes_are_required_as_dot_requires_them() {
    let app = suite(OAuth2Settings::default()).await;
    let status = |reply: Reply| reply.status;
    let get_as = |path: &'static str, token: &'static str| with_auth(get(path), bearer(token));
    let post_as = |path: &'static str, token: &'static str| {
        with_auth(TestRequest::post().uri(path), bearer(token))
    };
    assert_eq!(
        status(send(&app, get_as("/scope/", "JohnReadWrite")).await),
        200
    );
    assert_eq!(status(send(&app, get_as("/scope/", "JohnRead")).await), 403);
    assert_eq!(status(send(&app, get_as("/rw/", "JohnRead")).await), 200);
    assert_eq!(status(send(&app, post_as("/rw/", "JohnRead")).await), 403);
    assert_eq!(
        status(send(&app, post_as("/rw/", "JohnReadWrite")).await),
        200
    );
    assert_eq!(
        status(send(&app, post_as("/orders/", "JohnOrdersWrite")).await),
        200
    );
    assert_eq!(
        status(send(&app, get_as("/orders/", "JohnOrdersWrite")).await),
        403
    );
    assert_eq!(status(send(&app, get_as("/oas/", "JohnRead")).await), 200);
    assert_eq!(
        status(send(&app, post_as("/oas/", "JohnReadWrite")).await),
        403
    );
    assert_eq!(
        status(
            send(
                &app,
                with_auth(TestRequest::put().uri("/oas/"), bearer("JohnReadWrite"))
            )
            .await
        ),
        403,
        "a method the alternatives do not list is refused"
    );
    // Composition: a non-OAuth `request.auth` is a refusal, not an error (DOT #1169).
    assert_eq!(
        status(send(&app, get_as("/not-admin/", "JohnRead")).await),
        200
    );
    assert_eq!(
        status(send(&app, with_auth(get("/admin-or-scope/"), "Token abcd1234")).await),
        403
    );
    assert_eq!(
        status(send(&app, get_as("/admin-or-scope/", "Admin")).await),
        200
    );
    // IsAuthenticatedOrTokenHasScope: a token must have the scope; other schemes need none.
    assert_eq!(
        status(send(&app, get_as("/or-session/", "JohnOrdersWrite")).await),
        403
    );
    assert_eq!(
        status(send(&app, get_as("/or-session/", "JohnRead")).await),
        200
    );
    // The default 403 body names no scopes.
    let reply = send(&app, get_as("/scope/", "JohnRead")).await;
    assert_eq!(
        reply.body,
        detail("You do not have permission to perform this action.")
    );
}

#[actix_web::test]
async fn error_response_with_scopes_names_the_required_scopes_of_a_live_token() {
    let app = suite(OAuth2Settings {
        error_response_with_scopes: true,
        ..OAuth2Settings::default()
    })
    .await;
    let reply = send(&app, with_auth(get("/scope/"), bearer("JohnRead"))).await;
    assert_eq!(reply.status, 403);
    assert_eq!(
        reply.body,
        r#"{"detail":"You do not have permission to perform this action.","required_scopes":["read","write"]}"#
    );
    let reply = send(
        &app,
        with_auth(TestRequest::post().uri("/orders/"), bearer("JohnRead")),
    )
    .await;
    assert_eq!(
        reply.body,
        r#"{"detail":"You do not have permission to perform this action.","required_scopes":["orders:write"]}"#
    );
    // Composites carry no message (DRF's `OperandHolder`).
    let reply = send(&app, with_auth(get("/admin-or-scope/"), bearer("JohnRead"))).await;
    assert_eq!(
        reply.body,
        detail("You do not have permission to perform this action.")
    );
}

#[actix_web::test]
async fn a_resource_restricted_token_is_valid_only_under_its_resource() {
    let app = suite(OAuth2Settings::default()).await;
    let on = |path: &'static str, host: &'static str| {
        with_auth(get(path), bearer("ForApi")).insert_header(("host", host))
    };
    let reply = send(&app, on("/p/", "api.example.com")).await;
    assert_eq!(reply.status, 200, "{:?}", reply.www_authenticate);
    assert_eq!(
        send(&app, on("/p/", "API.EXAMPLE.COM:80")).await.status,
        200
    );
    for (path, host) in [("/scope/", "api.example.com"), ("/p/", "other.example.com")] {
        let reply = send(&app, on(path, host)).await;
        assert_eq!(reply.status, 401, "{path} {host}");
        assert_eq!(
            reply.www_authenticate.as_deref(),
            Some(refused_with("The access token is not valid for this resource.").as_str())
        );
    }
}

#[actix_web::test]
async fn the_challenge_is_the_first_schemes_own() {
    let app = suite(OAuth2Settings::default()).await;
    // TokenAuthentication first: its challenge (`Token`), not DOT's attributes.
    let reply = send(&app, with_auth(get("/token-first/"), bearer("Unknown"))).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.www_authenticate.as_deref(), Some("Token"));
    let reply = send(&app, with_auth(get("/token-first/"), bearer("JohnRead"))).await;
    assert_eq!(reply.status, 200);
}

#[actix_web::test]
async fn with_the_cache_on_a_hot_token_is_not_read_again_and_still_expires_on_time() {
    let clock = ManualClock::new();
    let settings = settings_builder()
        .clock(clock.clone())
        .auth_cache_ttl(std::time::Duration::from_secs(60))
        .build()
        .unwrap();
    let db = database_with_dot(&settings).await;
    let app = routes(&settings, &db).await;
    assert_eq!(status_on_p(&app, "JohnReadWrite").await, 200);
    assert_eq!(status_on_p(&app, "Unknown").await, 401);
    // Behind the library's back (DOT revoking, a new token with that text): within the TTL
    // the cache answers, both ways.
    db.execute_unprepared("DELETE FROM oauth2_provider_accesstoken WHERE token = 'JohnReadWrite'")
        .await
        .unwrap();
    db.execute_unprepared(&format!(
        "UPDATE oauth2_provider_accesstoken SET token_checksum = '{}' WHERE token = 'JohnRead'",
        auth_actix::store::oauth2_access_token::checksum("Unknown")
    ))
    .await
    .unwrap();
    let reply = send(&app, with_auth(get("/p/"), bearer("JohnReadWrite"))).await;
    assert_eq!(reply.status, 200, "answered from the cache");
    assert_eq!(status_on_p(&app, "Unknown").await, 401);
    // The cached row's own expiry still holds (2030-01-02).
    clock.advance(chrono::TimeDelta::seconds(59));
    assert_eq!(status_on_p(&app, "JohnReadWrite").await, 200);
    // Past the TTL the database is read again.
    clock.advance(chrono::TimeDelta::seconds(2));
    let reply = send(&app, with_auth(get("/p/"), bearer("JohnReadWrite"))).await;
    assert_eq!(
        reply.www_authenticate.as_deref(),
        Some(refused_with("The access token is invalid.").as_str())
    );
    assert_eq!(status_on_p(&app, "Unknown").await, 200);
}

#[actix_web::test]
async fn a_cached_token_expires_with_its_row() {
    let clock = ManualClock::new();
    let settings = settings_builder()
        .clock(clock.clone())
        .auth_cache_ttl(std::time::Duration::from_secs(7 * 86_400))
        .build()
        .unwrap();
    let db = database_with_dot(&settings).await;
    let app = routes(&settings, &db).await;
    assert_eq!(status_on_p(&app, "JohnRead").await, 200);
    clock.advance(chrono::TimeDelta::days(1));
    let reply = send(&app, with_auth(get("/p/"), bearer("JohnRead"))).await;
    assert_eq!(
        reply.www_authenticate.as_deref(),
        Some(refused_with("The access token has expired.").as_str())
    );
}

async fn per_client(
    _guard: auth_actix::PolicyGuard<OAuth2, AllowAny, auth_actix::OAuth2ClientRateThrottle>,
) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn oauth2_client_rate_throttle_keys_by_application_across_users() {
    let settings = settings_builder()
        .clock(ManualClock::new())
        .throttle_rate("oauth2_client", "2/min")
        .build()
        .unwrap();
    let db = database_with_dot(&settings).await;
    // A second application with a token of john's.
    db.execute_unprepared(
        "INSERT INTO oauth2_provider_application (redirect_uris, client_type, \
         authorization_grant_type, client_secret, name, skip_authorization, created, updated, \
         algorithm, post_logout_redirect_uris, hash_client_secret, allowed_origins, \
         registration_source, client_id) SELECT redirect_uris, client_type, \
         authorization_grant_type, client_secret, 'other', skip_authorization, created, updated, \
         algorithm, post_logout_redirect_uris, hash_client_secret, allowed_origins, \
         registration_source, 'other-client' FROM oauth2_provider_application WHERE id = 1",
    )
    .await
    .unwrap();
    db.execute_unprepared(&format!(
        "UPDATE oauth2_provider_accesstoken SET application_id = 2 WHERE token_checksum = '{}'",
        auth_actix::store::oauth2_access_token::checksum("JohnOrdersWrite")
    ))
    .await
    .unwrap();
    let app = app(&settings, &db, |routes| {
        routes.service(web::resource("/per-client/").route(web::get().to(per_client)));
    })
    .await;
    let status = |reply: Reply| reply.status;
    let call = |token: &'static str| with_auth(get("/per-client/"), bearer(token));
    // john's and admin's tokens of application 1 share its two requests a minute.
    assert_eq!(status(send(&app, call("JohnRead")).await), 200);
    assert_eq!(status(send(&app, call("Admin")).await), 200);
    let reply = send(&app, call("JohnReadWrite")).await;
    assert_eq!(reply.status, 429, "{}", reply.body);
    // Application 2 has its own history.
    assert_eq!(status(send(&app, call("JohnOrdersWrite")).await), 200);
    // A request no token authenticated is keyed by its client identity.
    assert_eq!(status(send(&app, get("/per-client/")).await), 200);
}

#[actix_web::test]
async fn a_row_stored_as_dot_stores_it_under_rfc_9700_token_storage_authenticates() {
    let settings = settings_builder().build().unwrap();
    let db = database_with_dot(&settings).await;
    // DOT's COMPLIANT_BCP_RFC9700_TOKEN_STORAGE keeps only the checksum: `token` is empty.
    db.execute_unprepared("UPDATE oauth2_provider_accesstoken SET token = '' WHERE id = 2")
        .await
        .unwrap();
    let app = routes(&settings, &db).await;
    let reply = send(&app, with_auth(get("/p/"), bearer("JohnRead"))).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, json_body("john", "AccessToken #2"));
}

// DOT 3.4.1's test_rest_framework.py, RFC 9728: `OAuth2ProtectedResourceAuthentication`.

const METADATA: &str = "http://testserver/o/.well-known/oauth-protected-resource";

/// The host Django's test client sends.
fn testserver(request: TestRequest) -> TestRequest {
    request.insert_header(("host", "testserver"))
}

#[actix_web::test]
async fn test_protected_resource_authentication_advertises_metadata() {
    let app = suite(OAuth2Settings::default()).await;
    let reply = send(&app, testserver(get("/protected-resource/"))).await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.www_authenticate.as_deref(),
        Some(format!(r#"Bearer realm="api",resource_metadata="{METADATA}""#).as_str())
    );
    // A live token authenticates as with `OAuth2Authentication`.
    let reply = send(
        &app,
        with_auth(get("/protected-resource/"), bearer("JohnRead")),
    )
    .await;
    assert_eq!(reply.body, json_body("john", "AccessToken #2"));
}

#[actix_web::test]
async fn test_protected_resource_authentication_metadata_with_invalid_token() {
    let app = suite(OAuth2Settings::default()).await;
    for (token, reason) in [
        ("fake-token", "The access token is invalid."),
        ("JohnExpired", "The access token has expired."),
    ] {
        let reply = send(
            &app,
            with_auth(testserver(get("/protected-resource/")), bearer(token)),
        )
        .await;
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (401, Reply::NOT_PROVIDED)
        );
        assert_eq!(
            reply.www_authenticate,
            Some(format!(
                r#"{},resource_metadata="{METADATA}""#,
                refused_with(reason)
            ))
        );
    }
}

#[actix_web::test]
async fn test_base_authentication_challenge_unchanged() {
    let app = suite(OAuth2Settings::default()).await;
    let reply = send(&app, get("/p/")).await;
    assert_eq!(reply.www_authenticate.as_deref(), Some(CHALLENGE));
}

#[actix_web::test]
async fn test_protected_resource_authentication_custom_metadata_url() {
    let custom = "https://api.example.com/.well-known/oauth-protected-resource/tenant1";
    let settings = OAuth2Settings::from_oauth2_provider(
        &serde_json::json!({ "PROTECTED_RESOURCE_METADATA_URL": custom }),
    )
    .unwrap();
    let app = suite(settings).await;
    let reply = send(&app, testserver(get("/protected-resource/"))).await;
    assert_eq!(
        reply.www_authenticate,
        Some(format!(
            r#"Bearer realm="api",resource_metadata="{custom}""#
        ))
    );
    // `None` (JSON null) leaves the parameter out.
    let off = OAuth2Settings::from_oauth2_provider(
        &serde_json::json!({ "PROTECTED_RESOURCE_METADATA_URL": null }),
    )
    .unwrap();
    let reply = send(&suite(off).await, testserver(get("/protected-resource/"))).await;
    assert_eq!(reply.www_authenticate.as_deref(), Some(CHALLENGE));
}

#[actix_web::test]
async fn the_protected_resource_metadata_document_is_dots() {
    let app = suite(OAuth2Settings::default()).await;
    let response = actix_web::test::call_service(
        &app,
        testserver(get("/o/.well-known/oauth-protected-resource/tenant1")).to_request(),
    )
    .await;
    assert_eq!(response.status(), 200);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    };
    assert_eq!(header("content-type").as_deref(), Some("application/json"));
    assert_eq!(header("access-control-allow-origin").as_deref(), Some("*"));
    let body = actix_web::test::read_body(response).await;
    assert_eq!(
        body,
        r#"{"resource": "http://testserver/o/tenant1", "authorization_servers": ["http://testserver/o"], "scopes_supported": ["read", "write"], "bearer_methods_supported": ["header"]}"#
    );
    let reply = send(
        &app,
        TestRequest::post().uri("/o/.well-known/oauth-protected-resource"),
    )
    .await;
    assert_eq!(
        (reply.status, reply.allow.as_deref()),
        (405, Some("GET, HEAD, OPTIONS"))
    );
}

// DOT 3.4.1's test_rest_framework.py: scope permissions behind another scheme, and tokens with a
// single scope.

#[actix_web::test]
async fn test_scope_missing_scope_attr_and_method_scope_alt_missing_scope_attr() {
    // A DRF token is no OAuth 2 token: refused (DOT #1169), with DOT's warning.
    let app = suite(OAuth2Settings::default()).await;
    let logs = CapturedLogs::default();
    let _guard = logs.set_default(tracing::Level::WARN);
    for (path, class) in [
        ("/scope-token-auth/", "TokenHasScope"),
        ("/oas-token-auth/", "TokenMatchesOASRequirements"),
    ] {
        let reply = send(&app, with_auth(get(path), "Token abcd1234")).await;
        assert_eq!(reply.status, 403, "{path}");
        assert_eq!(
            reply.body,
            detail("You do not have permission to perform this action.")
        );
        assert!(
            logs.text().contains(&format!(
                "{class} requires the `oauth2_provider.contrib.rest_framework.OAuth2Authentication` \
                 authentication class to be used."
            )),
            "{}",
            logs.text()
        );
    }
}

#[actix_web::test]
async fn test_method_scope_alt_missing_patch_method_warns_as_dot() {
    let app = suite(OAuth2Settings::default()).await;
    let logs = CapturedLogs::default();
    let _guard = logs.set_default(tracing::Level::WARN);
    let reply = send(
        &app,
        with_auth(TestRequest::patch().uri("/oas/"), bearer("JohnReadWrite")),
    )
    .await;
    assert_eq!(reply.status, 403);
    assert!(
        logs.text()
            .contains("no scope alternates defined for method PATCH"),
        "{}",
        logs.text()
    );
}

#[actix_web::test]
async fn test_authentication_or_scope_denied() {
    let app = suite(OAuth2Settings::default()).await;
    // No credentials, then an unknown token: not authenticated.
    assert_eq!(send(&app, get("/or-session/")).await.status, 401);
    assert_eq!(
        send(&app, with_auth(get("/or-session/"), bearer("fake-token")))
            .await
            .status,
        401
    );
    // A token without a user and without the scope: authenticated, refused.
    assert_eq!(
        send(&app, with_auth(get("/or-session/"), bearer("ClientOrders")))
            .await
            .status,
        403
    );
}

#[actix_web::test]
async fn single_scope_tokens_on_the_read_write_and_resource_permissions() {
    // test_read_write_permission_post_allow / _get_deny, test_resource_scoped_permission_get_allow
    // / _post_denied.
    let app = suite(OAuth2Settings::default()).await;
    for (method, path, token, want) in [
        ("POST", "/rw/", "JohnWrite", 200),
        ("GET", "/rw/", "JohnWrite", 403),
        ("GET", "/orders/", "JohnOrdersRead", 200),
        ("POST", "/orders/", "JohnOrdersRead", 403),
    ] {
        let request = TestRequest::default()
            .method(actix_web::http::Method::from_bytes(method.as_bytes()).unwrap())
            .uri(path);
        let reply = send(&app, with_auth(request, bearer(token))).await;
        assert_eq!(
            reply.status, want,
            "{method} {path} {token}: {}",
            reply.body
        );
    }
}

#[actix_web::test]
async fn the_metadata_document_is_refused_for_a_host_outside_allowed_hosts() {
    // `build_absolute_uri` → `get_host()`: Django's 400 page, so no client picks the URLs.
    let settings = settings_builder().build().unwrap();
    let db = database_with_dot(&settings).await;
    let app = routes(&settings, &db).await;
    let path = "/o/.well-known/oauth-protected-resource";
    for request in [get(path).insert_header(("host", "evil.example")), get(path)] {
        assert_eq!(send(&app, request).await.status, 400);
    }
    assert_eq!(send(&app, testserver(get(path))).await.status, 200);
}
