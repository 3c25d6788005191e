//! Expansion of the policy attributes: the outermost one absorbs its siblings and adds exactly
//! one leading guard parameter to the handler, editing the parsed function in place.

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{Attribute, FnArg, ItemFn, Meta};

use super::args::{
    ApiViewArgs, CrateOverride, PermissionList, RendererList, SchemeList, ScopeName, ThrottleList,
};
use crate::errors::Errors;
use crate::handler;
use crate::keywords::{self, PolicyPart};

/// The parts found on one handler.
#[derive(Default)]
struct Parts {
    authentication: Option<SchemeList>,
    permissions: Option<PermissionList>,
    throttles: Option<ThrottleList>,
    renderers: Option<RendererList>,
    api_view: Option<ApiViewArgs>,
    /// The attribute that declared the permissions (call site: the one expanding).
    permissions_span: Option<proc_macro2::Span>,
    scope: Option<ScopeName>,
    /// A `#[throttle_scope]` was written (even if it did not parse).
    scope_written: bool,
    crate_override: Option<CrateOverride>,
    /// Types named by a rejected duplicate attribute.
    ignored: Vec<syn::TypePath>,
}

impl Parts {
    fn add_crate_override(&mut self, errors: &mut Errors, candidate: Option<CrateOverride>) {
        let Some(candidate) = candidate else { return };
        match &self.crate_override {
            Some(existing) if existing.literal.value() != candidate.literal.value() => errors
                .spanned(
                    &candidate.literal,
                    format!(
                        "conflicting `{}` paths: \"{}\" here, \"{}\" before",
                        keywords::CRATE,
                        candidate.literal.value(),
                        existing.literal.value()
                    ),
                ),
            Some(_) => {}
            None => self.crate_override = Some(candidate),
        }
    }

    fn add(
        &mut self,
        errors: &mut Errors,
        part: PolicyPart,
        tokens: TokenStream,
        origin: Option<&Attribute>,
    ) {
        let already = match part {
            PolicyPart::Authentication => self.authentication.is_some(),
            PolicyPart::Permissions => self.permissions.is_some(),
            PolicyPart::Throttles => self.throttles.is_some(),
            PolicyPart::ThrottleScope => self.scope.is_some(),
            PolicyPart::Renderers => self.renderers.is_some(),
            PolicyPart::ApiView => self.api_view.is_some(),
        };
        if already {
            let message = format!(
                "duplicate `#[{}]`: give all of them in one attribute",
                part.attribute()
            );
            match origin {
                Some(attribute) => errors.spanned(attribute, message),
                None => errors.push(syn::Error::new(proc_macro2::Span::call_site(), message)),
            }
            // Still read its names, so that only the real mistake is reported.
            match part {
                PolicyPart::Authentication => {
                    if let Ok(list) = syn::parse2::<SchemeList>(tokens) {
                        self.ignored.extend(list.schemes);
                    }
                }
                PolicyPart::Permissions => {
                    if let Ok(list) = syn::parse2::<PermissionList>(tokens) {
                        let mut leaves = Vec::new();
                        for item in &list.items {
                            item.leaves(&mut leaves);
                        }
                        self.ignored.extend(leaves.into_iter().cloned());
                    }
                }
                PolicyPart::Throttles => {
                    if let Ok(list) = syn::parse2::<ThrottleList>(tokens) {
                        self.ignored.extend(list.throttles);
                    }
                }
                PolicyPart::Renderers => {
                    if let Ok(list) = syn::parse2::<RendererList>(tokens) {
                        self.ignored.extend(list.renderers);
                    }
                }
                PolicyPart::ThrottleScope | PolicyPart::ApiView => {}
            }
            return;
        }
        match part {
            PolicyPart::Authentication => {
                if let Some(mut list) = errors.take(syn::parse2::<SchemeList>(tokens)) {
                    check_duplicates(
                        errors,
                        list.schemes
                            .iter()
                            .map(|s| (quote!(#s).to_string(), s.span())),
                        "scheme",
                    );
                    self.add_crate_override(errors, list.crate_override.take());
                    self.authentication = Some(list);
                }
            }
            PolicyPart::Throttles => {
                if let Some(mut list) = errors.take(syn::parse2::<ThrottleList>(tokens)) {
                    check_duplicates(
                        errors,
                        list.throttles
                            .iter()
                            .map(|t| (quote!(#t).to_string(), t.span())),
                        "throttle",
                    );
                    self.add_crate_override(errors, list.crate_override.take());
                    self.throttles = Some(list);
                }
            }
            PolicyPart::Renderers => {
                if let Some(mut list) = errors.take(syn::parse2::<RendererList>(tokens)) {
                    check_duplicates(
                        errors,
                        list.renderers
                            .iter()
                            .map(|r| (quote!(#r).to_string(), r.span())),
                        "renderer",
                    );
                    self.add_crate_override(errors, list.crate_override.take());
                    self.renderers = Some(list);
                }
            }
            PolicyPart::ApiView => {
                if let Some(mut args) = errors.take(syn::parse2::<ApiViewArgs>(tokens)) {
                    for (index, method) in args.methods.iter().enumerate() {
                        if args.methods[..index].contains(method) {
                            errors.spanned(method, format!("`{method}` is listed twice"));
                        }
                    }
                    self.add_crate_override(errors, args.crate_override.take());
                    self.api_view = Some(args);
                }
            }
            PolicyPart::ThrottleScope => {
                self.scope_written = true;
                if let Some(scope) = errors.take(syn::parse2::<ScopeName>(tokens)) {
                    self.scope = Some(scope);
                }
            }
            PolicyPart::Permissions => {
                self.permissions_span = origin.map(|attribute| attribute.path().span());
                if let Some(mut list) = errors.take(syn::parse2::<PermissionList>(tokens)) {
                    check_duplicates(
                        errors,
                        list.items.iter().map(|e| (e.canonical(), e.span())),
                        "permission",
                    );
                    self.add_crate_override(errors, list.crate_override.take());
                    self.permissions = Some(list);
                }
            }
        }
    }
}

impl Parts {
    fn mentioned_types(&self) -> Vec<&syn::TypePath> {
        let mut types: Vec<&syn::TypePath> = self.ignored.iter().collect();
        if let Some(list) = &self.authentication {
            types.extend(&list.schemes);
        }
        if let Some(list) = &self.permissions {
            for item in &list.items {
                item.leaves(&mut types);
            }
        }
        if let Some(list) = &self.throttles {
            types.extend(&list.throttles);
        }
        if let Some(list) = &self.renderers {
            types.extend(&list.renderers);
        }
        types
    }
}

fn check_duplicates(
    errors: &mut Errors,
    items: impl Iterator<Item = (String, proc_macro2::Span)>,
    what: &str,
) {
    let mut seen: Vec<String> = Vec::new();
    for (text, span) in items {
        if seen.contains(&text) {
            errors.push(syn::Error::new(
                span,
                format!("`{text}` is listed twice; each {what} runs once, in order"),
            ));
        } else {
            seen.push(text);
        }
    }
}

/// The arguments of a sibling attribute: `#[name(…)]` only.
fn sibling_arguments(attribute: &Attribute, part: PolicyPart) -> syn::Result<TokenStream> {
    match &attribute.meta {
        Meta::List(list) => Ok(list.tokens.clone()),
        _ => Err(syn::Error::new_spanned(
            attribute,
            format!("expected `#[{}(…)]` with a list", part.attribute()),
        )),
    }
}

/// Expands the outermost policy attribute `part` with arguments `arguments` on `item`.
pub(crate) fn expand(part: PolicyPart, arguments: TokenStream, item: TokenStream) -> TokenStream {
    if is_absorbed_marker(&arguments) {
        return item;
    }
    let mut function: ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            let message = format!("`#[{}]` goes on an `async fn` handler", part.attribute());
            // Re-emit the item so its own code does not light up with secondary errors.
            let error = match syn::parse2::<syn::Item>(item.clone()) {
                Ok(other) => syn::Error::new(item_span(&other), message),
                Err(_) => syn::Error::new(proc_macro2::Span::call_site(), message),
            };
            let error = error.to_compile_error();
            return quote!(#error #item);
        }
    };

    if handler::has_route_attribute(&function) {
        let api_view = part == PolicyPart::ApiView
            || function
                .attrs
                .iter()
                .any(|attribute| PolicyPart::of(attribute.path()) == Some(PolicyPart::ApiView));
        if api_view {
            let error = syn::Error::new(
                proc_macro2::Span::call_site(),
                keywords::API_VIEW_WITH_ROUTE_MACRO,
            )
            .to_compile_error();
            return quote!(#error #function);
        }
        let name = syn::Ident::new(part.attribute(), proc_macro2::Span::call_site());
        let runtime_crate = crate_path_of(part, &arguments);
        let attribute: Attribute = syn::parse_quote!(#[#runtime_crate::#name(#arguments)]);
        return handler::defer_below_route(function, attribute);
    }

    let mut errors = Errors::default();
    let mut parts = Parts::default();
    parts.add(&mut errors, part, arguments, None);

    // Absorb the sibling policy attributes, wherever they sit among the other attributes; each
    // stays in place as an inert marker (see `keywords::ABSORBED`).
    for attribute in &mut function.attrs {
        let Some(sibling) = PolicyPart::of(attribute.path()) else {
            continue;
        };
        match sibling_arguments(attribute, sibling) {
            Ok(tokens) if is_absorbed_marker(&tokens) => {}
            Ok(tokens) => parts.add(&mut errors, sibling, tokens, Some(attribute)),
            Err(error) => errors.push(error),
        }
        let path = attribute.path().clone();
        let marker = syn::Ident::new(keywords::ABSORBED, proc_macro2::Span::call_site());
        *attribute = syn::parse_quote!(#[#path(#marker)]);
    }

    if let Some(opt_out) = function.attrs.iter().find(|attribute| {
        attribute
            .path()
            .segments
            .last()
            .is_some_and(|segment| segment.ident == keywords::LOGIN_NOT_REQUIRED)
    }) {
        errors.spanned(opt_out, keywords::POLICY_WITH_LOGIN_NOT_REQUIRED);
    }
    if function.sig.asyncness.is_none() {
        errors.spanned(
            function.sig.fn_token,
            "a handler with a policy must be an `async fn`: add `async`",
        );
    }
    if let Some(receiver) = function.sig.receiver() {
        errors.spanned(receiver, "a handler with a policy cannot take `self`");
    }
    if let (Some(list), false) = (&parts.throttles, parts.scope_written) {
        for throttle in &list.throttles {
            if throttle
                .path
                .segments
                .last()
                .is_some_and(|segment| segment.ident == keywords::SCOPED_RATE_THROTTLE)
            {
                errors.spanned(
                    throttle,
                    "`ScopedRateThrottle` reads the view's scope: add `#[throttle_scope(\"…\")]`",
                );
            }
        }
    }

    if !errors.is_empty() {
        let errors = errors.into_compile_errors();
        // Emitted as the `async fn` it should be, so that a route macro's or the app's
        // registration of it does not add errors of its own to the real one.
        if function.sig.asyncness.is_none() && function.sig.receiver().is_none() {
            function.sig.asyncness = Some(syn::token::Async::default());
        }
        let mentioned = parts.mentioned_types();
        // Name the types that did parse, so the user's imports of them are not reported unused
        // on top of the real error.
        return quote! {
            #errors
            const _: () = {
                let _: ::core::marker::PhantomData<(#(#mentioned,)*)> = ::core::marker::PhantomData;
            };
            #function
        };
    }

    let root = match &parts.crate_override {
        Some(CrateOverride { path, .. }) => quote!(#path),
        None => {
            let name = syn::Ident::new(keywords::DEFAULT_CRATE, proc_macro2::Span::call_site());
            quote!(::#name)
        }
    };
    let runtime = quote!(#root::__private);
    let hints = hint_unimported(&mut parts, &root);

    // The declared lists become the associated types of a `HandlerPolicy` impl for a struct
    // named after the handler: a wrong type is reported there, once, on the user's token (a
    // one-element list is written as its element, so the error points at that name), and the
    // handler's guard, `DeclaredGuard<ThatStruct>`, stays a valid extractor, so rustc does not
    // go on to report the handler as unregistrable.
    let schemes = match &parts.authentication {
        Some(list) => list_type(&list.schemes, list.schemes.first().map(Spanned::span)),
        None => quote!(#runtime::DefaultAuthentication),
    };
    let permissions = match &parts.permissions {
        Some(list) => {
            let span = parts
                .permissions_span
                .unwrap_or_else(proc_macro2::Span::call_site);
            let types: Vec<TokenStream> = list
                .items
                .iter()
                .map(|item| item.to_type(&runtime, span))
                .collect();
            list_type(&types, list.items.first().map(|item| item.span()))
        }
        None => quote!(#runtime::DefaultPermissions),
    };
    let throttles = match &parts.throttles {
        Some(list) => list_type(&list.throttles, list.throttles.first().map(Spanned::span)),
        None => quote!(#runtime::DefaultThrottles),
    };
    let renderers = match &parts.renderers {
        Some(list) => list_type(&list.renderers, list.renderers.first().map(Spanned::span)),
        None => quote!(#runtime::DefaultRenderers),
    };
    let policy_ident = quote::format_ident!("__AuthActixPolicy_{}", function.sig.ident);
    let vis = &function.vis;
    // A scope is the policy struct's own `ThrottleScope`.
    let (scope_type, scope_impl) = match &parts.scope {
        Some(ScopeName(name)) => (
            quote!(#policy_ident),
            quote! {
                impl #runtime::ThrottleScope for #policy_ident {
                    const SCOPE: ::core::option::Option<&'static ::core::primitive::str> =
                        ::core::option::Option::Some(#name);
                }
            },
        ),
        None => (quote!(#runtime::NoThrottleScope), quote!()),
    };
    let shared: Vec<&Attribute> = function
        .attrs
        .iter()
        .filter(|attribute| {
            keywords::SHARED_ATTRIBUTES
                .iter()
                .any(|name| attribute.path().is_ident(name))
        })
        .collect();
    let generated = handler::can_generate(&function);
    if let (Some(args), false) = (&parts.api_view, generated) {
        let error = syn::Error::new(
            args.methods
                .first()
                .map_or_else(proc_macro2::Span::call_site, syn::Ident::span),
            "`#[api_view]` needs a plain `async fn` handler: no type parameters, no attributes or \
             `impl Trait` on its parameters",
        )
        .to_compile_error();
        return quote!(#error #function);
    }
    let api_view = parts
        .api_view
        .as_ref()
        .map(|args| api_view_const(args, &function, &runtime));
    let api_view_const = api_view.as_ref().map(|(constant, _)| constant);
    let (policy_item, guard): (TokenStream, FnArg) = if generated {
        // Private: the handler's parameters (and so this struct) appear only in the hidden
        // function and in trait impls, and a private type of the user's (a custom permission)
        // may be one of its associated types, which a public struct could not have.
        (
            quote! {
                #(#shared)*
                #[doc(hidden)]
                #[allow(non_camel_case_types)]
                struct #policy_ident;
                #(#shared)*
                impl #runtime::HandlerPolicy for #policy_ident {
                    type Authentication = #schemes;
                    type Permissions = #permissions;
                    type Throttles = #throttles;
                    type Scope = #scope_type;
                    type Renderers = #renderers;
                    #api_view_const
                }
                #(#shared)*
                #scope_impl
            },
            syn::parse_quote!(_: #runtime::DeclaredGuard<#policy_ident>),
        )
    } else {
        // A function that stays a function (generic, or with parameter attributes): its
        // signature keeps the user's visibility and generics, which the lists may name (`P` of
        // `fn h<P: Permission>`), so the guard names the lists itself and each name is checked
        // on its own below. Only a scope needs a struct, visible where the function is.
        let scope_item = if parts.scope.is_some() {
            quote! {
                #(#shared)*
                #[doc(hidden)]
                #[allow(non_camel_case_types)]
                #vis struct #policy_ident;
                #(#shared)*
                #scope_impl
            }
        } else {
            quote!()
        };
        (
            scope_item,
            syn::parse_quote!(
                _: #runtime::PolicyGuard<#schemes, #permissions, #throttles, #scope_type, #renderers>
            ),
        )
    };
    function.sig.inputs.insert(0, guard);
    let mut assertions: Vec<syn::Stmt> = Vec::new();
    // The handler's policy, registered for the OpenAPI document (a no-op without auth-actix's
    // `openapi` feature). From inside the body, because that works wherever the route macros
    // put the function (actix-web's `#[get]` moves it into a `register` method). A generic
    // handler has no one function to name: it is registered by hand (`operation_policy!`).
    if !handler::is_generic(&function) {
        let handler = &function.sig.ident;
        let registration: syn::Stmt = syn::parse_quote! {
            #runtime::register_handler_policy!(#handler);
        };
        assertions.insert(0, registration);
    }
    if !generated {
        assertions.extend(leaf_assertions(&parts, &runtime));
    }
    // The checks go inside the user's block, before their statements, so that an error points
    // at the user's own type and no extra braces are introduced around their code.
    function.block.stmts.splice(0..0, assertions);
    if generated {
        let path = api_view.and_then(|(_, path)| path);
        let handler =
            handler::generate(function, handler::Claim::Declared, &runtime, path.as_ref());
        return quote!(#hints #policy_item #handler);
    }
    quote!(#hints #policy_item #function)
}

/// `#[api_view(…)]` as the policy's `API_VIEW` constant (its methods, DRF's `Allow`, and the name
/// and description of its `OPTIONS` answer), and the route's path when the attribute gives one.
fn api_view_const(
    args: &ApiViewArgs,
    function: &ItemFn,
    runtime: &TokenStream,
) -> (TokenStream, Option<syn::LitStr>) {
    let methods: Vec<String> = args.methods.iter().map(ToString::to_string).collect();
    // DRF's `api_view` allows the listed methods and OPTIONS, in a Python set's order (which
    // changes with each process); here in the listed order, OPTIONS last.
    let mut allowed = methods.clone();
    if !allowed.iter().any(|method| method == "OPTIONS") {
        allowed.push("OPTIONS".to_owned());
    }
    let allow = allowed.join(", ");
    let name = crate::formatting::view_name(&function.sig.ident.to_string());
    let docs: Vec<String> = function
        .attrs
        .iter()
        .filter(|attribute| attribute.path().is_ident("doc"))
        .filter_map(|attribute| match &attribute.meta {
            Meta::NameValue(syn::MetaNameValue {
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(text),
                        ..
                    }),
                ..
            }) => Some(text.value()),
            _ => None,
        })
        .collect();
    let description = crate::formatting::view_description(&docs);
    let constant = quote! {
        const API_VIEW: #runtime::Option<&'static #runtime::ApiView> =
            #runtime::Some(&#runtime::ApiView {
                methods: &[#(#methods),*],
                allow: #allow,
                name: #name,
                description: #description,
            });
    };
    (constant, args.path.clone())
}

/// For a handler that stays a function: each declared name checked against its kind, spanned on
/// it, so that a mistake is an error on the user's token.
fn leaf_assertions(parts: &Parts, runtime: &TokenStream) -> Vec<syn::Stmt> {
    let mut assertions = Vec::new();
    let mut check = |types: Vec<&syn::TypePath>, assert: &str| {
        let assert = syn::Ident::new(assert, proc_macro2::Span::call_site());
        for leaf in types {
            let span = leaf.span();
            assertions.push(syn::parse_quote_spanned! {span=>
                #runtime::#assert::<#leaf>();
            });
        }
    };
    if let Some(list) = &parts.authentication {
        check(list.schemes.iter().collect(), "assert_authentication");
    }
    if let Some(list) = &parts.permissions {
        let mut leaves = Vec::new();
        for item in &list.items {
            item.leaves(&mut leaves);
        }
        check(leaves, "assert_permission");
    }
    if let Some(list) = &parts.throttles {
        check(list.throttles.iter().collect(), "assert_throttle");
    }
    if let Some(list) = &parts.renderers {
        check(list.renderers.iter().collect(), "assert_renderer");
    }
    assertions
}

/// The library's names that the handler's file surely does not import (`import_hint`): each is
/// an error with the `use` line to add, and is named by its full path in the expansion so that
/// rustc reports nothing more about it.
fn hint_unimported(parts: &mut Parts, root: &TokenStream) -> TokenStream {
    let mut leaves: Vec<&mut syn::TypePath> = Vec::new();
    if let Some(list) = &mut parts.authentication {
        leaves.extend(list.schemes.iter_mut());
    }
    if let Some(list) = &mut parts.permissions {
        for item in &mut list.items {
            item.leaves_mut(&mut leaves);
        }
    }
    if let Some(list) = &mut parts.throttles {
        leaves.extend(list.throttles.iter_mut());
    }
    if let Some(list) = &mut parts.renderers {
        leaves.extend(list.renderers.iter_mut());
    }
    let candidates: Vec<&mut syn::TypePath> = leaves
        .into_iter()
        .filter(|leaf| {
            leaf.qself.is_none()
                && leaf.path.leading_colon.is_none()
                && leaf.path.segments.len() == 1
                && keywords::LIBRARY_NAMES
                    .iter()
                    .any(|name| leaf.path.segments[0].ident == name)
        })
        .collect();
    if candidates.is_empty() {
        return TokenStream::new();
    }
    let Some(source) = crate::import_hint::call_site_source() else {
        return TokenStream::new();
    };
    let shown_root = root.to_string().replace(' ', "");
    let shown_root = shown_root.trim_start_matches("::");
    let mut errors = Errors::default();
    for leaf in candidates {
        let ident = leaf.path.segments[0].ident.clone();
        if !crate::import_hint::surely_unimported(&ident.to_string(), &source) {
            continue;
        }
        errors.spanned(
            &ident,
            format!("`{ident}` is not imported: add `use {shown_root}::{ident};`"),
        );
        let span = ident.span();
        *leaf = syn::parse_quote_spanned!(span=> #root::#ident);
    }
    errors.into_compile_errors()
}

/// A declared list as a type: `()` when empty, the element itself when there is one (so that a
/// wrong element is reported on its own token), else a tuple spanned on its first element (so
/// that rustc's error points into the attribute that declared it, which may be a sibling of the
/// one expanding).
fn list_type<T: quote::ToTokens>(types: &[T], first: Option<proc_macro2::Span>) -> TokenStream {
    match (types, first) {
        ([], _) => quote!(()),
        ([single], _) => quote!(#single),
        (many, Some(span)) => quote::quote_spanned!(span=> (#(#many,)*)),
        (many, None) => quote!((#(#many,)*)),
    }
}

/// The runtime crate a policy attribute's arguments name (`crate = "…"`), for rewriting the
/// attribute itself; the default crate when they name none or do not parse (the rewritten
/// attribute reports the parse error).
fn crate_path_of(part: PolicyPart, arguments: &TokenStream) -> TokenStream {
    let override_path = match part {
        PolicyPart::Authentication => syn::parse2::<SchemeList>(arguments.clone())
            .ok()
            .and_then(|list| list.crate_override),
        PolicyPart::Permissions => syn::parse2::<PermissionList>(arguments.clone())
            .ok()
            .and_then(|list| list.crate_override),
        PolicyPart::Throttles => syn::parse2::<ThrottleList>(arguments.clone())
            .ok()
            .and_then(|list| list.crate_override),
        PolicyPart::Renderers => syn::parse2::<RendererList>(arguments.clone())
            .ok()
            .and_then(|list| list.crate_override),
        PolicyPart::ApiView => syn::parse2::<ApiViewArgs>(arguments.clone())
            .ok()
            .and_then(|args| args.crate_override),
        PolicyPart::ThrottleScope => None,
    };
    match override_path {
        Some(CrateOverride { path, .. }) => quote!(#path),
        None => {
            let name = syn::Ident::new(keywords::DEFAULT_CRATE, proc_macro2::Span::call_site());
            quote!(::#name)
        }
    }
}

fn item_span(item: &syn::Item) -> proc_macro2::Span {
    match item {
        syn::Item::Struct(item) => item.struct_token.span,
        syn::Item::Enum(item) => item.enum_token.span,
        syn::Item::Impl(item) => item.impl_token.span,
        syn::Item::Trait(item) => item.trait_token.span,
        syn::Item::Mod(item) => item.mod_token.span,
        other => other.span(),
    }
}

fn is_absorbed_marker(arguments: &TokenStream) -> bool {
    let mut tokens = arguments.clone().into_iter();
    matches!(
        (tokens.next(), tokens.next()),
        (Some(proc_macro2::TokenTree::Ident(ident)), None) if ident == keywords::ABSORBED
    )
}
