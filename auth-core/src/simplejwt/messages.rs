//! simplejwt 5.5.1's messages, in English (its `gettext_lazy` source strings), defined once.

/// `TokenError`: any token that does not decode or verify.
pub const TOKEN_IS_INVALID: &str = "Token is invalid";
/// `ExpiredTokenError`: PyJWT's `ExpiredSignatureError`.
pub const TOKEN_IS_EXPIRED: &str = "Token is expired";
/// No `jti` claim.
pub const TOKEN_HAS_NO_ID: &str = "Token has no id";
/// No `token_type` claim.
pub const TOKEN_HAS_NO_TYPE: &str = "Token has no type";
/// Another token type.
pub const TOKEN_HAS_WRONG_TYPE: &str = "Token has wrong type";
/// `TokenBackendError` for an algorithm the backend does not accept.
pub const INVALID_ALGORITHM_SPECIFIED: &str = "Invalid algorithm specified";
/// A blacklisted refresh or sliding token.
pub const TOKEN_IS_BLACKLISTED: &str = "Token is blacklisted";

/// `Token has no '<claim>' claim`.
pub fn token_has_no_claim(claim: &str) -> String {
    format!("Token has no '{claim}' claim")
}

/// `Token '<claim>' claim has expired`.
pub fn token_claim_has_expired(claim: &str) -> String {
    format!("Token '{claim}' claim has expired")
}
