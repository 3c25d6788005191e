//! `django.core.mail.backends.dummy.EmailBackend`: every message is dropped and counted as sent.

use crate::django::mail::EmailMessage;

use super::email_backend::{EmailBackend, EmailFuture};

/// Drops every message.
#[derive(Debug, Clone, Copy, Default)]
pub struct DummyEmailBackend;

impl EmailBackend for DummyEmailBackend {
    fn send_messages<'a>(&'a self, messages: &'a [EmailMessage]) -> EmailFuture<'a> {
        Box::pin(async move { Ok(messages.len()) })
    }
}
