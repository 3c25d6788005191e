//! `django.core.mail.backends.locmem.EmailBackend`: sent messages are kept in memory, in the
//! order they were sent (Django's `mail.outbox`), for tests. Each message is built as the other
//! backends build it first, so a message they would refuse is refused here too.

use std::sync::{Arc, Mutex, PoisonError};

use crate::django::mail::EmailMessage;

use super::email_backend::{EmailBackend, EmailFuture};

/// The test outbox. Clones share it.
#[derive(Debug, Clone, Default)]
pub struct LocmemEmailBackend {
    outbox: Arc<Mutex<Vec<EmailMessage>>>,
}

impl LocmemEmailBackend {
    /// The messages sent so far.
    pub fn outbox(&self) -> Vec<EmailMessage> {
        self.outbox
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Empties the outbox, answering what it held.
    pub fn take(&self) -> Vec<EmailMessage> {
        std::mem::take(&mut *self.outbox.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl EmailBackend for LocmemEmailBackend {
    fn send_messages<'a>(&'a self, messages: &'a [EmailMessage]) -> EmailFuture<'a> {
        Box::pin(async move {
            for message in messages {
                message.message()?;
            }
            self.outbox
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .extend(messages.iter().cloned());
            Ok(messages.len())
        })
    }
}
