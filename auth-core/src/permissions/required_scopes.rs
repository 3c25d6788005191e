//! The scopes a view requires, declared as types (DOT's view attributes `required_scopes` and
//! `required_alternate_scopes`): [`required_scopes!`](crate::required_scopes) and
//! [`required_alternate_scopes!`](crate::required_alternate_scopes) check each scope at compile
//! time.

/// DOT's `required_scopes` of a view.
pub trait RequiredScopes: 'static {
    /// The scopes, all of which a token must grant.
    const SCOPES: &'static [&'static str];
}

/// No `required_scopes` (`TokenHasReadWriteScope` alone, which then requires only the read or
/// write scope).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoRequiredScopes;

impl RequiredScopes for NoRequiredScopes {
    const SCOPES: &'static [&'static str] = &[];
}

/// DOT's `required_alternate_scopes` of a view (`TokenMatchesOASRequirements`): per method, the
/// lists of scopes of which a token must grant one list entirely.
pub trait RequiredAlternateScopes: 'static {
    /// The alternatives for an upper-case method; `None` for a method the view does not list,
    /// which is refused.
    fn alternatives(method: &str) -> Option<&'static [&'static [&'static str]]>;
}

/// Whether `scope` is an RFC 6749 §3.3 `scope-token`: one or more of `%x21 / %x23-5B /
/// %x5D-7E`. A scope with whitespace could never be granted (a token's scopes are split on
/// whitespace), nor an empty one: the declaring macros refuse them at compile time.
pub const fn is_scope_token(scope: &str) -> bool {
    let bytes = scope.as_bytes();
    if bytes.is_empty() {
        return false;
    }
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if !(byte == 0x21 || (byte >= 0x23 && byte <= 0x5B) || (byte >= 0x5D && byte <= 0x7E)) {
            return false;
        }
        at += 1;
    }
    true
}

/// Fails compilation (in a `const` item) when a scope is not a scope-token.
pub const fn assert_scope_tokens(scopes: &[&str]) {
    let mut at = 0;
    while at < scopes.len() {
        assert!(
            is_scope_token(scopes[at]),
            "a required scope must be an RFC 6749 scope-token: printable ASCII without space, `\"` or `\\`"
        );
        at += 1;
    }
}

/// Declares a [`RequiredScopes`] type: `required_scopes!(pub OrderScopes = ["orders", "write"]);`
/// then `TokenHasScope<OrderScopes>` in `#[permission_classes(…)]`. A scope that is empty or has
/// whitespace or a character outside RFC 6749's scope syntax is a compile error.
#[macro_export]
macro_rules! required_scopes {
    ($(#[$meta:meta])* $vis:vis $name:ident = [$($scope:literal),* $(,)?]) => {
        $(#[$meta])*
        #[derive(Debug, Default, Clone, Copy)]
        $vis struct $name;

        impl $crate::permissions::required_scopes::RequiredScopes for $name {
            const SCOPES: &'static [&'static str] = &[$($scope),*];
        }

        const _: () = $crate::permissions::required_scopes::assert_scope_tokens(&[$($scope),*]);
    };
}

/// Declares a [`RequiredAlternateScopes`] type, methods in upper case:
/// `required_alternate_scopes!(pub Oas { GET: [["read"]], POST: [["create", "write"], ["admin"]] });`.
/// A scope outside RFC 6749's scope syntax is a compile error.
#[macro_export]
macro_rules! required_alternate_scopes {
    ($(#[$meta:meta])* $vis:vis $name:ident {
        $($method:ident : [$([$($scope:literal),* $(,)?]),* $(,)?]),* $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Default, Clone, Copy)]
        $vis struct $name;

        impl $crate::permissions::required_scopes::RequiredAlternateScopes for $name {
            fn alternatives(method: &str) -> Option<&'static [&'static [&'static str]]> {
                match method {
                    $(stringify!($method) => Some(&[$(&[$($scope),*]),*]),)*
                    _ => None,
                }
            }
        }

        const _: () = {
            $($($crate::permissions::required_scopes::assert_scope_tokens(&[$($scope),*]);)*)*
        };
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_tokens_are_rfc_6749s() {
        for scope in ["read", "orders:write", "a!#[]~", "https://x/y"] {
            assert!(is_scope_token(scope), "{scope}");
        }
        for scope in ["", "read write", "a\"b", "a\\b", "r\u{e9}ad", "a\tb"] {
            assert!(!is_scope_token(scope), "{scope}");
        }
    }
}
