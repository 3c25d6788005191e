//! `#[login_not_required]`: Django's decorator of that name, for the few routes deny-by-default
//! must leave open (health checks, static files).

use proc_macro2::TokenStream;
use quote::quote;
use syn::{FnArg, ItemFn, Type};

use crate::errors::Errors;
use crate::handler;
use crate::keywords::{self, PolicyPart};

/// The parameter types that run a policy, which an opted-out handler must not take.
const POLICY_EXTRACTORS: &[&str] = &["Auth", "PolicyGuard"];

/// Expands `#[login_not_required]` on `item`.
pub(crate) fn expand(arguments: TokenStream, item: TokenStream) -> TokenStream {
    let function: ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            let error = syn::Error::new(
                proc_macro2::Span::call_site(),
                "`#[login_not_required]` goes on an `async fn` handler",
            )
            .to_compile_error();
            return quote!(#error #item);
        }
    };
    let runtime_crate = syn::Ident::new(keywords::DEFAULT_CRATE, proc_macro2::Span::call_site());
    if handler::has_route_attribute(&function) {
        let name = syn::Ident::new(keywords::LOGIN_NOT_REQUIRED, proc_macro2::Span::call_site());
        let attribute = syn::parse_quote!(#[::#runtime_crate::#name(#arguments)]);
        return handler::defer_below_route(function, attribute);
    }

    let mut errors = Errors::default();
    if !arguments.is_empty() {
        errors.spanned(&arguments, "`#[login_not_required]` takes no arguments");
    }
    for attribute in &function.attrs {
        if PolicyPart::of(attribute.path()).is_some() {
            errors.spanned(attribute, keywords::POLICY_WITH_LOGIN_NOT_REQUIRED);
        }
    }
    if function.sig.asyncness.is_none() {
        errors.spanned(
            function.sig.fn_token,
            "a `#[login_not_required]` handler must be an `async fn`: add `async`",
        );
    }
    for input in &function.sig.inputs {
        if let FnArg::Typed(typed) = input
            && let Type::Path(path) = &*typed.ty
            && let Some(last) = path.path.segments.last()
            && POLICY_EXTRACTORS.iter().any(|name| last.ident == name)
        {
            errors.spanned(
                &typed.ty,
                format!(
                    "`{}` runs the default policy, which `#[login_not_required]` turns off: \
                     declare `#[permission_classes(AllowAny)]` instead to read the user",
                    last.ident
                ),
            );
        }
    }
    if errors.is_empty() && !handler::can_generate(&function) {
        errors.spanned(
            &function.sig,
            "a `#[login_not_required]` handler cannot be generic or take `self` or `impl Trait` \
             parameters",
        );
    }
    if !errors.is_empty() {
        let errors = errors.into_compile_errors();
        return quote!(#errors #function);
    }
    let runtime = quote!(::#runtime_crate::__private);
    handler::generate(function, handler::Claim::LoginNotRequired, &runtime, None)
}
