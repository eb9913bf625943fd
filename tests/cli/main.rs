//! Integration tests: one binary driving the real `treaty` executable, one
//! module per command.

mod common;

mod browser;
mod check;
mod commit;
mod diff;
mod disputes;
mod examples;
mod git;
mod import;
mod init;
mod log;
mod show;
mod terminal;
