//! Runs every example program as its documented command does and checks, over HTTP, the answers
//! its docs promise.
//!
//! Each example serves on a free port this test chose (`PORT`, or `PORTS` for `multi_instance`),
//! so a port held by another process cannot answer in its place. `multi_instance`
//! needs PostgreSQL and Redis, `django_adoption` the Django environment of `parity/setup.sh`:
//! without them those two are reported as **ignored**, with the reason, never as passed; with
//! `AUTH_REQUIRE_EXTERNAL_SUITES=1` (set by `.ci/run`) they fail instead.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use libtest_mimic::{Arguments, Failed, Trial};

type Outcome = Result<(), Failed>;

/// A running example, stopped when dropped.
struct Running {
    child: Child,
    name: &'static str,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Nanoseconds since the epoch: a suffix no earlier run used.
fn stamp() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos())
}

/// A port of 127.0.0.1 that nothing listens on now: the kernel's choice for a listener that is
/// closed at once, for the example to take.
fn free_port() -> Result<u16, Failed> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0))
        .map_err(|error| format!("no free port: {error}"))?;
    let port = listener
        .local_addr()
        .map_err(|error| format!("no free port: {error}"))?
        .port();
    Ok(port)
}

/// A fresh working directory (the examples create their SQLite files in it).
fn workdir(name: &str) -> Result<PathBuf, Failed> {
    let dir = std::env::temp_dir().join(format!(
        "auth-example-{name}-{}-{}",
        std::process::id(),
        stamp()
    ));
    std::fs::create_dir_all(&dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    Ok(dir)
}

/// Starts `binary` in `dir` with `env` and waits until it accepts connections on `port`.
fn start(
    name: &'static str,
    binary: &str,
    dir: &Path,
    env: &[(&str, &str)],
    ports: &[u16],
) -> Result<Running, Failed> {
    let mut command = Command::new(binary);
    command
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("SECRET_KEY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let child = command
        .spawn()
        .map_err(|error| format!("cannot start {name}: {error}"))?;
    let mut running = Running { child, name };
    let deadline = Instant::now() + Duration::from_secs(120);
    for &port in ports {
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        loop {
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                break;
            }
            if let Ok(Some(status)) = running.child.try_wait() {
                let mut stderr = String::new();
                if let Some(pipe) = running.child.stderr.as_mut() {
                    let _ = pipe.read_to_string(&mut stderr);
                }
                return Err(
                    format!("{name} exited with {status} before listening: {stderr}").into(),
                );
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "{} did not listen on port {port} within 120 s",
                    running.name
                )
                .into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    Ok(running)
}

/// One answer: status, headers (lower-case names) and body.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn json(&self) -> Result<serde_json::Value, Failed> {
        serde_json::from_str(&self.body)
            .map_err(|error| format!("not JSON ({error}): {self:?}").into())
    }
}

/// Sends one HTTP/1.1 request (`Connection: close`) and reads the whole answer.
fn send(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<Answer, Failed> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .map_err(|error| format!("connect {port}: {error}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|error| error.to_string())?;
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream
        .write_all(request.as_bytes())
        .map_err(|error| format!("write: {error}"))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|error| format!("read: {error}"))?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").ok_or("no end of headers")?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or("no status line")?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    Ok(Answer {
        status,
        headers,
        body: body.to_owned(),
    })
}

fn get(port: u16, path: &str, headers: &[(&str, &str)]) -> Result<Answer, Failed> {
    send(port, "GET", path, headers, "")
}

fn expect(condition: bool, what: impl FnOnce() -> String) -> Outcome {
    if condition {
        Ok(())
    } else {
        Err(what().into())
    }
}

fn expect_status(answer: &Answer, status: u16, what: &str) -> Outcome {
    expect(answer.status == status, || {
        format!("{what}: expected {status}, got {answer:?}")
    })
}

fn basic(user: &str, password: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

const NOT_PERMITTED: &str = r#"{"detail":"You do not have permission to perform this action."}"#;
const NOT_PROVIDED: &str = r#"{"detail":"Authentication credentials were not provided."}"#;

fn quickstart() -> Outcome {
    let dir = workdir("quickstart")?;
    let port = free_port()?;
    let port_text = port.to_string();
    let _server = start(
        "quickstart",
        env!("CARGO_BIN_EXE_quickstart"),
        &dir,
        &[("PORT", &port_text)],
        &[port],
    )?;
    expect_status(&get(port, "/open/", &[])?, 200, "GET /open/")?;
    // The realm comes from examples/quickstart.toml.
    let refused = get(port, "/basic/", &[])?;
    expect(
        refused.header("www-authenticate") == Some("Basic realm=\"quickstart\""),
        || format!("challenge: {refused:?}"),
    )?;
    let refused = get(port, "/token/", &[])?;
    expect_status(&refused, 401, "GET /token/ without credentials")?;
    expect(refused.header("www-authenticate") == Some("Token"), || {
        format!("challenge: {refused:?}")
    })?;
    let answer = get(
        port,
        "/basic/",
        &[("Authorization", &basic("demo", "demo-password"))],
    )?;
    expect_status(&answer, 200, "GET /basic/ as demo")?;
    expect(answer.json()?["user"] == "demo", || format!("{answer:?}"))?;
    // The obtain-token endpoint, then the token.
    let obtained = send(
        port,
        "POST",
        "/api-token-auth/",
        &[("Content-Type", "application/json")],
        r#"{"username":"demo","password":"demo-password"}"#,
    )?;
    expect_status(&obtained, 200, "POST /api-token-auth/")?;
    let token = obtained.json()?["token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let answer = get(
        port,
        "/token/",
        &[("Authorization", &format!("Token {token}"))],
    )?;
    expect_status(&answer, 200, "GET /token/ with the token")
}

fn x_username() -> Outcome {
    let dir = workdir("x_username")?;
    let port = free_port()?;
    let port_text = port.to_string();
    let _server = start(
        "x_username",
        env!("CARGO_BIN_EXE_x_username"),
        &dir,
        &[("PORT", &port_text)],
        &[port],
    )?;
    let answer = get(port, "/whoami/", &[("X-Username", "demo")])?;
    expect_status(&answer, 200, "X-Username: demo")?;
    expect(answer.body == r#"{"user":"demo"}"#, || {
        format!("{answer:?}")
    })?;
    let answer = get(port, "/whoami/", &[("X-Username", "nobody")])?;
    expect_status(&answer, 403, "X-Username: nobody")?;
    expect(answer.body == r#"{"detail":"No such user"}"#, || {
        format!("{answer:?}")
    })
}

fn object_permissions() -> Outcome {
    let dir = workdir("object_permissions")?;
    let port = free_port()?;
    let port_text = port.to_string();
    let _server = start(
        "object_permissions",
        env!("CARGO_BIN_EXE_object_permissions"),
        &dir,
        &[("PORT", &port_text)],
        &[port],
    )?;
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let read = get(port, "/notes/1/", &[])?;
    expect_status(&read, 200, "anyone reads note 1")?;
    let bob = basic("bob", "bob-password");
    let answer = send(
        port,
        "PUT",
        "/notes/1/",
        &[form[0], ("Authorization", &bob)],
        "text=mine+now",
    )?;
    expect_status(&answer, 403, "bob edits alice's note")?;
    expect(answer.body == NOT_PERMITTED, || format!("{answer:?}"))?;
    let answer = send(port, "PUT", "/notes/1/", &form, "text=anonymous")?;
    expect_status(&answer, 401, "an anonymous edit")?;
    let alice = basic("alice", "alice-password");
    let answer = send(
        port,
        "PUT",
        "/notes/1/",
        &[form[0], ("Authorization", &alice)],
        "text=edited",
    )?;
    expect_status(&answer, 200, "alice edits her note")?;
    // Bob's refused edit wrote nothing; alice's did.
    let read = get(port, "/notes/1/", &[])?;
    expect(read.json()?["text"] == "edited", || format!("{read:?}"))?;
    expect_status(&get(port, "/notes/9/", &[])?, 404, "a missing note")
}

fn scope_defaults() -> Outcome {
    let dir = workdir("scope_defaults")?;
    let port = free_port()?;
    let port_text = port.to_string();
    let _server = start(
        "scope_defaults",
        env!("CARGO_BIN_EXE_scope_defaults"),
        &dir,
        &[("PORT", &port_text)],
        &[port],
    )?;
    let staff = basic("staff", "staff-password");
    let member = basic("member", "member-password");
    let answer = get(port, "/account/", &[])?;
    expect_status(&answer, 401, "project default IsAuthenticated")?;
    expect(answer.body == NOT_PROVIDED, || format!("{answer:?}"))?;
    expect(answer.header("www-authenticate") == Some("Token"), || {
        format!("project default Token: {answer:?}")
    })?;
    expect_status(&get(port, "/public/news/", &[])?, 200, "/public/ AllowAny")?;
    let answer = get(port, "/internal/stats/", &[("Authorization", &staff)])?;
    expect_status(&answer, 200, "/internal/ staff with Basic")?;
    expect(answer.json()?["scheme"] == "BasicAuthentication", || {
        format!("{answer:?}")
    })?;
    let answer = get(port, "/internal/stats/", &[("Authorization", &member)])?;
    expect_status(&answer, 403, "/internal/ IsAdminUser refuses a member")?;
    expect_status(
        &get(port, "/internal/status/", &[("Authorization", &member)])?,
        200,
        "the view's own IsAuthenticated wins over the scope's",
    )?;
    let answer = get(port, "/internal/stats/", &[])?;
    expect(
        answer.header("www-authenticate") == Some(r#"Basic realm="api""#),
        || format!("/internal/ challenges with Basic: {answer:?}"),
    )
}

fn openapi() -> Outcome {
    let dir = workdir("openapi")?;
    let port = free_port()?;
    let port_text = port.to_string();
    let _server = start(
        "openapi",
        env!("CARGO_BIN_EXE_openapi"),
        &dir,
        &[("PORT", &port_text)],
        &[port],
    )?;
    let answer = get(port, "/openapi.json", &[])?;
    expect_status(&answer, 200, "GET /openapi.json")?;
    let document = answer.json()?;
    let paths = &document["paths"];
    expect(
        paths["/articles/"]["get"]["security"]
            == serde_json::json!([{ "TokenAuthentication": [] }, { "SessionAuthentication": [] }, {}]),
        || format!("GET /articles/: {}", paths["/articles/"]["get"]),
    )?;
    expect(
        paths["/admin/stats/"]["get"]["security"]
            == serde_json::json!([{ "SessionAuthentication": [] }, { "BasicAuthentication": [] }]),
        || format!("GET /admin/stats/: {}", paths["/admin/stats/"]["get"]),
    )?;
    expect(
        paths["/health/"]["get"]["security"] == serde_json::json!([{}])
            && paths["/health/"]["get"]["x-login-not-required"] == serde_json::json!(true),
        || format!("GET /health/: {}", paths["/health/"]["get"]),
    )?;
    expect_status(&get(port, "/health/", &[])?, 200, "anonymous GET /health/")?;
    // What the document says is what the server does.
    expect_status(
        &get(port, "/articles/", &[])?,
        200,
        "anonymous GET /articles/",
    )?;
    expect_status(
        &send(port, "POST", "/articles/", &[], "")?,
        401,
        "anonymous POST /articles/",
    )
}

/// The parity environment's interpreter, if `parity/setup.sh` made it.
fn parity_python() -> Result<PathBuf, String> {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let venv = std::env::var_os("PARITY_VENV")
        .map_or_else(|| repository.join("parity/.venv"), PathBuf::from);
    let python = venv.join("bin/python");
    let probe = Command::new(&python)
        .args(["-c", "import django, rest_framework, knox"])
        .output();
    match probe {
        Ok(output) if output.status.success() => Ok(python),
        _ => Err(format!(
            "no Django environment at {}: run `bash parity/setup.sh`",
            venv.display()
        )),
    }
}

fn django_adoption(python: PathBuf) -> Outcome {
    let dir = workdir("django_adoption")?;
    let database = format!("sqlite://{}/django.sqlite3", dir.display());
    let secret = "django-insecure-adoption-test";
    let manage = Path::new(env!("CARGO_MANIFEST_DIR")).join("../parity/django_project/manage.py");
    let django = |args: &[&str]| -> Result<String, Failed> {
        let output = Command::new(&python)
            .arg(&manage)
            .args(args)
            .current_dir(&dir)
            .env("DATABASE_URL", &database)
            .env("SECRET_KEY", secret)
            .env("DJANGO_SUPERUSER_PASSWORD", "admin-password")
            .output()
            .map_err(|error| format!("manage.py {args:?}: {error}"))?;
        if !output.status.success() {
            return Err(format!(
                "manage.py {args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            )
            .into());
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    };
    django(&["migrate", "--noinput"])?;
    django(&[
        "createsuperuser",
        "--noinput",
        "--username",
        "admin",
        "--email",
        "admin@example.com",
    ])?;
    let created = django(&["drf_create_token", "admin"])?;
    let token = created
        .split_whitespace()
        .nth(2)
        .ok_or_else(|| format!("no token in {created:?}"))?
        .to_owned();

    let port = free_port()?;
    let port_text = port.to_string();
    let _server = start(
        "django_adoption",
        env!("CARGO_BIN_EXE_django_adoption"),
        &dir,
        &[
            ("DATABASE_URL", &database),
            ("SECRET_KEY", secret),
            ("PORT", &port_text),
        ],
        &[port],
    )?;
    let answer = get(
        port,
        "/whoami/",
        &[("Authorization", &format!("Token {token}"))],
    )?;
    expect_status(&answer, 200, "Django's DRF token")?;
    expect(answer.json()?["user"] == "admin", || format!("{answer:?}"))?;
    let answer = get(
        port,
        "/whoami/",
        &[("Authorization", &basic("admin", "admin-password"))],
    )?;
    expect_status(&answer, 200, "Django's password hash")?;
    expect_status(
        &get(port, "/whoami/", &[])?,
        403,
        "no credentials (Session first: 403)",
    )
}

/// The servers `multi_instance` needs, or why they are missing.
fn multi_instance_servers() -> Result<(String, String), String> {
    let database = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let redis = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned());
    for (name, port) in [("PostgreSQL", 5432), ("Redis", 6379)] {
        TcpStream::connect_timeout(
            &SocketAddr::from(([127, 0, 0, 1], port)),
            Duration::from_secs(2),
        )
        .map_err(|error| format!("{name} does not answer on 127.0.0.1:{port}: {error}"))?;
    }
    Ok((database, redis))
}

fn multi_instance((database, redis): (String, String)) -> Outcome {
    let dir = workdir("multi_instance")?;
    // A user of its own each run, so that its throttle history in Redis starts empty.
    let user = format!("multi-{}", stamp());
    let ports = [free_port()?, free_port()?, free_port()?];
    let [first, second, third] = ports;
    let port_list = format!("{first},{second},{third}");
    let _server = start(
        "multi_instance",
        env!("CARGO_BIN_EXE_multi_instance"),
        &dir,
        &[
            ("DATABASE_URL", &database),
            ("REDIS_URL", &redis),
            ("DEMO_USER", &user),
            ("PORTS", &port_list),
        ],
        &ports,
    )?;
    let obtained = send(
        first,
        "POST",
        "/api-token-auth/",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &format!("username={user}&password=multi-password"),
    )?;
    expect_status(&obtained, 200, "a token from the first instance")?;
    let token = format!(
        "Token {}",
        obtained.json()?["token"].as_str().unwrap_or_default()
    );
    let mut statuses = Vec::new();
    for port in [first, second, third, first, second, third] {
        statuses.push(get(port, "/whoami/", &[("Authorization", &token)])?.status);
    }
    expect(statuses == [200, 200, 200, 200, 200, 429], || {
        format!("one 5/min history across the instances: {statuses:?}")
    })?;
    expect_status(
        &send(
            second,
            "DELETE",
            "/token/",
            &[("Authorization", &token)],
            "",
        )?,
        204,
        "revoke through the second instance",
    )?;
    // Every instance caches tokens for five minutes; the second one's forgetting reaches the
    // others through Redis within milliseconds (polled for a second at most).
    for port in [first, third] {
        let started = Instant::now();
        let answer = loop {
            let answer = get(port, "/whoami/", &[("Authorization", &token)])?;
            if answer.status == 401 || started.elapsed() > Duration::from_secs(1) {
                break answer;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        expect_status(&answer, 401, "the revoked token on the other instances")?;
        expect(answer.body == r#"{"detail":"Invalid token."}"#, || {
            format!("{answer:?}")
        })?;
    }
    Ok(())
}

/// A trial that runs when `requirement` is met; otherwise ignored with the reason (failed when
/// `AUTH_REQUIRE_EXTERNAL_SUITES=1`).
fn external<T: Send + 'static>(
    name: &'static str,
    requirement: Result<T, String>,
    test: fn(T) -> Outcome,
) -> Trial {
    let required = std::env::var("AUTH_REQUIRE_EXTERNAL_SUITES").is_ok_and(|value| value == "1");
    match requirement {
        Ok(value) => Trial::test(name, move || test(value)),
        Err(reason) => {
            eprintln!("{name}: {reason}");
            let message = if required {
                format!("AUTH_REQUIRE_EXTERNAL_SUITES=1 but {reason}")
            } else {
                reason
            };
            Trial::test(name, move || Err(Failed::from(message))).with_ignored_flag(!required)
        }
    }
}

fn main() {
    let mut arguments = Arguments::from_args();
    // One example at a time: each builds and migrates its own database, using the CPUs.
    arguments.test_threads = Some(1);
    let trials = vec![
        Trial::test("quickstart", quickstart),
        Trial::test("x_username", x_username),
        Trial::test("object_permissions", object_permissions),
        Trial::test("scope_defaults", scope_defaults),
        Trial::test("openapi", openapi),
        external("django_adoption", parity_python(), django_adoption),
        external("multi_instance", multi_instance_servers(), multi_instance),
    ];
    libtest_mimic::run(&arguments, trials).exit()
}
