//! `treaty commit`: record a draft as a new revision.

use std::path::PathBuf;

use treaty::store::{check_plan_name, CommitRequest, Received};
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

    /// Copy this received draft into `plans/<NAME>.toml` first. A file that
    /// is not a TOML draft (plain text, markdown) is imported on the fly, as
    /// `treaty import` would, keeping the plan's title and parties.
    #[arg(long, value_name = "DRAFT")]
    file: Option<PathBuf>,

    /// The author, as "Name <mail>" (default: GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL,
    /// else git's user.name and user.email).
    #[arg(long, value_name = "NAME <MAIL>")]
    author: Option<String>,
}

/// Reads `--file`: a TOML draft as it is, or a published text imported on the
/// fly. An imported text takes the plan's title and parties from the plan's
/// current draft, since it is a new version of the same plan.
fn received(
    ctx: &Context,
    store: &treaty::store::Store,
    name: &str,
    file: &std::path::Path,
) -> Result<Received> {
    let mut received = Received::read(&ctx.path(file))?;
    received.name = file.display().to_string();
    let (toml, warnings) = treaty::import::draft_from_file(&received.bytes, &received.name)?;
    if toml.as_bytes() == received.bytes.as_slice() {
        return Ok(received);
    }
    for w in &warnings {
        eprintln!("warning: {}", w.render(&received.name));
    }
    let mut plan = treaty::Plan::parse(&toml, &received.name)?;
    if let Ok((_, current)) = store.resolve_current(name) {
        plan.title = current.title.or(plan.title);
        if plan.parties.is_empty() {
            plan.parties = current.parties;
        }
    }
    eprintln!("imported {}: {} points", received.name, plan.points.len());
    received.bytes = plan.to_toml().into_bytes();
    Ok(received)
}

pub fn run(ctx: &Context, args: Args) -> Result<i32> {
    check_plan_name(&args.name)?;
    let store = super::store(ctx)?;
    let request = CommitRequest {
        message: args.message,
        label: args.label,
        file: match &args.file {
            Some(f) => Some(received(ctx, &store, &args.name, f)?),
            None => None,
        },
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
