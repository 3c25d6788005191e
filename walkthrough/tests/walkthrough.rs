//! The walkthrough service as a new user runs it: the README's snippet (checked to be this
//! crate's `src/main.rs`, so neither drifts), started as a debug binary on a fresh SQLite file,
//! asked with Basic, Token, a session and the API key over real HTTP.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use auth_actix::AuthSettings;
use auth_actix::authentication::{UserFields, create_user};
use auth_actix::store;

const SECRET_KEY: &str = "walkthrough-test-secret-key-of-fifty-characters-xx";
const API_KEY: &str = "service-key-0123456789";

/// The README's "Use it in your own crate" Rust block.
fn readme_snippet() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("the repository's README");
    let section = readme
        .split("## Use it in your own crate")
        .nth(1)
        .expect("the README's section");
    let start = section.find("```rust\n").expect("a Rust block") + "```rust\n".len();
    let end = start + section[start..].find("```").expect("its end");
    section[start..end].to_owned()
}

#[test]
fn the_readme_shows_this_crates_main() {
    let main = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/main.rs"))
        .expect("src/main.rs");
    assert_eq!(
        readme_snippet(),
        main,
        "the README's snippet and src/main.rs differ"
    );
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case("set-cookie"))
            .find_map(|(_, value)| value.strip_prefix(&format!("{name}=")))
            .map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_default()
    }
}

/// One HTTP/1.1 request on its own connection.
fn request(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let mut text = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(body);
    stream.write_all(text.as_bytes()).expect("send");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).expect("read");
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body: body.to_owned(),
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

#[actix_web::test]
async fn token_session_basic_and_an_api_key_without_a_user_row() {
    let dir = std::env::temp_dir().join(format!("walkthrough-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a directory");
    let database = format!("sqlite://{}?mode=rwc", dir.join("walkthrough.db").display());
    // The user, made with the library as an admin command would (Django's default 1 500 000
    // PBKDF2 iterations, as the service checks them).
    let settings = AuthSettings::builder()
        .secret_key(SECRET_KEY)
        .database_url(&database)
        .build()
        .expect("settings");
    let db = store::connect_and_migrate(&database)
        .await
        .expect("database");
    let fields = UserFields {
        password: Some("alice-password"),
        ..UserFields::default()
    };
    let alice = create_user(&settings.environment(db.clone()), "alice", fields)
        .await
        .expect("alice");
    let token = store::token::get_or_create(&db, alice.id)
        .await
        .expect("a token")
        .key;

    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_walkthrough"))
        .current_dir(&dir)
        .env("DRF_AUTH_SECRET_KEY", SECRET_KEY)
        .env("DRF_AUTH_DATABASE_URL", &database)
        .env("PORT", port.to_string())
        .env("SERVICE_API_KEY", API_KEY)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the walkthrough binary");
    let _server = Server(child);
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let refused = request(port, "GET", "/me/", &[], "");
    assert_eq!(refused.status, 401, "{}", refused.body);
    assert_eq!(refused.header("www-authenticate"), Some("Token"));

    // Basic, in this debug build, with the hashing crates optimised as the README says.
    let basic = "Basic YWxpY2U6YWxpY2UtcGFzc3dvcmQ="; // alice:alice-password
    let asked = Instant::now();
    let answer = request(port, "GET", "/me/", &[("Authorization", basic)], "");
    let took = asked.elapsed();
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        answer.json(),
        serde_json::json!({"user": "alice", "scheme": "BasicAuthentication"})
    );
    assert!(took < Duration::from_secs(1), "a Basic login took {took:?}");

    let answer = request(
        port,
        "GET",
        "/me/",
        &[("Authorization", &format!("Token {token}"))],
        "",
    );
    assert_eq!(
        answer.json(),
        serde_json::json!({"user": "alice", "scheme": "TokenAuthentication"})
    );

    let answer = request(port, "GET", "/me/", &[("X-Api-Key", API_KEY)], "");
    assert_eq!(
        answer.json(),
        serde_json::json!({"user": "TokenUser billing", "scheme": "ApiKeyAuthentication"})
    );
    let wrong = request(port, "GET", "/me/", &[("X-Api-Key", "nope")], "");
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.body, r#"{"detail":"Invalid API key."}"#);

    // A session, as a browser gets it: the CSRF cookie, then the login form as JSON.
    let page = request(port, "GET", "/auth/csrf/", &[], "");
    let csrf = page.cookie("csrftoken").expect("a csrftoken cookie");
    let masked = page.json()["csrf_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let login = request(
        port,
        "POST",
        "/auth/login/",
        &[
            ("Cookie", &format!("csrftoken={csrf}")),
            ("X-CSRFToken", &masked),
            ("Origin", &format!("http://127.0.0.1:{port}")),
            ("Content-Type", "application/json"),
        ],
        r#"{"username":"alice","password":"alice-password"}"#,
    );
    assert_eq!(login.status, 200, "{}", login.body);
    let session = login.cookie("sessionid").expect("a session cookie");
    let answer = request(
        port,
        "GET",
        "/me/",
        &[("Cookie", &format!("sessionid={session}"))],
        "",
    );
    assert_eq!(
        answer.json(),
        serde_json::json!({"user": "alice", "scheme": "SessionAuthentication"})
    );
    let _ = std::fs::remove_dir_all(&dir);
}
