//! The OAuth 2 scopes a permission requires of a token, as an API description states them
//! (OpenAPI's alternative security requirements, each with its scopes): computed from the
//! declared permission types, never from a request.

/// Alternatives of scope lists: a token passes when it grants every scope of one list.
/// `[[]]` — one alternative needing no scope — is what a permission that does not look at
/// scopes requires; `[]` means no token passes (a method `TokenMatchesOASRequirements` does not
/// list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeAlternatives(Vec<Vec<String>>);

impl Default for ScopeAlternatives {
    fn default() -> Self {
        Self::none_required()
    }
}

impl ScopeAlternatives {
    /// No scope is needed.
    pub fn none_required() -> Self {
        Self(vec![Vec::new()])
    }

    /// No token passes.
    pub fn unsatisfiable() -> Self {
        Self(Vec::new())
    }

    /// Every scope of `scopes`.
    pub fn all_of<S: Into<String>>(scopes: impl IntoIterator<Item = S>) -> Self {
        Self(vec![normal(scopes.into_iter().map(Into::into).collect())])
    }

    /// Any one of `lists`, entirely.
    pub fn any_of<S: Into<String>, L: IntoIterator<Item = S>>(
        lists: impl IntoIterator<Item = L>,
    ) -> Self {
        lists
            .into_iter()
            .map(Self::all_of)
            .fold(Self::unsatisfiable(), Self::or)
    }

    /// Both requirements (`A & B`, or two permissions of one list): each alternative of one
    /// joined with each of the other.
    #[must_use]
    pub fn and(self, other: Self) -> Self {
        let mut lists = Vec::new();
        for left in &self.0 {
            for right in &other.0 {
                let list = normal(left.iter().chain(right).cloned().collect());
                if !lists.contains(&list) {
                    lists.push(list);
                }
            }
        }
        Self(lists)
    }

    /// Either requirement (`A | B`): the alternatives of both; when one needs no scope, none is
    /// needed.
    #[must_use]
    pub fn or(self, other: Self) -> Self {
        let mut lists = self.0;
        for list in other.0 {
            if !lists.contains(&list) {
                lists.push(list);
            }
        }
        if lists.iter().any(Vec::is_empty) {
            return Self::none_required();
        }
        Self(lists)
    }

    /// The alternatives.
    pub fn lists(&self) -> &[Vec<String>] {
        &self.0
    }

    /// Whether a token without any scope passes.
    pub fn is_none_required(&self) -> bool {
        self.0.iter().any(Vec::is_empty)
    }
}

/// A list sorted, without repeats, so equal requirements compare equal.
fn normal(mut list: Vec<String>) -> Vec<String> {
    list.sort();
    list.dedup();
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn and_joins_each_pair_and_or_keeps_both_unless_one_needs_nothing() {
        let read = ScopeAlternatives::all_of(["read"]);
        let oas = ScopeAlternatives::any_of([vec!["create", "write"], vec!["admin"]]);
        assert_eq!(
            read.clone().and(oas.clone()).lists(),
            [
                vec!["create".to_owned(), "read".to_owned(), "write".to_owned()],
                vec!["admin".to_owned(), "read".to_owned()],
            ]
        );
        assert_eq!(read.clone().or(oas.clone()).lists().len(), 3);
        assert!(
            read.clone()
                .or(ScopeAlternatives::none_required())
                .is_none_required()
        );
        assert_eq!(ScopeAlternatives::none_required().and(read.clone()), read);
        assert_eq!(
            read.clone().and(ScopeAlternatives::unsatisfiable()),
            ScopeAlternatives::unsatisfiable()
        );
        assert_eq!(ScopeAlternatives::unsatisfiable().or(read.clone()), read);
    }
}
