//! Where each setting came from (the file or a variable), and the error that names it.

use std::collections::BTreeMap;

/// A setting that could not be read: where it came from (the file and line, or the variable)
/// and why. Never holds a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct SettingsFileError {
    /// The file (with the line and column when known), the variable, or the setting's sources.
    pub origin: String,
    /// What is wrong.
    pub message: String,
}

impl SettingsFileError {
    pub(super) fn new(origin: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            origin: origin.into(),
            message: message.into(),
        }
    }
}

/// Which source set each setting (and each key of a settings dict), for the errors found after
/// the sources are merged.
#[derive(Debug, Default)]
pub(super) struct Origins(BTreeMap<String, Vec<String>>);

impl Origins {
    pub(super) fn record(&mut self, table: &toml::Table, parent: &[&str], origin: &str) {
        for (key, value) in table {
            let mut path = parent.to_vec();
            path.push(key);
            let entry = self.0.entry(path.join(".")).or_default();
            // A dict is merged key by key, so its sources add up; anything else is replaced.
            if !value.is_table() {
                entry.clear();
            }
            if !entry.iter().any(|known| known == origin) {
                entry.push(origin.to_owned());
            }
            if let (toml::Value::Table(inner), true) = (value, path.len() < 2) {
                self.record(inner, &path, origin);
            }
        }
    }

    /// `key (from the sources)`, the sources of the key and of its keys.
    pub(super) fn error(&self, key: &str, message: impl Into<String>) -> SettingsFileError {
        let nested = format!("{key}.");
        let mut sources: Vec<&str> = Vec::new();
        for (path, origins) in &self.0 {
            if path == key || path.starts_with(&nested) {
                for origin in origins {
                    if !sources.contains(&origin.as_str()) {
                        sources.push(origin);
                    }
                }
            }
        }
        SettingsFileError::new(format!("{key} (from {})", sources.join(", ")), message)
    }
}
