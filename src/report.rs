//! Reports across a whole history: which points are not agreed, since when, and
//! the life of one point.
//!
//! A history is a list of revisions, oldest first. [`Lineage::trace`] aligns
//! each revision with its predecessor exactly once, and carries facts forward
//! point by point (through renumbering, moves, splits and merges): since when a
//! point has been not agreed, when its text last changed, whether it was ever
//! agreed. Every report reads those facts, so the cost grows linearly with the
//! number of revisions.

use crate::align::{self, Alignment, Kind};
use crate::diff::{self, Segment};
use crate::plan::{Counts, Plan, Point, Position, Status};
use crate::revision::RevInfo;

/// One revision of a history: what it is and the draft it holds.
#[derive(Debug, Clone)]
pub struct Revision {
    pub info: RevInfo,
    pub plan: Plan,
}

/// What we know of one point of one revision, from the whole history before
/// it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    /// How the point came to be from the revision before.
    pub kind: Kind,
    /// Indices of the points of the previous revision it comes from.
    pub from: Vec<usize>,
    /// Whether its text differs from what it came from.
    pub reworded: bool,
    /// The first revision (index) of the unbroken run in which it has not been
    /// agreed; `None` while agreed.
    pub since: Option<usize>,
    /// The revision (index) in which its text last changed.
    pub last_changed: usize,
    /// Whether it (or what it came from) was agreed in an earlier revision.
    pub agreed_before: bool,
}

/// Facts for every point of every revision.
#[derive(Debug, Clone, Default)]
pub struct Lineage {
    /// `traces[k][j]`: point `j` of revision `k`.
    pub traces: Vec<Vec<Trace>>,
    /// `alignments[k]`: revision `k - 1` aligned with revision `k` (empty for
    /// the first).
    pub alignments: Vec<Alignment>,
}

impl Lineage {
    /// Aligns each revision with its predecessor once and carries the facts
    /// forward. `progress` is called after each revision with (done, total).
    pub fn trace(
        history: &[Revision],
        options: &align::Options,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Lineage {
        let mut lineage = Lineage::default();
        for (k, rev) in history.iter().enumerate() {
            let alignment = match k {
                0 => Alignment::default(),
                _ => align::align(&history[k - 1].plan, &rev.plan, options),
            };
            let mut traces: Vec<Option<Trace>> = vec![None; rev.plan.points.len()];
            if k == 0 {
                for (j, p) in rev.plan.points.iter().enumerate() {
                    traces[j] = Some(Trace::fresh(k, p, Kind::Added));
                }
            } else {
                let prev_plan = &history[k - 1].plan;
                let prev = &lineage.traces[k - 1];
                for group in &alignment.groups {
                    for &t in &group.to {
                        let point = &rev.plan.points[t];
                        if group.from.is_empty() {
                            traces[t] = Some(Trace::fresh(k, point, Kind::Added));
                            continue;
                        }
                        let before: Vec<&Point> =
                            group.from.iter().map(|&f| &prev_plan.points[f]).collect();
                        let reworded = group.kind != Kind::Matched
                            || fold(&before[0].text) != fold(&point.text);
                        let agreed_before = group.from.iter().any(|&f| {
                            prev[f].agreed_before || prev_plan.points[f].status == Status::Agreed
                        });
                        let since = if point.status == Status::Agreed {
                            None
                        } else {
                            group
                                .from
                                .iter()
                                .filter_map(|&f| prev[f].since)
                                .min()
                                .or(Some(k))
                        };
                        let last_changed = if reworded {
                            k
                        } else {
                            group
                                .from
                                .iter()
                                .map(|&f| prev[f].last_changed)
                                .max()
                                .unwrap_or(k)
                        };
                        traces[t] = Some(Trace {
                            kind: group.kind,
                            from: group.from.clone(),
                            reworded,
                            since,
                            last_changed,
                            agreed_before,
                        });
                    }
                }
            }
            // The alignment puts every point in a group; should a future change
            // break that, a point still gets facts of its own, never a panic.
            let traces = traces
                .into_iter()
                .enumerate()
                .map(|(j, t)| {
                    t.unwrap_or_else(|| Trace::fresh(k, &rev.plan.points[j], Kind::Added))
                })
                .collect();
            lineage.traces.push(traces);
            lineage.alignments.push(alignment);
            progress(k + 1, history.len());
        }
        lineage
    }
}

impl Trace {
    fn fresh(k: usize, point: &Point, kind: Kind) -> Trace {
        Trace {
            kind,
            from: Vec::new(),
            reworded: false,
            since: (point.status != Status::Agreed).then_some(k),
            last_changed: k,
            agreed_before: false,
        }
    }
}

fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One point that is not agreed.
#[derive(Debug, Clone, PartialEq)]
pub struct Dispute {
    pub number: String,
    pub id: Option<String>,
    pub title: Option<String>,
    /// The point's text in this revision.
    pub text: String,
    pub status: Status,
    pub positions: Vec<(String, Position)>,
    pub brackets: usize,
    /// The revision that opened the unbroken run of not being agreed.
    pub disputed_since: RevInfo,
    /// How many revisions that run spans (this one included).
    pub revisions: usize,
    /// The revision in which its text last changed.
    pub last_changed: RevInfo,
    /// Agreed in an earlier revision, not agreed now.
    pub reopened: bool,
}

/// `treaty disputes`: every point of one revision that is not agreed.
#[derive(Debug, Clone, PartialEq)]
pub struct DisputeReport {
    pub plan: String,
    pub rev: RevInfo,
    pub summary: Counts,
    pub parties: Vec<String>,
    /// Every point not agreed, in draft order.
    pub points: Vec<Dispute>,
    /// Convergence per revision up to this one, oldest first.
    pub convergence: Vec<(RevInfo, Counts)>,
}

/// The disputes of revision `at` (usually the last) of `history`.
pub fn disputes(plan: &str, history: &[Revision], lineage: &Lineage, at: usize) -> DisputeReport {
    let rev = &history[at];
    let traces = &lineage.traces[at];
    let points = rev
        .plan
        .points
        .iter()
        .zip(traces)
        .filter(|(p, _)| p.status != Status::Agreed)
        .map(|(p, t)| {
            let since = t.since.unwrap_or(at);
            Dispute {
                number: p.number.clone(),
                id: p.id.clone(),
                title: p.title.clone(),
                text: p.text.clone(),
                status: p.status,
                positions: p.positions.clone(),
                brackets: p.brackets(),
                disputed_since: history[since].info.clone(),
                revisions: at - since + 1,
                last_changed: history[t.last_changed].info.clone(),
                reopened: t.agreed_before,
            }
        })
        .collect();
    DisputeReport {
        plan: plan.to_string(),
        rev: rev.info.clone(),
        summary: rev.plan.counts(),
        parties: rev.plan.parties.clone(),
        points,
        convergence: history[..=at]
            .iter()
            .map(|r| (r.info.clone(), r.plan.counts()))
            .collect(),
    }
}

/// One revision in the life of a point.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub rev: RevInfo,
    /// The numbers the point has (several after a split).
    pub numbers: Vec<String>,
    pub ids: Vec<Option<String>>,
    pub titles: Vec<Option<String>>,
    /// How it came to be from the revision before (`added` in the first one it
    /// appears in).
    pub kind: Kind,
    pub reworded: bool,
    /// Its text in this revision (several points joined by a blank line).
    pub text: String,
    /// Word diff against its text in the revision before.
    pub diff: Vec<Segment>,
    pub status: Status,
    pub positions: Vec<(String, Position)>,
}

/// `treaty history`: the life of one point.
#[derive(Debug, Clone, PartialEq)]
pub struct PointHistory {
    pub plan: String,
    /// The point as asked.
    pub point: String,
    /// Oldest first, one entry per revision in which the point (or what it
    /// came from) exists.
    pub entries: Vec<HistoryEntry>,
}

/// Finds the revision and index of a point by number or id: the newest
/// revision that has it.
pub fn find_point(history: &[Revision], number_or_id: &str) -> Option<(usize, usize)> {
    history
        .iter()
        .enumerate()
        .rev()
        .find_map(|(k, r)| r.plan.find_point(number_or_id).map(|j| (k, j)))
}

/// The life of point `j` of revision `k`: what it came from back to its first
/// appearance, and what became of it after.
pub fn history(
    plan: &str,
    asked: &str,
    history: &[Revision],
    lineage: &Lineage,
    k: usize,
    j: usize,
) -> PointHistory {
    let n = history.len();
    let mut sets: Vec<Vec<usize>> = vec![Vec::new(); n];
    sets[k] = vec![j];
    // Backwards through what each point came from.
    for r in (1..=k).rev() {
        let mut prev: Vec<usize> = sets[r]
            .iter()
            .flat_map(|&t| lineage.traces[r][t].from.iter().copied())
            .collect();
        prev.sort_unstable();
        prev.dedup();
        sets[r - 1] = prev;
    }
    // Forwards through what became of it.
    for r in k + 1..n {
        let mut next: Vec<usize> = lineage.alignments[r]
            .groups
            .iter()
            .filter(|g| g.from.iter().any(|f| sets[r - 1].contains(f)))
            .flat_map(|g| g.to.iter().copied())
            .collect();
        next.sort_unstable();
        next.dedup();
        sets[r] = next;
    }
    let mut entries = Vec::new();
    let mut previous_text: Option<String> = None;
    for (r, set) in sets.iter().enumerate() {
        if set.is_empty() {
            previous_text = None;
            continue;
        }
        let points: Vec<&Point> = set.iter().map(|&i| &history[r].plan.points[i]).collect();
        let text = points
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n\n");
        let traces: Vec<&Trace> = set.iter().map(|&i| &lineage.traces[r][i]).collect();
        let kind = match &previous_text {
            None => Kind::Added,
            Some(_) => traces
                .iter()
                .map(|t| t.kind)
                .find(|k| *k != Kind::Matched)
                .unwrap_or(Kind::Matched),
        };
        let diff = match &previous_text {
            Some(old) => diff::word_diff(old, &text, None),
            None => vec![Segment {
                op: diff::Op::Insert,
                text: text.clone(),
            }],
        };
        let reworded = previous_text
            .as_ref()
            .is_some_and(|old| fold(old) != fold(&text));
        entries.push(HistoryEntry {
            rev: history[r].info.clone(),
            numbers: points.iter().map(|p| p.number.clone()).collect(),
            ids: points.iter().map(|p| p.id.clone()).collect(),
            titles: points.iter().map(|p| p.title.clone()).collect(),
            kind,
            reworded,
            diff,
            status: combined_status(&points),
            positions: combined_positions(&points),
            text: text.clone(),
        });
        previous_text = Some(text);
    }
    PointHistory {
        plan: plan.to_string(),
        point: asked.to_string(),
        entries,
    }
}

/// The status of several points seen as one: disputed if any is, else open if
/// any is, else agreed.
fn combined_status(points: &[&Point]) -> Status {
    if points.iter().any(|p| p.status == Status::Disputed) {
        Status::Disputed
    } else if points.iter().any(|p| p.status == Status::Open) {
        Status::Open
    } else {
        Status::Agreed
    }
}

/// Positions of several points seen as one: a party's firmest objection wins.
fn combined_positions(points: &[&Point]) -> Vec<(String, Position)> {
    let rank = |p: Position| match p {
        Position::Reject => 2,
        Position::Reserve => 1,
        Position::Accept => 0,
    };
    let mut out: Vec<(String, Position)> = Vec::new();
    for p in points {
        for (party, pos) in &p.positions {
            match out.iter_mut().find(|(q, _)| q == party) {
                Some((_, have)) if rank(*pos) > rank(*have) => *have = *pos,
                Some(_) => {}
                None => out.push((party.clone(), *pos)),
            }
        }
    }
    out
}

/// Convergence figures of each revision and the change from the one before.
pub fn convergence(history: &[Revision]) -> Vec<Counts> {
    history.iter().map(|r| r.plan.counts()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rev(name: &str, points: &[(&str, &str, Status)]) -> Revision {
        Revision {
            info: RevInfo::file(name),
            plan: Plan {
                points: points
                    .iter()
                    .map(|(n, t, s)| {
                        let mut p = Point::new(*n, *t);
                        p.status = *s;
                        p.explicit_status = Some(*s);
                        p
                    })
                    .collect(),
                ..Plan::default()
            },
        }
    }

    const A: Status = Status::Agreed;
    const D: Status = Status::Disputed;
    const O: Status = Status::Open;

    fn lineage(h: &[Revision]) -> Lineage {
        Lineage::trace(h, &align::Options::default(), &mut |_, _| {})
    }

    #[test]
    fn disputed_since_follows_renumbering() {
        let h = vec![
            rev(
                "r1",
                &[
                    ("1", "Sovereignty of Ukraine is confirmed.", A),
                    ("2", "The Zaporizhzhia plant is run by the IAEA.", D),
                ],
            ),
            rev(
                "r2",
                &[
                    ("1", "Amnesty for everyone involved.", O),
                    ("2", "Sovereignty of Ukraine is confirmed.", A),
                    ("3", "The Zaporizhzhia plant is run by the IAEA.", D),
                ],
            ),
            rev(
                "r3",
                &[
                    ("1", "Sovereignty of Ukraine is confirmed.", A),
                    (
                        "2",
                        "The Zaporizhzhia plant is run by the IAEA and the US.",
                        D,
                    ),
                ],
            ),
        ];
        let l = lineage(&h);
        let r = disputes("p", &h, &l, 2);
        assert_eq!(r.points.len(), 1);
        let d = &r.points[0];
        assert_eq!(d.number, "2");
        assert_eq!(d.disputed_since.rev, "r1");
        assert_eq!(d.revisions, 3);
        assert_eq!(d.last_changed.rev, "r3");
        assert!(!d.reopened);
    }

    #[test]
    fn agreement_breaks_the_run_and_reopens() {
        let h = vec![
            rev("r1", &[("1", "Elections are held within 100 days.", D)]),
            rev("r2", &[("1", "Elections are held within 100 days.", A)]),
            rev("r3", &[("1", "Elections are held within 100 days.", O)]),
        ];
        let l = lineage(&h);
        let d = &disputes("p", &h, &l, 2).points[0];
        assert_eq!(d.disputed_since.rev, "r3");
        assert_eq!(d.revisions, 1);
        assert_eq!(d.last_changed.rev, "r1");
        assert!(d.reopened);
    }

    #[test]
    fn history_follows_a_split() {
        let h = vec![
            rev("r1", &[("12", "A reconstruction package with a development fund and a gas pipeline partnership and special World Bank financing for cities.", O)]),
            rev("r2", &[
                ("8", "A reconstruction package with a development fund and a gas pipeline partnership.", A),
                ("9", "Special World Bank financing for cities.", D),
            ]),
        ];
        let l = lineage(&h);
        let (k, j) = find_point(&h, "9").unwrap();
        let life = history("p", "9", &h, &l, k, j);
        assert_eq!(life.entries.len(), 2);
        assert_eq!(life.entries[0].numbers, ["12"]);
        assert_eq!(life.entries[0].kind, Kind::Added);
        assert_eq!(life.entries[1].kind, Kind::Split);
        let d = &disputes("p", &h, &l, 1).points[0];
        assert_eq!(d.number, "9");
        assert_eq!(d.disputed_since.rev, "r1");
    }
}
