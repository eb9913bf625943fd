//! The `treaty` binary: parse arguments, run one command, map the outcome to an
//! exit status. Everything else lives in the library and in `cli/`.

mod cli;

fn main() {
    std::process::exit(cli::main());
}
