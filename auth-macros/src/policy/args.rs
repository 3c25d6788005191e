//! The arguments of each policy attribute, parsed into typed lists.

use syn::parse::{Parse, ParseStream};
use syn::{LitStr, Token, TypePath};

use super::permission_expr::PermissionExpr;
use crate::keywords;

/// `crate = "path"`, which may end any of the lists.
pub(crate) struct CrateOverride {
    pub(crate) path: syn::Path,
    pub(crate) literal: LitStr,
}

fn peek_crate_override(input: ParseStream<'_>) -> bool {
    input.peek(Token![crate]) && input.peek2(Token![=])
}

fn parse_crate_override(input: ParseStream<'_>) -> syn::Result<CrateOverride> {
    input.parse::<Token![crate]>()?;
    input.parse::<Token![=]>()?;
    let literal: LitStr = input.parse()?;
    let path = literal.parse::<syn::Path>().map_err(|_| {
        syn::Error::new_spanned(
            &literal,
            format!(
                "`{}` must name a crate path, such as \"{}\"",
                keywords::CRATE,
                keywords::DEFAULT_CRATE
            ),
        )
    })?;
    Ok(CrateOverride { path, literal })
}

/// Parses comma-separated items with an optional trailing `crate = "…"`.
fn parse_list<T>(
    input: ParseStream<'_>,
    mut item: impl FnMut(ParseStream<'_>) -> syn::Result<T>,
) -> syn::Result<(Vec<T>, Option<CrateOverride>)> {
    let mut items = Vec::new();
    let mut crate_override = None;
    while !input.is_empty() {
        if peek_crate_override(input) {
            crate_override = Some(parse_crate_override(input)?);
        } else {
            if crate_override.is_some() {
                return Err(input.error("`crate = \"…\"` must come last"));
            }
            items.push(item(input)?);
        }
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
        if input.peek(Token![,]) {
            return Err(input.error("expected an item between the commas"));
        }
    }
    Ok((items, crate_override))
}

/// `#[authentication_classes(A, B, …)]`: scheme types in order; empty means no schemes.
pub(crate) struct SchemeList {
    pub(crate) schemes: Vec<TypePath>,
    pub(crate) crate_override: Option<CrateOverride>,
}

impl Parse for SchemeList {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let (schemes, crate_override) = parse_list(input, |input| {
            if input.peek(Token![!]) || input.peek(Token![~]) || input.peek(syn::token::Paren) {
                return Err(input.error(
                    "authentication schemes are a plain list; operators belong in `permission_classes`",
                ));
            }
            let scheme: TypePath = input.parse().map_err(|error| {
                syn::Error::new(
                    error.span(),
                    "expected an authentication scheme type, such as `BasicAuthentication`",
                )
            })?;
            if input.peek(Token![&]) || input.peek(Token![|]) {
                return Err(input.error(
                    "authentication schemes are a plain list; operators belong in `permission_classes`",
                ));
            }
            Ok(scheme)
        })?;
        Ok(Self {
            schemes,
            crate_override,
        })
    }
}

/// `#[permission_classes(expr, …)]`: permission expressions in order; empty means none.
pub(crate) struct PermissionList {
    pub(crate) items: Vec<PermissionExpr>,
    pub(crate) crate_override: Option<CrateOverride>,
}

impl Parse for PermissionList {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let (items, crate_override) = parse_list(input, PermissionExpr::parse)?;
        Ok(Self {
            items,
            crate_override,
        })
    }
}

/// `#[throttle_classes(A, B, …)]`: throttle types; empty means none.
pub(crate) struct ThrottleList {
    pub(crate) throttles: Vec<TypePath>,
    pub(crate) crate_override: Option<CrateOverride>,
}

impl Parse for ThrottleList {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let (throttles, crate_override) = parse_list(input, |input| {
            input.parse::<TypePath>().map_err(|error| {
                syn::Error::new(
                    error.span(),
                    "expected a throttle type, such as `UserRateThrottle`",
                )
            })
        })?;
        Ok(Self {
            throttles,
            crate_override,
        })
    }
}

/// `#[renderer_classes(A, B, …)]`: renderer types in negotiation order; never empty.
pub(crate) struct RendererList {
    pub(crate) renderers: Vec<TypePath>,
    pub(crate) crate_override: Option<CrateOverride>,
}

impl Parse for RendererList {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let span = input.span();
        let (renderers, crate_override) = parse_list(input, |input| {
            input.parse::<TypePath>().map_err(|error| {
                syn::Error::new(
                    error.span(),
                    "expected a renderer type, such as `JSONRenderer`",
                )
            })
        })?;
        if renderers.is_empty() {
            return Err(syn::Error::new(
                span,
                "a view needs at least one renderer, such as `JSONRenderer`",
            ));
        }
        Ok(Self {
            renderers,
            crate_override,
        })
    }
}

/// `#[throttle_scope("uploads")]`: the view's scope for `ScopedRateThrottle`.
pub(crate) struct ScopeName(pub(crate) LitStr);

impl Parse for ScopeName {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let name: LitStr = input.parse().map_err(|error| {
            syn::Error::new(
                error.span(),
                "expected the scope as a string, e.g. `#[throttle_scope(\"uploads\")]`",
            )
        })?;
        if name.value().is_empty() {
            return Err(syn::Error::new_spanned(
                &name,
                "the scope must not be empty",
            ));
        }
        if !input.is_empty() {
            return Err(input.error("`#[throttle_scope]` takes one string"));
        }
        Ok(Self(name))
    }
}

/// `#[api_view(GET, POST)]` or `#[api_view("/path/", GET, POST)]`: DRF's `api_view` method list
/// (any case, upper-cased here), optionally with the route's path.
pub(crate) struct ApiViewArgs {
    pub(crate) path: Option<LitStr>,
    pub(crate) methods: Vec<syn::Ident>,
    pub(crate) crate_override: Option<CrateOverride>,
}

impl Parse for ApiViewArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let span = input.span();
        let path = if input.peek(LitStr) {
            let path: LitStr = input.parse()?;
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
            Some(path)
        } else {
            None
        };
        let (methods, crate_override) = parse_list(input, |input| {
            let method: syn::Ident =
                input.call(syn::ext::IdentExt::parse_any).map_err(|error| {
                    syn::Error::new(error.span(), "expected an HTTP method, such as `GET`")
                })?;
            let upper = method.to_string().to_ascii_uppercase();
            if !keywords::HTTP_METHOD_NAMES.contains(&upper.as_str()) {
                return Err(syn::Error::new_spanned(
                    &method,
                    format!(
                        "`{method}` is not a method Django's views answer: {}",
                        keywords::HTTP_METHOD_NAMES.join(", ")
                    ),
                ));
            }
            Ok(syn::Ident::new(&upper, method.span()))
        })?;
        if methods.is_empty() {
            return Err(syn::Error::new(
                span,
                "list the methods the view answers, such as `#[api_view(GET, POST)]`",
            ));
        }
        Ok(Self {
            path,
            methods,
            crate_override,
        })
    }
}
