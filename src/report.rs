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

/// What the reports need of one revision besides its info and, for the
/// revision reported on, its draft: small, so that it can be cached by blob
/// id and a long history need not be read again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub counts: Counts,
    /// The status of each point, in draft order.
    pub statuses: Vec<Status>,
    /// The draft's own `[draft] label` and `date`.
    pub label: Option<String>,
    pub date: Option<String>,
}

impl Facts {
    pub fn of(plan: &Plan) -> Facts {
        Facts {
            counts: plan.counts(),
            statuses: plan.points.iter().map(|p| p.status).collect(),
            label: plan.draft.label.clone(),
            date: plan.draft.date.clone(),
        }
    }
}

/// What the reports need of two consecutive revisions: their alignment,
/// which points of the later one were reworded, and the diff summary (what
/// `log` shows). Cached by the pair of blob ids.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub alignment: Alignment,
    /// For each point of the later revision: whether its text differs from
    /// what it came from (always true in a split or merge; false for an
    /// added point).
    pub reworded: Vec<bool>,
    pub summary: diff::Summary,
}

impl Step {
    /// Aligns `before` with `after` and classifies the result.
    pub fn between(before: &Plan, after: &Plan, options: &align::Options) -> Step {
        let alignment = align::align(before, after, options);
        let mut reworded = vec![false; after.points.len()];
        for group in &alignment.groups {
            let Some(&first) = group.from.first() else {
                continue;
            };
            for &t in &group.to {
                reworded[t] = group.kind != Kind::Matched
                    || !same_spacing(&before.points[first].text, &after.points[t].text);
            }
        }
        let summary = diff::summarize_aligned(before, after, &alignment);
        Step {
            alignment,
            reworded,
            summary,
        }
    }
}

/// [`Step::between`] for every consecutive pair of `plans`, spread over the
/// machine's cores (the pairs are independent). `progress` hears (done,
/// total) from time to time.
pub fn steps(
    plans: &[&Plan],
    options: &align::Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Vec<Step> {
    let pairs = plans.len().saturating_sub(1);
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, 4)
        .min(pairs.max(1));
    if threads <= 1 {
        return (1..plans.len())
            .map(|k| {
                let step = Step::between(plans[k - 1], plans[k], options);
                progress(k, pairs);
                step
            })
            .collect();
    }
    let chunk = pairs.div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (1..threads)
            .map(|w| {
                let range =
                    (1 + w * chunk).min(plans.len())..(1 + (w + 1) * chunk).min(plans.len());
                scope.spawn(move || {
                    range
                        .map(|k| Step::between(plans[k - 1], plans[k], options))
                        .collect::<Vec<Step>>()
                })
            })
            .collect();
        let mine = 1..(1 + chunk).min(plans.len());
        let mut out: Vec<Step> = Vec::with_capacity(pairs);
        for k in mine {
            out.push(Step::between(plans[k - 1], plans[k], options));
            progress((k * threads).min(pairs), pairs);
        }
        for w in workers {
            // A worker panics only on a bug; its pairs are then aligned
            // here, so that a report is never lost.
            match w.join() {
                Ok(steps) => out.extend(steps),
                Err(_) => {
                    let done = out.len();
                    out.extend(
                        (done + 1..plans.len())
                            .take(chunk)
                            .map(|k| Step::between(plans[k - 1], plans[k], options)),
                    );
                }
            }
        }
        progress(pairs, pairs);
        out
    })
}

impl Lineage {
    /// Aligns each revision with its predecessor once and carries the facts
    /// forward. `progress` is called with (done, total).
    pub fn trace(
        history: &[Revision],
        options: &align::Options,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Lineage {
        let plans: Vec<&Plan> = history.iter().map(|r| &r.plan).collect();
        let facts: Vec<Facts> = plans.iter().map(|p| Facts::of(p)).collect();
        Lineage::follow(&facts, steps(&plans, options, progress))
    }

    /// Carries the facts forward from each revision's [`Facts`] and each
    /// consecutive pair's [`Step`] (`steps[k - 1]` leads to revision `k`):
    /// what [`Lineage::trace`] does once the drafts are aligned, and all that
    /// a cached history needs.
    pub fn follow(facts: &[Facts], steps: Vec<Step>) -> Lineage {
        let mut lineage = Lineage::default();
        let mut steps = steps.into_iter();
        for (k, rev) in facts.iter().enumerate() {
            let step = if k == 0 { None } else { steps.next() };
            let mut traces: Vec<Option<Trace>> = vec![None; rev.statuses.len()];
            match &step {
                None => {
                    for (j, &status) in rev.statuses.iter().enumerate() {
                        traces[j] = Some(Trace::fresh(k, status, Kind::Added));
                    }
                }
                Some(step) => {
                    let prev_status = &facts[k - 1].statuses;
                    let prev = &lineage.traces[k - 1];
                    for group in &step.alignment.groups {
                        for &t in &group.to {
                            let Some(&status) = rev.statuses.get(t) else {
                                continue;
                            };
                            if group.from.is_empty() {
                                traces[t] = Some(Trace::fresh(k, status, Kind::Added));
                                continue;
                            }
                            let reworded = step.reworded.get(t).copied().unwrap_or(true);
                            let agreed_before = group.from.iter().any(|&f| {
                                prev.get(f).is_some_and(|p: &Trace| p.agreed_before)
                                    || prev_status.get(f) == Some(&Status::Agreed)
                            });
                            let since = if status == Status::Agreed {
                                None
                            } else {
                                group
                                    .from
                                    .iter()
                                    .filter_map(|&f| prev.get(f).and_then(|p| p.since))
                                    .min()
                                    .or(Some(k))
                            };
                            let last_changed = if reworded {
                                k
                            } else {
                                group
                                    .from
                                    .iter()
                                    .filter_map(|&f| prev.get(f).map(|p| p.last_changed))
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
            }
            // The alignment puts every point in a group; should a future change
            // break that, a point still gets facts of its own, never a panic.
            let traces = traces
                .into_iter()
                .enumerate()
                .map(|(j, t)| t.unwrap_or_else(|| Trace::fresh(k, rev.statuses[j], Kind::Added)))
                .collect();
            lineage.traces.push(traces);
            lineage
                .alignments
                .push(step.map(|s| s.alignment).unwrap_or_default());
        }
        lineage
    }
}

impl Trace {
    fn fresh(k: usize, status: Status, kind: Kind) -> Trace {
        Trace {
            kind,
            from: Vec::new(),
            reworded: false,
            since: (status != Status::Agreed).then_some(k),
            last_changed: k,
            agreed_before: false,
        }
    }
}

/// Whether two texts are the same up to white space (case counts).
fn same_spacing(a: &str, b: &str) -> bool {
    a == b || a.split_whitespace().eq(b.split_whitespace())
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
    let infos: Vec<RevInfo> = history.iter().map(|r| r.info.clone()).collect();
    let counts: Vec<Counts> = history[..=at].iter().map(|r| r.plan.counts()).collect();
    disputes_of(plan, &infos, &counts, lineage, at, &history[at].plan)
}

/// [`disputes`] from what a cached history holds: every revision's info,
/// the counts of revisions up to `at`, the lineage, and the draft of `at`.
pub fn disputes_of(
    plan: &str,
    infos: &[RevInfo],
    counts: &[Counts],
    lineage: &Lineage,
    at: usize,
    draft: &Plan,
) -> DisputeReport {
    let traces = &lineage.traces[at];
    let points = draft
        .points
        .iter()
        .zip(traces)
        .filter(|(p, _)| p.status != Status::Agreed)
        .map(|(p, t)| {
            let since = t.since.unwrap_or(at);
            let history = infos;
            Dispute {
                number: p.number.clone(),
                id: p.id.clone(),
                title: p.title.clone(),
                text: p.text.clone(),
                status: p.status,
                positions: p.positions.clone(),
                brackets: p.brackets(),
                disputed_since: history[since].clone(),
                revisions: at - since + 1,
                last_changed: history[t.last_changed].clone(),
                reopened: t.agreed_before,
            }
        })
        .collect();
    DisputeReport {
        plan: plan.to_string(),
        rev: infos[at].clone(),
        summary: draft.counts(),
        parties: draft.parties.clone(),
        points,
        convergence: infos[..=at]
            .iter()
            .cloned()
            .zip(counts.iter().copied())
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
            .is_some_and(|old| !same_spacing(old, &text));
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
