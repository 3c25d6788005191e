//! Django's `django.core.mail.EmailMultiAlternatives`: one email (subject, plain-text body,
//! optional HTML alternative, sender and recipients), written as an RFC 5322 message by
//! `lettre`'s builder.
//!
//! Django writes a text-only email as one `text/plain; charset="utf-8"` part, and a text email
//! with an HTML alternative as `multipart/alternative` with the text part first; an email with
//! only an HTML body (djoser's template without a `text_body` block) is one `text/html` part.
//! The wire encoding (`7bit`, quoted-printable, base64), the boundary, `Date` and `Message-ID`
//! are the builder's: mail readers decode them, and no reader of Django's mail depends on them.

use std::fmt;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message, MultiPart, SinglePart};

/// Why an email was not sent: the text names the cause (an address, the server's answer), never
/// the body, which holds the links' tokens.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// A header value holds a line break (Django's `BadHeaderError`).
    #[error("Header values can't contain newlines (got {0})")]
    BadHeader(&'static str),
    /// An address that does not parse as `addr` or `Name <addr>`.
    #[error("invalid email address in {field}: {reason}")]
    Address {
        /// The field (`from_email`, `to`, `cc`, `bcc`, `reply_to`).
        field: &'static str,
        /// What the parser said.
        reason: String,
    },
    /// The message has no recipient at all.
    #[error("the email has no recipients")]
    NoRecipients,
    /// The backend could not deliver (connection, TLS, authentication, the server's refusal) or
    /// store the message.
    #[error("email backend: {0}")]
    Backend(String),
}

/// One email, by the fields of Django's `EmailMultiAlternatives` (attachments aside).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct EmailMessage {
    /// `Subject`; a line break in it is refused, as Django refuses it.
    pub subject: String,
    /// The plain-text body.
    pub body: String,
    /// The HTML alternative (`attach_alternative(html, "text/html")`).
    pub html: Option<String>,
    /// `From`: `addr` or `Name <addr>` (Django's `DEFAULT_FROM_EMAIL` when the caller gives
    /// none).
    pub from_email: String,
    /// `To`.
    pub to: Vec<String>,
    /// `Cc`.
    pub cc: Vec<String>,
    /// Recipients that appear in no header.
    pub bcc: Vec<String>,
    /// `Reply-To`.
    pub reply_to: Vec<String>,
}

/// The bodies hold the links' tokens: only their lengths are printed.
impl fmt::Debug for EmailMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmailMessage")
            .field("subject", &self.subject)
            .field("body_len", &self.body.len())
            .field("html_len", &self.html.as_ref().map(String::len))
            .field("from_email", &self.from_email)
            .field("to", &self.to)
            .field("cc", &self.cc)
            .field("bcc", &self.bcc)
            .field("reply_to", &self.reply_to)
            .finish()
    }
}

fn mailbox(field: &'static str, address: &str) -> Result<Mailbox, EmailError> {
    if address.contains(['\r', '\n']) {
        return Err(EmailError::BadHeader(field));
    }
    address
        .parse()
        .map_err(|error: lettre::address::AddressError| EmailError::Address {
            field,
            reason: error.to_string(),
        })
}

/// Django's `Content-Type` of a text part: `text/…; charset="utf-8"`.
fn text_content_type(subtype: &str) -> Result<ContentType, EmailError> {
    ContentType::parse(&format!("text/{subtype}; charset=\"utf-8\""))
        .map_err(|error| EmailError::Backend(error.to_string()))
}

impl EmailMessage {
    /// Every envelope recipient: `to`, then `cc`, then `bcc` (Django's `recipients()`), empty
    /// addresses left out.
    pub fn recipients(&self) -> impl Iterator<Item = &str> {
        self.to
            .iter()
            .chain(&self.cc)
            .chain(&self.bcc)
            .map(String::as_str)
            .filter(|address| !address.is_empty())
    }

    /// The RFC 5322 message (Django's `message()`), with `Date` and `Message-ID` set now.
    ///
    /// # Errors
    ///
    /// A line break in the subject or an address, an address that does not parse, or no
    /// recipient.
    pub fn message(&self) -> Result<Message, EmailError> {
        if self.subject.contains(['\r', '\n']) {
            return Err(EmailError::BadHeader("subject"));
        }
        let mut builder = Message::builder()
            .from(mailbox("from_email", &self.from_email)?)
            .subject(self.subject.as_str())
            // Django's `make_msgid()`: `<…@host name>`.
            .message_id(None);
        for address in self.to.iter().filter(|address| !address.is_empty()) {
            builder = builder.to(mailbox("to", address)?);
        }
        for address in self.cc.iter().filter(|address| !address.is_empty()) {
            builder = builder.cc(mailbox("cc", address)?);
        }
        for address in self.bcc.iter().filter(|address| !address.is_empty()) {
            builder = builder.bcc(mailbox("bcc", address)?);
        }
        for address in self.reply_to.iter().filter(|address| !address.is_empty()) {
            builder = builder.reply_to(mailbox("reply_to", address)?);
        }
        if self.recipients().next().is_none() {
            return Err(EmailError::NoRecipients);
        }
        let text = |subtype: &str, content: &str| -> Result<SinglePart, EmailError> {
            Ok(SinglePart::builder()
                .header(text_content_type(subtype)?)
                .body(content.to_owned()))
        };
        let built = match &self.html {
            Some(html) if !self.body.is_empty() => builder.multipart(
                MultiPart::alternative()
                    .singlepart(text("plain", &self.body)?)
                    .singlepart(text("html", html)?),
            ),
            Some(html) => builder.singlepart(text("html", html)?),
            None => builder.singlepart(text("plain", &self.body)?),
        };
        built.map_err(|error| EmailError::Backend(error.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> EmailMessage {
        EmailMessage {
            subject: "Password reset on example.com".to_owned(),
            body: "Go to http://example.com/reset/MQ/token".to_owned(),
            from_email: "webmaster@localhost".to_owned(),
            to: vec!["alice@example.com".to_owned()],
            ..EmailMessage::default()
        }
    }

    fn formatted(message: &EmailMessage) -> String {
        String::from_utf8(message.message().expect("message").formatted()).expect("utf-8")
    }

    #[test]
    fn text_only_is_one_text_plain_part() {
        let text = formatted(&message());
        assert!(text.contains("From: webmaster@localhost\r\n"), "{text}");
        assert!(text.contains("To: alice@example.com\r\n"), "{text}");
        assert!(
            text.contains("Subject: Password reset on example.com\r\n"),
            "{text}"
        );
        assert!(
            text.contains("Content-Type: text/plain; charset=\"utf-8\""),
            "{text}"
        );
        assert!(text.contains("MIME-Version: 1.0\r\n"), "{text}");
        assert!(!text.contains("multipart"), "{text}");
        assert!(
            text.contains("\r\n\r\nGo to http://example.com/reset/MQ/token"),
            "{text}"
        );
        assert!(text.contains("Message-ID: <"), "{text}");
    }

    #[test]
    fn html_alternative_follows_the_text_part() {
        let mut email = message();
        email.html = Some("<p>Go</p>".to_owned());
        let text = formatted(&email);
        let plain = text.find("text/plain").expect("text part");
        let html = text.find("text/html").expect("html part");
        assert!(text.contains("multipart/alternative"), "{text}");
        assert!(plain < html, "{text}");
    }

    #[test]
    fn html_only_is_one_html_part() {
        let mut email = message();
        email.body.clear();
        email.html = Some("<p>Go</p>".to_owned());
        let text = formatted(&email);
        assert!(
            text.contains("Content-Type: text/html; charset=\"utf-8\""),
            "{text}"
        );
        assert!(!text.contains("multipart"), "{text}");
    }

    #[test]
    fn bcc_is_in_the_envelope_only() {
        let mut email = message();
        email.bcc = vec!["audit@example.com".to_owned()];
        let built = email.message().expect("message");
        let text = String::from_utf8(built.formatted()).expect("utf-8");
        assert!(!text.contains("audit@example.com"), "{text}");
        let envelope: Vec<String> = built
            .envelope()
            .to()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(envelope, ["alice@example.com", "audit@example.com"]);
    }

    #[test]
    fn line_breaks_in_headers_are_refused() {
        let mut email = message();
        email.subject = "Hi\r\nBcc: victim@example.com".to_owned();
        assert_eq!(
            email.message().err(),
            Some(EmailError::BadHeader("subject"))
        );
        let mut email = message();
        email.to = vec!["a@example.com\nBcc: b@example.com".to_owned()];
        assert_eq!(email.message().err(), Some(EmailError::BadHeader("to")));
    }

    #[test]
    fn bad_addresses_and_no_recipients_are_errors() {
        let mut email = message();
        email.to = vec!["not an address".to_owned()];
        assert!(matches!(
            email.message(),
            Err(EmailError::Address { field: "to", .. })
        ));
        let mut email = message();
        email.to.clear();
        assert_eq!(email.message().err(), Some(EmailError::NoRecipients));
    }

    #[test]
    fn non_ascii_subject_and_body_are_encoded() {
        let mut email = message();
        email.subject = "Réinitialisation".to_owned();
        email.body = "Bonjour Zoë".to_owned();
        let text = formatted(&email);
        assert!(text.contains("Subject: =?utf-8?"), "{text}");
        assert!(!text.contains("Zoë"), "{text}");
    }

    #[test]
    fn debug_hides_the_bodies() {
        let mut email = message();
        email.html = Some("<a href=\"/reset/MQ/secret-token\">".to_owned());
        let printed = format!("{email:?}");
        assert!(!printed.contains("token"), "{printed}");
        assert!(!printed.contains("MQ"), "{printed}");
    }
}
