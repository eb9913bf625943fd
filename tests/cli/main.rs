//! Integration tests: one binary driving the real `treaty` executable, one
//! module per command.

mod common;

mod browser;
mod check;
mod commit;
mod crash;
mod diff;
mod disputes;
mod examples;
mod git;
mod hostile;
mod import;
mod init;
mod log;
mod show;
mod terminal;
