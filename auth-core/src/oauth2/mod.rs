//! Django OAuth Toolkit (DOT) 3.4.1's formats: its settings, its messages, the Bearer
//! challenge's error attributes, oauthlib's error answers and query decoding, and the RFC 8707
//! resource check, and the remote resource server's introspection settings and answers. The rows live in [`store`](crate::store)'s `oauth2_*` modules; the scheme is
//! [`OAuth2Authentication`](crate::authentication::OAuth2Authentication), the scope permissions
//! are in [`permissions`](crate::permissions), the provider's endpoints in
//! [`oauth2_provider`](crate::oauth2_provider).

pub mod bearer_error;
pub mod introspection_response;
pub mod messages;
pub mod oauth2_error;
pub mod protected_resource;
pub mod resource_server;
pub mod resource_validator;
mod settings;
pub mod urldecode;

pub use bearer_error::BearerError;
pub use oauth2_error::OAuth2Error;
pub use settings::{OAuth2Settings, OAuth2SettingsError};
