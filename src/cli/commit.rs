//! `treaty commit`: record a draft as a new revision.

use std::path::PathBuf;

use treaty::store::{check_plan_name, CommitRequest};
use treaty::Result;

use super::Context;

/// Record a plan's draft as a new revision.
///
/// The revision is a git commit on the current branch whose only change is
/// `plans/<NAME>.toml`. Whatever else is staged or changed in the repository
/// stays exactly as it was. An invalid draft, an unchanged draft or a label
/// already used for the plan is refused, and nothing is written.
///
/// Examples:
///   treaty commit ukraine --label geneva -m "Text agreed in Geneva"
///   treaty commit ukraine --file ~/Downloads/framework-20.toml --author "Ana Diaz <ana@example.org>"
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The plan's name; its draft is `plans/<NAME>.toml`.
    #[arg(value_name = "NAME")]
    name: String,

    /// The commit message (default: a summary of what changed).
    #[arg(short, long, value_name = "MSG")]
    message: Option<String>,

    /// A short name for this revision, which becomes the tag `<NAME>/<LABEL>`
    /// (default: the draft's `[draft] label`).
    #[arg(long, value_name = "LABEL")]
    label: Option<String>,

    /// Copy this received draft into `plans/<NAME>.toml` first.
    #[arg(long, value_name = "DRAFT.toml")]
    file: Option<PathBuf>,

    /// The author, as "Name <mail>" (default: GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL,
    /// else git's user.name and user.email).
    #[arg(long, value_name = "NAME <MAIL>")]
    author: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    check_plan_name(&args.name)?;
    let store = super::store(ctx)?;
    let request = CommitRequest {
        message: args.message,
        label: args.label,
        file: args.file.map(|f| ctx.path(&f)),
        author: args.author,
    };
    let rev = store.commit(&args.name, &request)?;
    let mut line = format!(
        "{} {} {}",
        rev.rev,
        rev.short().unwrap_or("-"),
        treaty::error::printable(rev.message.as_deref().unwrap_or_default())
    );
    if let Some(label) = &rev.label {
        line.push_str(&format!(" · tag {}/{label}", args.name));
    }
    line.push('\n');
    ctx.print(&line)?;
    Ok(super::exit::OK)
}
