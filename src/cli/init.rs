//! `treaty init`: make a folder a workspace.

use std::path::PathBuf;

use treaty::store::Store;
use treaty::Result;

use super::Context;

/// Create a workspace: a git repository with a `plans/` folder.
///
/// Creates the repository (initial branch `main`) if there is none. Safe to
/// run inside an existing repository: it then creates `plans/` at the
/// repository's root if missing. Either way it registers treaty as git's
/// diff driver for plans (see `treaty git-setup`): a line in .gitattributes
/// and keys in the repository's configuration. It touches nothing else.
///
/// Examples:
///   treaty init
///   treaty init talks-2025
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The folder to make a workspace (default: --repo, else the current
    /// folder). Created if it does not exist.
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    let dir = match (&args.dir, &ctx.repo) {
        (Some(dir), _) => ctx.path(dir),
        (None, Some(repo)) => repo.clone(),
        (None, None) => ctx.cwd.clone(),
    };
    let (store, done) = Store::init(&dir)?;
    let git = super::git_setup::setup(&store)?;
    let root = done.workdir.display().to_string();
    let root = root.trim_end_matches(['/', '\\']);
    let message = match (done.created_repository, done.created_plans) {
        (true, _) => format!(
            "Created a treaty workspace in {root}: a new git repository (branch main) with plans/\n"
        ),
        (false, true) => format!("Using the git repository at {root}; created plans/\n"),
        (false, false) if !git.changed() => {
            format!("{root} is already a treaty workspace (plans/ exists); nothing changed\n")
        }
        (false, false) => format!("{root} is already a treaty workspace (plans/ exists)\n"),
    };
    let message = message + &super::git_setup::describe(&git);
    ctx.print(&message)?;
    Ok(super::exit::OK)
}
