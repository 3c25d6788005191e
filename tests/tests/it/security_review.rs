//! The findings of an independent security review, each reproduced over real HTTP (a server on a
//! free port of 127.0.0.1) and each failing without its fix.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use actix_web::web;
use auth_actix::throttling::UserRateThrottle;
use auth_actix::views::{knox_endpoints, obtain_auth_token_resource, session_endpoints};
use auth_actix::{
    Auth, BasicAuthentication, IsAuthenticated, RemoteUserAuthentication, SessionAuthentication,
    TokenAuthentication, authentication_classes, permission_classes, throttle_classes,
};
use test_support::live_server::{HttpReply, exchange, get, request, serve};
use test_support::*;

const GUESS: &str = "Authorization: Basic am9objpndWVzcw==\r\n"; // john:guess

/// Password guesses sent as `-u john:guess` to the login endpoints are counted by the login
/// throttle like guesses in the body: the 11th attempt of a client in a minute is a 429, before
/// any password is checked. (Before: the guard's Basic check refused each guess with 403 ahead of
/// the throttle, which never counted one.)
#[test]
fn the_login_throttle_counts_guesses_carried_by_basic_authentication() {
    for path in ["/api-token-auth/", "/knox/login/"] {
        // A server each: the two endpoints share the `login` scope's bucket.
        let address = serve(settings_builder(), |config| {
            config
                .service(obtain_auth_token_resource("/api-token-auth/"))
                .service(web::scope("/knox").configure(knox_endpoints));
        });
        for attempt in 1..=10 {
            let reply = exchange(address, &request("POST", path, GUESS, b""));
            assert_eq!(reply.status, 403, "{path} attempt {attempt}: {reply:?}");
            assert_eq!(reply.body, detail("Invalid username/password."));
        }
        for _ in 0..3 {
            let reply = exchange(address, &request("POST", path, GUESS, b""));
            assert_eq!(reply.status, 429, "{path}: {reply:?}");
        }
        // Even the right password waits now: the throttle comes first.
        let right = format!("Authorization: {}\r\n", basic(b"john:password"));
        let reply = exchange(address, &request("POST", path, &right, b""));
        assert_eq!(reply.status, 429, "{path}: {reply:?}");
    }
}

#[authentication_classes(SessionAuthentication, BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn guarded(auth: Auth) -> String {
    auth.user().to_string()
}

/// Writes `head` and waits for an answer without sending the body it announces; returns the
/// answer and how long it took.
fn answer_without_body(address: SocketAddr, head: &str) -> (u16, Duration) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let started = Instant::now();
    stream.write_all(head.as_bytes()).unwrap();
    let mut answer = [0_u8; 4096];
    let read = stream.read(&mut answer).unwrap_or(0);
    let text = String::from_utf8_lossy(&answer[..read]).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (status, started.elapsed())
}

/// A `sessionid` cookie no longer makes the guard read a POST body before authentication: a
/// request with an invented cookie and a body that never comes is answered at once. The body is
/// read only for a real session user whose POST needs the CSRF form field, and that read, like
/// the login views' own body reads, is bounded in time.
#[test]
fn a_session_cookie_does_not_hold_the_request_on_its_body() {
    let address = serve(
        settings_builder().authentication_timeout(Duration::from_secs(1)),
        |config| {
            config
                .route("/guarded/", web::post().to(guarded))
                .service(obtain_auth_token_resource("/api-token-auth/"))
                .service(web::scope("/auth").configure(session_endpoints));
        },
    );
    let stalled = |path: &str, cookie: &str, extra: &str| {
        format!(
            "POST {path} HTTP/1.1\r\nHost: testserver\r\nCookie: {cookie}\r\n{extra}\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000000\r\n\r\n"
        )
    };
    let (status, took) = answer_without_body(address, &stalled("/guarded/", "sessionid=x", ""));
    assert_eq!(status, 403, "anonymous: not provided");
    assert!(took < Duration::from_secs(1), "held for {took:?}");

    // The login view's own body read is bounded by the authentication timeout (1 s here).
    let (status, took) = answer_without_body(address, &stalled("/api-token-auth/", "a=b", ""));
    assert_eq!(status, 400);
    assert!(took < Duration::from_secs(5), "held for {took:?}");

    // A real session user's POST: the CSRF check reads the body, within the pipeline's bound.
    let session = log_in(address);
    let (status, took) = answer_without_body(
        address,
        &stalled("/guarded/", &format!("sessionid={session}"), ""),
    );
    assert_eq!(status, 503, "the pipeline's timeout");
    assert!(took < Duration::from_secs(5), "held for {took:?}");
}

/// Logs john in through the session endpoints; returns the session key.
fn log_in(address: SocketAddr) -> String {
    let csrf = exchange(address, &get("/auth/csrf/", ""));
    let cookie = set_cookie(&csrf, "csrftoken");
    let token: serde_json::Value = serde_json::from_str(&csrf.body).unwrap();
    let token = token["csrf_token"].as_str().unwrap().to_owned();
    let reply = exchange(
        address,
        &request(
            "POST",
            "/auth/login/",
            &format!(
                "Cookie: csrftoken={cookie}\r\nX-CSRFToken: {token}\r\n\
                 Content-Type: application/json\r\n"
            ),
            br#"{"username":"john","password":"password"}"#,
        ),
    );
    assert_eq!(reply.status, 200, "{reply:?}");
    set_cookie(&reply, "sessionid")
}

fn set_cookie(reply: &HttpReply, name: &str) -> String {
    reply
        .headers
        .iter()
        .filter(|(key, _)| key == "set-cookie")
        .find_map(|(_, value)| value.strip_prefix(&format!("{name}=")))
        .and_then(|rest| rest.split(';').next())
        .unwrap_or_else(|| panic!("no {name} cookie in {reply:?}"))
        .to_owned()
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes()]
#[throttle_classes(UserRateThrottle)]
async fn counted(auth: Auth) -> String {
    auth.user().to_string()
}

/// An anonymous client that names itself `1` (user john's primary key) in `X-Forwarded-For`
/// does not spend john's bucket: anonymous identities and users' keys are kept apart.
#[test]
fn an_anonymous_identity_cannot_spend_a_users_throttle_bucket() {
    let address = serve(
        settings_builder().throttle_rate("user", "3/min"),
        |config| {
            config.route("/counted/", web::get().to(counted));
        },
    );
    for _ in 0..3 {
        let reply = exchange(address, &get("/counted/", "X-Forwarded-For: 1\r\n"));
        assert_eq!(reply.status, 200);
    }
    let reply = exchange(address, &get("/counted/", "X-Forwarded-For: 1\r\n"));
    assert_eq!(reply.status, 429, "the anonymous bucket is spent");
    let john = format!("Authorization: {}\r\n", basic(b"john:password"));
    let reply = exchange(address, &get("/counted/", &john));
    assert_eq!((reply.status, reply.body.as_str()), (200, "john"));
}

#[authentication_classes(TokenAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn token_view(auth: Auth) -> String {
    auth.user().to_string()
}

#[authentication_classes(RemoteUserAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn remote_view(auth: Auth) -> String {
    auth.user().to_string()
}

/// A header sent on several lines is read as Django behind gunicorn reads it: the lines joined
/// by `,`. Two `Authorization` lines are one malformed header; two `X-Forwarded-For` lines are
/// one list (whose last entry is the client behind one proxy); two `X-Remote-User` lines name no
/// existing user. (Before: only the first line was read.)
#[test]
fn repeated_header_lines_are_joined_as_wsgi_servers_join_them() {
    let address = serve(
        settings_builder()
            .num_proxies(1)
            .throttle_rate("user", "1/min")
            .remote_user_header("X-Remote-User")
            .remote_user_create_unknown(false),
        |config| {
            config
                .route("/token/", web::get().to(token_view))
                .route("/counted/", web::get().to(counted))
                .route("/remote/", web::get().to(remote_view));
        },
    );
    let reply = exchange(
        address,
        &get(
            "/token/",
            "Authorization: Token abcd1234\r\nAuthorization: Token other\r\n",
        ),
    );
    assert_eq!(reply.status, 401, "{reply:?}");
    assert_eq!(
        reply.body,
        detail("Invalid token header. Token string should not contain spaces.")
    );
    let reply = exchange(
        address,
        &get("/token/", "Authorization: Token abcd1234\r\n"),
    );
    assert_eq!((reply.status, reply.body.as_str()), (200, "john"));

    // Behind one proxy, the client is the last entry of the joined list: 2.2.2.2.
    let reply = exchange(
        address,
        &get(
            "/counted/",
            "X-Forwarded-For: 1.1.1.1\r\nX-Forwarded-For: 2.2.2.2\r\n",
        ),
    );
    assert_eq!(reply.status, 200);
    let reply = exchange(address, &get("/counted/", "X-Forwarded-For: 2.2.2.2\r\n"));
    assert_eq!(reply.status, 429, "the same client as the two lines");
    let reply = exchange(address, &get("/counted/", "X-Forwarded-For: 1.1.1.1\r\n"));
    assert_eq!(reply.status, 200, "another client");

    let reply = exchange(
        address,
        &get(
            "/remote/",
            "X-Remote-User: john\r\nX-Remote-User: admin\r\n",
        ),
    );
    assert_ne!(reply.body, "john", "{reply:?}");
    assert_ne!(reply.status, 200, "{reply:?}");
    let reply = exchange(address, &get("/remote/", "X-Remote-User: john\r\n"));
    assert_eq!((reply.status, reply.body.as_str()), (200, "john"));
}

/// `ALLOWED_HOSTS` is enforced on guarded routes as Django enforces it: a host outside it (a DNS
/// name rebound to the loopback server) gets Django's 400 page; the default allows the loopback
/// names only.
#[test]
fn a_host_outside_allowed_hosts_gets_djangos_400() {
    let address = serve(
        settings_builder()
            .allowed_hosts(auth_actix::settings::DEFAULT_ALLOWED_HOSTS.iter().copied()),
        |config| {
            config.route("/token/", web::get().to(token_view));
        },
    );
    let token = "Authorization: Token abcd1234\r\n";
    let with_host = |host: &str| {
        format!("GET /token/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{token}\r\n")
            .into_bytes()
    };
    for host in [
        "127.0.0.1",
        "127.0.0.1:8000",
        "localhost:8000",
        "api.localhost",
        "[::1]:80",
    ] {
        let reply = exchange(address, &with_host(host));
        assert_eq!((reply.status, reply.body.as_str()), (200, "john"), "{host}");
    }
    for host in [
        "attacker.example",
        "attacker.example:8000",
        "127.0.0.1.nip.io",
    ] {
        let reply = exchange(address, &with_host(host));
        assert_eq!(reply.status, 400, "{host}: {reply:?}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(reply.body, auth_core::messages::BAD_REQUEST_PAGE);
    }
}
