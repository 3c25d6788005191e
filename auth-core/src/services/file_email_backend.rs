//! `django.core.mail.backends.filebased.EmailBackend`: each `send_messages` call writes one
//! file under `EMAIL_FILE_PATH`, named `<YYYYmmdd-HHMMSS>-<number>.log` (UTC; Django's is
//! `<local time>-<id(self)>.log`), holding its messages in the console backend's format.
//! Unlike Django's, a file gets its name only once it is whole (written under a hidden name,
//! then renamed), so a reader polling the directory never reads half a message: here the
//! messages are written after the answer, while a test or a mail pickup may be reading. Also
//! unlike Django's (whose files get the process's umask, usually world-readable), on Unix a file
//! is readable and writable by its owner only (`0600`): the messages hold reset and activation
//! links, which are credentials.

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
        loop {
            let name = format!("{stamp}-{}.log", rand::random::<u32>());
            let hidden = self.directory.join(format!(".{name}.part"));
            let path = self.directory.join(name);
            if path.exists() {
                continue;
            }
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            match options.open(&hidden) {
                Ok(mut file) => {
                    // The name is checked free just above and holds a random 32-bit number:
                    // rename (portable, unlike a hard link) replacing a file is not a concern.
                    let placed = file
                        .write_all(bytes)
                        .and_then(|()| std::fs::rename(&hidden, &path));
                    if placed.is_err() {
                        let _ = std::fs::remove_file(&hidden);
                    }
                    return placed.map_err(failed);
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_call_leaves_one_whole_log_file_and_nothing_hidden() {
        let directory =
            std::env::temp_dir().join(format!("file-email-backend-{}", rand::random::<u64>()));
        let backend = FileEmailBackend::new(directory.clone()).expect("backend");
        let message = EmailMessage {
            subject: "S".to_owned(),
            body: "body".to_owned(),
            from_email: "webmaster@localhost".to_owned(),
            to: vec!["a@example.com".to_owned()],
            ..EmailMessage::default()
        };
        let bytes = stream_format(&[message.clone(), message]).expect("format");
        backend.write(&bytes).expect("first");
        backend.write(&bytes).expect("second");
        let mut names: Vec<String> = std::fs::read_dir(&directory)
            .expect("read_dir")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        assert_eq!(names.len(), 2, "{names:?}");
        for name in &names {
            assert!(name.ends_with(".log") && !name.starts_with('.'), "{name}");
            assert_eq!(std::fs::read(directory.join(name)).expect("read"), bytes);
            // The links in the messages are credentials: the owner's alone.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(directory.join(name))
                    .expect("metadata")
                    .permissions()
                    .mode();
                assert_eq!(mode & 0o777, 0o600, "{name}: {mode:o}");
            }
        }
        let _ = std::fs::remove_dir_all(&directory);
    }
}
