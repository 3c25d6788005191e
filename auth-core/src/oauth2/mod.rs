//! Django OAuth Toolkit (DOT) 3.4.1, the resource server's side: its settings, its messages, the
//! Bearer challenge's error attributes and its RFC 8707 resource check. The access-token rows
//! live in [`store::oauth2_access_token`](crate::store::oauth2_access_token); the scheme is
//! [`OAuth2Authentication`](crate::authentication::OAuth2Authentication), the scope permissions
//! are in [`permissions`](crate::permissions).

pub mod bearer_error;
pub mod messages;
pub mod resource_validator;
mod settings;

pub use bearer_error::BearerError;
pub use settings::OAuth2Settings;
