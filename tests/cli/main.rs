//! Integration tests: one binary driving the real `treaty` executable, one
//! module per command.

mod common;

mod check;
mod examples;
mod hostile;
