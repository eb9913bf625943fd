//! `treaty man`: the manual page, generated from the same definitions as
//! `--help`.

use clap::CommandFactory;

use super::{Cli, Context};

/// Print the manual page (roff) on standard output.
///
/// Example: treaty man > /usr/local/share/man/man1/treaty.1
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> treaty::Result<i32> {
    let mut out = Vec::new();
    let cmd = Cli::command();
    let render = |cmd: clap::Command, out: &mut Vec<u8>| {
        clap_mangen::Man::new(cmd)
            .render(out)
            .map_err(|e| treaty::Error::Internal {
                message: format!("cannot render the manual page: {e}"),
            })
    };
    render(cmd.clone(), &mut out)?;
    // One section per subcommand, so the page documents every option.
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("treaty-{}", sub.get_name());
        let mut page = Vec::new();
        render(sub.clone().name(name), &mut page)?;
        out.extend_from_slice(&page);
    }
    ctx.print(&String::from_utf8_lossy(&out))?;
    Ok(super::exit::OK)
}
