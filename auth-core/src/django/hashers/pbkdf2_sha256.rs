//! PBKDF2-HMAC-SHA256 (RFC 8018 §5.2 over RFC 2104's HMAC) on SHA-256's compression function.
//!
//! Django's default hasher runs 1 500 000 iterations per password, each an HMAC of the previous
//! 32-byte result. The HMAC key blocks (`key ^ ipad`, `key ^ opad`) are the same in every
//! iteration, so each is compressed once per password and its state (the "midstate") is reused.
//! An iteration is then exactly two compressions of a block whose padding is written once. A
//! generic `Hmac<Sha256>` also clones the hasher, buffers the message and pads it on every
//! call: the `pbkdf2` crate takes about 25% longer than this (`benches/pbkdf2.rs`).
//!
//! What is left above the compressions themselves is turning each digest into the next block
//! (a byte swap and a trip through memory, since `compress256` takes state as words and
//! blocks as bytes), about 15% of a compression with SHA-NI: each iteration needs the last
//! one's digest, so nothing can overlap it.

use core::slice;

use sha2::block_api::compress256;

/// SHA-256's block size in bytes.
const BLOCK_LEN: usize = 64;

/// SHA-256's digest size in bytes (HMAC-SHA256's `hLen`).
const DIGEST_LEN: usize = 32;

/// Where a 64-bit message length in bits starts in SHA-256's last block.
const LENGTH_AT: usize = BLOCK_LEN - 8;

/// The bit length of every message after the first one hashed from the inner midstate: the
/// key block and one digest.
const ITERATION_MESSAGE_BITS: u64 = ((BLOCK_LEN + DIGEST_LEN) * 8) as u64;

/// SHA-256's initial hash value (FIPS 180-4 §5.3.3); `sha2` keeps its own copy private.
const INITIAL_STATE: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// A SHA-256 chaining state: eight big-endian words.
type State = [u32; 8];

/// PBKDF2-HMAC-SHA256 of `password` and `salt`, filling all of `out` (`dkLen = out.len()`).
///
/// `iterations` of 0 is computed as 1, as the `pbkdf2` crate does; Django never asks for it.
/// RFC 8018 caps `dkLen` at (2^32 − 1) × 32 bytes; bytes of `out` past that are left as
/// they are (no buffer of that size exists in practice).
///
/// Public, but hidden, only so that the benchmark in `benches/pbkdf2.rs` can reach it.
#[doc(hidden)]
pub fn derive(password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) {
    let key = HmacKey::new(password);
    // `T_i` for i = 1, 2, …: RFC 8018 numbers the blocks from 1, as a 32-bit big-endian INT(i).
    for (chunk, index) in out.chunks_mut(DIGEST_LEN).zip(1..=u32::MAX) {
        let mut block = key.derive_block(salt, index, iterations);
        // The last chunk is shorter when dkLen is not a multiple of 32: T_l is truncated.
        chunk.copy_from_slice(&block[..chunk.len()]);
        wipe(&mut block);
    }
}

/// HMAC-SHA256 keyed with one password: the states after its inner and outer key blocks.
struct HmacKey {
    /// The state after compressing `K ^ ipad`.
    inner: State,
    /// The state after compressing `K ^ opad`.
    outer: State,
}

impl HmacKey {
    /// RFC 2104 §2: a key longer than the block is first hashed; then it is zero-padded to
    /// the block size and each pad is compressed from SHA-256's initial state.
    fn new(password: &[u8]) -> Self {
        let mut key = [0u8; BLOCK_LEN];
        if password.len() > BLOCK_LEN {
            let mut hashed = sha256_from(INITIAL_STATE, 0, &[password]);
            write_words(&mut key, &hashed);
            wipe(&mut hashed);
        } else {
            key[..password.len()].copy_from_slice(password);
        }
        let midstate = |pad: u8| {
            let mut block = key.map(|byte| byte ^ pad);
            let mut state = INITIAL_STATE;
            compress256(&mut state, slice::from_ref(&block));
            wipe(&mut block);
            state
        };
        let this = Self {
            inner: midstate(0x36),
            outer: midstate(0x5c),
        };
        wipe(&mut key);
        this
    }

    /// RFC 8018's `T_i = F(P, S, c, i) = U_1 ^ U_2 ^ … ^ U_c`.
    fn derive_block(&self, salt: &[u8], index: u32, iterations: u32) -> [u8; DIGEST_LEN] {
        // U_1 = PRF(P, S || INT(i)): the only message of arbitrary length.
        let mut inner = sha256_from(self.inner, 1, &[salt, &index.to_be_bytes()]);
        let mut u = self.outer_hash(&inner);
        let mut sum = u;
        // U_j = PRF(P, U_{j-1}): the message is always one digest, so its block is padded
        // once: the digest, 0x80, zeros, and the bit length of key block + digest.
        let mut block = [0u8; BLOCK_LEN];
        block[DIGEST_LEN] = 0x80;
        block[LENGTH_AT..].copy_from_slice(&ITERATION_MESSAGE_BITS.to_be_bytes());
        // Indexed `while` loops here and in `write_words`, not iterator chains: in dev and test
        // builds this crate is not optimised (only the hashing crates are, see the workspace
        // manifest), and every adaptor is then a call. With iterators, 1 500 000 iterations
        // took 0.7 s of CPU in a debug build, against 0.3 s now (0.2 s for the `pbkdf2`
        // crate's optimised code). Optimised, both forms compile to the same loop.
        for _ in 1..iterations {
            write_words(&mut block, &u);
            inner = self.inner;
            compress256(&mut inner, slice::from_ref(&block));
            write_words(&mut block, &inner);
            u = self.outer;
            compress256(&mut u, slice::from_ref(&block));
            let mut word = 0;
            while word < sum.len() {
                sum[word] ^= u[word];
                word += 1;
            }
        }
        let mut out = [0u8; DIGEST_LEN];
        write_words(&mut out, &sum);
        wipe(&mut inner);
        wipe(&mut u);
        wipe(&mut sum);
        wipe(&mut block);
        out
    }

    /// The outer hash of HMAC: SHA-256 of `K ^ opad || inner digest`, from the outer midstate.
    fn outer_hash(&self, inner: &State) -> State {
        let mut digest = [0u8; DIGEST_LEN];
        write_words(&mut digest, inner);
        let state = sha256_from(self.outer, 1, &[&digest]);
        wipe(&mut digest);
        state
    }
}

impl Drop for HmacKey {
    fn drop(&mut self) {
        // Each midstate lets anyone compute this password's hashes: it is the password, for
        // an attacker.
        wipe(&mut self.inner);
        wipe(&mut self.outer);
    }
}

/// SHA-256 continued from `state`, which has absorbed `blocks_done` whole blocks, over the
/// concatenation of `parts`, padded and finished (FIPS 180-4 §5.1.1).
fn sha256_from(mut state: State, blocks_done: u64, parts: &[&[u8]]) -> State {
    let mut block = [0u8; BLOCK_LEN];
    let mut filled = 0;
    // SHA-256 counts the length modulo 2^64 bits; wrapping only matters past 2 EiB.
    let mut bytes = blocks_done.wrapping_mul(BLOCK_LEN as u64);
    for part in parts {
        bytes = bytes.wrapping_add(part.len() as u64);
        let mut rest = *part;
        while !rest.is_empty() {
            let (head, tail) = rest.split_at(rest.len().min(BLOCK_LEN - filled));
            block[filled..filled + head.len()].copy_from_slice(head);
            filled += head.len();
            rest = tail;
            if filled == BLOCK_LEN {
                compress256(&mut state, slice::from_ref(&block));
                filled = 0;
            }
        }
    }
    block[filled] = 0x80;
    block[filled + 1..].fill(0);
    if filled >= LENGTH_AT {
        // No room left for the length: it goes in one more block.
        compress256(&mut state, slice::from_ref(&block));
        block.fill(0);
    }
    block[LENGTH_AT..].copy_from_slice(&bytes.wrapping_mul(8).to_be_bytes());
    compress256(&mut state, slice::from_ref(&block));
    wipe(&mut block);
    state
}

/// Writes `state` big-endian at the start of `bytes` (SHA-256's digest encoding).
fn write_words<const N: usize>(bytes: &mut [u8; N], state: &State) {
    const { assert!(N >= DIGEST_LEN, "a SHA-256 digest is 32 bytes") };
    let (chunks, _) = bytes.as_chunks_mut::<4>();
    let mut word = 0;
    while word < state.len() {
        chunks[word] = state[word].to_be_bytes();
        word += 1;
    }
}

/// Overwrites secret-derived memory before it is released, as far as safe code can: without
/// `zeroize` (not a dependency) or volatile writes (`unsafe` is forbidden here), `black_box`
/// is what keeps the compiler from dropping stores to memory that is never read again.
fn wipe<T: Copy + Default, const N: usize>(secret: &mut [T; N]) {
    secret.fill(T::default());
    std::hint::black_box(secret);
}

#[cfg(test)]
mod tests {
    use ::pbkdf2::pbkdf2_hmac;
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use rand::rngs::Xoshiro256PlusPlus;
    use rand::{RngExt as _, SeedableRng as _};
    use sha2::{Digest as _, Sha256};

    use super::{INITIAL_STATE, derive, sha256_from, write_words};

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    fn derive_hex(password: &[u8], salt: &[u8], iterations: u32, len: usize) -> String {
        let mut out = vec![0u8; len];
        derive(password, salt, iterations, &mut out);
        hex(&out)
    }

    fn crate_hex(password: &[u8], salt: &[u8], iterations: u32, len: usize) -> String {
        let mut out = vec![0u8; len];
        pbkdf2_hmac::<Sha256>(password, salt, iterations, &mut out);
        hex(&out)
    }

    /// Django's `pbkdf2_sha256` value for these inputs.
    fn django(password: &str, salt: &str, iterations: u32) -> String {
        let mut out = [0u8; 32];
        derive(password.as_bytes(), salt.as_bytes(), iterations, &mut out);
        format!("pbkdf2_sha256${iterations}${salt}${}", STANDARD.encode(out))
    }

    #[test]
    fn matches_rfc_7914_vectors() {
        // RFC 7914 §11, PBKDF2-HMAC-SHA256 with dkLen = 64 (two blocks).
        assert_eq!(
            derive_hex(b"passwd", b"salt", 1, 64),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc\
             49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
        );
        assert_eq!(
            derive_hex(b"Password", b"NaCl", 80000, 64),
            "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56\
             a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"
        );
    }

    #[test]
    fn matches_well_known_vectors() {
        // The RFC 6070 inputs with SHA-256, as published with many implementations.
        assert_eq!(
            derive_hex(b"password", b"salt", 1, 32),
            "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"
        );
        assert_eq!(
            derive_hex(b"password", b"salt", 2, 32),
            "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43"
        );
        assert_eq!(
            derive_hex(b"password", b"salt", 4096, 32),
            "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"
        );
        assert_eq!(
            derive_hex(
                b"passwordPASSWORDpassword",
                b"saltSALTsaltSALTsaltSALTsaltSALTsalt",
                4096,
                40
            ),
            "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9"
        );
        assert_eq!(
            derive_hex(b"pass\0word", b"sa\0lt", 4096, 16),
            "89b69d0516f829893c696226650a8687"
        );
    }

    #[test]
    fn matches_django_vectors() {
        // What Django's `PBKDF2PasswordHasher.encode` returns for these inputs.
        assert_eq!(
            django("password", "seasalt", 1000),
            "pbkdf2_sha256$1000$seasalt$YIWkt6M1JFXrHg5s0jZjBSc7C2Cz6QvchSJ0h8Y+i7c="
        );
        assert_eq!(
            django("password", "seasaltseasaltseasalt1", 1_500_000),
            "pbkdf2_sha256$1500000$seasaltseasaltseasalt1$TEMLqAa9eWQjdqgNSOH6EoaemZ2c984hqIsRe4jxPxM="
        );
    }

    #[test]
    fn keys_around_the_block_size_match_the_crate() {
        // HMAC hashes keys over 64 bytes and zero-pads the rest; 55, 56 and 64 are where
        // SHA-256's own padding changes shape when such a key is hashed.
        for len in [
            0, 1, 31, 32, 33, 55, 56, 63, 64, 65, 119, 120, 128, 129, 1000,
        ] {
            let password: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
            assert_eq!(
                derive_hex(&password, b"salt", 3, 32),
                crate_hex(&password, b"salt", 3, 32),
                "password of {len} bytes"
            );
        }
    }

    #[test]
    fn a_long_key_is_its_digest() {
        let long = [b'k'; 65];
        let digest = Sha256::digest(long);
        assert_eq!(
            derive_hex(&long, b"salt", 2, 32),
            derive_hex(&digest, b"salt", 2, 32)
        );
    }

    #[test]
    fn empty_password_and_salt() {
        assert_eq!(derive_hex(b"", b"", 2, 32), crate_hex(b"", b"", 2, 32));
        assert_eq!(
            derive_hex(b"password", b"", 1000, 32),
            crate_hex(b"password", b"", 1000, 32)
        );
        assert_eq!(
            derive_hex(b"", b"seasalt", 1000, 32),
            crate_hex(b"", b"seasalt", 1000, 32)
        );
    }

    #[test]
    fn salts_around_the_block_size_match_the_crate() {
        // The salt and INT(i) follow the 64-byte key block; 52 + 4 fills the 56 bytes before
        // the length, so the length needs a block of its own from there.
        for len in [0, 1, 51, 52, 53, 59, 60, 61, 64, 116, 200] {
            let salt: Vec<u8> = (0..len).map(|i| (i * 13 + 1) as u8).collect();
            assert_eq!(
                derive_hex(b"password", &salt, 2, 32),
                crate_hex(b"password", &salt, 2, 32),
                "salt of {len} bytes"
            );
        }
    }

    #[test]
    fn zero_iterations_are_one() {
        assert_eq!(
            derive_hex(b"password", b"salt", 0, 32),
            derive_hex(b"password", b"salt", 1, 32)
        );
        assert_eq!(
            derive_hex(b"password", b"salt", 0, 32),
            crate_hex(b"password", b"salt", 0, 32)
        );
    }

    #[test]
    fn empty_output_is_fine() {
        let mut out = [0u8; 0];
        derive(b"password", b"salt", 1, &mut out);
    }

    #[test]
    fn sha256_from_the_initial_state_is_sha256() {
        for len in [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 300] {
            let message: Vec<u8> = (0..len).map(|i| (i * 5 + 11) as u8).collect();
            // Split anywhere: the parts are one message.
            let (head, tail) = message.split_at(len / 3);
            let mut ours = [0u8; 32];
            write_words(&mut ours, &sha256_from(INITIAL_STATE, 0, &[head, tail]));
            assert_eq!(
                ours.as_slice(),
                Sha256::digest(&message).as_slice(),
                "{len}"
            );
        }
    }

    #[test]
    fn random_inputs_match_the_crate() {
        // A fixed seed: a failure names its case and reproduces.
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x5eed_d1a6_0b1f_2256);
        for case in 0..512 {
            let password: Vec<u8> = (0..rng.random_range(0..150))
                .map(|_| rng.random())
                .collect();
            let salt: Vec<u8> = (0..rng.random_range(0..150))
                .map(|_| rng.random())
                .collect();
            let iterations = rng.random_range(1..2000);
            let len = rng.random_range(1..100);
            assert_eq!(
                derive_hex(&password, &salt, iterations, len),
                crate_hex(&password, &salt, iterations, len),
                "case {case}: password {}, salt {}, {iterations} iterations, {len} bytes",
                hex(&password),
                hex(&salt)
            );
        }
    }
}
