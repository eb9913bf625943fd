//! The commands git runs for plans once `treaty git-setup` (or `treaty init`)
//! registered them: `git-diff-driver`, the external diff `git diff` calls, and
//! `git-textconv`, the line view that `git show` and `git log -p` diff. Both
//! are hidden from `--help`: people run `git`, git runs these.
//!
//! Neither may fail on a bad draft: git stops its whole output when a driver
//! fails, so a file that is not a valid draft (a conflict, a typo in history)
//! is shown as plain lines with a note instead.

use std::ffi::OsString;
use std::path::Path;

use treaty::plan::Plan;
use treaty::render::{lines, Painter};
use treaty::{Error, Result};

use super::Context;

/// git's external diff for plans: prints treaty's point-level diff of two
/// versions of a draft. Run by git (`diff.treaty.command`) with seven
/// arguments: path old-file old-hex old-mode new-file new-hex new-mode (nine
/// for a rename, one for an unmerged path).
#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    #[arg(num_args = 0.., allow_hyphen_values = true, value_name = "GIT ARGS")]
    args: Vec<OsString>,
}

/// git's textconv for plans: prints a draft as one block per point (keyed by
/// its id and title, its number on a line of its own, one sentence per line),
/// so that git's line diff shows point-level changes.
#[derive(clap::Args, Debug)]
pub struct TextconvArgs {
    /// The draft file git hands over.
    #[arg(value_name = "FILE")]
    file: OsString,
}

/// The empty side of an added or deleted file.
const NULL: &str = "/dev/null";

pub fn run_diff(ctx: &Context, args: DiffArgs) -> Result<i32> {
    let a: Vec<String> = args
        .args
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    let out = match a.len() {
        1 => format!("* Unmerged path {}\n", a[0]),
        7 | 9 => {
            let (path, old, old_hex, new, new_hex) = (&a[0], &a[1], &a[2], &a[4], &a[5]);
            let new_path = if a.len() == 9 { &a[7] } else { path };
            let mut out = format!("diff --treaty a/{path} b/{new_path}\n");
            if a.len() == 9 && !a[8].is_empty() {
                out.push_str(&a[8]);
                if !a[8].ends_with('\n') {
                    out.push('\n');
                }
            }
            out.push_str(&format!("index {}..{}\n", short(old_hex), short(new_hex)));
            let painter = Painter::new(git_color(ctx));
            out.push_str(&compare(
                (&format!("a/{path}"), Path::new(old)),
                (&format!("b/{new_path}"), Path::new(new)),
                &painter,
            ));
            out
        }
        n => {
            return Err(Error::refused(
                format!("git-diff-driver got {n} arguments"),
                "git runs it with 7 (path old-file old-hex old-mode new-file new-hex new-mode); to compare drafts yourself, use `treaty diff`",
            ))
        }
    };
    ctx.write(&out)?;
    Ok(super::exit::OK)
}

pub fn run_textconv(ctx: &Context, args: TextconvArgs) -> Result<i32> {
    let path = Path::new(&args.file);
    let bytes = read(path)?;
    let out = match Plan::parse_bytes(&bytes, &path.display().to_string()) {
        Ok(plan) => lines::draft(&plan),
        Err(_) => {
            // Shown as it is: git then diffs the raw lines.
            let mut out = String::from("# not a valid treaty draft; shown as it is\n");
            out.push_str(&String::from_utf8_lossy(&bytes));
            out
        }
    };
    ctx.write(&out)?;
    Ok(super::exit::OK)
}

/// Colour as git would: with `--color always`, or when git paged its output
/// (`GIT_PAGER_IN_USE`) or stdout is a terminal, unless `NO_COLOR` is set.
fn git_color(ctx: &Context) -> bool {
    match ctx.color_when {
        super::ColorWhen::Always => true,
        super::ColorWhen::Never => false,
        super::ColorWhen::Auto => {
            ctx.color
                || (std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var("GIT_PAGER_IN_USE").is_ok_and(|v| v == "true" || v == "1"))
        }
    }
}

fn short(hex: &str) -> &str {
    hex.get(..7).unwrap_or(hex)
}

fn read(path: &Path) -> Result<Vec<u8>> {
    if path == Path::new(NULL) {
        return Ok(Vec::new());
    }
    std::fs::read(path).map_err(|source| Error::ReadFile {
        path: path.to_path_buf(),
        source,
    })
}

/// The point-level diff of two files, or a line diff with a note when either
/// is not a valid draft.
fn compare(old: (&str, &Path), new: (&str, &Path), painter: &Painter) -> String {
    let (old_bytes, new_bytes) = match (read(old.1), read(new.1)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return format!("treaty: {e}\n"),
    };
    let parse = |name: &str, path: &Path, bytes: &[u8]| {
        if path == Path::new(NULL) {
            Ok(Plan::default())
        } else {
            Plan::parse_bytes(bytes, name)
        }
    };
    match (
        parse(old.0, old.1, &old_bytes),
        parse(new.0, new.1, &new_bytes),
    ) {
        (Ok(from), Ok(to)) => {
            let d = treaty::diff::diff(&from, &to, &Default::default());
            let info = |name: &str, plan: &Plan| treaty::revision::RevInfo {
                label: plan.draft.label.clone(),
                ..treaty::revision::RevInfo::file(name)
            };
            treaty::render::text::diff(&d, &info(old.0, &from), &info(new.0, &to), false, painter)
        }
        (Err(e), _) | (_, Err(e)) => {
            let first = e.to_string();
            let first = first.lines().next().unwrap_or_default();
            let mut out = format!("treaty: {first}; showing a line diff\n");
            let a = String::from_utf8_lossy(&old_bytes);
            let b = String::from_utf8_lossy(&new_bytes);
            let diff = similar::TextDiff::from_lines(a.as_ref(), b.as_ref());
            out.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(old.0, new.0)
                    .to_string(),
            );
            treaty::error::printable(&out)
        }
    }
}
