//! The library's app served on a free port of 127.0.0.1 by a real `HttpServer`, and raw HTTP/1.1
//! exchanges with it: what the "over real HTTP" tests use, so that what they check is what a
//! client on the network gets (actix-web's parser, the dispatcher's rendering of errors).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use actix_web::{HttpServer, web};
use auth_actix::settings::AuthSettingsBuilder;

/// Starts `auth_actix::app(settings, db)` with the routes `routes` registers on its own thread,
/// with one worker, on a database holding the reference's fixtures; returns its address.
pub fn serve<R>(settings: AuthSettingsBuilder, routes: R) -> SocketAddr
where
    R: Fn(&mut web::ServiceConfig) + Clone + Send + 'static,
{
    serve_with(move || async move { settings }, routes)
}

/// [`serve`] with settings made on the server's own runtime, for settings that hold a
/// connection bound to the runtime that opened it (a `RedisStore`).
pub fn serve_with<F, S, R>(settings: F, routes: R) -> SocketAddr
where
    F: FnOnce() -> S + Send + 'static,
    S: Future<Output = AuthSettingsBuilder>,
    R: Fn(&mut web::ServiceConfig) + Clone + Send + 'static,
{
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let settings = settings().await.build().unwrap();
            let db = crate::database(&settings).await;
            let server = HttpServer::new(move || {
                auth_actix::app(settings.clone(), db.clone()).configure(routes.clone())
            })
            .workers(1)
            .bind(("127.0.0.1", 0))
            .unwrap();
            sender.send(server.addrs()[0]).unwrap();
            server.run().await.unwrap();
        });
    });
    receiver.recv_timeout(Duration::from_secs(30)).unwrap()
}

/// A response as the client read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpReply {
    pub status: u16,
    /// Header lines in order, names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpReply {
    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Sends `request` (a whole HTTP/1.1 request; `Connection: close` is expected) and reads the
/// answer to the end.
pub fn exchange(address: SocketAddr, request: &[u8]) -> HttpReply {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    // The server may answer and close before the whole request is written.
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    parse(&answer)
}

fn parse(answer: &[u8]) -> HttpReply {
    let text = String::from_utf8_lossy(answer);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {text:?}"));
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    HttpReply {
        status,
        headers,
        body: body.to_owned(),
    }
}

/// A `GET` of `path` with `headers` (each ending in `\r\n`).
pub fn get(path: &str, headers: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: testserver\r\nConnection: close\r\n{headers}\r\n")
        .into_bytes()
}

/// A request of `method` on `path` with `headers` and `body` (its `Content-Length` added).
pub fn request(method: &str, path: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: testserver\r\nConnection: close\r\n{headers}\
         Content-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}
