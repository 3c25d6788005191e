//! Account emails made and sent after the answer: the answer waits for neither, so it reads the
//! same, in the same time, whether or not an email goes out (no account enumeration by timing).
//! A failure (a missing setting, a template, the database, the mail server) is logged with its
//! cause and the template's name, never the message, which holds a link's token.

use std::future::Future;

use actix_web::HttpRequest;
use auth_core::django::mail::EmailMessage;
use auth_core::environment::Environment;
use auth_core::request::RequestView;

use crate::request_view::HttpRequestView;

/// The request's part of an email: Django's `RequestSite` (name and domain are the host, without
/// `django.contrib.sites`) and the scheme `build_absolute_uri` gives a link, read while the
/// request is there.
pub(crate) struct RequestSite {
    pub(crate) protocol: &'static str,
    pub(crate) host: String,
}

impl RequestSite {
    pub(crate) fn of(env: &Environment, request: &HttpRequest) -> Self {
        let view = HttpRequestView::new(request, env.settings());
        Self {
            protocol: if view.is_secure() { "https" } else { "http" },
            host: view.host().unwrap_or_default().to_owned(),
        }
    }
}

/// Runs `make` on the current worker's runtime once the handler has returned (the lookups, the
/// links, the rendering), then sends what it made through the project's email backend.
pub(crate) fn send_after_answer<F>(env: &Environment, template: &'static str, make: F)
where
    F: Future<Output = Result<Vec<EmailMessage>, String>> + 'static,
{
    let env = env.clone();
    actix_web::rt::spawn(async move {
        let sent = match make.await {
            Ok(messages) if messages.is_empty() => Ok(()),
            Ok(messages) => env
                .services()
                .email_backend()
                .send_messages(&messages)
                .await
                .map(drop)
                .map_err(|error| error.to_string()),
            Err(error) => Err(error),
        };
        if let Err(error) = sent {
            tracing::error!(template, "account email not sent: {error}");
        }
    });
}
