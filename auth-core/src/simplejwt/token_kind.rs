//! simplejwt's token classes by name: `AccessToken`, `RefreshToken`, `SlidingToken`,
//! `UntypedToken`.

/// Which of simplejwt's token classes a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// `AccessToken`: `token_type` `access`, `ACCESS_TOKEN_LIFETIME`.
    Access,
    /// `RefreshToken`: `token_type` `refresh`, `REFRESH_TOKEN_LIFETIME`.
    Refresh,
    /// `SlidingToken`: `token_type` `sliding`, `SLIDING_TOKEN_LIFETIME`, plus `refresh_exp`.
    Sliding,
    /// `UntypedToken`: any type verifies (what `TokenVerifyView` uses).
    Untyped,
}

impl TokenKind {
    /// The class's `token_type`.
    pub fn token_type(self) -> &'static str {
        match self {
            Self::Access => "access",
            Self::Refresh => "refresh",
            Self::Sliding => "sliding",
            Self::Untyped => "untyped",
        }
    }

    /// The class's name (`token_class` in authentication failures).
    pub fn class_name(self) -> &'static str {
        match self {
            Self::Access => "AccessToken",
            Self::Refresh => "RefreshToken",
            Self::Sliding => "SlidingToken",
            Self::Untyped => "UntypedToken",
        }
    }

    /// The class named by its dotted path in `AUTH_TOKEN_CLASSES`
    /// (`rest_framework_simplejwt.tokens.AccessToken`).
    pub fn from_class_path(path: &str) -> Option<Self> {
        let name = path.strip_prefix("rest_framework_simplejwt.tokens.")?;
        [Self::Access, Self::Refresh, Self::Sliding, Self::Untyped]
            .into_iter()
            .find(|kind| kind.class_name() == name)
    }
}
