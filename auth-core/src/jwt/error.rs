//! PyJWT's exceptions (`jwt/exceptions.py`), with the texts `str(exception)` gives.

/// Why PyJWT refuses a token or a key. `Display` is PyJWT's `str(exception)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    /// `DecodeError`: the token is not a well-formed JWS, or a time claim is not a number.
    #[error("{0}")]
    Decode(String),
    /// `InvalidAlgorithmError`.
    #[error("{0}")]
    InvalidAlgorithm(&'static str),
    /// `InvalidSignatureError`.
    #[error("Signature verification failed")]
    InvalidSignature,
    /// `ExpiredSignatureError`: `exp <= now - leeway`.
    #[error("Signature has expired")]
    ExpiredSignature,
    /// `ImmatureSignatureError`: `iat` or `nbf` after `now + leeway` (the claim's name).
    #[error("The token is not yet valid ({0})")]
    ImmatureSignature(&'static str),
    /// `InvalidIssuedAtError`.
    #[error("Issued At claim (iat) must be an integer.")]
    InvalidIssuedAt,
    /// `MissingRequiredClaimError` (the claim's name).
    #[error("Token is missing the \"{0}\" claim")]
    MissingRequiredClaim(&'static str),
    /// `InvalidIssuerError`.
    #[error("{0}")]
    InvalidIssuer(&'static str),
    /// `InvalidAudienceError`.
    #[error("{0}")]
    InvalidAudience(&'static str),
    /// `InvalidSubjectError`.
    #[error("Subject must be a string")]
    InvalidSubject,
    /// `InvalidJTIError`.
    #[error("JWT ID must be a string")]
    InvalidJti,
    /// `InvalidTokenError` raised for a header parameter (`kid`, `crit`, `b64`).
    #[error("{0}")]
    InvalidHeader(String),
    /// `InvalidKeyError`: the key cannot be an HMAC secret. Not an `InvalidTokenError`: simplejwt
    /// lets it through as a server error, so it is reported at configuration time here.
    #[error("{0}")]
    InvalidKey(&'static str),
}

impl JwtError {
    /// Whether PyJWT raises it as `ExpiredSignatureError` (simplejwt's "Token is expired").
    pub fn is_expired(&self) -> bool {
        matches!(self, Self::ExpiredSignature)
    }

    /// Whether PyJWT raises it as `InvalidAlgorithmError`.
    pub fn is_invalid_algorithm(&self) -> bool {
        matches!(self, Self::InvalidAlgorithm(_))
    }
}

/// `DecodeError("Not enough segments")`.
pub(crate) const NOT_ENOUGH_SEGMENTS: &str = "Not enough segments";
/// `InvalidAlgorithmError("Algorithm not specified")`.
pub(crate) const ALGORITHM_NOT_SPECIFIED: &str = "Algorithm not specified";
/// `InvalidAlgorithmError("The specified alg value is not allowed")`.
pub(crate) const ALG_NOT_ALLOWED: &str = "The specified alg value is not allowed";
