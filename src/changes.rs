//! Interim stand-ins for the diff engine, used by `commit` (its generated
//! message) and `log` (change counts per revision) until `align`/`diff` land:
//!
//! - [`summarize_by_number`] pairs points by `id`, then by number, and counts
//!   what changed. It is the ONE place to swap for the diff engine's summary.
//! - [`pin_ids`] is the commit pipeline's transform step, where identity
//!   pinning will rewrite the draft before it is recorded. It changes nothing
//!   for now.
//!
//! [`log_entries`] turns a plan's revisions into the rows `treaty log` prints.

use std::collections::HashSet;

use serde::Serialize;

use crate::error::Result;
use crate::plan::{Counts, Plan, Status};
use crate::revision::RevInfo;

/// How one draft differs from the previous one: the `summary` object of
/// `treaty.diff/1`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ChangeSummary {
    pub unchanged: usize,
    pub reworded: usize,
    pub renumbered: usize,
    pub moved: usize,
    pub added: usize,
    pub removed: usize,
    pub split: usize,
    pub merged: usize,
    pub newly_agreed: usize,
    pub newly_disputed: usize,
    pub still_disputed: usize,
}

impl ChangeSummary {
    /// `3 reworded, 1 added, 2 newly agreed`; `no point changed` when nothing
    /// did.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            (self.reworded, "reworded"),
            (self.renumbered, "renumbered"),
            (self.moved, "moved"),
            (self.added, "added"),
            (self.removed, "removed"),
            (self.split, "split"),
            (self.merged, "merged"),
            (self.newly_agreed, "newly agreed"),
            (self.newly_disputed, "newly disputed"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        if parts.is_empty() {
            "no point changed".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// Compares two drafts point by point: pairs by `id` where both sides have
/// one, then by number. Text is compared with white space folded. Splits,
/// merges and moves are left to the diff engine (always 0 here).
pub fn summarize_by_number(old: &Plan, new: &Plan) -> ChangeSummary {
    let mut summary = ChangeSummary::default();
    let mut used_old: HashSet<usize> = HashSet::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut unpaired_new = Vec::new();
    for (j, p) in new.points.iter().enumerate() {
        let by_id =
            p.id.as_deref()
                .and_then(|id| old.points.iter().position(|o| o.id.as_deref() == Some(id)));
        match by_id {
            Some(i) if used_old.insert(i) => pairs.push((i, j)),
            _ => unpaired_new.push(j),
        }
    }
    for j in unpaired_new {
        let number = &new.points[j].number;
        match old
            .points
            .iter()
            .enumerate()
            .position(|(i, o)| &o.number == number && !used_old.contains(&i))
        {
            Some(i) => {
                used_old.insert(i);
                pairs.push((i, j));
            }
            None => summary.added += 1,
        }
    }
    summary.removed = old.points.len() - used_old.len();
    for (i, j) in pairs {
        let (o, n) = (&old.points[i], &new.points[j]);
        let reworded = fold(&o.text) != fold(&n.text);
        let renumbered = o.number != n.number;
        if reworded {
            summary.reworded += 1;
        }
        if renumbered {
            summary.renumbered += 1;
        }
        if !reworded && !renumbered && o.status == n.status && o.positions == n.positions {
            summary.unchanged += 1;
        }
        match (o.status, n.status) {
            (Status::Disputed, Status::Disputed) => summary.still_disputed += 1,
            (from, Status::Disputed) if from != Status::Disputed => summary.newly_disputed += 1,
            (from, Status::Agreed) if from != Status::Agreed => summary.newly_agreed += 1,
            _ => {}
        }
    }
    summary
}

fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The commit pipeline's transform step: where identity pinning will give
/// every point without an `id` the id of the point of `previous` it is aligned
/// to (or a fresh one), rewriting the draft's bytes in place. For now it
/// returns the draft unchanged.
pub fn pin_ids(_previous: Option<&Plan>, _draft: &Plan, bytes: Vec<u8>) -> Result<Vec<u8>> {
    Ok(bytes)
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
    let mut out = Vec::with_capacity(revisions.len());
    let mut previous: Option<Plan> = None;
    for (mut info, plan) in revisions {
        let entry = match plan {
            Ok(plan) => {
                if info.label.is_none() {
                    info.label.clone_from(&plan.draft.label);
                }
                if info.date.is_none() {
                    info.date.clone_from(&plan.draft.date);
                }
                let changes = previous
                    .as_ref()
                    .map(|prev| summarize_by_number(prev, &plan));
                let counts = Some(plan.counts());
                let before = previous.as_ref().map(Plan::counts);
                previous = Some(plan);
                LogEntry {
                    info,
                    file: None,
                    counts,
                    changes,
                    previous: before,
                }
            }
            Err(_) => {
                previous = None;
                LogEntry {
                    info,
                    file: None,
                    counts: None,
                    changes: None,
                    previous: None,
                }
            }
        };
        out.push(entry);
    }
    out
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
            ("1", "a", "open"),
            ("2", "b", "disputed"),
            ("3", "c", "open"),
        ]);
        let new = plan(&[
            ("1", "a  changed", "agreed"),
            ("2", "b", "disputed"),
            ("4", "d", "open"),
        ]);
        let s = summarize_by_number(&old, &new);
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
        assert_eq!(
            summarize_by_number(&old, &new).describe(),
            "no point changed"
        );
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
