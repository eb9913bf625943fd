//! `treaty completions`: shell completion scripts.

use clap::CommandFactory;

use super::{Cli, Context};

/// Print shell completions.
///
/// Example: treaty completions bash > /etc/bash_completion.d/treaty
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub fn run(ctx: &Context, args: Args) -> treaty::Result<i32> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "treaty", &mut out);
    ctx.print(&String::from_utf8_lossy(&out))?;
    Ok(super::exit::OK)
}
