//! `treaty` versions numbered plans.
//!
//! Data flows one way: a draft file becomes a [`Plan`] ([`plan`]); the
//! [`store`] gives the plan at any revision; `align` pairs the points of two
//! drafts; `diff` classifies the pairs; `report` follows points across a whole
//! history; [`render`] turns any result into text, markdown or JSON. A text as
//! published (plain text, markdown, a PDF turned into text) becomes a draft
//! with [`import`].
//!
//! ```
//! use treaty::Plan;
//! let plan = Plan::parse("[plan]\ntitle = \"T\"\n[[points]]\nnumber = \"1\"\ntext = \"Hi.\"\n", "t.toml")?;
//! assert_eq!(plan.counts().open, 1);
//! # Ok::<(), treaty::Error>(())
//! ```

pub mod align;
pub mod brackets;
pub mod cache;
pub mod changes;
pub mod diff;
pub mod edit;
pub mod error;
pub mod import;
pub mod parallel;
pub mod plan;
pub mod render;
pub mod report;
pub mod revision;
mod scan;
pub mod store;
pub mod synth;
pub mod words;

pub use error::{Error, Result};
pub use plan::{Plan, Point, Position, Status};

/// Shared by the property tests: a fixed seed and a bounded number of cases,
/// so CI is deterministic; `PROPTEST_CASES` and `PROPTEST_RNG_SEED` override
/// them to explore further by hand.
#[cfg(test)]
pub(crate) fn proptest_config(cases: u32) -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, RngSeed};
    let default = Config::default();
    let set = |var: &str| std::env::var_os(var).is_some();
    Config {
        cases: if set("PROPTEST_CASES") {
            default.cases
        } else {
            cases
        },
        rng_seed: if set("PROPTEST_RNG_SEED") {
            default.rng_seed
        } else {
            RngSeed::Fixed(0x7472_6561_7479)
        },
        failure_persistence: None,
        ..default
    }
}
