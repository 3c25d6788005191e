//! DOT's `oauth2_provider/authorize.html` (over its `base.html`), rendered as Django renders it:
//! the consent form, or an error. The bytes are Django's, whitespace of the template tags
//! included, so a page compares equal to DOT's.

use crate::django::html::escape;

const HEAD: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n    <meta charset=\"utf-8\">\n    <title></title>\n    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">\n    <meta name=\"description\" content=\"\">\n    <meta name=\"author\" content=\"\">\n\n    \n        <link href=\"oauth2_provider/css/oauth2_provider.css\" rel=\"stylesheet\">\n    \n</head>\n\n<body>\n\n<div class=\"container\">\n    \n    <div class=\"block-center\">\n        \n";

const TAIL: &str = "\n    </div>\n\n</div>\n\n</body>\n</html>\n";

/// `AllowForm`'s hidden fields, in the form's order.
pub const HIDDEN_FIELDS: [&str; 10] = [
    "redirect_uri",
    "scope",
    "nonce",
    "client_id",
    "state",
    "response_type",
    "code_challenge",
    "code_challenge_method",
    "claims",
    "resource",
];

/// The consent form's content. `Debug` never shows the CSRF token.
pub struct ConsentPage<'a> {
    /// `application.name` (none when a submitted form was invalid: DOT then has no
    /// application in the context).
    pub application_name: &'a str,
    /// The masked CSRF token for `csrfmiddlewaretoken`.
    pub csrf_token: &'a str,
    /// Each hidden field's value, in [`HIDDEN_FIELDS`]' order (`None` or empty: no `value`).
    pub values: [Option<&'a str>; 10],
    /// The descriptions of the scopes asked for.
    pub scope_descriptions: &'a [String],
    /// The fields a submitted form lacked (`{{ form.errors }}`), in the form's order.
    pub missing_fields: &'a [&'a str],
}

impl std::fmt::Debug for ConsentPage<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsentPage")
            .field("application_name", &self.application_name)
            .field("missing_fields", &self.missing_fields)
            .finish_non_exhaustive()
    }
}

impl ConsentPage<'_> {
    /// The page.
    pub fn render(&self) -> String {
        let mut page = String::from(HEAD);
        page.push_str("            <form id=\"authorizationForm\" method=\"post\">\n");
        page.push_str(&format!(
            "                <h3 class=\"block-center-heading\">Authorize {}?</h3>\n",
            escape(self.application_name)
        ));
        page.push_str(&format!(
            "                <input type=\"hidden\" name=\"csrfmiddlewaretoken\" value=\"{}\">\n\n",
            escape(self.csrf_token)
        ));
        // `{% for field in form %}`: the `allow` checkbox (not hidden) first, then the hidden
        // fields, each in its `{% if %}` block's whitespace.
        page.push_str("                \n                    \n                \n");
        for (name, value) in HIDDEN_FIELDS.iter().zip(self.values) {
            let value = value
                .filter(|value| !value.is_empty())
                .map(|value| format!(" value=\"{}\"", escape(value)))
                .unwrap_or_default();
            page.push_str(&format!(
                "                    \n                        <input type=\"hidden\" name=\"{name}\"{value} id=\"id_{name}\">\n                    \n                \n"
            ));
        }
        page.push_str(
            "\n                <p>Application requires the following permissions</p>\n                <ul>\n                    \n",
        );
        for description in self.scope_descriptions {
            page.push_str(&format!(
                "                        <li>{}</li>\n                    \n",
                escape(description)
            ));
        }
        page.push_str("                </ul>\n\n                ");
        if !self.missing_fields.is_empty() {
            page.push_str("<ul class=\"errorlist\">");
            for field in self.missing_fields {
                page.push_str(&format!(
                    "<li>{field}<ul class=\"errorlist\" id=\"id_{field}_error\"><li>This field is required.</li></ul></li>"
                ));
            }
            page.push_str("</ul>");
        }
        page.push_str("\n                \n\n                <div class=\"control-group\">\n                    <div class=\"controls\">\n                        <input type=\"submit\" class=\"btn btn-large\" value=\"Cancel\"/>\n                        <input type=\"submit\" class=\"btn btn-large btn-primary\" name=\"allow\" value=\"Authorize\"/>\n                    </div>\n                </div>\n            </form>\n\n        ");
        page.push_str(TAIL);
        page
    }
}

/// The error variant (`{% if error %}`), for an error oauthlib does not redirect
/// (`FatalClientError`).
pub fn error_page(error: &str, description: &str) -> String {
    format!(
        "{HEAD}            <h2>Error: {}</h2>\n            <p>{}</p>\n        {TAIL}",
        escape(error),
        escape(description)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_page_is_dots() {
        // DOT 3.4.1's page for `GET /o/authorize/` without `client_id` (spec Appendix B).
        assert_eq!(
            error_page("invalid_request", "Missing client_id parameter."),
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n    <meta charset=\"utf-8\">\n    <title></title>\n    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">\n    <meta name=\"description\" content=\"\">\n    <meta name=\"author\" content=\"\">\n\n    \n        <link href=\"oauth2_provider/css/oauth2_provider.css\" rel=\"stylesheet\">\n    \n</head>\n\n<body>\n\n<div class=\"container\">\n    \n    <div class=\"block-center\">\n        \n            <h2>Error: invalid_request</h2>\n            <p>Missing client_id parameter.</p>\n        \n    </div>\n\n</div>\n\n</body>\n</html>\n"
        );
    }

    #[test]
    fn the_consent_page_is_dots() {
        let page = ConsentPage {
            application_name: "spec-ac-client",
            csrf_token: "TOKEN",
            values: [
                Some("https://client.example.com/cb"),
                Some("read write"),
                None,
                Some("spec-ac-client"),
                Some("xyz"),
                Some("code"),
                Some("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
                Some("S256"),
                None,
                None,
            ],
            scope_descriptions: &["Read scope".to_owned(), "Write scope".to_owned()],
            missing_fields: &[],
        };
        // DOT 3.4.1's consent page [D05] (spec Appendix B), its CSRF token replaced.
        let expected = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n    <meta charset=\"utf-8\">\n    <title></title>\n    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">\n    <meta name=\"description\" content=\"\">\n    <meta name=\"author\" content=\"\">\n\n    \n        <link href=\"oauth2_provider/css/oauth2_provider.css\" rel=\"stylesheet\">\n    \n</head>\n\n<body>\n\n<div class=\"container\">\n    \n    <div class=\"block-center\">\n        \n            <form id=\"authorizationForm\" method=\"post\">\n                <h3 class=\"block-center-heading\">Authorize spec-ac-client?</h3>\n                <input type=\"hidden\" name=\"csrfmiddlewaretoken\" value=\"TOKEN\">\n\n                \n                    \n                \n                    \n                        <input type=\"hidden\" name=\"redirect_uri\" value=\"https://client.example.com/cb\" id=\"id_redirect_uri\">\n                    \n                \n                    \n                        <input type=\"hidden\" name=\"scope\" value=\"read write\" id=\"id_scope\">\n                    \n                \n                    \n                        <input type=\"hidden\" name=\"nonce\" id=\"id_nonce\">\n                    \n                \n                    \n                        <input type=\"hidden\" name=\"client_id\" value=\"spec-ac-client\" id=\"id_client_id\">\n                    \n                \n                    \n                        <input type=\"hidden\" name=\"state\" value=\"xyz\" id=\"id_state\">\n                    \n                \n                    \n                        <input type=\"hidden\" name=\"response_type\" value=\"code\" id=\"id_response_type\">\n                    \n                \n                    \n                        <input type=\"hidden\" name=\"code_challenge\" value=\"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\" id=\"id_code_challenge\">\n                    \n                \n                    \n                        <input type=\"hidden\" name=\"code_challenge_method\" value=\"S256\" id=\"id_code_challenge_method\">\n                    \n                \n                    \n                        <input type=\"hidden\" name=\"claims\" id=\"id_claims\">\n                    \n                \n                    \n                        <input type=\"hidden\" name=\"resource\" id=\"id_resource\">\n                    \n                \n\n                <p>Application requires the following permissions</p>\n                <ul>\n                    \n                        <li>Read scope</li>\n                    \n                        <li>Write scope</li>\n                    \n                </ul>\n\n                \n                \n\n                <div class=\"control-group\">\n                    <div class=\"controls\">\n                        <input type=\"submit\" class=\"btn btn-large\" value=\"Cancel\"/>\n                        <input type=\"submit\" class=\"btn btn-large btn-primary\" name=\"allow\" value=\"Authorize\"/>\n                    </div>\n                </div>\n            </form>\n\n        \n    </div>\n\n</div>\n\n</body>\n</html>\n";
        assert_eq!(page.render(), expected);
    }
}
