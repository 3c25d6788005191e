//! PBKDF2-HMAC-SHA256 at Django's iteration count against SHA-256's compression floor.
//!
//! With HMAC's key blocks compressed once per password, a PBKDF2 iteration is two compressions
//! of one block each, so 1 500 000 iterations cannot take less than 3 000 000 compressions:
//! `compression_bound` measures that floor with the same `sha2` backend (SHA-NI when the CPU
//! has it, picked at run time), `compression_chain` the same compressions chained through
//! their digests as PBKDF2's are, `ours` the hasher's implementation, `pbkdf2_crate` the
//! RustCrypto `pbkdf2` crate it replaces. Run with `cargo bench -p auth-core --bench pbkdf2`.
//!
//! Criterion measures wall time: on a machine shared with other jobs, compare runs made while
//! it is otherwise idle.

use std::hint::black_box;
use std::slice;
use std::time::Duration;

use auth_core::django::hashers::{DEFAULT_PBKDF2_ITERATIONS, pbkdf2_sha256};
use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use sha2::Sha256;
use sha2::block_api::compress256;

const PASSWORD: &[u8] = b"password";
const SALT: &[u8] = b"seasaltseasaltseasalt1";

fn pbkdf2_sha256_at_django_count(c: &mut Criterion) {
    let mut group = c.benchmark_group("pbkdf2_sha256_1500000");
    // Each run takes a few hundred milliseconds: ten single runs per function are enough to
    // see a difference of a few percent, and keep the whole bench around a minute.
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));

    group.bench_function("compression_bound", |b| {
        // An iteration's block: a digest, then SHA-256 padding for 96 bytes.
        let mut block = [0u8; 64];
        block[..32].fill(0xa5);
        block[32] = 0x80;
        block[56..].copy_from_slice(&768u64.to_be_bytes());
        b.iter(|| {
            // Each compression depends on the previous one, as PBKDF2's do.
            let mut state = black_box([0u32; 8]);
            for _ in 0..2 * DEFAULT_PBKDF2_ITERATIONS {
                compress256(&mut state, slice::from_ref(&block));
            }
            state
        });
    });

    group.bench_function("compression_chain", |b| {
        // The same compressions, each block starting with the previous state in big-endian
        // bytes, as in PBKDF2: the floor for any implementation over `compress256`, whose
        // state is words and whose block is bytes. What it costs over `compression_bound` is
        // the byte swap and the store-to-load round trip, which a chain cannot overlap.
        let mut block = [0u8; 64];
        block[32] = 0x80;
        block[56..].copy_from_slice(&768u64.to_be_bytes());
        b.iter(|| {
            let mut state = black_box([0u32; 8]);
            for _ in 0..2 * DEFAULT_PBKDF2_ITERATIONS {
                let (words, _) = block.as_chunks_mut::<4>();
                for (bytes, word) in words.iter_mut().zip(&state) {
                    *bytes = word.to_be_bytes();
                }
                compress256(&mut state, slice::from_ref(&block));
            }
            state
        });
    });

    group.bench_function("ours", |b| {
        b.iter(|| {
            let mut out = [0u8; 32];
            pbkdf2_sha256::derive(
                black_box(PASSWORD),
                black_box(SALT),
                DEFAULT_PBKDF2_ITERATIONS,
                &mut out,
            );
            out
        });
    });

    group.bench_function("pbkdf2_crate", |b| {
        b.iter(|| {
            let mut out = [0u8; 32];
            pbkdf2::pbkdf2_hmac::<Sha256>(
                black_box(PASSWORD),
                black_box(SALT),
                DEFAULT_PBKDF2_ITERATIONS,
                &mut out,
            );
            out
        });
    });

    group.finish();
}

criterion_group!(benches, pbkdf2_sha256_at_django_count);
criterion_main!(benches);
