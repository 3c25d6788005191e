//! django-templated-mail's `BaseEmailMessage` (djoser's copy of it): an email is one template
//! with the blocks `subject`, `text_body` and `html_body`; each block is rendered on its own and
//! stripped (Python's `str.strip()`), a missing block leaves its part out, and an email with
//! only `html_body` is sent as HTML.
//!
//! Templates are minijinja's, which reads Django's `{{ var }}`, `{{ var|safe }}` and
//! `{% block %}` as Django does. The rendering is Django's where the two engines differ: every
//! template is auto-escaped whatever its extension (Django's engine escapes `.txt` too), the
//! escape is Django's (`'` as `&#x27;`, `/` left alone, where minijinja would write `&#x2f;`),
//! `None` and booleans print as Python prints them, and an unknown variable, or an attribute of
//! one, prints as nothing.
//!
//! [`MailTemplates::djoser`] holds djoser 2.3.5's six templates, translated: `{% load i18n %}`
//! dropped and `{% trans %}` / `{% blocktrans %}` replaced by their English text (what Django
//! renders with `LANGUAGE_CODE = "en-us"`), so the same context renders the same bytes. An
//! application replaces one with [`MailTemplates::set_template`].

use std::fmt;

use minijinja::value::{Serde, Value, ValueKind};
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};

use crate::compat::python::text::python_strip;
use crate::django::html::escape;

/// A template that does not parse or render. The text is minijinja's (template name, line,
/// cause), never the context's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("email template: {0}")]
pub struct TemplateError(pub String);

impl From<minijinja::Error> for TemplateError {
    fn from(error: minijinja::Error) -> Self {
        Self(error.to_string())
    }
}

/// The three parts of a rendered email. `Debug` hides the bodies (they hold the links' tokens).
#[derive(Clone, PartialEq, Eq)]
pub struct RenderedEmail {
    /// The `subject` block, stripped.
    pub subject: String,
    /// The `text_body` block, stripped; with only an `html_body` block, the HTML.
    pub body: String,
    /// The `html_body` block, stripped, when the template also has a `text_body` block.
    pub html: Option<String>,
}

impl fmt::Debug for RenderedEmail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RenderedEmail")
            .field("subject", &self.subject)
            .field("body_len", &self.body.len())
            .field("html_len", &self.html.as_ref().map(String::len))
            .finish()
    }
}

/// djoser 2.3.5's `djoser/templates/email/*.html`, translated (see the module's documentation).
pub const DJOSER_TEMPLATES: [(&str, &str); 6] = [
    (
        "email/activation.html",
        include_str!("../templates/djoser/email/activation.html"),
    ),
    (
        "email/confirmation.html",
        include_str!("../templates/djoser/email/confirmation.html"),
    ),
    (
        "email/password_changed_confirmation.html",
        include_str!("../templates/djoser/email/password_changed_confirmation.html"),
    ),
    (
        "email/password_reset.html",
        include_str!("../templates/djoser/email/password_reset.html"),
    ),
    (
        "email/username_changed_confirmation.html",
        include_str!("../templates/djoser/email/username_changed_confirmation.html"),
    ),
    (
        "email/username_reset.html",
        include_str!("../templates/djoser/email/username_reset.html"),
    ),
];

/// django-allauth 65.21.1's `templates/account/email/*.txt` that dj-rest-auth's allauth mode
/// sends, translated as djoser's are, with `{% autoescape off %}` written as minijinja's
/// `{% autoescape false %}`. Each email is two templates, `<prefix>_subject.txt` and
/// `<prefix>_message.txt`, rendered whole ([`MailTemplates::render_text`]).
pub const ALLAUTH_TEMPLATES: [(&str, &str); 7] = [
    (
        "account/email/base_message.txt",
        include_str!("../templates/allauth/account/email/base_message.txt"),
    ),
    (
        "account/email/password_reset_key_subject.txt",
        include_str!("../templates/allauth/account/email/password_reset_key_subject.txt"),
    ),
    (
        "account/email/password_reset_key_message.txt",
        include_str!("../templates/allauth/account/email/password_reset_key_message.txt"),
    ),
    (
        "account/email/email_confirmation_subject.txt",
        include_str!("../templates/allauth/account/email/email_confirmation_subject.txt"),
    ),
    (
        "account/email/email_confirmation_message.txt",
        include_str!("../templates/allauth/account/email/email_confirmation_message.txt"),
    ),
    (
        "account/email/email_confirmation_signup_subject.txt",
        include_str!("../templates/allauth/account/email/email_confirmation_signup_subject.txt"),
    ),
    (
        "account/email/email_confirmation_signup_message.txt",
        include_str!("../templates/allauth/account/email/email_confirmation_signup_message.txt"),
    ),
];

/// Django 6.1's `registration/password_reset_subject.txt` (`django.contrib.auth`) and
/// `registration/password_reset_email.html` (`django.contrib.admin`), which Django's
/// `PasswordResetForm` renders (dj-rest-auth's reset without allauth), translated as djoser's
/// are; the link, which Django's template reverses (`{% url 'password_reset_confirm' … %}`), is
/// the context's `password_reset_url` here. Rendered whole and not stripped
/// ([`MailTemplates::render_raw`]), as the form renders them.
pub const DJANGO_TEMPLATES: [(&str, &str); 2] = [
    (
        "registration/password_reset_subject.txt",
        include_str!("../templates/django/registration/password_reset_subject.txt"),
    ),
    (
        "registration/password_reset_email.html",
        include_str!("../templates/django/registration/password_reset_email.html"),
    ),
];

/// The email templates of a project, by name.
pub struct MailTemplates {
    env: Environment<'static>,
}

impl fmt::Debug for MailTemplates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&str> = self.env.templates().map(|(name, _)| name).collect();
        names.sort_unstable();
        f.debug_struct("MailTemplates")
            .field("templates", &names)
            .finish()
    }
}

/// Django's rendering of a printed value (see the module's documentation).
fn django_formatter(
    out: &mut minijinja::Output<'_>,
    state: &mut minijinja::State<'_, '_>,
    value: &Value,
) -> Result<(), minijinja::Error> {
    let text = if value.is_undefined() {
        return Ok(());
    } else if value.is_none() {
        "None".to_owned()
    } else if value.kind() == ValueKind::Bool {
        if value.is_true() { "True" } else { "False" }.to_owned()
    } else {
        value.to_string()
    };
    let escaped = !value.is_safe() && !matches!(state.auto_escape(), AutoEscape::None);
    let written = if escaped { escape(&text) } else { text };
    out.write_str(&written)
        .map_err(|error| minijinja::Error::new(ErrorKind::WriteFailure, error.to_string()))
}

impl Default for MailTemplates {
    /// djoser's, allauth's and Django's templates.
    fn default() -> Self {
        let mut templates = Self::djoser();
        for (name, source) in ALLAUTH_TEMPLATES.into_iter().chain(DJANGO_TEMPLATES) {
            // The sources are this crate's; a test parses each of them.
            if let Err(error) = templates.set_template(name, source) {
                tracing::error!("{error}");
            }
        }
        templates
    }
}

impl MailTemplates {
    /// No template.
    pub fn empty() -> Self {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_undefined_behavior(UndefinedBehavior::Chainable);
        env.set_formatter(django_formatter);
        // Django keeps a template's last newline. The default syntax with that one change
        // always builds; were it to fail, minijinja's default (the newline dropped) stays.
        if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build()
        {
            env.set_syntax(syntax);
        }
        Self { env }
    }

    /// djoser 2.3.5's templates ([`DJOSER_TEMPLATES`]).
    pub fn djoser() -> Self {
        let mut templates = Self::empty();
        for (name, source) in DJOSER_TEMPLATES {
            // The sources are this crate's; a test parses each of them.
            if let Err(error) = templates.set_template(name, source) {
                tracing::error!("{error}");
            }
        }
        templates
    }

    /// Adds the template `name`, or replaces it (an application's own wording).
    ///
    /// # Errors
    ///
    /// The source does not parse.
    pub fn set_template(
        &mut self,
        name: &str,
        source: impl Into<String>,
    ) -> Result<(), TemplateError> {
        self.env
            .add_template_owned(name.to_owned(), source.into())
            .map_err(TemplateError::from)
    }

    /// Whether the template `name` exists.
    pub fn contains(&self, name: &str) -> bool {
        self.env.get_template(name).is_ok()
    }

    /// Renders the whole of `name`, stripped (Python's `str.strip()`), as allauth's
    /// `render_to_string(…).strip()` renders a message.
    ///
    /// # Errors
    ///
    /// No such template, or it fails to render.
    pub fn render_text(
        &self,
        name: &str,
        context: &serde_json::Value,
    ) -> Result<String, TemplateError> {
        let template = self.env.get_template(name)?;
        let text = template.render(Value::from(Serde(context)))?;
        Ok(python_strip(&text).to_owned())
    }

    /// Renders the whole of `name` as Django's `render_to_string` does, not stripped.
    ///
    /// # Errors
    ///
    /// No such template, or it fails to render.
    pub fn render_raw(
        &self,
        name: &str,
        context: &serde_json::Value,
    ) -> Result<String, TemplateError> {
        Ok(self
            .env
            .get_template(name)?
            .render(Value::from(Serde(context)))?)
    }

    /// Renders the blocks of `name` as `BaseEmailMessage.render()` does.
    ///
    /// # Errors
    ///
    /// No such template, or it fails to render.
    pub fn render_email(
        &self,
        name: &str,
        context: &serde_json::Value,
    ) -> Result<RenderedEmail, TemplateError> {
        let template = self.env.get_template(name)?;
        let mut rendered = template.render_captured(Value::from(Serde(context)))?;
        let mut block = |block: &str| -> Result<Option<String>, TemplateError> {
            match rendered.with_state_mut(|state| state.render_block(block)) {
                Ok(text) => Ok(Some(python_strip(&text).to_owned())),
                Err(error) if error.kind() == ErrorKind::UnknownBlock => Ok(None),
                Err(error) => Err(error.into()),
            }
        };
        let subject = block("subject")?.unwrap_or_default();
        let text = block("text_body")?.filter(|text| !text.is_empty());
        let html = block("html_body")?.filter(|html| !html.is_empty());
        // `_attach_body`: text and HTML → an alternative; HTML alone → the body, as HTML.
        Ok(match (text, html) {
            (Some(body), html) => RenderedEmail {
                subject,
                body,
                html,
            },
            (None, Some(html)) => RenderedEmail {
                subject,
                body: String::new(),
                html: Some(html),
            },
            (None, None) => RenderedEmail {
                subject,
                body: String::new(),
                html: None,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn reset_context(site_name: &str) -> serde_json::Value {
        json!({
            "protocol": "http",
            "domain": "example.com",
            "site_name": site_name,
            "url": "password/reset/confirm/MQ/dj4uam-c673821a7c7c2ff67856faf17000885e",
            "user": {"get_username": "alice"},
        })
    }

    #[test]
    fn every_djoser_template_parses_and_has_its_three_blocks() {
        let templates = MailTemplates::djoser();
        for (name, _) in DJOSER_TEMPLATES {
            let email = templates
                .render_email(name, &reset_context("example.com"))
                .expect(name);
            assert!(!email.subject.is_empty(), "{name}");
            assert!(!email.body.is_empty(), "{name}");
            assert!(email.html.is_some(), "{name}");
        }
    }

    #[test]
    fn allauths_reset_email_renders_as_django_renders_it() {
        // allauth 65.21.1's password_reset_key_{subject,message}.txt under Django 6.1.3, sent
        // by dj-rest-auth's reset form (a RequestSite: name and domain are the host).
        let templates = MailTemplates::default();
        let context = json!({
            "current_site": {"name": "testserver", "domain": "testserver"},
            "password_reset_url": "http://testserver/password-reset/confirm/2-dj8nl2-e6aa1fe1764d813a2731a0fe22fc8d82/",
            "username": "bob<&>",
        });
        let subject = templates
            .render_text("account/email/password_reset_key_subject.txt", &context)
            .expect("subject");
        assert_eq!(subject, "Password Reset Email");
        let body = templates
            .render_text("account/email/password_reset_key_message.txt", &context)
            .expect("body");
        assert_eq!(
            body,
            "Hello from testserver!\n\nYou're receiving this email because you or someone else \
             has requested a password reset for your user account.\nIt can be safely ignored if \
             you did not request a password reset. Click the link below to reset your \
             password.\n\nhttp://testserver/password-reset/confirm/2-dj8nl2-\
             e6aa1fe1764d813a2731a0fe22fc8d82/\n\nIn case you forgot, your username is \
             bob<&>.\n\nThank you for using testserver!\ntestserver"
        );
        // Without a username (allauth's email login method) the sentence is left out.
        let without = templates
            .render_text(
                "account/email/password_reset_key_message.txt",
                &json!({"current_site": {"name": "a", "domain": "b"}, "password_reset_url": "u"}),
            )
            .expect("body");
        assert!(
            without.ends_with("password.\n\nu\n\nThank you for using a!\nb"),
            "{without}"
        );
    }

    #[test]
    fn allauths_confirmation_email_renders_as_django_renders_it() {
        // allauth 65.21.1's email_confirmation_signup_{subject,message}.txt (which include
        // email_confirmation_*) under Django 6.1.3, as dj-rest-auth's registration sends it.
        let templates = MailTemplates::default();
        let context = json!({
            "current_site": {"name": "testserver", "domain": "testserver"},
            "user_display": "neo",
            "activate_url": "http://testserver/dj-rest-auth/registration/account-confirm-email/MQ:1xai9r:kKW58M04e09NP_XLeoXzU-CFeg0QDYX_3WO1JfjGpx4/",
        });
        for prefix in ["email_confirmation_signup", "email_confirmation"] {
            let subject = templates
                .render_text(&format!("account/email/{prefix}_subject.txt"), &context)
                .expect("subject");
            assert_eq!(subject, "Please Confirm Your Email Address");
            let body = templates
                .render_text(&format!("account/email/{prefix}_message.txt"), &context)
                .expect("body");
            assert_eq!(
                body,
                "Hello from testserver!\n\nYou're receiving this email because user neo has \
                 given your email address to register an account on testserver.\n\nTo confirm \
                 this is correct, go to http://testserver/dj-rest-auth/registration/\
                 account-confirm-email/MQ:1xai9r:kKW58M04e09NP_XLeoXzU-CFeg0QDYX_3WO1JfjGpx4/\
                 \n\nThank you for using testserver!\ntestserver"
            );
        }
    }

    #[test]
    fn djangos_reset_email_renders_as_django_renders_it() {
        // Django 6.1.3's templates with this context (`{% url %}` giving `/reset/NQ/tok-123/`).
        let templates = MailTemplates::default();
        let context = json!({
            "domain": "testserver", "site_name": "test<server>", "protocol": "http",
            "uid": "NQ", "token": "tok-123", "user": {"get_username": "bob<&>"},
            "password_reset_url": "http://testserver/reset/NQ/tok-123/",
        });
        assert_eq!(
            templates
                .render_raw("registration/password_reset_subject.txt", &context)
                .expect("subject"),
            "\nPassword reset on test<server>\n"
        );
        assert_eq!(
            templates
                .render_raw("registration/password_reset_email.html", &context)
                .expect("body"),
            "\nYou're receiving this email because you requested a password reset for your user \
             account at test<server>.\n\nPlease go to the following page and choose a new \
             password:\n\nhttp://testserver/reset/NQ/tok-123/\n\nIn case you\u{2019}ve \
             forgotten, you are: bob<&>\n\nThanks for using our site!\n\nThe test<server> \
             team\n\n\n"
        );
    }

    #[test]
    fn password_reset_renders_as_django_renders_it() {
        // djoser 2.3.5's email/password_reset.html under Django 6.1.3 with this context.
        let email = MailTemplates::djoser()
            .render_email("email/password_reset.html", &reset_context("example.com"))
            .expect("render");
        assert_eq!(email.subject, "Password reset on example.com");
        assert_eq!(
            email.body,
            "You're receiving this email because you requested a password reset for your user \
             account at example.com.\n\nPlease go to the following page and choose a new \
             password:\nhttp://example.com/password/reset/confirm/MQ/\
             dj4uam-c673821a7c7c2ff67856faf17000885e\nYour username, in case you've forgotten: \
             alice\n\nThanks for using our site!\n\nThe example.com team"
        );
    }

    #[test]
    fn variables_are_escaped_as_django_escapes_them_and_safe_ones_are_not() {
        let templates = MailTemplates::djoser();
        let mut context = reset_context("Tom & Jerry's <site>/");
        context["url"] = json!("a/b?c=1&d='2'");
        let email = templates
            .render_email("email/password_reset.html", &context)
            .expect("render");
        assert_eq!(
            email.subject,
            "Password reset on Tom &amp; Jerry&#x27;s &lt;site&gt;/"
        );
        assert!(
            email.body.contains("http://example.com/a/b?c=1&d='2'\n"),
            "{}",
            email.body
        );
    }

    #[test]
    fn none_and_booleans_print_as_python_and_unknown_names_as_nothing() {
        let mut templates = MailTemplates::empty();
        templates
            .set_template(
                "t.txt",
                "{% block subject %}{{ a }}|{{ b }}|{{ c }}|{{ missing }}|{{ missing.attr }}|{{ n }}{% endblock %}",
            )
            .expect("parse");
        let email = templates
            .render_email("t.txt", &json!({"a": null, "b": true, "c": false, "n": 3}))
            .expect("render");
        assert_eq!(email.subject, "None|True|False|||3");
        assert_eq!(email.body, "");
        assert_eq!(email.html, None);
    }

    #[test]
    fn html_only_becomes_the_body() {
        let mut templates = MailTemplates::empty();
        templates
            .set_template(
                "only-html.html",
                "{% block subject %} Hi {% endblock %}{% block html_body %}\n<p>x</p>\n{% endblock %}",
            )
            .expect("parse");
        let email = templates
            .render_email("only-html.html", &json!({}))
            .expect("render");
        assert_eq!(email.subject, "Hi");
        assert_eq!(email.body, "");
        assert_eq!(email.html.as_deref(), Some("<p>x</p>"));
    }

    #[test]
    fn an_application_replaces_a_template_and_bad_sources_are_errors() {
        let mut templates = MailTemplates::djoser();
        templates
            .set_template(
                "email/activation.html",
                "{% block subject %}Welcome to {{ site_name }}{% endblock %}{% block text_body %}{{ url }}{% endblock %}",
            )
            .expect("parse");
        let email = templates
            .render_email("email/activation.html", &reset_context("Acme"))
            .expect("render");
        assert_eq!(email.subject, "Welcome to Acme");
        assert!(templates.set_template("broken", "{% block %}").is_err());
        assert!(templates.render_email("absent.html", &json!({})).is_err());
    }
}
