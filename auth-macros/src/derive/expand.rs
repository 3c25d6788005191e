//! Code generation of `#[derive(Authentication)]`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};

use super::ast::{Declaration, Scheme};
use crate::keywords;

/// The `impl Authentication` (and, for a token scheme, `impl TokenKeyword`) of `scheme`.
pub(crate) fn expand(scheme: &Scheme) -> TokenStream {
    let runtime = match &scheme.crate_path {
        Some(path) => quote!(#path::__private),
        None => {
            let name = syn::Ident::new(keywords::DEFAULT_CRATE, proc_macro2::Span::call_site());
            quote!(::#name::__private)
        }
    };
    let ident = &scheme.ident;
    let name = &scheme.name;

    match &scheme.declaration {
        Declaration::Token { keyword } => quote! {
            impl #runtime::TokenKeyword for #ident {
                fn keyword(_settings: &#runtime::Settings) -> &::core::primitive::str {
                    #keyword
                }
            }

            impl #runtime::Authentication for #ident {
                const NAME: &'static ::core::primitive::str = #name;

                async fn authenticate(cx: &#runtime::AuthContext<'_>) -> #runtime::Outcome {
                    <#runtime::TokenAuthentication<Self> as #runtime::Authentication>::authenticate(cx).await
                }

                fn challenge(cx: &#runtime::AuthContext<'_>) -> #runtime::Option<#runtime::String> {
                    <#runtime::TokenAuthentication<Self> as #runtime::Authentication>::challenge(cx)
                }

                fn security_requirement(
                    _settings: &#runtime::Settings,
                    _method: &::core::primitive::str,
                ) -> #runtime::SecurityRequirement {
                    #runtime::vec![#runtime::SecurityScheme::authorization_keyword(
                        #name,
                        #keyword,
                        "a DRF token key",
                    )]
                }
            }
        },
        Declaration::Credentials(credentials) => {
            let sources: Vec<_> = (0..credentials.len())
                .map(|i| format_ident!("__source_{i}"))
                .collect();
            let found: Vec<_> = (0..credentials.len())
                .map(|i| format_ident!("__found_{i}"))
                .collect();
            let lookups = credentials.iter().zip(&sources).zip(&found).map(
                |((credential, source), found)| {
                    let variant = &credential.source;
                    let credential_name = &credential.name;
                    quote! {
                        let #source = #runtime::Source::#variant(#credential_name);
                        let #found = #source.find(cx.request);
                    }
                },
            );
            let values = credentials.iter().zip(&sources).zip(&found).map(|((credential, source), found)| {
                let field = &credential.field;
                let parsed = &credential.parsed;
                let absent = if credential.optional {
                    quote!(#runtime::None)
                } else {
                    quote!(return #runtime::Outcome::Failed(#source.missing()))
                };
                let present = if credential.optional {
                    quote!(#runtime::Some(value))
                } else {
                    quote!(value)
                };
                quote! {
                    let #field = match #found {
                        #runtime::Found::Absent => #absent,
                        #runtime::Found::Invalid(error) => return #runtime::Outcome::Failed(error),
                        #runtime::Found::Present(text) => match #source.parse::<#parsed>(&text) {
                            #runtime::Ok(value) => #present,
                            #runtime::Err(error) => return #runtime::Outcome::Failed(error),
                        },
                    };
                }
            });
            let fields = credentials.iter().map(|credential| &credential.field);
            let challenge = scheme.challenge.as_ref().map(|challenge| {
                quote! {
                    fn challenge(_cx: &#runtime::AuthContext<'_>) -> #runtime::Option<#runtime::String> {
                        #runtime::Some(#runtime::String::from(#challenge))
                    }
                }
            });
            // An API description lists the credentials a client must send: the required ones, or
            // every one when all are optional (any of them makes the scheme attempt).
            let described: Vec<_> = if credentials.iter().all(|credential| credential.optional) {
                credentials.iter().collect()
            } else {
                credentials
                    .iter()
                    .filter(|credential| !credential.optional)
                    .collect()
            };
            let several = described.len() > 1;
            let described = described.iter().map(|credential| {
                let variant = &credential.source;
                let credential_name = &credential.name;
                let description = &credential.description;
                quote! {
                    #runtime::SecurityScheme::of_source(
                        #name,
                        #runtime::Source::#variant(#credential_name),
                        #several,
                        #description,
                    )
                }
            });
            let security = quote! {
                fn security_requirement(
                    _settings: &#runtime::Settings,
                    _method: &::core::primitive::str,
                ) -> #runtime::SecurityRequirement {
                    #runtime::vec![#(#described),*]
                }
            };
            // Spanned on the struct so that a missing `impl Verify` is reported there.
            let verify = quote_spanned! {ident.span()=>
                #runtime::verify_credentials::<#ident>
            };
            quote! {
                impl #runtime::Authentication for #ident {
                    const NAME: &'static ::core::primitive::str = #name;

                    async fn authenticate(cx: &#runtime::AuthContext<'_>) -> #runtime::Outcome {
                        #(#lookups)*
                        if true #(&& #found.is_absent())* {
                            return #runtime::Outcome::NotAttempted;
                        }
                        #(#values)*
                        match #verify(Self { #(#fields),* }, cx).await {
                            #runtime::Ok(authenticated) => #runtime::Outcome::Authenticated(authenticated),
                            #runtime::Err(error) => #runtime::Outcome::Failed(error),
                        }
                    }

                    #challenge

                    #security
                }
            }
        }
    }
}
