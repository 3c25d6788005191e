//! `#[derive(UserColumns)]`: a struct whose named fields are columns of the user table, each
//! read with its field's type (`auth_core::store::user_columns::UserColumns`).

use proc_macro2::TokenStream;
use quote::quote;

use crate::errors::Errors;

/// The column a field reads: its name, or `#[user_column(name = "…")]`.
fn column_of(field: &syn::Field, errors: &mut Errors) -> Option<String> {
    let mut name = field.ident.as_ref().map(|ident| {
        let text = ident.to_string();
        text.strip_prefix("r#").map_or(text.clone(), str::to_owned)
    });
    for attribute in field
        .attrs
        .iter()
        .filter(|attribute| attribute.path().is_ident("user_column"))
    {
        let parsed = attribute.parse_nested_meta(|meta| {
            if meta.path.is_ident("name") {
                let value: syn::LitStr = meta.value()?.parse()?;
                name = Some(value.value());
                Ok(())
            } else {
                Err(meta.error("expected `name = \"column\"`"))
            }
        });
        errors.take(parsed);
    }
    let name = name?;
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        // Read as `x_{name}`: within PostgreSQL's 63-byte identifiers.
        && name.len() <= 61;
    if !plain {
        errors.spanned(
            field,
            format!(
                "column {name:?} is not a plain SQL identifier (letters, digits, `_`; at most \
                 61)"
            ),
        );
    }
    Some(name)
}

pub(crate) fn expand(input: &syn::DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    let fields = match &input.data {
        syn::Data::Struct(syn::DataStruct {
            fields: syn::Fields::Named(fields),
            ..
        }) => &fields.named,
        _ => {
            errors.spanned(
                &input.ident,
                "UserColumns needs a struct with named fields, one per column of the user table",
            );
            return errors.into_compile_errors();
        }
    };
    if !input.generics.params.is_empty() {
        errors.spanned(&input.generics, "UserColumns takes no generic parameters");
    }
    let mut names = Vec::new();
    let mut reads = Vec::new();
    for field in fields {
        let Some(column) = column_of(field, &mut errors) else {
            continue;
        };
        let ident = &field.ident;
        reads.push(quote! {
            #ident: row.try_get(prefix, #column)?
        });
        names.push(column);
    }
    if !errors.is_empty() {
        return errors.into_compile_errors();
    }
    let ident = &input.ident;
    quote! {
        impl ::auth_actix::__private::UserColumns for #ident {
            const COLUMNS: &'static [&'static str] = &[#(#names),*];

            fn from_row(
                row: &::auth_actix::__private::QueryResult,
                prefix: &str,
            ) -> ::core::result::Result<Self, ::auth_actix::__private::DbErr> {
                ::auth_actix::__private::Ok(Self { #(#reads),* })
            }
        }
    }
}
