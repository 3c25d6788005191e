//! RFC 9728 OAuth 2.0 Protected Resource Metadata as DOT 3.4.1 publishes it
//! (`OAuthProtectedResourceMetadataView`, `OAUTH2_PROTECTED_RESOURCE_*` settings) and points to
//! it (`OAuth2ProtectedResourceAuthentication`'s `resource_metadata` challenge parameter).

use serde_json::{Map, Value};

use crate::compat::python::json::dumps::dumps;

/// The path DOT's metadata route has under its URL prefix, and what splits a request's URL
/// into the resource's base and its RFC 9728 path component.
pub const WELL_KNOWN: &str = "/.well-known/oauth-protected-resource";

/// The `OAUTH2_PROTECTED_RESOURCE_*` settings, and where the document is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedResourceMetadata {
    /// Where the document is, for the `resource_metadata` challenge parameter: a path (made
    /// absolute with the request's scheme and host, as Django's `build_absolute_uri` makes
    /// DOT's reversed route) or an absolute URL; `None` leaves the parameter out. Default
    /// `/o/.well-known/oauth-protected-resource`, where `auth_actix`'s
    /// `oauth2_provider_endpoints` mounted at `/o` serves it (this library's own `PROTECTED_RESOURCE_METADATA_URL`; DOT
    /// reverses its route, or uses a subclass's `resource_metadata_url`).
    pub url: Option<String>,
    /// `OAUTH2_PROTECTED_RESOURCE_IDENTIFIER` (default empty: derived from the request).
    pub identifier: String,
    /// `OAUTH2_PROTECTED_RESOURCE_AUTHORIZATION_SERVERS` (default empty: this server's issuer).
    pub authorization_servers: Vec<String>,
    /// `OAUTH2_PROTECTED_RESOURCE_BEARER_METHODS_SUPPORTED` (default `["header"]`).
    pub bearer_methods_supported: Vec<String>,
    /// `OAUTH2_PROTECTED_RESOURCE_NAME` (omitted when empty).
    pub name: String,
    /// `OAUTH2_PROTECTED_RESOURCE_DOCUMENTATION` (omitted when empty).
    pub documentation: String,
    /// `OAUTH2_PROTECTED_RESOURCE_POLICY_URI` (omitted when empty).
    pub policy_uri: String,
    /// `OAUTH2_PROTECTED_RESOURCE_TOS_URI` (omitted when empty).
    pub tos_uri: String,
}

impl Default for ProtectedResourceMetadata {
    fn default() -> Self {
        Self {
            url: Some(format!("/o{WELL_KNOWN}")),
            identifier: String::new(),
            authorization_servers: Vec::new(),
            bearer_methods_supported: vec!["header".to_owned()],
            name: String::new(),
            documentation: String::new(),
            policy_uri: String::new(),
            tos_uri: String::new(),
        }
    }
}

impl ProtectedResourceMetadata {
    /// The `resource_metadata` URL for a request to `scheme_host` (`http://host`): the setting
    /// as it is when absolute, after `scheme_host` when a path (none without a host: a
    /// relative URL is no RFC 9728 `resource_metadata`).
    pub fn url_for(&self, scheme_host: Option<&str>) -> Option<String> {
        let url = self.url.as_deref()?;
        if url.starts_with('/') {
            scheme_host.map(|scheme_host| format!("{scheme_host}{url}"))
        } else {
            Some(url.to_owned())
        }
    }

    /// The document, as DOT's view renders it (`JsonResponse`: Python's `json.dumps` with its
    /// default separators): `absolute_url` is the request's `build_absolute_uri(request.path)`;
    /// `scopes` the names of `SCOPES`.
    ///
    /// `resource` is the identifier, or the URL before [`WELL_KNOWN`] with the path after it
    /// appended (`…/.well-known/oauth-protected-resource/tenant1` → `…/tenant1`);
    /// `authorization_servers` the setting, or the URL before [`WELL_KNOWN`] (DOT's issuer:
    /// its RFC 8414 route under the same prefix, without `/.well-known/…`).
    pub fn document(&self, absolute_url: &str, scopes: &[String]) -> String {
        let (base, path) = absolute_url
            .split_once(WELL_KNOWN)
            .unwrap_or((absolute_url, ""));
        let path = path.trim_matches('/');
        let resource = if !self.identifier.is_empty() {
            self.identifier.clone()
        } else if path.is_empty() {
            base.to_owned()
        } else {
            format!("{base}/{path}")
        };
        let strings =
            |items: &[String]| Value::Array(items.iter().cloned().map(Value::String).collect());
        let mut data = Map::new();
        data.insert("resource".to_owned(), Value::String(resource));
        let servers = if self.authorization_servers.is_empty() {
            vec![base.to_owned()]
        } else {
            self.authorization_servers.clone()
        };
        data.insert("authorization_servers".to_owned(), strings(&servers));
        let mut sorted = scopes.to_vec();
        sorted.sort();
        data.insert("scopes_supported".to_owned(), strings(&sorted));
        data.insert(
            "bearer_methods_supported".to_owned(),
            strings(&self.bearer_methods_supported),
        );
        for (key, value) in [
            ("resource_name", &self.name),
            ("resource_documentation", &self.documentation),
            ("resource_policy_uri", &self.policy_uri),
            ("resource_tos_uri", &self.tos_uri),
        ] {
            if !value.is_empty() {
                data.insert(key.to_owned(), Value::String(value.clone()));
            }
        }
        dumps(&Value::Object(data))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_dots() {
        let settings = ProtectedResourceMetadata::default();
        let scopes = ["write".to_owned(), "read".to_owned()];
        assert_eq!(
            settings.document("http://h/o/.well-known/oauth-protected-resource", &scopes),
            r#"{"resource": "http://h/o", "authorization_servers": ["http://h/o"], "scopes_supported": ["read", "write"], "bearer_methods_supported": ["header"]}"#
        );
        assert_eq!(
            settings.document(
                "http://h/o/.well-known/oauth-protected-resource/tenant1/",
                &scopes
            ),
            r#"{"resource": "http://h/o/tenant1", "authorization_servers": ["http://h/o"], "scopes_supported": ["read", "write"], "bearer_methods_supported": ["header"]}"#
        );
        let configured = ProtectedResourceMetadata {
            identifier: "https://api.example.com".into(),
            authorization_servers: vec!["https://as.example.com".into()],
            name: "Ünïcode API".into(),
            tos_uri: "https://t".into(),
            ..ProtectedResourceMetadata::default()
        };
        assert_eq!(
            configured.document("http://h/.well-known/oauth-protected-resource", &[]),
            r#"{"resource": "https://api.example.com", "authorization_servers": ["https://as.example.com"], "scopes_supported": [], "bearer_methods_supported": ["header"], "resource_name": "\u00dcn\u00efcode API", "resource_tos_uri": "https://t"}"#
        );
    }

    #[test]
    fn the_url_is_made_absolute_when_a_path() {
        let settings = ProtectedResourceMetadata::default();
        assert_eq!(
            settings.url_for(Some("https://h")).as_deref(),
            Some("https://h/o/.well-known/oauth-protected-resource")
        );
        let absolute = ProtectedResourceMetadata {
            url: Some("https://api.example.com/.well-known/oauth-protected-resource/t1".into()),
            ..ProtectedResourceMetadata::default()
        };
        assert_eq!(
            absolute.url_for(None).as_deref(),
            Some("https://api.example.com/.well-known/oauth-protected-resource/t1")
        );
        let off = ProtectedResourceMetadata {
            url: None,
            ..ProtectedResourceMetadata::default()
        };
        assert_eq!(off.url_for(Some("http://x")), None);
        assert_eq!(settings.url_for(None), None);
    }
}
