//! A TCP proxy in front of a server (PostgreSQL, Redis) that a test can cut, black-hole and
//! restore while the application keeps running: the store outages of the reliability suites.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

const UP: u8 = 0;
const CUT: u8 = 1;
const BLACK_HOLE: u8 = 2;

/// The proxy; it stops when the test's runtime stops.
#[derive(Debug)]
pub struct Proxy {
    pub address: std::net::SocketAddr,
    state: Arc<AtomicU8>,
    connections: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Proxy {
    /// Listens on a free port of 127.0.0.1 and forwards every connection to `upstream`.
    pub async fn start(upstream: String) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let state = Arc::new(AtomicU8::new(UP));
        let connections: Arc<Mutex<Vec<tokio::task::AbortHandle>>> = Arc::default();
        let (flag, held) = (state.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let task = match flag.load(Ordering::SeqCst) {
                    CUT => {
                        drop(inbound);
                        continue;
                    }
                    // Accepted, then never answered: what a dead host behind a firewall does.
                    BLACK_HOLE => tokio::spawn(async move {
                        std::future::pending::<()>().await;
                        drop(inbound);
                    }),
                    _ => tokio::spawn(async move {
                        if let Ok(mut outbound) = tokio::net::TcpStream::connect(upstream).await {
                            let _ =
                                tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                        }
                    }),
                };
                held.lock().unwrap().push(task.abort_handle());
            }
        });
        Self {
            address,
            state,
            connections,
        }
    }

    fn drop_connections(&self) {
        for connection in self.connections.lock().unwrap().drain(..) {
            connection.abort();
        }
    }

    /// Refuses new connections and closes the open ones.
    pub fn cut(&self) {
        self.state.store(CUT, Ordering::SeqCst);
        self.drop_connections();
    }

    /// Accepts new connections but never answers on them; open ones are closed.
    pub fn black_hole(&self) {
        self.state.store(BLACK_HOLE, Ordering::SeqCst);
        self.drop_connections();
    }

    /// Forwards again (connections held by the black hole are closed).
    pub fn restore(&self) {
        self.state.store(UP, Ordering::SeqCst);
        self.drop_connections();
    }
}
