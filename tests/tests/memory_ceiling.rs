//! Memory stays bounded under a million distinct clients: the in-memory throttle store and the
//! credential cache, measured by a counting global allocator (`stats_alloc`) (this file is its own test binary,
//! so nothing else allocates meanwhile but this test).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::alloc::System;
use std::time::Duration;

use auth_actix::settings::CredentialCache;
use auth_actix::throttling::{MemoryStore, ThrottleStore};
use futures_util::FutureExt;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

// The system allocator, counting (stats_alloc keeps the `unsafe` the workspace forbids here).
#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const CLIENTS: u32 = 1_000_000;
const MIB: usize = 1024 * 1024;

/// Bytes allocated and not freed since `region` began (stats_alloc already counts a
/// reallocation's growth and shrinkage in these two totals).
fn growth(region: &Region<'_, System>) -> usize {
    let change = region.change();
    change
        .bytes_allocated
        .saturating_sub(change.bytes_deallocated)
}

/// One test, so the phases never overlap and each one's growth is its own.
#[test]
fn a_million_distinct_clients_stay_under_the_ceilings() {
    // Throttle histories: 100,000 keys at most (the default), each client sending a long
    // forwarded-for identity (keys are kept as digests) at 5/min.
    let region = Region::new(GLOBAL);
    let store = MemoryStore::default();
    let padding = "f".repeat(200);
    for client in 0..CLIENTS {
        let key = format!("throttle_anon_203.0.{client}.{padding}");
        let hit = store
            .hit(&key, 5, 60, f64::from(client) * 1e-4)
            .now_or_never()
            .expect("the memory store answers at once")
            .unwrap();
        assert!(hit.allowed);
    }
    let grown = growth(&region);
    println!(
        "throttle store: {} keys, {:.1} MiB",
        store.len(),
        grown as f64 / MIB as f64
    );
    assert!(store.len() <= 100_000, "{} keys", store.len());
    assert!(grown < 48 * MIB, "throttle store grew {grown} bytes");
    drop(store);

    // Refused tokens: 10,000 remembered at most (the default capacity).
    let region = Region::new(GLOBAL);
    let cache = CredentialCache::new(Duration::from_secs(60), 10_000);
    let now = chrono::Utc::now();
    for client in 0..CLIENTS {
        cache.remember_unknown_token(&format!("{client:040x}"), now);
    }
    let grown = growth(&region);
    println!(
        "credential cache: {} refused tokens, {:.1} MiB",
        cache.refused_len(),
        grown as f64 / MIB as f64
    );
    assert!(cache.refused_len() <= 10_000, "{}", cache.refused_len());
    assert!(grown < 4 * MIB, "credential cache grew {grown} bytes");
}
