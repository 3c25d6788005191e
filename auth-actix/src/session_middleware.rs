//! Django's `SessionMiddleware` role: after the handler (or a refusal) has produced the
//! response, write the cookie changes authentication recorded.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::{Error, HttpMessage, web};
use auth_core::response_effects::ResponseEffects;

use crate::runtime::AuthRuntime;

/// Wrap the app with it when session authentication is used:
/// `auth_actix::app(settings, db).wrap(auth_actix::SessionMiddleware)`.
///
/// It clears the cookie of a session that authentication flushed (the user's password changed,
/// the session was tampered with), sends the new cookie when a session signed with a fallback
/// secret is re-keyed, and adds `Vary: Cookie` when a session was read. It saves what a handler
/// wrote with [`Auth::session`](crate::Auth::session) and sends the cookies of
/// [`Auth::login`](crate::Auth::login) and [`Auth::logout`](crate::Auth::logout). The login, logout and
/// CSRF endpoints set their own cookies and do not need it.
#[derive(Debug, Clone, Copy, Default)]
pub struct SessionMiddleware;

impl<S, B> Transform<S, ServiceRequest> for SessionMiddleware
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = SessionMiddlewareService<S>;
    type InitError = ();
    type Future = std::future::Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        std::future::ready(Ok(SessionMiddlewareService {
            service: Rc::new(service),
        }))
    }
}

/// The service [`SessionMiddleware`] wraps around the app.
#[derive(Debug)]
pub struct SessionMiddlewareService<S> {
    service: Rc<S>,
}

impl<S, B> Service<ServiceRequest> for SessionMiddlewareService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>>>>;

    forward_ready!(service);

    fn call(&self, request: ServiceRequest) -> Self::Future {
        let service = Rc::clone(&self.service);
        request
            .extensions_mut()
            .insert(crate::request_session::SessionMiddlewareInstalled);
        Box::pin(async move {
            let mut response = service.call(request).await?;
            let status = response.status();
            if let Err(error) =
                crate::request_session::save_after_handler(response.request(), status).await
            {
                // Django lets the save's error escape (a 500); the handler's answer is already
                // made, so it is logged and the session cookie is not sent.
                tracing::error!(%error, "the session could not be saved");
            }
            let effects = response
                .request()
                .extensions()
                .get::<Rc<ResponseEffects>>()
                .cloned();
            let runtime = response
                .request()
                .app_data::<web::Data<AuthRuntime>>()
                .cloned();
            if let (Some(effects), Some(runtime)) = (effects, runtime) {
                crate::response_cookies::apply(
                    response.headers_mut(),
                    &effects,
                    runtime.settings(),
                );
            }
            Ok(response)
        })
    }
}
