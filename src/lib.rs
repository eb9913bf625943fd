//! `treaty` versions numbered plans.
#![doc = include_str!("../README.md")]
pub mod brackets;
pub mod error;
pub mod plan;

pub use error::{Error, Result};
pub use plan::{Plan, Point, Position, Status};
