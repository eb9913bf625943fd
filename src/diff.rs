//! Diffs: what changed between two drafts, group by group.
//!
//! [`diff`] aligns the points ([`crate::align`]) and classifies every group:
//! its kind, whether it was renumbered, moved (off the longest in-order chain
//! of matched groups) or reworded, a word-level diff of its text, the
//! `substantive` kinds of change the rewording holds, and status and
//! per-party position transitions. One [`PlanDiff`] feeds every renderer.
//!
//! ```
//! use treaty::diff::{diff, Op};
//! use treaty::plan::{Plan, Point};
//! let from = Plan { points: vec![Point::new("3", "NATO will not expand.")], ..Plan::default() };
//! let to = Plan { points: vec![Point::new("2", "NATO will never expand.")], ..Plan::default() };
//! let d = diff(&from, &to, &Default::default());
//! let change = &d.changes[0];
//! assert!(change.renumbered && change.reworded);
//! assert_eq!(change.text[1].op, Op::Delete);
//! assert_eq!(change.text[1].text, "not ");
//! assert_eq!(d.summary.reworded, 1);
//! ```

use std::time::{Duration, Instant};

use crate::align::{self, Alignment, Kind, Method};
use crate::plan::{Plan, Point, Position, Status};
use crate::words;

/// The longest one word diff may take before it settles for an approximate
/// (still correct, less minimal) result.
pub const WORD_DIFF_TIMEOUT: Duration = Duration::from_millis(50);

/// The longest all word diffs of one [`PlanDiff`] may take together; past it,
/// texts are compared by common prefix and suffix only.
pub const WORD_DIFF_BUDGET: Duration = Duration::from_millis(500);

/// Which point, as a reader would name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointRef {
    /// Index into the draft's points.
    pub index: usize,
    pub number: String,
    pub id: Option<String>,
    pub title: Option<String>,
}

impl PointRef {
    fn new(index: usize, p: &Point) -> Self {
        PointRef {
            index,
            number: p.number.clone(),
            id: p.id.clone(),
            title: p.title.clone(),
        }
    }
}

/// What a piece of a word diff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Equal,
    Delete,
    Insert,
}

impl Op {
    /// `equal`, `delete`, `insert`.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Equal => "equal",
            Op::Delete => "delete",
            Op::Insert => "insert",
        }
    }
}

/// A run of text with one op. Equal and inserted runs joined give the new
/// text; equal and deleted runs give the old one (up to white space).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub op: Op,
    pub text: String,
}

/// Kinds of change that alter what a text commits to, as opposed to
/// rewording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Substantive {
    /// A figure or quantity changed.
    Number,
    /// shall / should / may / must / will.
    Modal,
    /// not / no / never ….
    Negation,
    /// A date, month or year changed.
    Date,
    /// A party's name was added or removed.
    Party,
    /// Brackets were opened or closed.
    Brackets,
}

impl Substantive {
    /// The word used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Substantive::Number => "number",
            Substantive::Modal => "modal",
            Substantive::Negation => "negation",
            Substantive::Date => "date",
            Substantive::Party => "party",
            Substantive::Brackets => "brackets",
        }
    }
}

/// A status that changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    pub from: Status,
    pub to: Status,
}

/// A party whose position changed (`None`: no position recorded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionChange {
    pub party: String,
    pub from: Option<Position>,
    pub to: Option<Position>,
}

/// One group of the alignment, classified.
#[derive(Debug, Clone, PartialEq)]
pub struct PointChange {
    pub kind: Kind,
    pub from: Vec<PointRef>,
    pub to: Vec<PointRef>,
    /// Weighted word similarity of the two sides; `None` when one is empty.
    pub similarity: Option<f64>,
    /// The number is not the same.
    pub renumbered: bool,
    /// Not on the longest in-order chain of paired groups.
    pub moved: bool,
    /// The text differs (beyond white space).
    pub reworded: bool,
    /// The title differs.
    pub retitled: bool,
    /// What kinds of substantive change the rewording holds.
    pub substantive: Vec<Substantive>,
    /// Agreed in FROM, and reworded or no longer agreed in TO.
    pub reopened: bool,
    /// Word diff of the text (several points joined by a line break). For an
    /// unchanged text, one equal segment; added: insert; removed: delete.
    pub text: Vec<Segment>,
    /// The status before and after, if it changed.
    pub status: Option<StatusChange>,
    /// Disputed before and after.
    pub still_disputed: bool,
    /// Positions that changed, in party order.
    pub positions: Vec<PositionChange>,
    /// Which alignment step formed the group.
    pub method: Method,
    /// The status of each side (disputed if any point of it is, else open
    /// if any is, else agreed); `None` for an empty side.
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
}

impl PointChange {
    /// Whether anything at all changed in this group.
    pub fn is_changed(&self) -> bool {
        self.kind != Kind::Matched
            || self.renumbered
            || self.moved
            || self.reworded
            || self.retitled
            || self.status.is_some()
            || !self.positions.is_empty()
    }
}

/// Counts over the groups (a group may count under several flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub unchanged: usize,
    pub reworded: usize,
    pub renumbered: usize,
    pub moved: usize,
    pub added: usize,
    pub removed: usize,
    pub split: usize,
    pub merged: usize,
    /// Groups agreed in TO that were not agreed in FROM.
    pub newly_agreed: usize,
    /// Groups disputed in TO that were not disputed in FROM.
    pub newly_disputed: usize,
    /// Groups disputed on both sides.
    pub still_disputed: usize,
}

impl Summary {
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

    /// Whether anything changed.
    /// Adds the counts of `other` (the summary of other groups) to these.
    pub fn add(&mut self, other: &Summary) {
        self.unchanged += other.unchanged;
        self.reworded += other.reworded;
        self.renumbered += other.renumbered;
        self.moved += other.moved;
        self.added += other.added;
        self.removed += other.removed;
        self.split += other.split;
        self.merged += other.merged;
        self.newly_agreed += other.newly_agreed;
        self.newly_disputed += other.newly_disputed;
        self.still_disputed += other.still_disputed;
    }

    pub fn any_change(&self) -> bool {
        *self
            != Summary {
                unchanged: self.unchanged,
                ..Summary::default()
            }
    }
}

/// Everything that changed between two drafts.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanDiff {
    /// How many points FROM and TO have.
    pub from_points: usize,
    pub to_points: usize,
    /// Every group, in TO order, removed ones where their FROM neighbour
    /// stands.
    pub changes: Vec<PointChange>,
    pub summary: Summary,
}

impl PlanDiff {
    /// Whether anything changed (what `--exit-code` reports).
    pub fn has_changes(&self) -> bool {
        self.changes.iter().any(PointChange::is_changed)
    }
}

/// Aligns and classifies.
pub fn diff(from: &Plan, to: &Plan, options: &align::Options) -> PlanDiff {
    diff_aligned(from, to, &align::align(from, to, options))
}

/// Classifies an alignment of `from` and `to`. Large diffs are classified
/// on every core, in chunks (the result does not depend on how many).
pub fn diff_aligned(from: &Plan, to: &Plan, alignment: &Alignment) -> PlanDiff {
    let c = Classifier::new(from, to, alignment);
    let mut changes = Vec::with_capacity(c.groups());
    crate::parallel::ordered_chunks(
        c.groups(),
        CHUNK_GROUPS,
        |range| c.changes(range),
        |chunk| {
            changes.extend(chunk);
            Ok::<(), std::convert::Infallible>(())
        },
    )
    .unwrap_or_else(|e| match e {});
    let mut summary = Summary::default();
    for ch in &changes {
        count(&mut summary, ch);
    }
    PlanDiff {
        from_points: from.points.len(),
        to_points: to.points.len(),
        changes,
        summary,
    }
}

/// The [`Summary`] of [`diff_aligned`], without its word diffs: what `log`
/// and `commit` need. Always equal to `diff_aligned(from, to, alignment).summary`.
pub fn summarize_aligned(from: &Plan, to: &Plan, alignment: &Alignment) -> Summary {
    Classifier::new(from, to, alignment).summary().0
}

/// How many groups one chunk of [`Classifier::changes`] holds when a diff is
/// classified (and rendered) on several cores.
pub const CHUNK_GROUPS: usize = 512;

/// Classifies the groups of one alignment: all at once, or a range at a time
/// (on several threads, for output written as it is produced).
pub struct Classifier<'a> {
    from: &'a Plan,
    to: &'a Plan,
    alignment: &'a Alignment,
    /// Whether each group is off the longest in-order chain.
    moved: Vec<bool>,
    /// Both drafts' parties, FROM's first.
    parties: Vec<String>,
    /// When the word diffs of the whole diff must settle for approximate
    /// answers.
    budget_end: Instant,
}

impl<'a> Classifier<'a> {
    pub fn new(from: &'a Plan, to: &'a Plan, alignment: &'a Alignment) -> Self {
        let paired: Vec<usize> = (0..alignment.groups.len())
            .filter(|&g| {
                let g = &alignment.groups[g];
                !g.from.is_empty() && !g.to.is_empty()
            })
            .collect();
        let keys: Vec<(usize, usize)> = paired
            .iter()
            .map(|&g| (alignment.groups[g].from[0], alignment.groups[g].to[0]))
            .collect();
        let mut moved = vec![false; alignment.groups.len()];
        for (&g, on) in paired.iter().zip(align::in_order(&keys)) {
            moved[g] = !on;
        }
        let mut parties: Vec<String> = from.parties.clone();
        for p in &to.parties {
            if !parties.contains(p) {
                parties.push(p.clone());
            }
        }
        Classifier {
            from,
            to,
            alignment,
            moved,
            parties,
            budget_end: Instant::now() + WORD_DIFF_BUDGET,
        }
    }

    /// How many groups there are.
    pub fn groups(&self) -> usize {
        self.alignment.groups.len()
    }

    /// The summary of the whole diff, and whether anything changed, without
    /// diffing words: equal to what [`diff_aligned`] gives.
    pub fn summary(&self) -> (Summary, bool) {
        let mut summary = Summary::default();
        let mut changed = false;
        crate::parallel::ordered_chunks(
            self.groups(),
            CHUNK_GROUPS * 4,
            |range| {
                let mut part = Summary::default();
                let mut part_changed = false;
                for g in range {
                    let c = self.classify(g, false);
                    part_changed |= c.is_changed();
                    count(&mut part, &c);
                }
                (part, part_changed)
            },
            |(part, part_changed)| {
                summary.add(&part);
                changed |= part_changed;
                Ok::<(), std::convert::Infallible>(())
            },
        )
        .unwrap_or_else(|e| match e {});
        (summary, changed)
    }

    /// The changes of groups `range`, with their word diffs.
    pub fn changes(&self, range: std::ops::Range<usize>) -> Vec<PointChange> {
        range.map(|g| self.classify(g, true)).collect()
    }

    /// Classifies group `g`; with `words`, also diffs its words and finds the
    /// substantive kinds of change (what a reader sees; the flags and the
    /// summary do not depend on it).
    fn classify(&self, g: usize, words: bool) -> PointChange {
        let (from, to) = (self.from, self.to);
        let group = &self.alignment.groups[g];
        // Most groups hold one point a side: no list for those.
        let (fp_one, tp_one, fp_many, tp_many);
        let fp: &[&Point] = match group.from.as_slice() {
            &[i] => {
                fp_one = [&from.points[i]];
                &fp_one
            }
            many => {
                fp_many = many.iter().map(|&i| &from.points[i]).collect::<Vec<_>>();
                &fp_many
            }
        };
        let tp: &[&Point] = match group.to.as_slice() {
            &[i] => {
                tp_one = [&to.points[i]];
                &tp_one
            }
            many => {
                tp_many = many.iter().map(|&i| &to.points[i]).collect::<Vec<_>>();
                &tp_many
            }
        };
        let old = join(fp);
        let new = join(tp);
        let both = !fp.is_empty() && !tp.is_empty();
        let reworded = both && !words::same_folded(&old, &new);
        let retitled = both && !same_titles(fp, tp);
        let renumbered = both && {
            match (fp.len(), tp.len()) {
                (1, 1) => fp[0].number != tp[0].number,
                (1, _) => !tp.iter().any(|p| p.number == fp[0].number),
                _ => !fp.iter().any(|p| p.number == tp[0].number),
            }
        };
        let (sf, st) = (side_status(fp), side_status(tp));
        let status = match (sf, st) {
            (Some(a), Some(b)) if a != b => Some(StatusChange { from: a, to: b }),
            _ => None,
        };
        let positions: Vec<PositionChange> = if both {
            self.parties
                .iter()
                .filter_map(|party| {
                    let (a, b) = (side_position(fp, party), side_position(tp, party));
                    (a != b).then(|| PositionChange {
                        party: party.clone(),
                        from: a,
                        to: b,
                    })
                })
                .collect()
        } else {
            Vec::new()
        };
        let reopened =
            both && sf == Some(Status::Agreed) && (reworded || st != Some(Status::Agreed));
        let (text, substantive) = if !words {
            (Vec::new(), Vec::new())
        } else {
            let text = if fp.is_empty() {
                vec![segment(Op::Insert, new.trim_start())]
            } else if tp.is_empty() {
                vec![segment(Op::Delete, old.trim_start())]
            } else if reworded || old != new {
                // Past the budget the deadline is already gone: only the
                // common prefix and suffix are found.
                let deadline = (Instant::now() + WORD_DIFF_TIMEOUT).min(self.budget_end);
                word_diff(&old, &new, Some(deadline))
            } else {
                vec![segment(Op::Equal, new.trim_start())]
            };
            let substantive = if reworded {
                substantive(&old, &new, &self.parties)
            } else {
                Vec::new()
            };
            (text, substantive)
        };
        let refs = |indices: &[usize], plan: &Plan| {
            if words {
                indices
                    .iter()
                    .map(|&i| PointRef::new(i, &plan.points[i]))
                    .collect()
            } else {
                Vec::new()
            }
        };
        PointChange {
            kind: group.kind,
            from: refs(&group.from, from),
            to: refs(&group.to, to),
            similarity: group.similarity,
            renumbered,
            moved: self.moved[g],
            reworded,
            retitled,
            substantive,
            reopened,
            text,
            status,
            still_disputed: sf == Some(Status::Disputed) && st == Some(Status::Disputed),
            positions,
            method: group.method,
            from_status: sf,
            to_status: st,
        }
    }
}

/// Whether two sides have the same titles (folded), in order.
fn same_titles(a: &[&Point], b: &[&Point]) -> bool {
    let mut x = a.iter().filter_map(|p| p.title.as_deref());
    let mut y = b.iter().filter_map(|p| p.title.as_deref());
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if words::same_folded(p, q) => {}
            _ => return false,
        }
    }
}

fn count(s: &mut Summary, c: &PointChange) {
    let (from, to) = (c.from_status, c.to_status);
    match c.kind {
        Kind::Added => s.added += 1,
        Kind::Removed => s.removed += 1,
        Kind::Split => s.split += 1,
        Kind::Merged => s.merged += 1,
        Kind::Matched => {
            if !c.is_changed() {
                s.unchanged += 1;
            }
        }
    }
    s.reworded += usize::from(c.reworded);
    s.renumbered += usize::from(c.renumbered);
    s.moved += usize::from(c.moved);
    if let (Some(a), Some(b)) = (from, to) {
        s.newly_agreed += usize::from(b == Status::Agreed && a != Status::Agreed);
        s.newly_disputed += usize::from(b == Status::Disputed && a != Status::Disputed);
        s.still_disputed += usize::from(a == Status::Disputed && b == Status::Disputed);
    }
}

/// The texts of one side, joined by line breaks (borrowed for one point).
fn join<'a>(points: &[&'a Point]) -> std::borrow::Cow<'a, str> {
    match points {
        [] => std::borrow::Cow::Borrowed(""),
        [p] => std::borrow::Cow::Borrowed(p.text.as_str()),
        _ => std::borrow::Cow::Owned(
            points
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    }
}

fn segment(op: Op, text: &str) -> Segment {
    Segment {
        op,
        text: text.to_string(),
    }
}

/// The status of one side of a group: disputed if any point is, else open if
/// any is, else agreed. `None` for an empty side.
fn side_status(points: &[&Point]) -> Option<Status> {
    if points.is_empty() {
        return None;
    }
    let has = |s: Status| points.iter().any(|p| p.status == s);
    Some(if has(Status::Disputed) {
        Status::Disputed
    } else if has(Status::Open) {
        Status::Open
    } else {
        Status::Agreed
    })
}

/// A party's position on one side: reject if it rejects any point, else
/// reserve if it reserves on any, else accept if it accepts all.
fn side_position(points: &[&Point], party: &str) -> Option<Position> {
    let (mut reject, mut reserve, mut all_accept) = (false, false, !points.is_empty());
    for p in points {
        match p.position(party) {
            Some(Position::Accept) => continue,
            Some(Position::Reject) => reject = true,
            Some(Position::Reserve) => reserve = true,
            None => {}
        }
        all_accept = false;
    }
    if reject {
        Some(Position::Reject)
    } else if reserve {
        Some(Position::Reserve)
    } else if all_accept {
        Some(Position::Accept)
    } else {
        None
    }
}

/// Function words too short to stand alone between two changes: an equal run
/// made only of these (and punctuation) is shown as part of the change
/// around it, which reads far better than `[-a-]{+b+} the [-c-]{+d+}`.
fn is_chaff(word: &str) -> bool {
    const CHAFF: &[&str] = &[
        "a", "an", "and", "as", "at", "by", "for", "in", "is", "of", "on", "or", "the", "to",
    ];
    !word.chars().any(char::is_alphanumeric) || CHAFF.contains(&word.to_lowercase().as_str())
}

/// Word diffs of texts whose token counts multiply to at most this run
/// without a deadline (Myers' diff of 250 against 250 words is far under a
/// millisecond).
const SMALL_DIFF: usize = 250 * 250;

/// A word-level diff of `old` and `new`. Words are compared without the
/// white space around them, so spacing and line breaks are never shown as
/// changes; adjacent pieces with the same op are merged, and a lone function
/// word between two changes joins them. With a `deadline`, the diff settles
/// for an approximate answer once it passes, and a deadline already passed
/// finds only the common prefix and suffix; with `None`, it never settles.
///
/// ```
/// use treaty::diff::{word_diff, Op};
/// let d = word_diff("NATO will not  expand", "NATO will never expand", None);
/// let shown: Vec<(Op, &str)> = d.iter().map(|s| (s.op, s.text.as_str())).collect();
/// assert_eq!(shown, [(Op::Equal, "NATO will "), (Op::Delete, "not  "), (Op::Insert, "never "), (Op::Equal, "expand")]);
/// ```
pub fn word_diff(old: &str, new: &str, deadline: Option<Instant>) -> Vec<Segment> {
    let a = words::tokens(old);
    let b = words::tokens(new);
    let aw: Vec<&str> = a.iter().map(|t| t.word).collect();
    let bw: Vec<&str> = b.iter().map(|t| t.word).collect();
    // (equal?, old range, new range)
    let mut runs: Vec<(bool, std::ops::Range<usize>, std::ops::Range<usize>)> = Vec::new();
    let mut push = |eq: bool, o: std::ops::Range<usize>, n: std::ops::Range<usize>| {
        if o.is_empty() && n.is_empty() {
            return;
        }
        match runs.last_mut() {
            Some(last) if last.0 == eq => {
                last.1.end = o.end;
                last.2.end = n.end;
            }
            _ => runs.push((eq, o, n)),
        }
    };
    let expired = deadline.is_some_and(|d| Instant::now() >= d);
    if expired {
        let pre = aw.iter().zip(&bw).take_while(|(x, y)| x == y).count();
        let suf = aw[pre..]
            .iter()
            .rev()
            .zip(bw[pre..].iter().rev())
            .take_while(|(x, y)| x == y)
            .count();
        push(true, 0..pre, 0..pre);
        push(false, pre..aw.len() - suf, pre..bw.len() - suf);
        push(true, aw.len() - suf..aw.len(), bw.len() - suf..bw.len());
    } else {
        // Small diffs finish long before any deadline: looking at the clock
        // would cost more than the diff.
        let deadline = deadline.filter(|_| aw.len() * bw.len() > SMALL_DIFF);
        // Words as numbers (equal words, equal numbers): the diff compares
        // them many times over.
        let mut ids: std::collections::HashMap<&str, u32, words::FxBuild> =
            std::collections::HashMap::default();
        let mut an = Vec::with_capacity(aw.len());
        let mut bn = Vec::with_capacity(bw.len());
        for (words, numbers) in [(&aw, &mut an), (&bw, &mut bn)] {
            for &w in words.iter() {
                let next = ids.len() as u32;
                numbers.push(*ids.entry(w).or_insert(next));
            }
        }
        for op in
            similar::capture_diff_slices_deadline(similar::Algorithm::Myers, &an, &bn, deadline)
        {
            let (tag, o, n) = op.as_tag_tuple();
            push(tag == similar::DiffTag::Equal, o, n);
        }
    }
    // A short run of function words between two changes joins them.
    let mut k = 1;
    while k + 1 < runs.len() {
        let (eq, o, _) = &runs[k];
        if *eq
            && o.len() <= 2
            && aw[o.clone()].iter().all(|w| is_chaff(w))
            && !runs[k - 1].0
            && !runs[k + 1].0
        {
            let next = runs.remove(k + 1);
            runs.remove(k);
            let prev = &mut runs[k - 1];
            prev.1.end = next.1.end;
            prev.2.end = next.2.end;
        } else {
            k += 1;
        }
    }
    let text = |toks: &[words::Token], r: std::ops::Range<usize>| -> String {
        let mut s = String::new();
        for t in &toks[r] {
            s.push_str(t.word);
            s.push_str(t.space);
        }
        s
    };
    let mut out: Vec<Segment> = Vec::new();
    let mut emit = |op: Op, s: String| {
        if s.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.op == op => last.text.push_str(&s),
            _ => out.push(Segment { op, text: s }),
        }
    };
    for (eq, o, n) in runs {
        if eq {
            emit(Op::Equal, text(&b, n));
        } else {
            emit(Op::Delete, text(&a, o));
            emit(Op::Insert, text(&b, n));
        }
    }
    out
}

const MODALS: &[&str] = &["shall", "should", "may", "must", "will", "won't", "shan't"];
const NEGATIONS: &[&str] = &[
    "not", "no", "never", "nor", "none", "neither", "without", "cannot",
];
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];
const NUMBER_WORDS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "billion",
    "trillion",
    "half",
    "double",
    "twice",
    "third",
    "quarter",
    "percent",
    "bn",
    "mn",
];

/// What a text holds that matters beyond its wording.
#[derive(Debug, Default, PartialEq, Eq)]
struct Commitments {
    numbers: Vec<String>,
    dates: Vec<String>,
    modals: Vec<String>,
    negations: Vec<String>,
}

fn commitments(text: &str) -> Commitments {
    // Only short words can be modal, negation, month or number words: fold
    // those, leave the rest alone.
    let raw: Vec<&str> = words::Tokens::new(text).map(|t| t.word).collect();
    let lower: Vec<Option<std::borrow::Cow<'_, str>>> = raw
        .iter()
        .map(|&w| {
            let digit = w.starts_with(|c: char| c.is_ascii_digit());
            (digit || (w.len() <= 9 && w.is_ascii())).then(|| {
                if w.bytes().any(|b| b.is_ascii_uppercase()) {
                    std::borrow::Cow::Owned(w.to_ascii_lowercase())
                } else {
                    std::borrow::Cow::Borrowed(w)
                }
            })
        })
        .collect();
    let word = |k: usize| lower.get(k).and_then(|w| w.as_deref()).unwrap_or("");
    let mut c = Commitments::default();
    let is_figure = |w: &str| w.starts_with(|ch: char| ch.is_ascii_digit());
    let is_month = |w: &str| MONTHS.contains(&w) && w != "may";
    for k in 0..lower.len() {
        let Some(w) = lower[k].as_deref() else {
            continue;
        };
        let before = if k > 0 { word(k - 1) } else { "" };
        let after = word(k + 1);
        if is_figure(w) {
            let year = w.len() == 4
                && w.bytes().all(|c| c.is_ascii_digit())
                && ("1900".."2101").contains(&w);
            let iso = w.len() == 10 && w.matches('-').count() == 2;
            if year || iso || is_month(before) || is_month(after) {
                c.dates.push(w.to_string());
            } else {
                c.numbers.push(w.replace(',', ""));
            }
        } else if MONTHS.contains(&w)
            && (w != "may" || ((is_figure(before) || is_figure(after)) && raw[k].starts_with('M')))
        {
            c.dates.push(w.chars().take(3).collect());
        } else if MODALS.contains(&w) {
            c.modals.push(w.to_string());
            if w.ends_with("n't") {
                c.negations.push("not".into());
            }
        } else if NEGATIONS.contains(&w) || w.ends_with("n't") {
            c.negations.push(w.to_string());
        } else if NUMBER_WORDS.contains(&w) || w == "%" {
            c.numbers.push(w.to_string());
        }
    }
    for v in [
        &mut c.numbers,
        &mut c.dates,
        &mut c.modals,
        &mut c.negations,
    ] {
        v.sort_unstable();
    }
    c
}

/// Whether `party` is named in `text`: acronyms (`US`, `NATO`) case-sensitively,
/// other names by stem, case folded (`Russia` is named by `Russian`).
fn words_of(text: &str) -> Vec<&str> {
    words::Tokens::new(text)
        .map(|t| t.word)
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect()
}

fn names(words_of_text: &[&str], party: &str) -> bool {
    let want: Vec<&str> = party.split_whitespace().collect();
    let Some(first) = want.first().and_then(|w| w.chars().next()) else {
        return false;
    };
    let acronym = party
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase);
    let norm = |w: &str| -> String {
        if acronym {
            w.trim_end_matches("'s").to_string()
        } else {
            words::stem(&w.to_lowercase())
        }
    };
    let want: Vec<String> = want.iter().map(|w| norm(w)).collect();
    let first_lower: Vec<char> = first.to_lowercase().collect();
    words_of_text.windows(want.len()).any(|win| {
        // Cheap test first: only words starting with the party's letter are
        // folded and compared.
        win[0]
            .chars()
            .next()
            .is_some_and(|c| c.to_lowercase().eq(first_lower.iter().copied()))
            && win.iter().zip(&want).all(|(w, x)| norm(w) == *x)
    })
}

/// The substantive kinds of change between `old` and `new` (`parties`: whose
/// names count), sorted.
pub fn substantive(old: &str, new: &str, parties: &[String]) -> Vec<Substantive> {
    let (a, b) = (commitments(old), commitments(new));
    let mut out = Vec::new();
    if a.numbers != b.numbers {
        out.push(Substantive::Number);
    }
    if a.modals != b.modals {
        out.push(Substantive::Modal);
    }
    if a.negations != b.negations {
        out.push(Substantive::Negation);
    }
    if a.dates != b.dates {
        out.push(Substantive::Date);
    }
    let (wa, wb) = (words_of(old), words_of(new));
    if parties.iter().any(|p| names(&wa, p) != names(&wb, p)) {
        out.push(Substantive::Party);
    }
    let spans = |t: &str| -> Vec<String> {
        let mut v: Vec<String> = crate::brackets::spans(t)
            .unwrap_or_default()
            .into_iter()
            .map(|r| words::fold(&t[r]))
            .collect();
        v.sort_unstable();
        v
    };
    if spans(old) != spans(new) {
        out.push(Substantive::Brackets);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(d: &[Segment]) -> String {
        d.iter()
            .map(|s| match s.op {
                Op::Equal => s.text.clone(),
                Op::Delete => format!("[-{}-]", s.text),
                Op::Insert => format!("{{+{}+}}", s.text),
            })
            .collect()
    }

    #[test]
    fn word_diff_ignores_white_space() {
        let d = word_diff("a  b\nc", "a b c", None);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].op, Op::Equal);
    }

    #[test]
    fn word_diff_merges_and_absorbs_chaff() {
        assert_eq!(
            shown(&word_diff(
                "Russia will lift sanctions on the economy",
                "Europe will keep sanctions on the markets",
                None
            )),
            "[-Russia -]{+Europe +}will [-lift -]{+keep +}sanctions on the [-economy-]{+markets+}"
        );
        assert_eq!(
            shown(&word_diff("alpha of beta", "gamma of delta", None)),
            "[-alpha of beta-]{+gamma of delta+}"
        );
    }

    #[test]
    fn word_diff_rebuilds_the_new_text() {
        let old = "The line of contact [shall][may] be frozen, 600,000 troops.";
        let new = "The line of contact is frozen; 800,000 troops in peacetime.";
        let d = word_diff(old, new, None);
        let rebuilt: String = d
            .iter()
            .filter(|s| s.op != Op::Delete)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(rebuilt, new);
    }

    #[test]
    fn an_expired_deadline_still_gives_a_correct_diff() {
        let past = Instant::now() - Duration::from_secs(1);
        let d = word_diff("a b c d", "a x c d", Some(past));
        assert_eq!(shown(&d), "a [-b -]{+x +}c d");
    }

    #[test]
    fn past_the_budget_only_prefix_and_suffix_are_found() {
        let plan = |text: &str| Plan {
            points: vec![Point::new("1", text)],
            ..Plan::default()
        };
        let from = plan("Troops withdraw from Donetsk region within sixty days under monitoring.");
        let to = plan("Troops leave from Donetsk region within ninety days under monitoring.");
        let alignment = align::align(&from, &to, &Default::default());
        let mut c = Classifier::new(&from, &to, &alignment);
        c.budget_end = Instant::now() + Duration::from_secs(60);
        assert_eq!(
            shown(&c.changes(0..1)[0].text),
            "Troops [-withdraw -]{+leave +}from Donetsk region within [-sixty -]{+ninety +}days under monitoring."
        );
        c.budget_end = Instant::now();
        assert_eq!(
            shown(&c.changes(0..1)[0].text),
            "Troops [-withdraw from Donetsk region within sixty -]{+leave from Donetsk region within ninety +}days under monitoring."
        );
    }

    #[test]
    fn substantive_kinds() {
        let parties = vec!["US".to_string(), "Russia".to_string(), "Europe".to_string()];
        let s = |a: &str, b: &str| substantive(a, b, &parties);
        assert_eq!(s("600,000 troops", "800,000 troops"), [Substantive::Number]);
        assert_eq!(
            s("Troops shall leave", "Troops may leave"),
            [Substantive::Modal]
        );
        assert_eq!(
            s("NATO will expand", "NATO will not expand"),
            [Substantive::Negation]
        );
        assert_eq!(
            s("Elections in March 2026", "Elections in May 2026"),
            [Substantive::Date]
        );
        assert_eq!(
            s("Signed by 2026-01-01", "Signed by 2026-02-01"),
            [Substantive::Date]
        );
        assert_eq!(
            s("A pact of Russia and Europe", "A pact of Russia and NATO"),
            [Substantive::Party]
        );
        assert_eq!(
            s("Russian troops leave", "Russia's troops leave"),
            Vec::<Substantive>::new()
        );
        assert_eq!(
            s(
                "The line [shall][may] be frozen",
                "The line shall be frozen"
            ),
            [Substantive::Modal, Substantive::Brackets]
        );
        assert_eq!(s("help us now", "help now"), Vec::<Substantive>::new());
        assert_eq!(
            s("Both sides agree", "The two sides agree"),
            [Substantive::Number]
        );
        assert!(s("They agree.", "They all agree.").is_empty());
    }

    fn point(number: &str, text: &str, status: Status) -> Point {
        let mut p = Point::new(number, text);
        p.status = status;
        p
    }

    #[test]
    fn flags_and_transitions() {
        let parties = vec!["US".to_string(), "Russia".to_string()];
        let mut a = point(
            "7",
            "EU membership for Ukraine with preferential market access.",
            Status::Disputed,
        );
        a.positions = vec![
            ("US".into(), Position::Accept),
            ("Russia".into(), Position::Reject),
        ];
        let mut b = point(
            "6",
            "EU membership for Ukraine by a set date, with preferential market access.",
            Status::Agreed,
        );
        b.positions = vec![
            ("US".into(), Position::Accept),
            ("Russia".into(), Position::Accept),
        ];
        let from = Plan {
            parties: parties.clone(),
            points: vec![point("1", "Sovereignty.", Status::Agreed), a],
            ..Plan::default()
        };
        let to = Plan {
            parties,
            points: vec![b, point("2", "Sovereignty.", Status::Agreed)],
            ..Plan::default()
        };
        let d = diff(&from, &to, &Default::default());
        assert_eq!(d.changes.len(), 2);
        let c = &d.changes[0];
        assert_eq!(
            (c.from[0].number.as_str(), c.to[0].number.as_str()),
            ("7", "6")
        );
        assert!(c.renumbered && c.reworded && !c.reopened);
        assert_eq!(
            c.status,
            Some(StatusChange {
                from: Status::Disputed,
                to: Status::Agreed
            })
        );
        assert_eq!(
            c.positions,
            [PositionChange {
                party: "Russia".into(),
                from: Some(Position::Reject),
                to: Some(Position::Accept)
            }]
        );
        // One of the two is off the in-order chain.
        assert_eq!(d.changes.iter().filter(|c| c.moved).count(), 1);
        assert_eq!(d.summary.newly_agreed, 1);
        assert_eq!(d.summary.renumbered, 2);
        assert!(d.has_changes());
    }

    #[test]
    fn reopened_when_agreed_text_changes() {
        let from = Plan {
            points: vec![point("1", "The ceasefire starts at once.", Status::Agreed)],
            ..Plan::default()
        };
        let to = Plan {
            points: vec![point(
                "1",
                "The ceasefire starts at once after withdrawal.",
                Status::Open,
            )],
            ..Plan::default()
        };
        let d = diff(&from, &to, &Default::default());
        assert!(d.changes[0].reopened);
    }

    #[test]
    fn identical_drafts_are_unchanged() {
        let p = Plan {
            points: vec![
                point("1", "A.", Status::Open),
                point("2", "B b.", Status::Open),
            ],
            ..Plan::default()
        };
        let d = diff(&p, &p, &Default::default());
        assert!(!d.has_changes());
        assert_eq!(d.summary.unchanged, 2);
        assert!(!d.summary.any_change());
    }
}
