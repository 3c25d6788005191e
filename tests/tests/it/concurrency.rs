//! Password hashing runs off the async worker: while two Basic requests hash at Django's full
//! 1,500,000 PBKDF2 iterations, a Token request on the same single worker is answered at once.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use actix_web::{App, HttpServer};
use auth_actix::{BasicAuthentication, IsAuthenticated, TokenAuthentication};
use test_support::*;

/// A minimal HTTP/1.1 GET over a fresh connection; returns the status and when it completed.
fn get_over_tcp(address: SocketAddr, path: &str, authorization: &str) -> (u16, Instant) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: {authorization}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let done = Instant::now();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (status, done)
}

#[actix_web::test]
async fn concurrent_basic_hashing_does_not_block_a_token_request_on_the_same_worker() {
    // The real iteration count, so that each Basic request costs hundreds of milliseconds.
    let settings = settings_builder()
        .pbkdf2_iterations(1_500_000)
        .build()
        .unwrap();
    let db = database(&settings).await;

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let server = {
        let (settings, db) = (settings.clone(), db.clone());
        HttpServer::new(move || {
            App::new()
                .configure(auth_actix::configure(settings.clone(), db.clone()))
                .service(route::<(BasicAuthentication,), IsAuthenticated>("/basic/"))
                .service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run()
    };
    let handle = server.handle();
    actix_web::rt::spawn(server);

    let outcome = actix_web::rt::task::spawn_blocking(move || {
        let basic_header = basic(b"john:password");
        let basics: Vec<_> = (0..2)
            .map(|_| {
                let header = basic_header.clone();
                std::thread::spawn(move || get_over_tcp(address, "/basic/", &header))
            })
            .collect();
        // Let both Basic requests reach the worker and start hashing.
        std::thread::sleep(Duration::from_millis(50));
        let token_started = Instant::now();
        let (token_status, token_done) = get_over_tcp(address, "/token/", "Token abcd1234");
        let basics: Vec<(u16, Instant)> = basics.into_iter().map(|b| b.join().unwrap()).collect();
        (token_status, token_started, token_done, basics)
    })
    .await
    .unwrap();
    handle.stop(true).await;

    let (token_status, token_started, token_done, basics) = outcome;
    assert_eq!(token_status, 200);
    for (status, _) in &basics {
        assert_eq!(*status, 200);
    }
    let first_basic_done = basics.iter().map(|(_, done)| *done).min().unwrap();
    assert!(
        token_done < first_basic_done,
        "the token request waited for hashing: answered {:?} after it started, the first Basic \
         request finished {:?} after the token request started",
        token_done - token_started,
        first_basic_done.saturating_duration_since(token_started),
    );
}
