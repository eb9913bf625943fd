//! `treaty position` and `treaty status`: record where parties stand, in the
//! working draft, without hand-editing TOML.

use treaty::edit::{self, Edited};
use treaty::plan::{Position, Status};
use treaty::{Error, Result};

use super::Context;

/// Record a party's position on a point in the working draft.
///
/// The draft file is edited in place (comments and layout kept), validated,
/// and written atomically. The point's status follows the positions: disputed
/// if any party rejects, agreed when every party accepts, else open.
///
/// Examples:
///   treaty position ukraine 14 Russia reject --note "demands all of Donbas"
///   treaty position ukraine territory Ukraine accept
///   treaty position plans/ukraine-2025/04-framework-20.toml 12 US accept
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct PositionArgs {
    /// The plan's name (its working draft), or a draft file.
    #[arg(value_name = "NAME|FILE")]
    target: String,
    /// The point's number or id.
    point: String,
    /// The party, as listed in the plan's `parties`.
    party: String,
    /// accept, reject or reserve.
    #[arg(value_parser = parse_position)]
    position: Position,
    /// A note to add to the point's notes (prefixed with the party).
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
}

/// Set a point's status in the working draft (for plans without positions).
///
/// Refused for a point whose positions decide its status, and for `agreed`
/// while its text holds brackets.
///
/// Examples:
///   treaty status ukraine 12 disputed
///   treaty status ukraine znpp agreed
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct StatusArgs {
    /// The plan's name (its working draft), or a draft file.
    #[arg(value_name = "NAME|FILE")]
    target: String,
    /// The point's number or id.
    point: String,
    /// agreed, disputed or open.
    #[arg(value_parser = parse_status)]
    status: Status,
}

fn parse_position(s: &str) -> std::result::Result<Position, String> {
    s.parse()
}

fn parse_status(s: &str) -> std::result::Result<Status, String> {
    s.parse()
}

pub fn run_position(ctx: &Context, args: PositionArgs) -> Result<i32> {
    edit_draft(ctx, &args.target, |source, shown| {
        edit::set_position(
            source,
            shown,
            &args.point,
            &args.party,
            args.position,
            args.note.as_deref(),
        )
    })
    .map(|(shown, e)| {
        let mut msg = format!(
            "{shown}: point {}: {} {} · now {}",
            e.number, args.party, args.position, e.status
        );
        if let Some(old) = e.dropped_status {
            msg.push_str(&format!(
                " (its written status '{old}' was removed: the positions decide)"
            ));
        }
        eprintln!("{msg}");
        super::exit::OK
    })
}

pub fn run_status(ctx: &Context, args: StatusArgs) -> Result<i32> {
    edit_draft(ctx, &args.target, |source, shown| {
        edit::set_status(source, shown, &args.point, args.status)
    })
    .map(|(shown, e)| {
        eprintln!("{shown}: point {}: now {}", e.number, e.status);
        super::exit::OK
    })
}

/// Reads the draft, applies `change`, writes the result atomically.
fn edit_draft(
    ctx: &Context,
    target: &str,
    change: impl FnOnce(&str, &str) -> Result<Edited>,
) -> Result<(String, Edited)> {
    let (shown, path) = super::draft_path(ctx, target)?;
    let bytes = std::fs::read(&path).map_err(|source| Error::ReadFile {
        path: path.clone(),
        source,
    })?;
    let source = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            return Err(treaty::Plan::parse_bytes(e.as_bytes(), &shown)
                .err()
                .unwrap_or(Error::Internal {
                    message: "invalid UTF-8".into(),
                }))
        }
    };
    let edited = change(&source, &shown)?;
    if edited.text != source {
        edit::write_atomic(&path, &edited.text)?;
    }
    Ok((shown, edited))
}
