//! The default [`IntrospectionTransport`]: `ureq` (HTTP/1.1, rustls with the Web PKI roots or
//! the configured ones), run on the runtime's blocking threads, at most 32 at once.
//!
//! `ureq` rather than an async client: it is small (no second HTTP stack beside actix's), its
//! calls are `Send` (actix's own client is not, and the transport lives in services shared by
//! every worker), and an introspection happens once per token per caching period, so a
//! blocking thread for its duration costs nothing that matters.
//!
//! Differences from DOT's `requests.post`, each deliberate: redirects are not followed (the
//! token would be posted wherever the answer points), the whole exchange is bounded by the
//! configured timeout (DOT waits for ever), the answer is read up to 1 MiB, and no proxy is
//! read from the environment (`requests` honours `HTTPS_PROXY`; a resource server talks to its
//! authorization server directly).

use std::sync::Arc;

use ureq::Agent;
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};

use super::introspection_transport::{
    IntrospectionError, IntrospectionFuture, IntrospectionReply, IntrospectionTransport,
};
use crate::oauth2::resource_server::RemoteIntrospection;

/// The largest answer read: an RFC 7662 answer is a few hundred bytes.
const MAX_ANSWER: u64 = 1 << 20;

/// The most introspections in flight at once. Each holds a blocking thread for up to the
/// timeout: a flood of unknown tokens against a silent authorization server waits here (and is
/// refused after the timeout) instead of taking hundreds of threads.
const MAX_IN_FLIGHT: usize = 32;

/// Introspection over HTTP(S) with `ureq`. Clones share the connection pool.
#[derive(Clone)]
pub struct HttpIntrospection {
    agent: Arc<Agent>,
    in_flight: Arc<tokio::sync::Semaphore>,
    timeout: std::time::Duration,
}

impl std::fmt::Debug for HttpIntrospection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpIntrospection").finish_non_exhaustive()
    }
}

impl HttpIntrospection {
    /// A client for `settings`: its timeout, and its certificate file when it names one
    /// (refused when it cannot be read or holds no certificate).
    pub fn new(settings: &RemoteIntrospection) -> Result<Self, IntrospectionError> {
        let mut tls = TlsConfig::builder();
        if let Some(path) = &settings.ca_certificates {
            let pem = std::fs::read(path)
                .map_err(|error| IntrospectionError(format!("{}: {error}", path.display())))?;
            let certificates = ureq::tls::parse_pem(&pem)
                .filter_map(|item| match item {
                    Ok(PemItem::Certificate(certificate)) => Some(Ok(certificate.to_owned())),
                    Ok(_) => None,
                    Err(error) => Some(Err(error)),
                })
                .collect::<Result<Vec<Certificate<'static>>, _>>()
                .map_err(|error| IntrospectionError(format!("{}: {error}", path.display())))?;
            if certificates.is_empty() {
                return Err(IntrospectionError(format!(
                    "{}: no PEM certificate in the file",
                    path.display()
                )));
            }
            tls = tls.root_certs(RootCerts::new_with_certs(&certificates));
        }
        let agent: Agent = Agent::config_builder()
            .timeout_global(Some(settings.timeout))
            .max_redirects(0)
            .max_redirects_will_error(false)
            .http_status_as_error(false)
            .proxy(None)
            .tls_config(tls.build())
            .build()
            .into();
        Ok(Self {
            agent: Arc::new(agent),
            in_flight: Arc::new(tokio::sync::Semaphore::new(MAX_IN_FLIGHT)),
            timeout: settings.timeout,
        })
    }
}

impl IntrospectionTransport for HttpIntrospection {
    fn post<'a>(
        &'a self,
        url: &'a str,
        authorization: &'a str,
        body: String,
    ) -> IntrospectionFuture<'a> {
        let agent = Arc::clone(&self.agent);
        let url = url.to_owned();
        let authorization = authorization.to_owned();
        Box::pin(async move {
            let permit = tokio::time::timeout(self.timeout, self.in_flight.acquire())
                .await
                .ok()
                .and_then(Result::ok)
                .ok_or_else(|| {
                    IntrospectionError("too many introspections in flight".to_owned())
                })?;
            let call = move || -> Result<IntrospectionReply, ureq::Error> {
                let mut response = agent
                    .post(&url)
                    .header("Authorization", &authorization)
                    .content_type("application/x-www-form-urlencoded")
                    .send(body)?;
                let status = response.status().as_u16();
                let body = response
                    .body_mut()
                    .with_config()
                    .limit(MAX_ANSWER)
                    .read_to_vec()?;
                Ok(IntrospectionReply { status, body })
            };
            let answer = match tokio::task::spawn_blocking(call).await {
                Ok(reply) => reply.map_err(|error| IntrospectionError(describe(&error))),
                Err(_) => Err(IntrospectionError("the request's thread failed".to_owned())),
            };
            drop(permit);
            answer
        })
    }
}

/// The error's kind. The URL is the setting (no userinfo: refused by the settings), no header
/// is ever part of a `ureq` error; a URL ureq cannot read is named by its kind only.
fn describe(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(_) => "timed out".to_owned(),
        ureq::Error::BadUri(_) => "the URL cannot be read".to_owned(),
        other => other.to_string(),
    }
}
