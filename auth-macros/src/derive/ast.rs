//! The derive's input, checked: every attribute error is collected before failing.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, GenericArgument, Ident, LitStr, PathArguments, Type};

use crate::errors::Errors;
use crate::keywords;

/// Where one credential field comes from.
pub(crate) struct Credential {
    pub(crate) field: Ident,
    /// The parsed type (`T` of an `Option<T>` field).
    pub(crate) parsed: Type,
    pub(crate) optional: bool,
    /// `Header`, `Cookie`, `Query` or `Keyword`.
    pub(crate) source: Ident,
    pub(crate) name: LitStr,
    /// The field's doc comment, joined: what an API description says the credential is.
    pub(crate) description: String,
}

/// What the derive declares.
pub(crate) enum Declaration {
    /// A scheme of credential fields checked by the user's `Verify`.
    Credentials(Vec<Credential>),
    /// DRF's token scheme with another keyword (`#[authentication(token, keyword = "…")]`).
    Token { keyword: LitStr },
}

/// The checked input.
pub(crate) struct Scheme {
    pub(crate) ident: Ident,
    pub(crate) name: String,
    pub(crate) challenge: Option<LitStr>,
    pub(crate) crate_path: Option<syn::Path>,
    pub(crate) declaration: Declaration,
}

fn source_variant(key: &str) -> Option<&'static str> {
    match key {
        "header" => Some("Header"),
        "cookie" => Some("Cookie"),
        "query" => Some("Query"),
        "bearer" => Some("Keyword"),
        _ => None,
    }
}

fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.first() {
        Some(GenericArgument::Type(inner)) if arguments.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// Parses and checks the input, recording every problem in `errors`.
pub(crate) fn parse(input: &DeriveInput, errors: &mut Errors) -> Option<Scheme> {
    let mut challenge = None;
    let mut name = None;
    let mut token = None::<Span>;
    let mut keyword = None;
    let mut crate_path = None;

    for attribute in input
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("authentication"))
    {
        let result = attribute.parse_nested_meta(|meta| {
            if meta.path.is_ident(keywords::CHALLENGE) {
                challenge = Some(meta.value()?.parse::<LitStr>()?);
            } else if meta.path.is_ident(keywords::NAME) {
                name = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.path.is_ident(keywords::TOKEN) {
                token = Some(meta.path.span());
            } else if meta.path.is_ident(keywords::KEYWORD) {
                keyword = Some(meta.value()?.parse::<LitStr>()?);
            } else if meta.path.is_ident(keywords::CRATE) {
                let literal = meta.value()?.parse::<LitStr>()?;
                crate_path = Some(literal.parse::<syn::Path>()?);
            } else {
                return Err(meta.error(format!(
                    "unknown key; `#[authentication(…)]` takes `{}`, `{}`, `{}`, `{}` or `{}`",
                    keywords::CHALLENGE,
                    keywords::NAME,
                    keywords::TOKEN,
                    keywords::KEYWORD,
                    keywords::CRATE
                )));
            }
            Ok(())
        });
        errors.take(result);
    }

    if !input.generics.params.is_empty() {
        errors.spanned(&input.generics, "a derived scheme cannot be generic");
    }
    let fields = match &input.data {
        Data::Struct(data) => &data.fields,
        Data::Enum(data) => {
            errors.push(syn::Error::new(
                data.enum_token.span,
                "`#[derive(Authentication)]` declares a scheme from a struct of credentials, not an enum",
            ));
            return None;
        }
        Data::Union(data) => {
            errors.push(syn::Error::new(
                data.union_token.span,
                "`#[derive(Authentication)]` declares a scheme from a struct of credentials, not a union",
            ));
            return None;
        }
    };

    let declaration = match (token, keyword) {
        (Some(_), Some(keyword)) => {
            if !fields.is_empty() {
                errors.spanned(
                    fields,
                    "a configured token scheme is a unit struct: remove the fields",
                );
            }
            if keyword.value().is_empty() || keyword.value().contains(char::is_whitespace) {
                errors.spanned(&keyword, "the keyword must be one word, such as \"Bearer\"");
            }
            Declaration::Token { keyword }
        }
        (Some(span), None) => {
            errors.push(syn::Error::new(span, "`token` needs a `keyword = \"…\"`"));
            return None;
        }
        (None, Some(keyword)) => {
            errors.spanned(
                &keyword,
                "`keyword` configures DRF's token scheme: add `token`",
            );
            return None;
        }
        (None, None) => Declaration::Credentials(parse_fields(input, fields, errors)),
    };
    if let (Some(challenge), Declaration::Token { .. }) = (&challenge, &declaration) {
        errors.spanned(
            challenge,
            "a token scheme's challenge is its keyword; remove `challenge`",
        );
    }

    Some(Scheme {
        ident: input.ident.clone(),
        name: name.unwrap_or_else(|| input.ident.to_string()),
        challenge,
        crate_path,
        declaration,
    })
}

fn parse_fields(input: &DeriveInput, fields: &Fields, errors: &mut Errors) -> Vec<Credential> {
    let named = match fields {
        Fields::Named(named) => named,
        Fields::Unit => {
            errors.spanned(
                &input.ident,
                "a derived scheme needs at least one credential field, e.g. `#[credential(header = \"X-Api-Key\")] key: String`",
            );
            return Vec::new();
        }
        Fields::Unnamed(unnamed) => {
            errors.spanned(unnamed, "credential fields must be named");
            return Vec::new();
        }
    };
    if named.named.is_empty() {
        errors.spanned(
            &input.ident,
            "a derived scheme needs at least one credential field, e.g. `#[credential(header = \"X-Api-Key\")] key: String`",
        );
    }
    let mut credentials = Vec::new();
    for field in &named.named {
        let Some(ident) = field.ident.clone() else {
            continue;
        };
        let attributes: Vec<_> = field
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("credential"))
            .collect();
        let Some(attribute) = attributes.first() else {
            errors.spanned(
                &ident,
                format!("field `{ident}` needs `#[credential(header = \"…\")]` (or `cookie`, `query`, `bearer`)"),
            );
            continue;
        };
        for extra in attributes.iter().skip(1) {
            errors.spanned(extra, "duplicate `#[credential]`: a field has one source");
        }
        let mut source: Option<(Ident, LitStr, String)> = None;
        let result = attribute.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            let Some(variant) = source_variant(&key) else {
                return Err(meta.error(format!(
                    "unknown credential source; use one of {}",
                    keywords::SOURCES
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            };
            let value: LitStr = meta.value()?.parse()?;
            if value.value().is_empty() {
                return Err(syn::Error::new_spanned(
                    &value,
                    "the name must not be empty",
                ));
            }
            if let Some((_, _, first)) = &source {
                return Err(meta.error(format!(
                    "conflicting sources `{first}` and `{key}`: a credential comes from one place"
                )));
            }
            source = Some((Ident::new(variant, meta.path.span()), value, key));
            Ok(())
        });
        if errors.take(result).is_none() {
            continue;
        }
        let Some((source, name, _)) = source else {
            errors.spanned(
                attribute,
                "`#[credential]` needs a source, e.g. `header = \"X-Api-Key\"`",
            );
            continue;
        };
        let (parsed, optional) = match option_inner(&field.ty) {
            Some(inner) => (inner.clone(), true),
            None => (field.ty.clone(), false),
        };
        credentials.push(Credential {
            field: ident,
            parsed,
            optional,
            source,
            name,
            description: doc_text(&field.attrs),
        });
    }
    credentials
}

/// The text of `///` comments (`#[doc = "…"]`), lines trimmed and joined with spaces.
fn doc_text(attributes: &[syn::Attribute]) -> String {
    let lines: Vec<String> = attributes
        .iter()
        .filter(|attribute| attribute.path().is_ident("doc"))
        .filter_map(|attribute| match &attribute.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(text),
                        ..
                    }),
                ..
            }) => Some(text.value().trim().to_owned()),
            _ => None,
        })
        .filter(|line| !line.is_empty())
        .collect();
    lines.join(" ")
}
