//! The handler value the attributes generate: a unit struct named after the function, which
//! actix-web registers (`.to(me)`, `.service(me)` through its route macros) like the function,
//! and which reports, while actix-web routes a request to it, that it declares its own policy.
//!
//! Why a struct: deny-by-default must learn which handler a request reaches before the handler
//! runs, and the only code actix-web runs between routing and the handler's extractors is the
//! handler's `Clone` (its `handler_service` clones the handler as it creates the request's
//! future). A function's clone is a copy; a struct's can report. The function's body moves to
//! a hidden `async fn`, which the struct's `Handler::call` awaits and turns into a response as
//! actix-web would (`Responder::respond_to`), so `impl Responder` returns keep working.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Attribute, FnArg, ItemFn, Pat, Type};

use crate::keywords;

/// What the generated handler reports about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Claim {
    /// Its first parameter is the policy guard.
    Declared,
    /// `#[login_not_required]`: no policy at all.
    LoginNotRequired,
}

/// Whether `function` has type or const parameters (lifetimes do not count): such a handler has
/// no one type to register.
pub(crate) fn is_generic(function: &ItemFn) -> bool {
    function
        .sig
        .generics
        .params
        .iter()
        .any(|param| !matches!(param, syn::GenericParam::Lifetime(_)))
}

/// Whether `function` can become a struct handler: not generic (it stays a function, which
/// deny-by-default treats as declaring nothing) and no attributes on parameters.
pub(crate) fn can_generate(function: &ItemFn) -> bool {
    let generic = is_generic(function);
    let attributed = function.sig.inputs.iter().any(|input| match input {
        FnArg::Typed(typed) => !typed.attrs.is_empty(),
        FnArg::Receiver(_) => true,
    });
    let impl_trait = function.sig.inputs.iter().any(|input| match input {
        FnArg::Typed(typed) => matches!(*typed.ty, Type::ImplTrait(_)),
        FnArg::Receiver(_) => false,
    });
    !generic && !attributed && !impl_trait && function.sig.asyncness.is_some()
}

/// The function's attributes by destination.
struct Attributes {
    /// Documentation: on the struct, which is what users see.
    docs: Vec<Attribute>,
    /// `cfg` and lint levels (`allow`, …): on every generated item.
    shared: Vec<Attribute>,
    /// The rest (`tracing::instrument`, …): on the function, which runs the body.
    rest: Vec<Attribute>,
}

fn split_attributes(attributes: Vec<Attribute>) -> Attributes {
    let mut split = Attributes {
        docs: Vec::new(),
        shared: Vec::new(),
        rest: Vec::new(),
    };
    for attribute in attributes {
        let path = attribute.path();
        if path.is_ident("doc") {
            split.docs.push(attribute);
        } else if keywords::SHARED_ATTRIBUTES
            .iter()
            .any(|name| path.is_ident(name))
        {
            split.shared.push(attribute);
        } else {
            split.rest.push(attribute);
        }
    }
    split
}

/// The struct, its `Clone` and `Handler` impls, the name's registration and the hidden function
/// for `function` (already carrying its guard parameter when `claim` is `Declared`); with a
/// `path` (`#[api_view("/path/", …)]`), an `HttpServiceFactory` impl registering it there for
/// every method, as actix-web's route macros register theirs.
///
/// The parameters' types are written once, in a tuple alias that both the `Handler` impl and
/// the hidden function (which takes the tuple and destructures it with the user's patterns)
/// use, so that a mistake in one is reported once, on the user's token.
pub(crate) fn generate(
    mut function: ItemFn,
    claim: Claim,
    runtime: &TokenStream,
    path: Option<&syn::LitStr>,
) -> TokenStream {
    let name = function.sig.ident.clone();
    let vis = function.vis.clone();
    let inner = format_ident!("__auth_actix_handler_{}", name);
    let arguments_alias = format_ident!("__auth_actix_arguments_{}", name);
    let Attributes { docs, shared, rest } = split_attributes(std::mem::take(&mut function.attrs));

    let mut types: Vec<Type> = Vec::new();
    let mut patterns: Vec<Pat> = Vec::new();
    for input in &function.sig.inputs {
        if let FnArg::Typed(typed) = input {
            types.push((*typed.ty).clone());
            patterns.push((*typed.pat).clone());
        }
    }
    // The request actix-web hands the response to: the guard's for a declared handler, an
    // extra first element for an opted-out one (which has no guard).
    let (claim_variant, request_type, request_pattern, request_of) = match claim {
        Claim::Declared => (
            quote!(Declared),
            quote!(),
            quote!(),
            quote!(__auth_actix_arguments.0.auth().request().clone()),
        ),
        Claim::LoginNotRequired => (
            quote!(LoginNotRequired),
            quote!(#runtime::HttpRequest,),
            quote!(_,),
            quote!(__auth_actix_arguments.0.clone()),
        ),
    };
    let inputs: syn::punctuated::Punctuated<FnArg, syn::Token![,]> = syn::parse_quote! {
        (#request_pattern #(#patterns,)*): #arguments_alias
    };
    function.sig.inputs = inputs;
    function.attrs = shared.iter().chain(&rest).cloned().collect();
    function
        .attrs
        .push(syn::parse_quote!(#[allow(non_snake_case, clippy::too_many_arguments, clippy::unused_async)]));
    function.attrs.push(syn::parse_quote!(#[doc(hidden)]));
    function.sig.ident = inner.clone();
    function.vis = syn::Visibility::Inherited;

    let registered_name = name.to_string();
    // The OpenAPI registration of a declared handler is in its body (it names the guard's
    // type through the handler); an opted-out one has no guard to describe.
    let opt_out_registration = match claim {
        Claim::Declared => quote!(),
        Claim::LoginNotRequired => quote! {
            #(#shared)*
            #runtime::register_login_not_required!(#name);
        },
    };
    let service = path.map(|path| {
        quote! {
            #(#shared)*
            impl #runtime::HttpServiceFactory for #name {
                fn register(self, config: &mut #runtime::AppService) {
                    let resource = #runtime::Resource::new(#path)
                        .name(#registered_name)
                        .to(self);
                    #runtime::HttpServiceFactory::register(resource, config);
                }
            }
        }
    });
    let name_doc = format!(
        "The handler `{registered_name}` (a value for `.to()` and the route macros), with its \
         declared policy."
    );
    let docs = if docs.is_empty() {
        quote!(#[doc = #name_doc])
    } else {
        quote!(#(#docs)*)
    };
    quote! {
        #docs
        #(#shared)*
        #[allow(non_camel_case_types)]
        #vis struct #name;

        #(#shared)*
        #[allow(non_camel_case_types)]
        type #arguments_alias = (#request_type #(#types,)*);

        #(#shared)*
        impl ::core::clone::Clone for #name {
            fn clone(&self) -> Self {
                #runtime::report_routed(#runtime::Claim::#claim_variant);
                #name
            }
        }

        #(#shared)*
        impl #runtime::Handler<#arguments_alias> for #name {
            type Output = #runtime::HttpResponse;
            type Future = #runtime::HandlerFuture;

            fn call(&self, __auth_actix_arguments: #arguments_alias) -> Self::Future {
                let __auth_actix_request: #runtime::HttpRequest = #request_of;
                ::std::boxed::Box::pin(async move {
                    #runtime::respond(
                        #inner(__auth_actix_arguments).await,
                        &__auth_actix_request,
                    )
                })
            }
        }

        #(#shared)*
        #runtime::inventory::submit! {
            #runtime::DeclaredName(#registered_name)
        }

        #opt_out_registration

        #service

        #function
    }
}

/// Where the last of actix-web's route macros still to expand on `function` sits, if any (one
/// means the policy attribute was written above it).
fn last_route_attribute(function: &ItemFn) -> Option<usize> {
    function.attrs.iter().rposition(|attribute| {
        attribute.path().segments.last().is_some_and(|segment| {
            keywords::ROUTE_ATTRIBUTES
                .iter()
                .any(|name| segment.ident == name)
        })
    })
}

/// Whether the policy attribute being expanded was written above one of actix-web's route
/// macros.
pub(crate) fn has_route_attribute(function: &ItemFn) -> bool {
    last_route_attribute(function).is_some()
}

/// `function` with `attribute` (the policy attribute being expanded, rewritten in full) moved
/// just below the last route macro, so that the route macro expands first and this attribute
/// then applies to the function the route macro registers, as when it is written below it. It
/// stays above the other policy attributes, so that it still absorbs them.
pub(crate) fn defer_below_route(mut function: ItemFn, attribute: Attribute) -> TokenStream {
    let position = last_route_attribute(&function).map_or(0, |index| index + 1);
    function.attrs.insert(position, attribute);
    quote!(#function)
}
