//! Two drafts through the diff engine: the input is split at its first 0xFF
//! byte (never part of UTF-8), each half read as a draft; when both are valid,
//! diffing them (and each with itself) never panics.
//!
//! NOT BUILT YET: written against the expected API; enable its `[[bin]]` in
//! fuzz/Cargo.toml when `src/align.rs` and `src/diff.rs` land. Worth adding
//! then: every point of each side lands in exactly one group (SPEC §4), and a
//! draft diffed with itself has only unchanged groups.
#![no_main]

use libfuzzer_sys::fuzz_target;
use treaty::align::Options;
use treaty::diff::diff;
use treaty::plan::Plan;

fuzz_target!(|data: &[u8]| {
    let cut = data.iter().position(|&b| b == 0xff).unwrap_or(data.len());
    let (a, b) = (&data[..cut], data.get(cut + 1..).unwrap_or_default());
    let (Ok(from), Ok(to)) = (
        Plan::parse_bytes(a, "from.toml"),
        Plan::parse_bytes(b, "to.toml"),
    ) else {
        return;
    };
    let options = Options::default();
    let _ = diff(&from, &to, &options);
    let _ = diff(&to, &from, &options);
    let _ = diff(&from, &from, &options);
});
