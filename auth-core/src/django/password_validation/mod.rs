//! `django.contrib.auth.password_validation`: Django's four password validators with their exact
//! messages and options, configured as `AUTH_PASSWORD_VALIDATORS`, and `validate_password`,
//! which runs them all and reports every failure (Django's `ValidationError(errors)`).
//!
//! The default list is the one `django-admin startproject` writes into every new project's
//! settings (the four, with their default options); Django's own global default is the empty
//! list. An empty list (`AUTH_PASSWORD_VALIDATORS = []`) turns validation off, as in Django.

mod common_password;
mod minimum_length;
mod numeric_password;
mod password_error;
mod user_attribute_similarity;
mod user_attributes;

use std::fmt;
use std::path::PathBuf;

use serde_json::{Map, Value};

pub use common_password::{PasswordList, django_list, load as load_password_list};
pub use minimum_length::DEFAULT_MIN_LENGTH;
pub use password_error::PasswordError;
pub use user_attribute_similarity::{
    DEFAULT_MAX_SIMILARITY, DEFAULT_USER_ATTRIBUTES, MIN_MAX_SIMILARITY,
};
pub use user_attributes::{UserAttribute, UserAttributes};

/// Django's dotted paths of the four validators (`NAME` in `AUTH_PASSWORD_VALIDATORS`).
pub const USER_ATTRIBUTE_SIMILARITY: &str =
    "django.contrib.auth.password_validation.UserAttributeSimilarityValidator";
/// `MinimumLengthValidator`.
pub const MINIMUM_LENGTH: &str = "django.contrib.auth.password_validation.MinimumLengthValidator";
/// `CommonPasswordValidator`.
pub const COMMON_PASSWORD: &str = "django.contrib.auth.password_validation.CommonPasswordValidator";
/// `NumericPasswordValidator`.
pub const NUMERIC_PASSWORD: &str =
    "django.contrib.auth.password_validation.NumericPasswordValidator";

/// One of Django's validators with its options.
#[derive(Clone)]
#[non_exhaustive]
pub enum PasswordValidator {
    /// `UserAttributeSimilarityValidator(user_attributes, max_similarity)`.
    UserAttributeSimilarity {
        /// The attributes compared (Django's default: username, first and last name, e-mail).
        user_attributes: Vec<String>,
        /// The `quick_ratio` from which a password is too similar (at least 0.1).
        max_similarity: f64,
    },
    /// `MinimumLengthValidator(min_length)`.
    MinimumLength {
        /// The fewest characters allowed.
        min_length: usize,
    },
    /// `CommonPasswordValidator(password_list_path)`: Django's list unless another is loaded.
    CommonPassword {
        /// The passwords refused.
        list: PasswordList,
    },
    /// `NumericPasswordValidator()`.
    NumericPassword,
}

impl fmt::Debug for PasswordValidator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UserAttributeSimilarity {
                user_attributes,
                max_similarity,
            } => f
                .debug_struct("UserAttributeSimilarity")
                .field("user_attributes", user_attributes)
                .field("max_similarity", max_similarity)
                .finish(),
            Self::MinimumLength { min_length } => f
                .debug_struct("MinimumLength")
                .field("min_length", min_length)
                .finish(),
            // Not the 20,000 entries.
            Self::CommonPassword { list } => f
                .debug_struct("CommonPassword")
                .field("entries", &list.len())
                .finish(),
            Self::NumericPassword => f.write_str("NumericPassword"),
        }
    }
}

/// Why an `AUTH_PASSWORD_VALIDATORS` entry cannot be used (Django: `ImproperlyConfigured`,
/// `TypeError` or `ValueError` at start-up).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidatorConfigError {
    /// `NAME` is not one of Django's four.
    #[error(
        "The module in NAME could not be imported: {0}. Check your AUTH_PASSWORD_VALIDATORS setting."
    )]
    UnknownName(String),
    /// An option the validator does not take.
    #[error("{validator}: unexpected option {option:?} in AUTH_PASSWORD_VALIDATORS")]
    UnknownOption {
        /// The validator's class name.
        validator: &'static str,
        /// The option.
        option: String,
    },
    /// An option of the wrong type or out of range.
    #[error("{validator}: option {option:?} {problem}")]
    BadOption {
        /// The validator's class name.
        validator: &'static str,
        /// The option.
        option: &'static str,
        /// What is wrong with it.
        problem: String,
    },
}

impl PasswordValidator {
    /// `UserAttributeSimilarityValidator()` with Django's defaults.
    pub fn user_attribute_similarity() -> Self {
        Self::UserAttributeSimilarity {
            user_attributes: DEFAULT_USER_ATTRIBUTES.map(str::to_owned).to_vec(),
            max_similarity: DEFAULT_MAX_SIMILARITY,
        }
    }

    /// `MinimumLengthValidator()` with Django's default (8).
    pub fn minimum_length() -> Self {
        Self::MinimumLength {
            min_length: DEFAULT_MIN_LENGTH,
        }
    }

    /// `CommonPasswordValidator()` with Django's list.
    pub fn common_password() -> Self {
        Self::CommonPassword {
            list: django_list(),
        }
    }

    /// What `django-admin startproject` configures: the four, with their defaults.
    pub fn startproject_defaults() -> Vec<Self> {
        vec![
            Self::user_attribute_similarity(),
            Self::minimum_length(),
            Self::common_password(),
            Self::NumericPassword,
        ]
    }

    /// One `AUTH_PASSWORD_VALIDATORS` entry: `NAME` and its `OPTIONS` (keyword arguments).
    pub fn from_config(
        name: &str,
        options: &Map<String, Value>,
    ) -> Result<Self, ValidatorConfigError> {
        let known = |validator: &'static str, allowed: &[&str]| match options
            .keys()
            .find(|key| !allowed.contains(&key.as_str()))
        {
            Some(option) => Err(ValidatorConfigError::UnknownOption {
                validator,
                option: option.clone(),
            }),
            None => Ok(validator),
        };
        match name {
            USER_ATTRIBUTE_SIMILARITY => {
                let validator = known(
                    class_name(USER_ATTRIBUTE_SIMILARITY),
                    &["user_attributes", "max_similarity"],
                )?;
                let user_attributes = match options.get("user_attributes") {
                    None => DEFAULT_USER_ATTRIBUTES.map(str::to_owned).to_vec(),
                    Some(Value::Array(items)) => items
                        .iter()
                        .map(|item| item.as_str().map(str::to_owned))
                        .collect::<Option<Vec<_>>>()
                        .ok_or_else(|| {
                            bad(validator, "user_attributes", "must be a list of names")
                        })?,
                    Some(_) => {
                        return Err(bad(validator, "user_attributes", "must be a list of names"));
                    }
                };
                let max_similarity = match options.get("max_similarity") {
                    None => DEFAULT_MAX_SIMILARITY,
                    Some(value) => value
                        .as_f64()
                        .ok_or_else(|| bad(validator, "max_similarity", "must be a number"))?,
                };
                if max_similarity < MIN_MAX_SIMILARITY {
                    // Django's `ValueError`.
                    return Err(bad(validator, "max_similarity", "must be at least 0.1"));
                }
                Ok(Self::UserAttributeSimilarity {
                    user_attributes,
                    max_similarity,
                })
            }
            MINIMUM_LENGTH => {
                let validator = known(class_name(MINIMUM_LENGTH), &["min_length"])?;
                // Any whole number, as Django's (one below 1 refuses nothing). Django also takes
                // a float (`len(password) < 8.5`); here that is refused.
                let min_length = match options.get("min_length") {
                    None => DEFAULT_MIN_LENGTH,
                    Some(value) => match (value.as_i64(), value.as_u64()) {
                        (Some(length), _) => usize::try_from(length).unwrap_or(0),
                        (None, Some(length)) => usize::try_from(length).unwrap_or(usize::MAX),
                        (None, None) => {
                            return Err(bad(validator, "min_length", "must be a whole number"));
                        }
                    },
                };
                Ok(Self::MinimumLength { min_length })
            }
            COMMON_PASSWORD => {
                let validator = known(class_name(COMMON_PASSWORD), &["password_list_path"])?;
                let list = match options.get("password_list_path") {
                    None => django_list(),
                    Some(Value::String(path)) => {
                        load_password_list(&PathBuf::from(path)).map_err(|error| {
                            bad(
                                validator,
                                "password_list_path",
                                format!("{path:?}: {error}"),
                            )
                        })?
                    }
                    Some(_) => return Err(bad(validator, "password_list_path", "must be a path")),
                };
                Ok(Self::CommonPassword { list })
            }
            NUMERIC_PASSWORD => {
                known(class_name(NUMERIC_PASSWORD), &[])?;
                Ok(Self::NumericPassword)
            }
            _ => Err(ValidatorConfigError::UnknownName(name.to_owned())),
        }
    }

    /// `validate(password, user)`.
    pub fn validate(
        &self,
        password: &str,
        user: Option<&UserAttributes>,
    ) -> Result<(), PasswordError> {
        match self {
            Self::UserAttributeSimilarity {
                user_attributes,
                max_similarity,
            } => user_attribute_similarity::validate(
                password,
                user,
                user_attributes,
                *max_similarity,
            ),
            Self::MinimumLength { min_length } => minimum_length::validate(password, *min_length),
            Self::CommonPassword { list } => common_password::validate(password, list),
            Self::NumericPassword => numeric_password::validate(password),
        }
    }

    /// `get_help_text()`.
    pub fn help_text(&self) -> String {
        match self {
            Self::UserAttributeSimilarity { .. } => {
                "Your password can\u{2019}t be too similar to your other personal information."
                    .to_owned()
            }
            Self::MinimumLength { min_length } => minimum_length::help_text(*min_length),
            Self::CommonPassword { .. } => common_password::HELP_TEXT.to_owned(),
            Self::NumericPassword => numeric_password::HELP_TEXT.to_owned(),
        }
    }
}

fn class_name(path: &'static str) -> &'static str {
    path.rsplit('.').next().unwrap_or(path)
}

fn bad(
    validator: &'static str,
    option: &'static str,
    problem: impl Into<String>,
) -> ValidatorConfigError {
    ValidatorConfigError::BadOption {
        validator,
        option,
        problem: problem.into(),
    }
}

/// Django's `validate_password(password, user, password_validators)`: every validator runs;
/// `Err` lists each failure in the validators' order (what Django's `ValidationError.messages`
/// holds).
pub fn validate_password(
    password: &str,
    user: Option<&UserAttributes>,
    validators: &[PasswordValidator],
) -> Result<(), Vec<PasswordError>> {
    let errors: Vec<PasswordError> = validators
        .iter()
        .filter_map(|validator| validator.validate(password, user).err())
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
