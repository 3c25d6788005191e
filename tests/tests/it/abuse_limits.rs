//! Size limits on what a client sends, over real HTTP (a server on a free port of 127.0.0.1):
//! a request head over actix-web's 128 KiB buffer or with more than 96 headers gets 431, before
//! any library code runs; a 100 KiB `Cookie` or `Authorization` header within those limits is
//! parsed and refused like any other; a body over `max_body_size` gets 413 without being read
//! whole; and the server keeps answering afterwards.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use auth_actix::views::obtain_auth_token_resource;
use auth_actix::{IsAuthenticated, SessionAuthentication, TokenAuthentication};
use test_support::*;

/// Starts the server on its own thread and system; returns its address.
fn serve() -> SocketAddr {
    live_server::serve(settings_builder().max_body_size(4096), |config| {
        config
            .service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"))
            .service(route::<(SessionAuthentication,), IsAuthenticated>(
                "/session/",
            ))
            .service(obtain_auth_token_resource("/api-token-auth/"));
    })
}

/// Sends `head` (and `body`) on a new connection; returns the status line's code and the whole
/// answer.
fn exchange(address: SocketAddr, head: &str, body: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    // The server may answer and close before the whole request is written (431, 413).
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    (status, text)
}

fn raw_get(path: &str, headers: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: testserver\r\nConnection: close\r\n{headers}\r\n")
}

#[test]
fn oversized_requests_are_refused_and_the_server_keeps_answering() {
    let address = serve();
    let ok = |address| {
        exchange(
            address,
            &raw_get("/token/", "Authorization: Token abcd1234\r\n"),
            b"",
        )
    };
    assert_eq!(ok(address).0, 200);

    // A request head over 128 KiB: 431 from actix-web's parser.
    let huge = format!("Authorization: Token {}\r\n", "a".repeat(200 * 1024));
    assert_eq!(exchange(address, &raw_get("/token/", &huge), b"").0, 431);

    // More than 96 headers: 431 as well.
    let many: String = (0..120).map(|n| format!("X-Filler-{n}: {n}\r\n")).collect();
    assert_eq!(exchange(address, &raw_get("/token/", &many), b"").0, 431);

    // Within the limits, long credentials are parsed and refused as usual.
    let long_token = format!("Authorization: Token {}\r\n", "a".repeat(100 * 1024));
    let (status, answer) = exchange(address, &raw_get("/token/", &long_token), b"");
    assert_eq!(status, 401);
    assert!(
        answer.ends_with(r#"{"detail":"Invalid token."}"#),
        "{answer}"
    );
    let cookies: String = (0..4000).map(|n| format!("c{n}=v{n}; ")).collect();
    let long_cookie = format!("Cookie: {cookies}sessionid={}\r\n", "x".repeat(20 * 1024));
    let (status, answer) = exchange(address, &raw_get("/session/", &long_cookie), b"");
    assert_eq!(status, 403);
    assert!(
        answer.ends_with(r#"{"detail":"Authentication credentials were not provided."}"#),
        "{answer}"
    );

    // A body over max_body_size (4096 here): 413, whatever Content-Length promises.
    let body = vec![b'a'; 64 * 1024];
    let head = format!(
        "POST /api-token-auth/ HTTP/1.1\r\nHost: testserver\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    assert_eq!(exchange(address, &head, &body).0, 413);

    assert_eq!(ok(address).0, 200, "still serving");
}
