//! The SMTP email backend against a real SMTP server: aiosmtpd, from the parity environment
//! (`bash parity/setup.sh`), started by each test on a free port
//! (`tests/support/python/smtp_server.py`). The server reports every message it receives; the
//! test reads the message back and checks what arrived: the envelope, the headers, the decoded
//! body, and whether the session was TLS and logged in. Reported as ignored, with the reason,
//! without that environment; failed instead under `AUTH_REQUIRE_EXTERNAL_SUITES=1`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use auth_core::AuthSettings;
use auth_core::django::email_settings::{EmailBackendName, EmailSettings};
use auth_core::django::mail::{EmailError, EmailMessage};
use test_support::external::{Prerequisite, run_with};
use test_support::external_test;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}

fn python() -> PathBuf {
    std::env::var_os("PARITY_VENV")
        .map_or_else(|| repository().join("parity/.venv"), PathBuf::from)
        .join("bin/python")
}

fn aiosmtpd() -> Prerequisite {
    let probe = Command::new(python())
        .args(["-c", "import aiosmtpd, cryptography"])
        .output()
        .map_err(|error| format!("cannot run {}: {error}", python().display()))?;
    if probe.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} lacks aiosmtpd: run `bash parity/setup.sh`",
            python().display()
        ))
    }
}

/// A running aiosmtpd; stops when dropped (its standard input closes).
struct SmtpServer {
    child: Child,
    stdin: Option<ChildStdin>,
    port: u16,
    ca: Option<PathBuf>,
    received: mpsc::Receiver<serde_json::Value>,
}

impl SmtpServer {
    fn start(args: &[&str]) -> Self {
        let mut child = Command::new(python())
            .arg(repository().join("tests/support/python/smtp_server.py"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start aiosmtpd");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let ready = lines.next().expect("READY line").expect("read");
        let mut words = ready.split(' ');
        assert_eq!(words.next(), Some("READY"), "{ready}");
        let port = words.next().expect("port").parse().expect("port number");
        let ca = words.next().filter(|ca| *ca != "-").map(PathBuf::from);
        let (sender, received) = mpsc::channel();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let record = serde_json::from_str(&line).expect("JSON line");
                if sender.send(record).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Self {
            child,
            stdin,
            port,
            ca,
            received,
        }
    }

    fn settings(&self) -> EmailSettings {
        EmailSettings {
            backend: EmailBackendName::Smtp,
            host: "127.0.0.1".to_owned(),
            port: self.port,
            timeout: Some(Duration::from_secs(10)),
            ..EmailSettings::default()
        }
    }

    fn next_message(&self) -> serde_json::Value {
        self.received
            .recv_timeout(Duration::from_secs(10))
            .expect("the server received a message")
    }

    fn nothing_received(&self) {
        assert!(
            self.received
                .recv_timeout(Duration::from_millis(300))
                .is_err(),
            "the server received a message"
        );
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.write_all(b"\n");
        }
        let _ = self.child.wait();
    }
}

fn reset_email() -> EmailMessage {
    EmailMessage {
        subject: "Réinitialisation on example.com".to_owned(),
        body: "Go to http://example.com/password/reset/confirm/MQ/dj4uam-c6738\nThanks, Zoë"
            .to_owned(),
        html: Some("<p>Go</p>".to_owned()),
        from_email: "webmaster@localhost".to_owned(),
        to: vec!["alice@example.com".to_owned()],
        cc: vec!["carol@example.com".to_owned()],
        bcc: vec!["audit@example.com".to_owned()],
        reply_to: vec![],
    }
}

async fn send(settings: EmailSettings, messages: &[EmailMessage]) -> Result<usize, EmailError> {
    let auth = AuthSettings::builder()
        .secret_key("smtp-suite")
        .email(settings)
        .build()
        .expect("settings");
    auth.services()
        .email_backend()
        .send_messages(messages)
        .await
}

/// The bytes of a latin-1 decoded text (the server reports the message that way).
fn latin1_bytes(text: &str) -> Vec<u8> {
    text.chars()
        .map(|character| u8::try_from(u32::from(character)).expect("latin-1"))
        .collect()
}

/// The message's headers and parts, undone from their encodings by Python's `email` package run
/// on the received bytes (the reader every Django user has). Line ends of the parts are read as
/// `\n` and the last one dropped: the wire's canonical CRLF, and the newline a 7bit or
/// quoted-printable part ends with, are the transfer encoding's, not the text's.
fn decoded_parts(content: &str) -> serde_json::Value {
    let script = "import email, email.policy, json, sys\n\
                  m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)\n\
                  parts = [p for p in m.walk() if not p.is_multipart()]\n\
                  print(json.dumps({'subject': str(m['subject']), 'to': str(m['to']), \
                  'cc': str(m['cc']), 'bcc': m['bcc'], 'from': str(m['from']), \
                  'message_id': m['message-id'] is not None, 'date': m['date'] is not None, \
                  'parts': [[p.get_content_type(), \
                  p.get_content().replace('\\r\\n', '\\n').rstrip('\\n')] for p in parts]}))";
    let mut child = Command::new(python())
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&latin1_bytes(content))
        .expect("write");
    let output = child.wait_with_output().expect("python output");
    serde_json::from_slice(&output.stdout).expect("decoded JSON")
}

async fn plain_smtp_delivers_envelope_headers_and_both_parts() {
    let server = SmtpServer::start(&[]);
    let sent = send(server.settings(), &[reset_email()])
        .await
        .expect("sent");
    assert_eq!(sent, 1);
    let received = server.next_message();
    assert_eq!(received["mail_from"], "webmaster@localhost");
    assert_eq!(
        received["rcpt_tos"],
        serde_json::json!([
            "alice@example.com",
            "carol@example.com",
            "audit@example.com"
        ])
    );
    assert_eq!(received["tls"], false);
    assert_eq!(received["login"], serde_json::Value::Null);
    let content = received["content"].as_str().expect("content");
    assert!(
        !content.contains("audit@example.com"),
        "Bcc in the headers: {content}"
    );
    let decoded = decoded_parts(content);
    assert_eq!(decoded["subject"], "Réinitialisation on example.com");
    assert_eq!(decoded["from"], "webmaster@localhost");
    assert_eq!(decoded["to"], "alice@example.com");
    assert_eq!(decoded["cc"], "carol@example.com");
    assert_eq!(decoded["bcc"], serde_json::Value::Null);
    assert_eq!(decoded["message_id"], true);
    assert_eq!(decoded["date"], true);
    assert_eq!(
        decoded["parts"],
        serde_json::json!([
            [
                "text/plain",
                "Go to http://example.com/password/reset/confirm/MQ/dj4uam-c6738\nThanks, Zoë"
            ],
            ["text/html", "<p>Go</p>"]
        ])
    );
}

async fn several_messages_are_sent_in_order() {
    let server = SmtpServer::start(&[]);
    let mut second = reset_email();
    second.to = vec!["bob@example.com".to_owned()];
    second.cc.clear();
    second.bcc.clear();
    assert_eq!(
        send(server.settings(), &[reset_email(), second])
            .await
            .expect("sent"),
        2
    );
    assert_eq!(server.next_message()["rcpt_tos"][0], "alice@example.com");
    assert_eq!(
        server.next_message()["rcpt_tos"],
        serde_json::json!(["bob@example.com"])
    );
}

async fn starttls_with_login_over_a_trusted_certificate() {
    let server = SmtpServer::start(&["--starttls", "--auth", "mailer:s3cret"]);
    let settings = EmailSettings {
        use_tls: true,
        host_user: "mailer".to_owned(),
        host_password: "s3cret".to_owned(),
        ssl_cafile: server.ca.clone(),
        ..server.settings()
    };
    send(settings, &[reset_email()]).await.expect("sent");
    let received = server.next_message();
    assert_eq!(received["tls"], true);
    assert_eq!(received["login"], "mailer");
}

async fn a_wrong_password_is_an_error_naming_no_secret() {
    let server = SmtpServer::start(&["--starttls", "--auth", "mailer:s3cret"]);
    let settings = EmailSettings {
        use_tls: true,
        host_user: "mailer".to_owned(),
        host_password: "wrong-pass".to_owned(),
        ssl_cafile: server.ca.clone(),
        ..server.settings()
    };
    let error = send(settings, &[reset_email()]).await.expect_err("refused");
    let text = error.to_string();
    assert!(matches!(error, EmailError::Backend(_)), "{text}");
    assert!(!text.contains("wrong-pass"), "{text}");
    server.nothing_received();
}

async fn an_untrusted_certificate_is_refused_before_anything_is_sent() {
    let server = SmtpServer::start(&["--starttls"]);
    let settings = EmailSettings {
        use_tls: true,
        ..server.settings()
    };
    let error = send(settings, &[reset_email()]).await.expect_err("refused");
    assert!(matches!(error, EmailError::Backend(_)), "{error}");
    server.nothing_received();
}

async fn a_server_requiring_starttls_refuses_plain_smtp() {
    let server = SmtpServer::start(&["--starttls"]);
    let error = send(server.settings(), &[reset_email()])
        .await
        .expect_err("refused");
    assert!(matches!(error, EmailError::Backend(_)), "{error}");
    server.nothing_received();
}

async fn no_server_is_an_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let settings = EmailSettings {
        host: "127.0.0.1".to_owned(),
        port,
        timeout: Some(Duration::from_secs(5)),
        ..EmailSettings::default()
    };
    let error = send(settings, &[reset_email()]).await.expect_err("refused");
    assert!(
        error.to_string().contains(&format!("127.0.0.1:{port}")),
        "{error}"
    );
}

fn main() {
    let tests = vec![
        external_test!(plain_smtp_delivers_envelope_headers_and_both_parts),
        external_test!(several_messages_are_sent_in_order),
        external_test!(starttls_with_login_over_a_trusted_certificate),
        external_test!(a_wrong_password_is_an_error_naming_no_secret),
        external_test!(an_untrusted_certificate_is_refused_before_anything_is_sent),
        external_test!(a_server_requiring_starttls_refuses_plain_smtp),
        external_test!(no_server_is_an_error),
    ];
    let prerequisite = aiosmtpd();
    run_with(
        &[],
        tests
            .into_iter()
            .map(|test| (test, prerequisite.clone()))
            .collect(),
    )
}
