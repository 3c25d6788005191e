//! Django's `EmailBackend` interface (`django.core.mail.backends.base`): what sends the emails
//! of the account endpoints. [`AuthSettings`](crate::auth_settings::AuthSettings) starts the
//! backend `EMAIL_BACKEND` names; an application may give its own (an HTTP mail API) to the
//! settings builder instead.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::django::mail::{EmailError, EmailMessage};

/// Boxed future of a `send_messages` call; `Send` so the backend can live in shared services.
pub type EmailFuture<'a> = Pin<Box<dyn Future<Output = Result<usize, EmailError>> + Send + 'a>>;

/// `send_messages(email_messages)`: sends the messages in order and answers how many were sent.
/// Unlike Django's (which, without `fail_silently`, raises in the middle), a failure is the
/// error of the first message that failed; the ones before it were sent.
pub trait EmailBackend: Send + Sync + fmt::Debug {
    /// Sends `messages`.
    fn send_messages<'a>(&'a self, messages: &'a [EmailMessage]) -> EmailFuture<'a>;
}
