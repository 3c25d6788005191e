//! `django.core.mail.backends.console.EmailBackend`: every message written to standard output,
//! for development. It prints the links' tokens, as Django's does: never use it in production.

use std::io::Write;

use crate::django::mail::{EmailError, EmailMessage};

use super::email_backend::{EmailBackend, EmailFuture};

/// Writes each message to standard output.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConsoleEmailBackend;

/// Django's stream format (`console.EmailBackend.write_message`, also the file-based
/// backend's): the message with `\n` line ends (Python's `as_bytes()`), a newline, 79 `-` and a
/// newline.
pub fn stream_format(messages: &[EmailMessage]) -> Result<Vec<u8>, EmailError> {
    let mut out = Vec::new();
    for message in messages {
        let formatted = message.message()?.formatted();
        let mut previous_cr = false;
        for &byte in &formatted {
            if previous_cr && byte != b'\n' {
                out.push(b'\r');
            }
            previous_cr = byte == b'\r';
            if !previous_cr {
                out.push(byte);
            }
        }
        if previous_cr {
            out.push(b'\r');
        }
        out.push(b'\n');
        out.extend_from_slice(&[b'-'; 79]);
        out.push(b'\n');
    }
    Ok(out)
}

impl EmailBackend for ConsoleEmailBackend {
    fn send_messages<'a>(&'a self, messages: &'a [EmailMessage]) -> EmailFuture<'a> {
        Box::pin(async move {
            let bytes = stream_format(messages)?;
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&bytes)
                .and_then(|()| stdout.flush())
                .map_err(|error| EmailError::Backend(format!("standard output: {error}")))?;
            Ok(messages.len())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_separated_by_79_dashes_with_unix_line_ends() {
        let message = EmailMessage {
            subject: "S".to_owned(),
            body: "line one\nline two".to_owned(),
            from_email: "webmaster@localhost".to_owned(),
            to: vec!["a@example.com".to_owned()],
            ..EmailMessage::default()
        };
        let out = String::from_utf8(stream_format(&[message.clone(), message]).expect("format"))
            .expect("utf-8");
        assert!(!out.contains('\r'), "{out:?}");
        let separator = format!("\n{}\n", "-".repeat(79));
        assert_eq!(out.matches(&separator).count(), 2, "{out}");
        assert!(out.ends_with(&separator), "{out}");
        assert!(out.contains("Subject: S\n"), "{out}");
    }
}
