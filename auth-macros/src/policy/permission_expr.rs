//! Permission expressions: `A & (B | !C)` with DRF's precedence (`!`/`~` binds tightest, then
//! `&`, then `|`), turned into the types `And<A, Or<B, Not<C>>>`.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::{Token, TypePath, token};

/// A parsed permission expression.
pub(crate) enum PermissionExpr {
    /// A permission type.
    Leaf(TypePath),
    /// `a & b`.
    And(Box<Self>, Box<Self>),
    /// `a | b`.
    Or(Box<Self>, Box<Self>),
    /// `!a` (or DRF's `~a`).
    Not(Box<Self>),
}

impl Parse for PermissionExpr {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        parse_or(input)
    }
}

fn parse_or(input: ParseStream<'_>) -> syn::Result<PermissionExpr> {
    let mut expr = parse_and(input)?;
    while input.peek(Token![|]) {
        if input.peek(Token![||]) {
            let operator: Token![||] = input.parse()?;
            return Err(syn::Error::new_spanned(
                operator,
                "`||` is not a permission operator; write `|` (DRF's OR)",
            ));
        }
        input.parse::<Token![|]>()?;
        let rhs = parse_and(input)?;
        expr = PermissionExpr::Or(Box::new(expr), Box::new(rhs));
    }
    Ok(expr)
}

fn parse_and(input: ParseStream<'_>) -> syn::Result<PermissionExpr> {
    let mut expr = parse_unary(input)?;
    while input.peek(Token![&]) {
        if input.peek(Token![&&]) {
            let operator: Token![&&] = input.parse()?;
            return Err(syn::Error::new_spanned(
                operator,
                "`&&` is not a permission operator; write `&` (DRF's AND)",
            ));
        }
        input.parse::<Token![&]>()?;
        let rhs = parse_unary(input)?;
        expr = PermissionExpr::And(Box::new(expr), Box::new(rhs));
    }
    Ok(expr)
}

fn parse_unary(input: ParseStream<'_>) -> syn::Result<PermissionExpr> {
    // DRF writes NOT as `~`; Rust users write `!`. Both mean the same here.
    if input.peek(Token![!]) {
        input.parse::<Token![!]>()?;
        return Ok(PermissionExpr::Not(Box::new(parse_unary(input)?)));
    }
    if input.peek(Token![~]) {
        input.parse::<Token![~]>()?;
        return Ok(PermissionExpr::Not(Box::new(parse_unary(input)?)));
    }
    parse_primary(input)
}

fn parse_primary(input: ParseStream<'_>) -> syn::Result<PermissionExpr> {
    if input.peek(token::Paren) {
        let content;
        let parens = syn::parenthesized!(content in input);
        if content.is_empty() {
            return Err(syn::Error::new(
                parens.span.join(),
                "empty parentheses: expected a permission expression inside",
            ));
        }
        let expr = parse_or(&content)?;
        if !content.is_empty() {
            return Err(content.error("expected `&`, `|` or `)` after a permission"));
        }
        return Ok(expr);
    }
    if input.is_empty() || input.peek(Token![,]) {
        return Err(input.error("expected a permission, such as `IsAuthenticated`"));
    }
    let path: TypePath = input.parse().map_err(|error| {
        syn::Error::new(error.span(), "expected a permission type, `!`, or `(`")
    })?;
    if path.qself.is_some() {
        return Err(syn::Error::new_spanned(
            path,
            "expected a permission type path",
        ));
    }
    Ok(PermissionExpr::Leaf(path))
}

impl PermissionExpr {
    /// The type this expression stands for; a composite one spanned on `span` (the attribute
    /// that declared it), so that rustc's error about a wrong operand points at that attribute.
    pub(crate) fn to_type(&self, runtime: &TokenStream, span: Span) -> TokenStream {
        match self {
            Self::Leaf(path) => quote!(#path),
            Self::And(lhs, rhs) => {
                let (lhs, rhs) = (lhs.to_type(runtime, span), rhs.to_type(runtime, span));
                quote_spanned!(span=> #runtime::And<#lhs, #rhs>)
            }
            Self::Or(lhs, rhs) => {
                let (lhs, rhs) = (lhs.to_type(runtime, span), rhs.to_type(runtime, span));
                quote_spanned!(span=> #runtime::Or<#lhs, #rhs>)
            }
            Self::Not(inner) => {
                let inner = inner.to_type(runtime, span);
                quote_spanned!(span=> #runtime::Not<#inner>)
            }
        }
    }

    /// Every permission type named in the expression, in order, to rewrite.
    pub(crate) fn leaves_mut<'a>(&'a mut self, out: &mut Vec<&'a mut TypePath>) {
        match self {
            Self::Leaf(path) => out.push(path),
            Self::And(lhs, rhs) | Self::Or(lhs, rhs) => {
                lhs.leaves_mut(out);
                rhs.leaves_mut(out);
            }
            Self::Not(inner) => inner.leaves_mut(out),
        }
    }

    /// Every permission type named in the expression, in order.
    pub(crate) fn leaves<'a>(&'a self, out: &mut Vec<&'a TypePath>) {
        match self {
            Self::Leaf(path) => out.push(path),
            Self::And(lhs, rhs) | Self::Or(lhs, rhs) => {
                lhs.leaves(out);
                rhs.leaves(out);
            }
            Self::Not(inner) => inner.leaves(out),
        }
    }

    /// A canonical text of the expression, to find duplicates in one list.
    pub(crate) fn canonical(&self) -> String {
        match self {
            Self::Leaf(path) => quote!(#path).to_string(),
            Self::And(lhs, rhs) => format!("({} & {})", lhs.canonical(), rhs.canonical()),
            Self::Or(lhs, rhs) => format!("({} | {})", lhs.canonical(), rhs.canonical()),
            Self::Not(inner) => format!("!{}", inner.canonical()),
        }
    }

    /// A span covering the expression's first permission, for diagnostics.
    pub(crate) fn span(&self) -> Span {
        let mut leaves = Vec::new();
        self.leaves(&mut leaves);
        leaves
            .first()
            .map_or_else(Span::call_site, syn::spanned::Spanned::span)
    }
}
