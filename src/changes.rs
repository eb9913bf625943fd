//! What `commit` and `log` need from the diff engine:
//!
//! - [`summarize`] counts what changed between two drafts (the generated
//!   commit message, the change counts of `log`).
//! - [`pin_ids`] is the commit pipeline's transform step: identity pinning
//!   rewrites the draft before it is recorded.
//!
//! [`log_entries`] and [`log_rows`] turn a plan's revisions into the rows
//! `treaty log` prints.

use crate::error::Result;
use crate::plan::{Counts, Plan};
use crate::report::Facts;
use crate::revision::RevInfo;

/// How one draft differs from the previous one: the diff engine's summary.
pub type ChangeSummary = crate::diff::Summary;

/// How `new` differs from `old`, as the diff engine sees it (points followed
/// through renumbering, moves, splits and merges).
pub fn summarize(old: &Plan, new: &Plan) -> ChangeSummary {
    let alignment = crate::align::align(old, new, &crate::align::Options::default());
    crate::diff::summarize_aligned(old, new, &alignment)
}

/// The commit pipeline's transform step, identity pinning: every point
/// without an `id` gets the id of the point of `previous` it is aligned to one
/// to one, or a fresh id, written into the draft's own text (comments and
/// layout kept). Returns the bytes unchanged when every point has an id.
pub fn pin_ids(
    previous: Option<&Plan>,
    draft: &Plan,
    bytes: Vec<u8>,
    file: &str,
) -> Result<Vec<u8>> {
    let empty = Plan::default();
    let ids: Vec<(usize, String)> = crate::align::pin_ids(previous.unwrap_or(&empty), draft)
        .into_iter()
        .enumerate()
        .filter_map(|(i, id)| id.map(|id| (i, id)))
        .collect();
    if ids.is_empty() {
        return Ok(bytes);
    }
    let text = String::from_utf8(bytes).map_err(|_| crate::Error::Internal {
        message: format!("{file} passed validation but is not UTF-8"),
    })?;
    Ok(crate::edit::set_ids(&text, &ids, file)?.into_bytes())
}

/// One row of `treaty log`.
#[derive(Debug, Clone)]
pub struct LogEntry {
    /// The revision; its label falls back to the draft's `[draft] label`.
    pub info: RevInfo,
    /// The draft file, when revisions are files rather than commits.
    pub file: Option<String>,
    /// Counts of the draft, `None` if this revision's draft is invalid.
    pub counts: Option<Counts>,
    /// Changes against the previous revision; `None` for the first one (or
    /// when either side is invalid).
    pub changes: Option<ChangeSummary>,
    /// The previous revision's counts, for the convergence figures.
    pub previous: Option<Counts>,
}

/// Rows for `treaty log`, oldest first, from revisions and their drafts.
pub fn log_entries(revisions: Vec<(RevInfo, Result<Plan>)>) -> Vec<LogEntry> {
    let mut previous: Option<Plan> = None;
    let rows: Vec<(RevInfo, Option<Facts>, Option<ChangeSummary>)> = revisions
        .into_iter()
        .map(|(info, plan)| match plan {
            Ok(plan) => {
                let changes = previous.as_ref().map(|prev| summarize(prev, &plan));
                let facts = Facts::of(&plan);
                previous = Some(plan);
                (info, Some(facts), changes)
            }
            Err(_) => {
                previous = None;
                (info, None, None)
            }
        })
        .collect();
    log_rows(rows)
}

/// Rows for `treaty log`, oldest first, from each revision's facts (`None`
/// for an invalid draft) and its changes from the revision before (`None`
/// for the first, or when either draft is invalid).
pub fn log_rows(
    rows: impl IntoIterator<Item = (RevInfo, Option<Facts>, Option<ChangeSummary>)>,
) -> Vec<LogEntry> {
    let mut previous: Option<Counts> = None;
    rows.into_iter()
        .map(|(mut info, facts, changes)| match facts {
            Some(f) => {
                if info.label.is_none() {
                    info.label = f.label;
                }
                if info.date.is_none() {
                    info.date = f.date;
                }
                let entry = LogEntry {
                    info,
                    file: None,
                    counts: Some(f.counts),
                    changes,
                    previous: if changes.is_some() { previous } else { None },
                };
                previous = Some(f.counts);
                entry
            }
            None => {
                previous = None;
                LogEntry {
                    info,
                    file: None,
                    counts: None,
                    changes: None,
                    previous: None,
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(points: &[(&str, &str, &str)]) -> Plan {
        let mut src = String::from("[plan]\nparties = [\"A\", \"B\"]\n");
        for (number, text, status) in points {
            src.push_str(&format!(
                "[[points]]\nnumber = \"{number}\"\ntext = \"{text}\"\nstatus = \"{status}\"\n"
            ));
        }
        Plan::parse(&src, "t.toml").unwrap()
    }

    #[test]
    fn counts_changes_by_number() {
        let old = plan(&[
            (
                "1",
                "Elections are held within 100 days of signing.",
                "open",
            ),
            ("2", "The Zaporizhzhia plant is restarted.", "disputed"),
            ("3", "A full amnesty for wartime acts.", "open"),
        ]);
        let new = plan(&[
            (
                "1",
                "Elections are held  as soon as possible after signing.",
                "agreed",
            ),
            ("2", "The Zaporizhzhia plant is restarted.", "disputed"),
            (
                "4",
                "A free-trade agreement with the United States.",
                "open",
            ),
        ]);
        let s = summarize(&old, &new);
        assert_eq!((s.reworded, s.added, s.removed), (1, 1, 1));
        assert_eq!((s.newly_agreed, s.still_disputed, s.unchanged), (1, 1, 1));
        assert_eq!(
            s.describe(),
            "1 reworded, 1 added, 1 removed, 1 newly agreed"
        );
    }

    #[test]
    fn folds_white_space() {
        let old = plan(&[("1", "a b", "open")]);
        let new = plan(&[("1", "a   b ", "open")]);
        assert_eq!(summarize(&old, &new).describe(), "no point changed");
    }

    #[test]
    fn log_entries_compare_with_the_previous_valid_draft() {
        let revs = vec![
            (RevInfo::file("r1"), Ok(plan(&[("1", "a", "open")]))),
            (
                RevInfo::file("r2"),
                Ok(plan(&[("1", "a", "open"), ("2", "b", "open")])),
            ),
        ];
        let rows = log_entries(revs);
        assert!(rows[0].changes.is_none());
        assert_eq!(rows[1].changes.unwrap().added, 1);
        assert_eq!(rows[1].counts.unwrap().points, 2);
    }
}
