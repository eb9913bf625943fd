//! Integration tests: one binary driving the real `treaty` executable, one
//! module per command.

mod common;

mod check;
mod commit;
mod disputes;
mod examples;
mod import;
mod init;
mod log;
mod show;
