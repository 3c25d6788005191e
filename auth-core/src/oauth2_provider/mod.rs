//! Django OAuth Toolkit 3.4.1's provider endpoints over oauthlib 4.0.1's grants: the
//! authorization step ([`authorization_endpoint`]: the consent page and its codes), the token
//! endpoint ([`token_endpoint`]: the client-credentials, password, refresh-token and
//! authorization-code grants), the revocation endpoint (RFC 7009) and the introspection
//! endpoint (RFC 7662), on DOT's tables, so that DOT and this library read each other's rows.
//! The actix-web views are `auth_actix::views::oauth2_provider_endpoints`.

pub mod authorization_endpoint;
pub mod authorize_page;
pub mod bearer_token;
pub mod client_authentication;
pub mod grant_types;
pub mod introspection_endpoint;
pub mod redirect_uri;
pub mod revocation_endpoint;
pub mod token_endpoint;
pub mod token_request;
