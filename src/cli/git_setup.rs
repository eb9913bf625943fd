//! `treaty git-setup`: make git show plans point by point.

use treaty::store::GitDiffSetup;
use treaty::{Error, Result};

use super::Context;

/// Make git show plans point by point: register treaty as git's diff driver
/// for plans/*.toml in this repository.
///
/// Adds `plans/*.toml diff=treaty` (and `plans/**/*.toml`) to .gitattributes,
/// keeping its other lines, and sets diff.treaty.command (the point-level
/// diff `git diff` prints) and diff.treaty.textconv (the one-block-per-point
/// view `git show` and `git log -p` compare) in the repository's own
/// configuration, naming this treaty executable. `treaty init` does the
/// same. Commit .gitattributes to share it; git never shares configuration,
/// so each clone runs `treaty git-setup` once. Running it again changes
/// nothing.
///
/// Examples:
///   treaty git-setup
///   git log -p plans/ukraine.toml
///   git diff --no-ext-diff plans/ukraine.toml   # the line view instead
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> Result<i32> {
    let store = super::store(ctx)?;
    let done = setup(&store)?;
    let mut out = describe(&done);
    if !done.changed() {
        out = "git already shows plans with treaty; nothing changed\n".to_string();
    }
    ctx.print(&out)?;
    Ok(super::exit::OK)
}

/// Registers the running executable as the driver.
pub fn setup(store: &treaty::store::Store) -> Result<GitDiffSetup> {
    let exe = std::env::current_exe().map_err(|e| Error::Internal {
        message: format!("cannot find the path of the treaty executable: {e}"),
    })?;
    store.setup_git_diff(&exe)
}

/// What changed, one line each.
pub fn describe(done: &GitDiffSetup) -> String {
    let mut out = String::new();
    if !done.attributes_added.is_empty() {
        out.push_str(&format!(
            "Added to .gitattributes: {}\n",
            done.attributes_added.join("; ")
        ));
    }
    if !done.config_changed.is_empty() {
        out.push_str(&format!(
            "Set in the repository's configuration: {}\n",
            done.config_changed.join(", ")
        ));
    }
    if done.changed() {
        out.push_str("git diff, git show and git log -p now show plans point by point.\n");
    }
    out
}
