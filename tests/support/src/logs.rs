//! `tracing` output kept in memory, for suites that read what the library logs.

use std::io::Write;
use std::sync::{Arc, Mutex};

/// What a `tracing` fmt subscriber writes, without colours, kept for the test to read.
#[derive(Debug, Clone, Default)]
pub struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

impl CapturedLogs {
    /// A subscriber that writes events and spans up to `level` here.
    pub fn subscriber(&self, level: tracing::Level) -> impl tracing::Subscriber + Send + Sync {
        let writer = self.clone();
        tracing_subscriber::fmt()
            .with_max_level(level)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish()
    }

    /// Makes [`subscriber`](Self::subscriber) this thread's default until the guard drops.
    ///
    /// The other tests of a binary run on other threads without a subscriber: one that first
    /// hits a callsite while this subscriber registers can leave it cached as uninteresting
    /// (tracing-core's interest cache is global), so the cache is rebuilt with this one.
    pub fn set_default(&self, level: tracing::Level) -> tracing::subscriber::DefaultGuard {
        let guard = tracing::subscriber::set_default(self.subscriber(level));
        tracing::callsite::rebuild_interest_cache();
        guard
    }

    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for CapturedLogs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
