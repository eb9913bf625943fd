//! `treaty completions`: shell completion scripts.

use super::Context;

/// Print shell completions.
///
/// Examples:
///   treaty completions bash > ~/.local/share/bash-completion/completions/treaty
///   treaty completions zsh > ~/.zfunc/_treaty
///   treaty completions fish > ~/.config/fish/completions/treaty.fish
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub fn run(ctx: &Context, args: Args) -> treaty::Result<i32> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut super::public_command(), "treaty", &mut out);
    // A script is read by a shell, not by a person: never paged.
    ctx.write(&String::from_utf8_lossy(&out))?;
    Ok(super::exit::OK)
}
