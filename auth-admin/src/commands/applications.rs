//! django-oauth-toolkit's applications: `createapplication` (DOT 3.4.1's command, with its
//! model's `full_clean()`), `listapplications` and `deleteapplication`.

use auth_core::accounts::make_password;
use auth_core::compat::python::repr::repr_str;
use auth_core::compat::python::text::python_split;
use auth_core::environment::Environment;
use auth_core::store::oauth2_application::{
    self, Application, ClientType, NewApplication, algorithm, grant_type, registration_source,
};
use auth_core::store::oauth2_user_rows;
use auth_core::store::user::UserIdKind;
use auth_core::store::user_id::UserId;

use super::redirect_uri::{self, Refusal};
use super::{CommandError, line, require_tables};
use crate::Console;
use crate::cli::{CreateApplicationArgs, DeleteApplicationArgs};

/// `CharField(max_length=255)` of `client_id`, `client_secret` and `name`.
const MAX_LENGTH: usize = 255;
/// DOT's `CLIENT_TYPES`.
const CLIENT_TYPES: [&str; 2] = ["confidential", "public"];
/// DOT's `ALGORITHM_TYPES` that are not blank.
const ALGORITHMS: [&str; 2] = [algorithm::RS256, algorithm::HS256];
/// The grants `clean()` requires redirect URIs for.
const REDIRECTING_GRANTS: [&str; 3] = [
    grant_type::AUTHORIZATION_CODE,
    grant_type::IMPLICIT,
    grant_type::OPENID_HYBRID,
];
/// The grants `clean()` refuses HS256 for (`hs_forbidden_grant_types`).
const HS256_FORBIDDEN_GRANTS: [&str; 2] = [grant_type::IMPLICIT, grant_type::OPENID_HYBRID];
const HS256_HASHED: &str = "You cannot use HS256 with a hashed client secret. For HS256 the \
    client secret is the shared signing key and must be stored unhashed so the relying party \
    can verify the token; set hash_client_secret=False and store an unhashed client_secret on \
    this application.";

/// `ValidationError.message_dict` of `full_clean()`: each field's messages, the fields in the
/// order they were first reported (its fields' order, then `clean()`'s, then
/// `validate_unique()`'s).
#[derive(Debug, Default)]
struct FieldErrors(Vec<(&'static str, Vec<String>)>);

impl FieldErrors {
    fn add(&mut self, field: &'static str, message: impl Into<String>) {
        let message = message.into();
        match self.0.iter_mut().find(|(name, _)| *name == field) {
            Some((_, messages)) => messages.push(message),
            None => self.0.push((field, vec![message])),
        }
    }

    fn has(&self, field: &str) -> bool {
        self.0.iter().any(|(name, _)| *name == field)
    }

    /// DOT's report: `"Please correct the following errors:\n %s" % "\n ".join("- " + field +
    /// ": " + str(messages))`, a message list shown as Python's `repr` of a list.
    fn report(&self) -> String {
        let fields: Vec<String> = self
            .0
            .iter()
            .map(|(field, messages)| {
                let shown: Vec<String> = messages.iter().map(|message| repr_str(message)).collect();
                format!("- {field}: [{}]", shown.join(", "))
            })
            .collect();
        format!(
            "Please correct the following errors:\n {}",
            fields.join("\n ")
        )
    }

    /// `MaxLengthValidator(255)`, for a value that is not blank.
    fn max_length(&mut self, field: &'static str, value: &str) {
        let length = value.chars().count();
        if length > MAX_LENGTH {
            self.add(
                field,
                format!("Ensure this value has at most {MAX_LENGTH} characters (it has {length})."),
            );
        }
    }

    /// `Field.validate` of a field with `choices` and `blank=False`.
    fn choice(&mut self, field: &'static str, value: &str, choices: &[&str]) {
        if value.is_empty() {
            self.add(field, "This field cannot be blank.");
        } else if !choices.contains(&value) {
            self.add(
                field,
                format!("Value {} is not a valid choice.", repr_str(value)),
            );
        }
    }
}

/// DOT's `handle`: an option whose value is falsy is left out (the model's default applies).
fn given(value: Option<&String>) -> Option<&str> {
    value.map(String::as_str).filter(|value| !value.is_empty())
}

/// `manage.py createapplication`: the application DOT's command would save, or DOT's report of
/// what is wrong with it (as a command error: exit status 1, where DOT prints it and exits 0).
pub(super) async fn create(
    env: &Environment,
    console: &mut Console<'_>,
    args: CreateApplicationArgs,
) -> Result<(), CommandError> {
    let (db, users) = (env.db(), &env.settings().user_model);
    require_tables(db, &[users.table(), oauth2_application::TABLE]).await?;
    let rsa_key_set = match &args.oidc_rsa_private_key_file {
        Some(path) => !std::fs::read(path)
            .map_err(|error| {
                CommandError::new(format!("cannot read --oidc-rsa-private-key-file: {error}"))
            })?
            .is_empty(),
        None => false,
    };
    let schemes: Vec<String> = args
        .allowed_redirect_uri_schemes
        .iter()
        .map(|scheme| scheme.to_lowercase())
        .collect();
    let client_id = given(args.client_id.as_ref())
        .map_or_else(oauth2_application::generate_client_id, str::to_owned);
    let given_secret = given(args.client_secret.as_ref());
    let secret =
        given_secret.map_or_else(oauth2_application::generate_client_secret, str::to_owned);
    let name = given(args.name.as_ref()).unwrap_or_default();
    let redirect_uris = given(args.redirect_uris.as_ref()).unwrap_or_default();
    let chosen_algorithm = given(args.algorithm.as_ref()).unwrap_or(algorithm::NONE);
    let (client_type, grant) = (
        args.client_type.as_str(),
        args.authorization_grant_type.as_str(),
    );
    let hash = !args.no_hash_client_secret;
    let hashers = &env.settings().password_hashers;

    // `clean_fields()`, in the model's field order (blank values of `blank=True` fields skipped).
    let mut errors = FieldErrors::default();
    errors.max_length("client_id", &client_id);
    let owner = match given(args.user.as_ref()) {
        Some(text) => owner(env, text, &mut errors).await?,
        None => None,
    };
    errors.choice("client_type", client_type, &CLIENT_TYPES);
    errors.choice("authorization_grant_type", grant, &grant_type::ALL);
    errors.max_length("client_secret", &secret);
    errors.max_length("name", name);
    if !chosen_algorithm.is_empty() {
        errors.choice("algorithm", chosen_algorithm, &ALGORITHMS);
    }
    // `clean()`.
    let uris: Vec<&str> = python_split(redirect_uris).collect();
    for uri in &uris {
        match redirect_uri::check(uri, &schemes) {
            Ok(()) => {}
            Err(Refusal::Invalid(message)) => errors.add("redirect_uris", message),
            Err(Refusal::NotChecked(reason)) => {
                return Err(CommandError::new(format!(
                    "the redirect URI {uri:?} is not checked by this command: {reason}; \
                     create the application with django-oauth-toolkit's createapplication"
                )));
            }
        }
    }
    if uris.is_empty() && REDIRECTING_GRANTS.contains(&grant) {
        errors.add(
            "redirect_uris",
            format!("redirect_uris cannot be empty with grant_type {grant}"),
        );
    }
    // `allowed_origins` is always empty here: nothing to check.
    if chosen_algorithm == algorithm::RS256 && !rsa_key_set {
        errors.add(
            "algorithm",
            "You must set OIDC_RSA_PRIVATE_KEY to use RSA algorithm",
        );
    }
    if chosen_algorithm == algorithm::HS256 {
        if HS256_FORBIDDEN_GRANTS.contains(&grant) || client_type == "public" {
            errors.add(
                "algorithm",
                "You cannot use HS256 with public grants or clients",
            );
        }
        // The secret is never empty here (an empty one is generated), so DOT's "without a
        // client secret" cannot arise.
        if hash {
            errors.add("hash_client_secret", HS256_HASHED);
        } else if hashers.identifies(&secret) {
            errors.add("client_secret", HS256_HASHED);
        }
    }
    // `validate_unique()`, for a client id without other problems.
    if !errors.has("client_id") && oauth2_application::client_id_exists(db, &client_id).await? {
        errors.add(
            "client_id",
            "Application with this Client ID already exists.",
        );
    }
    if !errors.0.is_empty() {
        return Err(CommandError::new(errors.report()));
    }

    // `ClientSecretField.pre_save`: hashed with the first hasher unless not to be hashed or
    // already a hash.
    let stored_secret = if hash && !hashers.identifies(&secret) {
        make_password(env, &secret)
            .await
            .map_err(|_| CommandError::new("client secret hashing failed"))?
    } else {
        secret.clone()
    };
    let new = NewApplication {
        client_id: &client_id,
        user_id: owner,
        redirect_uris,
        post_logout_redirect_uris: &args.post_logout_redirect_uris,
        client_type: ClientType::from_stored(client_type),
        authorization_grant_type: grant,
        client_secret: &stored_secret,
        hash_client_secret: hash,
        name,
        skip_authorization: args.skip_authorization,
        algorithm: chosen_algorithm,
        allowed_origins: "",
        registration_source: registration_source::MANUAL,
    };
    oauth2_application::insert(db, &new, auth_core::store::datetime::now()).await?;
    let shown = if name.is_empty() { &client_id } else { name };
    line(
        console.out,
        format_args!("New application {shown} created successfully."),
    )?;
    if given_secret.is_none() {
        line(console.out, format_args!("client_secret: {secret}"))?;
    }
    Ok(())
}

/// `clean_fields()` of `user`: the primary key `text` as the user model's key field reads it
/// (`to_python`), then an existing user with it (`ForeignKey.validate`).
async fn owner(
    env: &Environment,
    text: &str,
    errors: &mut FieldErrors,
) -> Result<Option<UserId>, CommandError> {
    let users = &env.settings().user_model;
    let kind = users.id_kind();
    // Django's `verbose_name` of the model: its class name lower-cased (exact for one word).
    let model = users.model_name();
    let Some(id) = kind.to_python(text) else {
        let message = if kind == UserIdKind::Uuid {
            format!("“{text}” is not a valid UUID.")
        } else if let Some(digits) = big_int(text) {
            // A Python integer no database key can be.
            format!("{model} instance with id {digits} is not a valid choice.")
        } else {
            format!("“{text}” value must be an integer.")
        };
        errors.add("user", message);
        return Ok(None);
    };
    if users.find_by_id(env.db(), id).await?.is_some() {
        return Ok(Some(id));
    }
    let shown = match id {
        UserId::Int(id) => id.to_string(),
        UserId::Uuid(_) => format!("UUID('{id}')"),
    };
    errors.add(
        "user",
        format!("{model} instance with id {shown} is not a valid choice."),
    );
    Ok(None)
}

/// Python's `repr(int(text))` for an integer beyond `i64` (ASCII digits, an optional sign,
/// single `_` between digits, surrounding whitespace); `None` for anything else.
fn big_int(text: &str) -> Option<String> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let valid = !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    if !valid {
        return None;
    }
    let digits: String = digits.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some("0".to_owned());
    }
    Some(format!("{}{digits}", if negative { "-" } else { "" }))
}

/// Control characters escaped, so that one application stays on one line.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `listapplications`: one line per application, `id  client_id  client_type  grant_type
/// owner  name`, in columns; the owner is the username, `<none>`, or `<user #id>` when the row
/// is gone. Never the secret.
pub(super) async fn list(env: &Environment, console: &mut Console<'_>) -> Result<(), CommandError> {
    let (db, users) = (env.db(), &env.settings().user_model);
    require_tables(db, &[users.table(), oauth2_application::TABLE]).await?;
    let applications = oauth2_application::list(db).await?;
    if applications.is_empty() {
        return line(console.out, format_args!("No applications."));
    }
    // One lookup per owner: the user table is the configured one, so there is no static join.
    let mut rows: Vec<[String; 6]> = Vec::with_capacity(applications.len());
    for application in applications {
        let owner = match application.user_id {
            None => "<none>".to_owned(),
            Some(id) => match users.find_by_id(db, id).await? {
                Some(user) => one_line(&user.username),
                None => format!("<user #{id}>"),
            },
        };
        rows.push([
            application.id.to_string(),
            one_line(&application.client_id),
            application.client_type.as_str().to_owned(),
            one_line(&application.authorization_grant_type),
            owner,
            one_line(&application.name),
        ]);
    }
    let mut widths = [0; 5];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row.iter()) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for [id, client_id, client_type, grant, owner, name] in &rows {
        let [w_id, w_client, w_type, w_grant, w_owner] = widths;
        let text = format!(
            "{id:>w_id$}  {client_id:<w_client$}  {client_type:<w_type$}  {grant:<w_grant$}  \
             {owner:<w_owner$}  {name}"
        );
        line(console.out, format_args!("{}", text.trim_end()))?;
    }
    Ok(())
}

fn count(number: u64, singular: &str, plural: &str) -> String {
    format!("{number} {}", if number == 1 { singular } else { plural })
}

/// `deleteapplication CLIENT_ID`: `application.delete()`, with what Django's collector deletes
/// with it; the deleted access tokens are forgotten by this process's credential cache.
pub(super) async fn delete(
    env: &Environment,
    console: &mut Console<'_>,
    args: DeleteApplicationArgs,
) -> Result<(), CommandError> {
    let db = env.db();
    require_tables(db, &oauth2_user_rows::APPLICATION_TABLES).await?;
    let missing = || {
        CommandError::new(format!(
            "application with client id '{}' does not exist",
            args.client_id
        ))
    };
    let application: Application = oauth2_application::by_client_id(db, &args.client_id)
        .await?
        .ok_or_else(missing)?;
    let deleted = oauth2_user_rows::delete_application(db, application.id)
        .await?
        .ok_or_else(missing)?;
    if let Some(cache) = env.services().credential_cache() {
        for checksum in &deleted.access_token_checksums {
            cache.forget_oauth2_token(checksum);
        }
    }
    // DOT's `__str__`: the name, or the client id.
    let shown = if application.name.is_empty() {
        &application.client_id
    } else {
        &application.name
    };
    let issued = deleted.issued;
    line(
        console.out,
        format_args!(
            "Deleted application {} and its {}, {}, {} and {}.",
            one_line(shown),
            count(issued.access_tokens, "access token", "access tokens"),
            count(issued.refresh_tokens, "refresh token", "refresh tokens"),
            count(issued.grants, "grant", "grants"),
            count(issued.id_tokens, "ID token", "ID tokens"),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_is_dots() {
        let mut errors = FieldErrors::default();
        errors.choice("client_type", "foo", &CLIENT_TYPES);
        errors.choice("authorization_grant_type", "", &grant_type::ALL);
        errors.add("redirect_uris", "a");
        errors.add("redirect_uris", "it's");
        assert_eq!(
            errors.report(),
            "Please correct the following errors:\n - client_type: [\"Value 'foo' is not a \
             valid choice.\"]\n - authorization_grant_type: ['This field cannot be blank.']\n \
             - redirect_uris: ['a', \"it's\"]"
        );
    }

    #[test]
    fn big_integers_read_as_python_reads_them() {
        assert_eq!(
            big_int(" 99999999999999999999999 ").as_deref(),
            Some("99999999999999999999999")
        );
        assert_eq!(big_int("-0_0012").as_deref(), Some("-12"));
        assert_eq!(big_int("+000").as_deref(), Some("0"));
        assert_eq!(big_int("1__0"), None);
        assert_eq!(big_int("0x5"), None);
        assert_eq!(big_int(""), None);
    }

    #[test]
    fn one_line_escapes_control_characters_only() {
        assert_eq!(one_line("My app\n2\t"), "My app\\n2\\t");
        assert_eq!(one_line("Ünïcode app"), "Ünïcode app");
    }
}
