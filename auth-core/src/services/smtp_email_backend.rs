//! `django.core.mail.backends.smtp.EmailBackend` on `lettre`'s SMTP client: `EMAIL_HOST`,
//! `EMAIL_PORT`, a login with `EMAIL_HOST_USER` and `EMAIL_HOST_PASSWORD` when both are set,
//! STARTTLS required with `EMAIL_USE_TLS`, TLS from the first byte with `EMAIL_USE_SSL`, neither
//! otherwise (Django does not try STARTTLS on its own), a client certificate with
//! `EMAIL_SSL_CERTFILE` / `EMAIL_SSL_KEYFILE`. Server certificates are checked against the Web
//! PKI's roots (and `EMAIL_SSL_CAFILE`), with the host name.

use std::fmt;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Identity, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::django::email_settings::EmailSettings;
use crate::django::mail::{EmailError, EmailMessage};

use super::email_backend::{EmailBackend, EmailFuture};

/// Sends through an SMTP server. Each message goes over its own connection.
#[derive(Clone)]
pub struct SmtpEmailBackend {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    host: String,
    port: u16,
}

/// The transport holds the password: only the server is printed.
impl fmt::Debug for SmtpEmailBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpEmailBackend")
            .field("host", &self.host)
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

fn read(what: &str, path: &std::path::Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|error| format!("{what} {}: {error}", path.display()))
}

impl SmtpEmailBackend {
    /// The backend of `settings`.
    ///
    /// # Errors
    ///
    /// A certificate or key file that cannot be read or parsed.
    pub fn new(settings: &EmailSettings) -> Result<Self, String> {
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(settings.host.as_str())
                .port(settings.port);
        if let Some(timeout) = settings.timeout {
            builder = builder.timeout(Some(timeout));
        }
        if !settings.host_user.is_empty() && !settings.host_password.is_empty() {
            builder = builder.credentials(Credentials::new(
                settings.host_user.clone(),
                settings.host_password.clone(),
            ));
        }
        if settings.use_tls || settings.use_ssl {
            let mut parameters = TlsParameters::builder(settings.host.clone());
            if let Some(path) = &settings.ssl_cafile {
                let pem = read("EMAIL_SSL_CAFILE", path)?;
                parameters = parameters.add_root_certificate(
                    Certificate::from_pem(&pem)
                        .map_err(|error| format!("EMAIL_SSL_CAFILE: {error}"))?,
                );
            }
            if let Some(certificate) = &settings.ssl_certfile {
                let key = settings
                    .ssl_keyfile
                    .as_deref()
                    .unwrap_or(certificate.as_path());
                let identity = Identity::from_pem(
                    &read("EMAIL_SSL_CERTFILE", certificate)?,
                    &read("EMAIL_SSL_KEYFILE", key)?,
                )
                .map_err(|error| format!("EMAIL_SSL_CERTFILE: {error}"))?;
                parameters = parameters.identify_with(identity);
            }
            let parameters = parameters
                .build()
                .map_err(|error| format!("email TLS: {error}"))?;
            builder = builder.tls(if settings.use_ssl {
                Tls::Wrapper(parameters)
            } else {
                Tls::Required(parameters)
            });
        } else {
            builder = builder.tls(Tls::None);
        }
        Ok(Self {
            transport: builder.build(),
            host: settings.host.clone(),
            port: settings.port,
        })
    }
}

impl EmailBackend for SmtpEmailBackend {
    fn send_messages<'a>(&'a self, messages: &'a [EmailMessage]) -> EmailFuture<'a> {
        Box::pin(async move {
            let mut sent = 0;
            for message in messages {
                let built = message.message()?;
                self.transport.send(built).await.map_err(|error| {
                    EmailError::Backend(format!("SMTP {}:{}: {error}", self.host, self.port))
                })?;
                sent += 1;
            }
            Ok(sent)
        })
    }
}
