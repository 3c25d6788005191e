//! The user's attributes `UserAttributeSimilarityValidator` compares a password with.

/// One attribute of the user being given a password: its value and the model field's verbose
/// name (what the similarity message names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserAttribute {
    /// The attribute's name (`username`, `email`, …).
    pub name: String,
    /// Its value.
    pub value: String,
    /// The field's `verbose_name` (`email address` for Django's `User.email`).
    pub verbose_name: String,
}

/// The user's attributes the similarity check may compare (Django reads them from the user
/// object with `getattr`; one it lacks is skipped).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserAttributes(pub Vec<UserAttribute>);

impl UserAttributes {
    /// Django's `AbstractUser` fields with their verbose names; `username_field` names the
    /// username's column (a custom user model whose `USERNAME_FIELD` is `email` has no
    /// `username` attribute: its value is then the e-mail).
    pub fn of_user(
        username_field: &str,
        username: &str,
        first_name: &str,
        last_name: &str,
        email: &str,
    ) -> Self {
        let mut attributes = vec![
            (username_field, username),
            ("first_name", first_name),
            ("last_name", last_name),
        ];
        if username_field != "email" {
            attributes.push(("email", email));
        }
        Self(
            attributes
                .into_iter()
                .map(|(name, value)| UserAttribute {
                    name: name.to_owned(),
                    value: value.to_owned(),
                    verbose_name: verbose_name(name),
                })
                .collect(),
        )
    }

    /// The attribute `name`, if the user has it.
    pub fn get(&self, name: &str) -> Option<&UserAttribute> {
        self.0.iter().find(|attribute| attribute.name == name)
    }
}

/// The `verbose_name` of Django's `AbstractUser` fields; another field's default, its name with
/// spaces for underscores (Django's `Field.set_attributes_from_name`).
fn verbose_name(name: &str) -> String {
    match name {
        "email" => "email address".to_owned(),
        other => other.replace('_', " "),
    }
}
