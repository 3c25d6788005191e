//! `tracing` output kept in memory, for suites that read what the library logs.

use std::cell::RefCell;
use std::io::Write;
use std::sync::{Arc, Mutex, Once};

use tracing_subscriber::Layer;
use tracing_subscriber::layer::SubscriberExt;

/// What a `tracing` fmt subscriber writes, without colours, kept for the test to read.
#[derive(Debug, Clone, Default)]
pub struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

thread_local! {
    /// The capture of this thread's test, with its level.
    static CAPTURE: RefCell<Option<(CapturedLogs, tracing::Level)>> = const { RefCell::new(None) };
}

/// Ends a thread's capture when dropped.
#[derive(Debug)]
pub struct CaptureGuard(());

impl Drop for CaptureGuard {
    fn drop(&mut self) {
        CAPTURE.with(|capture| capture.borrow_mut().take());
    }
}

/// The capture of the calling thread, when it is on and takes `level`.
fn capture_for(level: &tracing::Level) -> Option<CapturedLogs> {
    CAPTURE.with(|capture| {
        capture
            .borrow()
            .as_ref()
            .filter(|(_, max)| level <= max)
            .map(|(logs, _)| logs.clone())
    })
}

/// Writes to the calling thread's capture, or nowhere.
struct ToCapture(Option<CapturedLogs>);

impl Write for ToCapture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match &mut self.0 {
            Some(logs) => logs.write(bytes),
            None => Ok(bytes.len()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Makes each event's writer: the capture of the thread that logs it.
struct ToThreadCapture;

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for ToThreadCapture {
    type Writer = ToCapture;

    fn make_writer(&'a self) -> ToCapture {
        ToCapture(capture_for(&tracing::Level::TRACE))
    }

    fn make_writer_for(&'a self, metadata: &tracing::Metadata<'_>) -> ToCapture {
        ToCapture(capture_for(metadata.level()))
    }
}

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

    /// Captures what the calling thread logs up to `level` until the guard drops.
    ///
    /// One process-wide subscriber serves every test of a binary, deciding per event by the
    /// thread's capture (a per-layer filter, asked every time): a thread-local default subscriber
    /// would not do, as tracing-core caches each callsite's interest globally and another test's
    /// thread, logging at the same moment without a subscriber, could leave a callsite cached as
    /// uninteresting.
    pub fn set_default(&self, level: tracing::Level) -> CaptureGuard {
        static INSTALLED: Once = Once::new();
        INSTALLED.call_once(|| {
            let layer = tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(ToThreadCapture)
                // Asked at every event (a callsite's interest is "sometimes", never cached as
                // "never" by a thread that had no capture when the callsite was first hit).
                .with_filter(
                    tracing_subscriber::filter::DynFilterFn::new(|metadata, _| {
                        capture_for(metadata.level()).is_some()
                    })
                    .with_callsite_filter(|_| tracing::subscriber::Interest::sometimes()),
                );
            // A test binary that installed its own global subscriber keeps it.
            let installed =
                tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer));
            if installed.is_err() {
                eprintln!("CapturedLogs: this test binary has its own global subscriber");
            }
        });
        CAPTURE.with(|capture| *capture.borrow_mut() = Some((self.clone(), level)));
        CaptureGuard(())
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
