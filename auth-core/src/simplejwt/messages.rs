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

/// `InvalidToken`'s detail when no class of `AUTH_TOKEN_CLASSES` accepts the token.
pub const NOT_VALID_FOR_ANY_TOKEN_TYPE: &str = "Given token not valid for any token type";
/// `Authorization: Bearer` alone, or with more than one credential.
pub const TWO_SPACE_DELIMITED_VALUES: &str =
    "Authorization header must contain two space-delimited values";
/// A valid token without the `USER_ID_CLAIM`.
pub const NO_USER_IDENTIFICATION: &str = "Token contained no recognizable user identification";
/// The token's user does not exist.
pub const USER_NOT_FOUND: &str = "User not found";
/// The token's user is inactive (`CHECK_USER_IS_ACTIVE`).
pub const USER_IS_INACTIVE: &str = "User is inactive";
/// The token's `hash_password` no longer matches (`CHECK_REVOKE_TOKEN`).
pub const PASSWORD_CHANGED: &str = "The user's password has been changed.";

/// `InvalidToken.default_code`.
pub const CODE_TOKEN_NOT_VALID: &str = "token_not_valid";
/// The code of [`TWO_SPACE_DELIMITED_VALUES`].
pub const CODE_BAD_AUTHORIZATION_HEADER: &str = "bad_authorization_header";
/// The code of [`USER_NOT_FOUND`].
pub const CODE_USER_NOT_FOUND: &str = "user_not_found";
/// The code of [`USER_IS_INACTIVE`].
pub const CODE_USER_INACTIVE: &str = "user_inactive";
/// The code of [`PASSWORD_CHANGED`].
pub const CODE_PASSWORD_CHANGED: &str = "password_changed";
