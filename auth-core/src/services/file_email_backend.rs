//! `django.core.mail.backends.filebased.EmailBackend`: each `send_messages` call writes one
//! file under `EMAIL_FILE_PATH`, named `<YYYYmmdd-HHMMSS>-<number>.log` (UTC; Django's is
//! `<local time>-<id(self)>.log`), holding its messages in the console backend's format.

use std::io::Write;
use std::path::PathBuf;

use crate::django::mail::{EmailError, EmailMessage};

use super::console_email_backend::stream_format;
use super::email_backend::{EmailBackend, EmailFuture};

/// Writes messages to files under a directory.
#[derive(Debug, Clone)]
pub struct FileEmailBackend {
    directory: PathBuf,
}

impl FileEmailBackend {
    /// The backend writing under `directory`, created if missing, as Django creates it.
    ///
    /// # Errors
    ///
    /// Django's messages: the path exists and is not a directory, cannot be created, or is not
    /// writable.
    pub fn new(directory: PathBuf) -> Result<Self, String> {
        if directory.exists() && !directory.is_dir() {
            return Err(format!(
                "Path for saving email messages exists, but is not a directory: {}",
                directory.display()
            ));
        }
        std::fs::create_dir_all(&directory).map_err(|error| {
            format!(
                "Could not create directory for saving email messages: {} ({error})",
                directory.display()
            )
        })?;
        let readonly = std::fs::metadata(&directory)
            .map(|metadata| metadata.permissions().readonly())
            .unwrap_or(true);
        if readonly {
            return Err(format!(
                "Could not write to directory: {}",
                directory.display()
            ));
        }
        Ok(Self { directory })
    }

    fn write(&self, bytes: &[u8]) -> Result<(), EmailError> {
        let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
        let failed = |error: std::io::Error| EmailError::Backend(format!("{error}"));
        // A random number where Django has the backend's `id()`: two calls in one second
        // never share a file, and `create_new` never appends to one.
        loop {
            let name = format!("{stamp}-{}.log", rand::random::<u32>());
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(self.directory.join(name))
            {
                Ok(mut file) => return file.write_all(bytes).map_err(failed),
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(error) => return Err(failed(error)),
            }
        }
    }
}

impl EmailBackend for FileEmailBackend {
    fn send_messages<'a>(&'a self, messages: &'a [EmailMessage]) -> EmailFuture<'a> {
        Box::pin(async move {
            if messages.is_empty() {
                return Ok(0);
            }
            let bytes = stream_format(messages)?;
            let backend = self.clone();
            tokio::task::spawn_blocking(move || backend.write(&bytes))
                .await
                .map_err(|error| EmailError::Backend(error.to_string()))??;
            Ok(messages.len())
        })
    }
}
