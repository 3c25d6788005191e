//! DOT 3.4.1's `OAuth2ProtectedResourceAuthentication` (RFC 9728): [`OAuth2Authentication`]
//! whose challenge also names the protected-resource metadata document —
//! `Bearer realm="api"[,error=…],resource_metadata="<url>"` — so a client refused here can
//! discover which authorization server issues tokens for this resource.
//!
//! The URL is the settings' [`ProtectedResourceMetadata::url`]: a path (made absolute with the
//! request's scheme and host, as DOT's `build_absolute_uri(reverse(…))`) or an absolute URL
//! (DOT's subclass attribute `resource_metadata_url`). DOT picks it per class; here it is one
//! setting for every view using the scheme.
//!
//! [`ProtectedResourceMetadata::url`]: crate::oauth2::protected_resource::ProtectedResourceMetadata::url

use super::oauth2::OAuth2Authentication;
use super::scheme::{AuthContext, Authentication, Outcome};
use super::security_scheme::SecurityRequirement;
use crate::django::http::uri::absolute_uri_without_query;
use crate::oauth2::bearer_error::{challenge, challenge_with_resource_metadata};
use crate::settings::Settings;

/// `OAuth2Authentication` with RFC 9728's `resource_metadata` challenge parameter.
#[derive(Debug, Default, Clone, Copy)]
pub struct OAuth2ProtectedResourceAuthentication;

impl Authentication for OAuth2ProtectedResourceAuthentication {
    const NAME: &'static str = "OAuth2ProtectedResourceAuthentication";

    fn security_requirement(settings: &Settings, method: &str) -> SecurityRequirement {
        OAuth2Authentication::security_requirement(settings, method)
    }

    fn challenge(cx: &AuthContext<'_>) -> Option<String> {
        let attributes = cx.effects.challenge_params();
        // `scheme://host`: the absolute URI of an empty path.
        let scheme_host = cx
            .request
            .host()
            .map(|host| absolute_uri_without_query(cx.request.is_secure(), host, ""));
        let url = cx
            .settings()
            .oauth2
            .protected_resource
            .url_for(scheme_host.as_deref());
        Some(match url {
            Some(url) => challenge_with_resource_metadata(attributes, &url),
            None => challenge(attributes),
        })
    }

    async fn authenticate(cx: &AuthContext<'_>) -> Outcome {
        OAuth2Authentication::authenticate(cx).await
    }
}
