//! Alignment: which points of one draft became which points of another.
//!
//! [`align`] pairs the points of FROM and TO into groups, in this order (each
//! step only sees what the steps before left over, except that step 4 may grow
//! a pair into a split or a merge):
//!
//! 1. [`Aligner::match_ids`]: the same `id` on both sides;
//! 2. [`Aligner::match_exact`]: identical text after folding white space and
//!    case (repeats are paired in order, same number first);
//! 3. [`Aligner::match_similar`]: similar text, one-to-one, best pairs first,
//!    accepted at or above the threshold. Similarity is the cosine of the two
//!    points' term sets, each term weighed by its rarity (inverse document
//!    frequency) among the points steps 1 and 2 did not pair with their very
//!    text — or, when fewer than [`FEW_UNSETTLED`] are left, among all
//!    points of both drafts (the unchanged ones estimated from a sample of
//!    about [`SAMPLE_PAIRS`] when there are more) —, so that names and
//!    figures count far more than `parties` or `agreement`. Near-ties (within [`NEAR_TIE`]) go to the
//!    pair that keeps order with already matched neighbours, then the one with
//!    the same number, then the same title. A pair that would be out of order
//!    needs [`MOVED_THRESHOLD`]: moving a point and rewording it beyond
//!    recognition at once is rare, unrelated points sharing a few words are
//!    not. A pair is put off when one of its points was offered a much better
//!    partner that was already taken, or lies wholly inside another point: it
//!    is probably part of a split or merge, and step 4 decides first;
//! 4. [`Aligner::match_splits_merges`]: a point left over whose words are
//!    largely contained in a point of the other side joins that point's group
//!    if it covers words the group did not cover yet, and stands next to the
//!    group's other parts or keeps the order of the groups around: one FROM
//!    point and several TO points form a split, several FROM and one TO a
//!    merge, never many to many. [`Aligner::match_deferred`] then takes the
//!    pairs step 3 put off, if their points are still free, and
//!    [`Aligner::match_in_gaps`] pairs what is left between two in-order
//!    neighbours at a lower bar, where the same title or number also counts
//!    (a point reworded in place);
//! 5. [`Aligner::finish`]: what is left is removed (FROM) or added (TO).
//!
//! Every point of FROM and of TO ends in exactly one group.
//!
//! # Cost
//!
//! Nothing here compares all pairs of points. Ids and exact texts are hashed,
//! and the terms of points paired with their very text are never read (in a
//! new draft of a long text, that is most points);
//! similar candidates come from an inverted index of terms, skipping terms
//! found in more than [`COMMON_POSTINGS`] points; a point made only of common
//! terms looks near its expected position instead. Every step is near-linear
//! in the number of points and words.
//!
//! # The default threshold
//!
//! [`DEFAULT_THRESHOLD`] (0.25) was chosen by measurement. The score is the
//! F1 of the point correspondences — every (FROM, TO) pair a group implies —
//! against a known true alignment, on two kinds of draft pairs:
//!
//! * synthetic pairs from [`crate::synth`]: 1,000 points, seeds 1–5, every
//!   kind of change (light and heavy rewording, moves, additions, removals,
//!   splits, merges), renumbered throughout, no ids;
//! * the shipped Ukraine drafts (`plans/ukraine-2025/`), with the truth of
//!   `tests/fixtures/ukraine/*.truth.json`: US 28 → framework 20 (renumbered,
//!   heavily reworded), US 28 → E3 (same numbers, several points rewritten),
//!   E3 → framework 20, Geneva → framework 20, US 28 → Geneva; once as
//!   written and once with every title removed.
//!
//! Scanning the threshold from 0.05 to 0.60 in steps of 0.05
//! (`cargo run --release --example synth -- sweep --points 1000 --seeds 1-5
//! FROM.toml TO.toml TRUTH.json …`): synthetic F1 stays between 0.993 and
//! 0.995 from 0.05 to 0.40 and falls above (0.985 at 0.60); on the real pairs
//! F1 is best from 0.20 to 0.30 (US 28 → framework 20: 0.947 at 0.20, 0.973
//! at 0.25 and 0.30, 0.944 at 0.35; without titles 0.973 at 0.25 only).
//! Below 0.20, unrelated points sharing a rare word get paired; above 0.30,
//! heavily reworded points are lost. 0.25 sits in the middle of the plateau.
//! The other constants below were measured the same way.

use std::collections::HashMap;

use crate::plan::Plan;
use crate::words;

/// The similarity at or above which two points with no better partner are
/// taken to be the same point. See the module documentation for how it was
/// chosen.
pub const DEFAULT_THRESHOLD: f64 = 0.25;

/// A pair that would be out of order (one of the points moved) needs at
/// least this similarity, or the threshold if higher. Measured: on synthetic
/// pairs, out-of-order pairs below 0.5 were wrong three times in four, while
/// in-order pairs between the threshold and 0.5 were right 49 times in 50.
pub const MOVED_THRESHOLD: f64 = 0.5;

/// Pairs whose scores differ by less than this are near-ties, decided by
/// order, number and title.
pub const NEAR_TIE: f64 = 0.03;

/// Terms found in more points than this are too common to find candidates by
/// (they still count in the similarity itself).
pub const COMMON_POSTINGS: usize = 64;

/// Drafts with at least this many FROM points have their fold hashes computed
/// on two cores.
const PARALLEL_POINTS: usize = 2000;

/// At least this many points whose terms are read are read on two cores.
const PARALLEL_READ: usize = 1000;

/// Terms are weighed by their rarity among the points similarity has to
/// compare (those not paired with their very text); when fewer than this
/// many are left, among all points of both drafts.
pub const FEW_UNSETTLED: usize = 1000;

/// When fewer than [`FEW_UNSETTLED`] points are left to compare but more than
/// this many pairs are unchanged, the counts of the unchanged ones are
/// estimated from a sample of about this many.
pub const SAMPLE_PAIRS: usize = 256;

/// How many points one thread searches candidates for at a time, at least
/// (each search needs scratch space as long as a draft).
const SEARCH_CHUNK: usize = 128;

/// How many candidates each point considers from the index.
const CANDIDATES: usize = 8;

/// A point left over joins a split or merge only if at least this much of its
/// weight is found in the host point.
const CONTAINED: f64 = 0.5;

/// ... or this much, if it stands next to a part of the host's group ...
const CONTAINED_NEAR: f64 = 0.3;

/// ... and only if at least this share of its weight covers host words the
/// group did not cover yet.
const NOVEL: f64 = 0.3;

/// A split or merge built from points none of which matched on its own must
/// cover this much of the host point.
const COVERED: f64 = 0.5;

/// Step 3 puts a pair off when one of its points was offered a partner this
/// much more similar that another point had already taken.
const DEFER: f64 = 0.15;

/// ... or when one of its points lies this much inside another point ...
const PART: f64 = 0.8;

/// ... and this much less inside its partner.
const DEFER_PART: f64 = 0.3;

/// Between two in-order neighbours, a pair is accepted at this fraction of
/// the threshold.
const GAP_FACTOR: f64 = 0.7;

/// Between in-order neighbours, what the same title adds to a pair's
/// similarity ...
const SAME_TITLE: f64 = 0.1;

/// ... and what the same number adds.
const SAME_NUMBER: f64 = 0.05;

/// Gaps with more candidate pairs than this are not searched by order.
const GAP_CELLS: usize = 400;

/// How alignment is tuned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Similarity in [0, 1] at or above which two points are paired
    /// ([`DEFAULT_THRESHOLD`] by default).
    pub threshold: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threshold: DEFAULT_THRESHOLD,
        }
    }
}

/// What happened to a group of points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// One FROM point became one TO point.
    Matched,
    /// One FROM point became several TO points.
    Split,
    /// Several FROM points became one TO point.
    Merged,
    /// A TO point with no FROM point.
    Added,
    /// A FROM point with no TO point.
    Removed,
}

impl Kind {
    /// The word used in output: `matched`, `split`, ….
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Matched => "matched",
            Kind::Split => "split",
            Kind::Merged => "merged",
            Kind::Added => "added",
            Kind::Removed => "removed",
        }
    }

    fn of(from: usize, to: usize) -> Kind {
        match (from, to) {
            (0, _) => Kind::Added,
            (_, 0) => Kind::Removed,
            (1, 1) => Kind::Matched,
            (1, _) => Kind::Split,
            _ => Kind::Merged,
        }
    }
}

/// Which step paired a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Step 1: the same id.
    Id,
    /// Step 2: identical text.
    Exact,
    /// Step 3: similar text.
    Similar,
    /// Step 4: a split or a merge.
    Cover,
    /// Step 4: similar text between in-order neighbours.
    Order,
    /// Step 5: added or removed.
    Unpaired,
}

/// One group: FROM points and TO points that are the same content.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub kind: Kind,
    /// Indices into FROM's points, ascending.
    pub from: Vec<usize>,
    /// Indices into TO's points, ascending.
    pub to: Vec<usize>,
    /// Weighted word similarity of the two sides in [0, 1]; `None` for added
    /// and removed groups.
    pub similarity: Option<f64>,
    /// Which step formed the group.
    pub method: Method,
}

/// Every point of FROM and TO in exactly one group, groups in TO order with
/// removed groups where their FROM neighbour stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Alignment {
    pub groups: Vec<Group>,
}

impl Alignment {
    /// Every (FROM index, TO index) pair the groups imply.
    pub fn pairs(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for g in &self.groups {
            for &f in &g.from {
                for &t in &g.to {
                    out.push((f, t));
                }
            }
        }
        out.sort_unstable();
        out
    }
}

/// Aligns the points of `from` and `to`.
///
/// ```
/// use treaty::align::{align, Kind, Options};
/// use treaty::plan::{Plan, Point};
/// let plan = |texts: &[&str]| Plan {
///     points: texts.iter().enumerate().map(|(i, t)| Point::new((i + 1).to_string(), *t)).collect(),
///     ..Plan::default()
/// };
/// let from = plan(&["Ukraine's sovereignty is confirmed.", "Amnesty for all parties.", "Elections within 100 days."]);
/// let to = plan(&["Ukraine's sovereignty is confirmed.", "Elections are held within 100 days of signing."]);
/// let a = align(&from, &to, &Options::default());
/// let kinds: Vec<Kind> = a.groups.iter().map(|g| g.kind).collect();
/// assert_eq!(kinds, [Kind::Matched, Kind::Removed, Kind::Matched]);
/// ```
pub fn align(from: &Plan, to: &Plan, options: &Options) -> Alignment {
    let mut a = Aligner::new(from, to, options);
    a.match_ids();
    a.match_exact();
    a.match_similar();
    a.match_splits_merges();
    a.match_deferred();
    a.match_in_gaps();
    a.finish()
}

/// A point's terms, as ids into the vocabulary, ascending and unique.
#[derive(Debug, Clone, Default)]
struct Bag {
    terms: Vec<u32>,
    /// Σ w² over the terms.
    norm: f64,
}

/// Reads points into vocabulary ids. A display token's terms depend on the
/// token alone, and most tokens repeat, so each distinct token is read once.
#[derive(Default)]
struct TermIndex<'a> {
    vocab: HashMap<String, u32, words::FxBuild>,
    /// Each token read so far: its terms, as a range of `ids`.
    seen: HashMap<&'a str, (u32, u32), words::FxBuild>,
    ids: Vec<u32>,
    reader: words::TermReader,
}

impl<'a> TermIndex<'a> {
    /// The ids of a point's terms (text and title), ascending and unique.
    fn point(&mut self, p: &'a crate::plan::Point) -> Vec<u32> {
        let mut out = Vec::new();
        self.text(&p.text, &mut out);
        if let Some(title) = &p.title {
            self.text(title, &mut out);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    fn text(&mut self, text: &'a str, out: &mut Vec<u32>) {
        for token in words::Tokens::new(text) {
            let (start, end) = match self.seen.get(token.word) {
                Some(&range) => range,
                None => {
                    let start = self.ids.len() as u32;
                    let (vocab, ids) = (&mut self.vocab, &mut self.ids);
                    self.reader.read_token(token.word, |t| {
                        let id = match vocab.get(t) {
                            Some(&id) => id,
                            None => {
                                let id = vocab.len() as u32;
                                vocab.insert(t.to_string(), id);
                                id
                            }
                        };
                        ids.push(id);
                    });
                    let range = (start, self.ids.len() as u32);
                    self.seen.insert(token.word, range);
                    range
                }
            };
            out.extend_from_slice(&self.ids[start as usize..end as usize]);
        }
    }
}

/// For each term, the points of one side that hold it, ascending: all lists
/// in one array.
#[derive(Debug, Default)]
struct Postings {
    /// List `t` is `points[start[t]..start[t + 1]]`.
    start: Vec<u32>,
    points: Vec<u32>,
}

impl Postings {
    fn new(bags: &[Vec<u32>], n_terms: usize) -> Self {
        let mut start = vec![0u32; n_terms + 1];
        for bag in bags {
            for &t in bag {
                start[t as usize + 1] += 1;
            }
        }
        for t in 0..n_terms {
            start[t + 1] += start[t];
        }
        let mut fill = start.clone();
        let mut points = vec![0u32; start[n_terms] as usize];
        for (i, bag) in bags.iter().enumerate() {
            for &t in bag {
                points[fill[t as usize] as usize] = i as u32;
                fill[t as usize] += 1;
            }
        }
        Postings { start, points }
    }

    fn get(&self, t: u32) -> &[u32] {
        let t = t as usize;
        &self.points[self.start[t] as usize..self.start[t + 1] as usize]
    }
}

/// A group being built.
#[derive(Debug, Clone)]
struct Building {
    from: Vec<usize>,
    to: Vec<usize>,
    method: Method,
    alive: bool,
}

/// Which side of the diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    From,
    To,
}

/// The state of one alignment: both drafts' term bags, an inverted index, and
/// the groups found so far. Each step is a method, run in the order of
/// [`align`]; tests run them one by one.
pub struct Aligner<'a> {
    from: &'a Plan,
    to: &'a Plan,
    threshold: f64,
    /// Weight of each term: ln((N + 1) / df), N points in both drafts.
    weight: Vec<f64>,
    bags: [Vec<Bag>; 2],
    /// For each term, the points of each side that hold it, ascending.
    postings: [Postings; 2],
    /// The group each point belongs to.
    member: [Vec<Option<usize>>; 2],
    groups: Vec<Building>,
    /// Pairs step 3 put off until splits and merges are known.
    deferred: Vec<(usize, usize, f64)>,
    scratch: Vec<f64>,
    touched: Vec<u32>,
    /// Whether each point's terms were read ([`Aligner::read_terms`]).
    has_terms: [Vec<bool>; 2],
    terms_read: bool,
    /// Whether to read on two cores.
    parallel: bool,
    /// [`words::fold_hash`] of each point's text, per side.
    folded: [Vec<u64>; 2],
}

fn idx(side: Side) -> usize {
    match side {
        Side::From => 0,
        Side::To => 1,
    }
}

fn other(side: Side) -> Side {
    match side {
        Side::From => Side::To,
        Side::To => Side::From,
    }
}

impl<'a> Aligner<'a> {
    /// Reads both drafts' terms and weighs them.
    pub fn new(from: &'a Plan, to: &'a Plan, options: &Options) -> Self {
        let parallel = from.points.len() >= PARALLEL_POINTS
            && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
        Self::reading(from, to, options, parallel)
    }

    /// [`Aligner::new`]; `parallel` reads on two cores.
    fn reading(from: &'a Plan, to: &'a Plan, options: &Options, parallel: bool) -> Self {
        // Both drafts' fold hashes, side by side.
        let fold = |points: &[crate::plan::Point]| -> Vec<u64> {
            points.iter().map(|p| words::fold_hash(&p.text)).collect()
        };
        let (from_folded, to_folded) = if parallel {
            std::thread::scope(|scope| {
                let to_side = scope.spawn(|| fold(&to.points));
                let from_side = fold(&from.points);
                (
                    from_side,
                    to_side.join().unwrap_or_else(|_| fold(&to.points)),
                )
            })
        } else {
            (fold(&from.points), fold(&to.points))
        };
        let longest = from.points.len().max(to.points.len());
        Aligner {
            from,
            to,
            threshold: options.threshold.clamp(0.0, 1.0),
            weight: Vec::new(),
            bags: [
                vec![Bag::default(); from.points.len()],
                vec![Bag::default(); to.points.len()],
            ],
            postings: [Postings::default(), Postings::default()],
            has_terms: [vec![false; from.points.len()], vec![false; to.points.len()]],
            terms_read: false,
            parallel,
            member: [vec![None; from.points.len()], vec![None; to.points.len()]],
            groups: Vec::new(),
            deferred: Vec::new(),
            scratch: vec![0.0; longest],
            touched: Vec::new(),
            folded: [from_folded, to_folded],
        }
    }

    /// For each TO point that is not settled (every one with `all`), a FROM
    /// point of the very same text that is not either.
    fn same_texts(&self, all: bool, settled: &[Vec<bool>; 2]) -> Vec<Option<usize>> {
        let raw_hash = |p: &crate::plan::Point| {
            let mut h = words::FxHasher::default();
            std::hash::Hasher::write(&mut h, p.text.as_bytes());
            std::hash::Hasher::finish(&h)
        };
        let mut by_text: HashMap<u64, usize, words::FxBuild> = HashMap::default();
        for (i, p) in self.from.points.iter().enumerate() {
            if all || !settled[0][i] {
                by_text.entry(raw_hash(p)).or_insert(i);
            }
        }
        self.to
            .points
            .iter()
            .enumerate()
            .map(|(t, p)| {
                if !all && settled[1][t] {
                    return None;
                }
                by_text
                    .get(&raw_hash(p))
                    .copied()
                    .filter(|&f| self.from.points[f].text == p.text)
            })
            .collect()
    }

    /// Whether point `i` of `side` is paired with a point of the very same
    /// text and title (by id or as an exact match): similarity has nothing
    /// to say about it.
    fn settled(&self, side: Side, i: usize) -> bool {
        let Some(g) = self.member[idx(side)][i] else {
            return false;
        };
        let b = &self.groups[g];
        if b.from.len() != 1 || b.to.len() != 1 {
            return false;
        }
        if b.method == Method::Exact {
            return true;
        }
        let (f, t) = (&self.from.points[b.from[0]], &self.to.points[b.to[0]]);
        self.folded[0][b.from[0]] == self.folded[1][b.to[0]]
            && words::same_folded(&f.text, &t.text)
            && f.title == t.title
    }

    /// Reads the terms of every point not yet paired with its very text and
    /// title, once (each step that compares points calls it first), and
    /// weighs them: ln((N + 1) / df) over those N points. The points left
    /// out need no comparing, and in a new draft they are most points. With
    /// fewer than [`FEW_UNSETTLED`] read, the weights count every point of
    /// both drafts instead, the unchanged ones from a sample when there are
    /// more than [`SAMPLE_PAIRS`].
    pub fn read_terms(&mut self) {
        if self.terms_read {
            return;
        }
        self.terms_read = true;
        let (from, to) = (self.from, self.to);
        let mut wanted: Vec<&'a crate::plan::Point> = Vec::new();
        let mut at: Vec<(Side, usize)> = Vec::new();
        let settled: [Vec<bool>; 2] = [
            (0..from.points.len())
                .map(|i| self.settled(Side::From, i))
                .collect(),
            (0..to.points.len())
                .map(|i| self.settled(Side::To, i))
                .collect(),
        ];
        let unsettled = settled.iter().flatten().filter(|&&s| !s).count();
        // Too few points to tell rare words from common ones: weigh terms
        // over every point instead.
        let all = unsettled < FEW_UNSETTLED;
        // Many unchanged points: their share of the counts is estimated from
        // a sample of them (chosen by text, so whichever draft is FROM), and
        // only the sample is read.
        let settled_pairs = settled[0].iter().filter(|&&s| s).count();
        let every = if all && settled_pairs > SAMPLE_PAIRS {
            settled_pairs.div_ceil(SAMPLE_PAIRS) as u64
        } else {
            1
        };
        let folded = &self.folded;
        let sampled = |f: usize| (folded[0][f] >> 17).is_multiple_of(every);
        let same_text = self.same_texts(all && every == 1, &settled);
        let mut copies: Vec<(usize, usize)> = Vec::new();
        // The sampled unchanged points, read for the counts only.
        let mut sample: Vec<&'a crate::plan::Point> = Vec::new();
        for (side, plan) in [(Side::From, from), (Side::To, to)] {
            for (i, p) in plan.points.iter().enumerate() {
                if settled[idx(side)][i] && (!all || every > 1) {
                    if all && side == Side::From && sampled(i) {
                        sample.push(p);
                    }
                    continue;
                }
                // A TO point with the very text and title of a FROM point
                // read here has its terms.
                let same = match side {
                    Side::To => same_text[i].filter(|&f| from.points[f].title == p.title),
                    Side::From => None,
                };
                match same {
                    Some(f) => copies.push((f, i)),
                    None => {
                        wanted.push(p);
                        at.push((side, i));
                    }
                }
            }
        }
        // Read in two halves side by side when there are many; each half
        // numbers its terms on its own, and the numbers are merged by name
        // below (which gives the very ids one pass gives).
        let n_wanted = wanted.len();
        wanted.extend(sample.iter().copied());
        let parallel = self.parallel && wanted.len() >= PARALLEL_READ;
        let read_half = |points: &[&'a crate::plan::Point]| {
            let mut index = TermIndex::default();
            let bags: Vec<Vec<u32>> = points.iter().map(|p| index.point(p)).collect();
            (index, bags)
        };
        let ((index_a, bags_a), (index_b, bags_b)) = if parallel {
            let mid = wanted.len() / 2;
            std::thread::scope(|scope| {
                let second = scope.spawn(|| read_half(&wanted[mid..]));
                let first = read_half(&wanted[..mid]);
                let second = second.join().unwrap_or_else(|_| read_half(&wanted[mid..]));
                (first, second)
            })
        } else {
            (read_half(&wanted), read_half(&[]))
        };
        // Number terms in alphabetical order, not in order of appearance:
        // sums over a bag then run in the same order whichever draft is
        // FROM, so that swapping the drafts gives bit-identical scores.
        let mut by_name: Vec<(&str, usize, u32)> = index_a
            .vocab
            .iter()
            .map(|(t, &id)| (t.as_str(), 0, id))
            .chain(index_b.vocab.iter().map(|(t, &id)| (t.as_str(), 1, id)))
            .collect();
        by_name.sort_unstable();
        let mut rank = [
            vec![0u32; index_a.vocab.len()],
            vec![0u32; index_b.vocab.len()],
        ];
        let mut n_terms = 0usize;
        let mut previous: Option<&str> = None;
        for &(term, half, id) in &by_name {
            if previous != Some(term) {
                n_terms += 1;
                previous = Some(term);
            }
            rank[half][id as usize] = (n_terms - 1) as u32;
        }
        drop(by_name);
        let renumber = |mut bag: Vec<u32>, rank: &[u32]| {
            for t in bag.iter_mut() {
                *t = rank[*t as usize];
            }
            bag.sort_unstable();
            bag
        };
        let mut read: Vec<Vec<u32>> = bags_a
            .into_iter()
            .map(|b| renumber(b, &rank[0]))
            .chain(bags_b.into_iter().map(|b| renumber(b, &rank[1])))
            .collect();
        let sample_bags = read.split_off(n_wanted);
        drop((index_a, index_b));
        let mut terms: [Vec<Vec<u32>>; 2] = [
            vec![Vec::new(); from.points.len()],
            vec![Vec::new(); to.points.len()],
        ];
        for ((side, i), bag) in at.into_iter().zip(read) {
            self.has_terms[idx(side)][i] = true;
            terms[idx(side)][i] = bag;
        }
        for (f, t) in copies {
            self.has_terms[1][t] = true;
            terms[1][t] = terms[0][f].clone();
        }
        self.postings = [
            Postings::new(&terms[0], n_terms),
            Postings::new(&terms[1], n_terms),
        ];
        // Each sampled point stands for `scale` points: the unchanged pairs
        // it was drawn from, on both sides.
        let scale = if sample_bags.is_empty() {
            0.0
        } else {
            2.0 * settled_pairs as f64 / sample_bags.len() as f64
        };
        let mut in_sample = vec![0u32; n_terms];
        for bag in &sample_bags {
            for &t in bag {
                in_sample[t as usize] += 1;
            }
        }
        let read_points = self.has_terms.iter().flatten().filter(|&&h| h).count();
        let n = if every > 1 {
            (read_points + 2 * settled_pairs) as f64
        } else {
            read_points as f64
        };
        self.weight = (0..n_terms)
            .map(|t| {
                let listed =
                    self.postings[0].get(t as u32).len() + self.postings[1].get(t as u32).len();
                let df = listed as f64 + scale * f64::from(in_sample[t]);
                ((n + 1.0) / df.max(1.0)).ln()
            })
            .collect();
        let weight = &self.weight;
        let bag = |ts: Vec<u32>| Bag {
            norm: ts.iter().map(|&t| weight[t as usize].powi(2)).sum(),
            terms: ts,
        };
        let [from_terms, to_terms] = terms;
        self.bags = [
            from_terms.into_iter().map(bag).collect(),
            to_terms.into_iter().map(bag).collect(),
        ];
    }

    /// The texts of a leftover point and its host, for breaking exact ties the
    /// same way whichever side is FROM.
    fn text_key(&self, side: Side, x: usize, h: usize) -> (&str, &str) {
        (
            &self.plan(side).points[x].text,
            &self.plan(other(side)).points[h].text,
        )
    }

    /// Between in-order neighbours, the same title or the same number is
    /// evidence too: what a drafter keeps when the text is rewritten.
    fn same_label_bonus(&self, f: usize, t: usize) -> f64 {
        let (a, b) = (&self.from.points[f], &self.to.points[t]);
        let title = match (&a.title, &b.title) {
            (Some(x), Some(y)) if words::same_folded(x, y) => SAME_TITLE,
            _ => 0.0,
        };
        let number = if a.number == b.number {
            SAME_NUMBER
        } else {
            0.0
        };
        title + number
    }

    /// The similarity a pair needs if it would be out of order.
    fn moved_threshold(&self) -> f64 {
        self.threshold.max(MOVED_THRESHOLD)
    }

    fn plan(&self, side: Side) -> &'a Plan {
        match side {
            Side::From => self.from,
            Side::To => self.to,
        }
    }

    fn len(&self, side: Side) -> usize {
        self.member[idx(side)].len()
    }

    fn free(&self, side: Side, i: usize) -> bool {
        self.member[idx(side)][i].is_none()
    }

    fn pair(&mut self, f: usize, t: usize, method: Method) {
        debug_assert!(self.free(Side::From, f) && self.free(Side::To, t));
        let g = self.groups.len();
        self.groups.push(Building {
            from: vec![f],
            to: vec![t],
            method,
            alive: true,
        });
        self.member[0][f] = Some(g);
        self.member[1][t] = Some(g);
    }

    /// Σ w² over the terms two bags share.
    fn shared(&self, a: &Bag, b: &Bag) -> f64 {
        let (small, large) = if a.terms.len() <= b.terms.len() {
            (a, b)
        } else {
            (b, a)
        };
        let mut sum = 0.0;
        if small.terms.len() * 8 < large.terms.len() {
            for &t in &small.terms {
                if large.terms.binary_search(&t).is_ok() {
                    sum += self.weight[t as usize].powi(2);
                }
            }
        } else {
            let (mut x, mut y) = (0, 0);
            while x < small.terms.len() && y < large.terms.len() {
                match small.terms[x].cmp(&large.terms[y]) {
                    std::cmp::Ordering::Less => x += 1,
                    std::cmp::Ordering::Greater => y += 1,
                    std::cmp::Ordering::Equal => {
                        sum += self.weight[small.terms[x] as usize].powi(2);
                        x += 1;
                        y += 1;
                    }
                }
            }
        }
        sum
    }

    fn cosine(&self, a: &Bag, b: &Bag) -> f64 {
        if a.norm <= 0.0 || b.norm <= 0.0 {
            return 0.0;
        }
        (self.shared(a, b) / (a.norm * b.norm).sqrt()).min(1.0)
    }

    /// The similarity of FROM point `f` and TO point `t`, in [0, 1].
    pub fn similarity(&mut self, f: usize, t: usize) -> f64 {
        self.read_terms();
        self.cosine(&self.bags[0][f], &self.bags[1][t])
    }

    /// The similarity of FROM point `f` and TO point `t`, and how much of
    /// each the other holds, for inspecting an alignment.
    pub fn explain(&mut self, f: usize, t: usize) -> String {
        self.read_terms();
        let (a, b) = (&self.bags[0][f], &self.bags[1][t]);
        format!(
            "similarity {:.3}, FROM in TO {:.3}, TO in FROM {:.3}",
            self.cosine(a, b),
            self.contained(a, b),
            self.contained(b, a)
        )
    }

    /// How much of `a`'s weight `b` holds, in [0, 1].
    fn contained(&self, a: &Bag, b: &Bag) -> f64 {
        if a.norm <= 0.0 {
            return 0.0;
        }
        (self.shared(a, b) / a.norm).min(1.0)
    }

    fn union(&self, side: Side, points: &[usize]) -> Bag {
        let mut terms: Vec<u32> = points
            .iter()
            .flat_map(|&p| self.bags[idx(side)][p].terms.iter().copied())
            .collect();
        terms.sort_unstable();
        terms.dedup();
        Bag {
            norm: terms.iter().map(|&t| self.weight[t as usize].powi(2)).sum(),
            terms,
        }
    }

    /// Up to `k` points of side `side` that share the most rare weight with
    /// `bag`, among those `eligible`. Terms held by more than
    /// [`COMMON_POSTINGS`] points are skipped; if that leaves nothing, the
    /// bag's rarest terms are looked up near `expected` only.
    fn candidates(
        &mut self,
        bag: &Bag,
        side: Side,
        expected: usize,
        k: usize,
        eligible: impl Fn(&Self, usize) -> bool,
    ) -> Vec<usize> {
        let mut touched = std::mem::take(&mut self.touched);
        let mut scratch = std::mem::take(&mut self.scratch);
        let found =
            self.candidates_in(&mut scratch, &mut touched, bag, side, expected, k, eligible);
        self.touched = touched;
        self.scratch = scratch;
        found
    }

    /// [`Aligner::candidates`] with the caller's scratch space (all zero, as
    /// long as the longer draft, and left so): for searching on several
    /// threads.
    #[allow(clippy::too_many_arguments)]
    fn candidates_in(
        &self,
        scratch: &mut [f64],
        touched: &mut Vec<u32>,
        bag: &Bag,
        side: Side,
        expected: usize,
        k: usize,
        eligible: impl Fn(&Self, usize) -> bool,
    ) -> Vec<usize> {
        let s = idx(side);
        let mut add = |this: &Self, p: u32, w: f64, touched: &mut Vec<u32>| {
            if eligible(this, p as usize) {
                if scratch[p as usize] == 0.0 {
                    touched.push(p);
                }
                scratch[p as usize] += w;
            }
        };
        let mut common: Vec<u32> = Vec::new();
        for &t in &bag.terms {
            let list = self.postings[s].get(t);
            if list.len() > COMMON_POSTINGS {
                common.push(t);
                continue;
            }
            let w = self.weight[t as usize].powi(2);
            for &p in list {
                add(self, p, w, touched);
            }
        }
        if touched.is_empty() && !common.is_empty() {
            common.sort_by_key(|&t| (self.postings[s].get(t).len(), t));
            for &t in common.iter().take(4) {
                let list = self.postings[s].get(t);
                let at = list.partition_point(|&p| (p as usize) < expected);
                let lo = at.saturating_sub(COMMON_POSTINGS / 2);
                let hi = (lo + COMMON_POSTINGS).min(list.len());
                let w = self.weight[t as usize].powi(2);
                for &p in &list[lo..hi] {
                    add(self, p, w, touched);
                }
            }
        }
        // Heaviest first; equal weights go to the points nearest the
        // expected place. (The weights are sums of squares: positive, and
        // ordered as their bits are.)
        let mut found: Vec<(u64, usize, u32)> = touched
            .iter()
            .map(|&p| {
                (
                    !scratch[p as usize].to_bits(),
                    (p as usize).abs_diff(expected),
                    p,
                )
            })
            .collect();
        for &p in touched.iter() {
            scratch[p as usize] = 0.0;
        }
        touched.clear();
        if found.len() > k {
            found.select_nth_unstable(k);
            found.truncate(k);
        }
        found.sort_unstable();
        // A new list: collecting in place would keep the long list's room.
        let mut out = Vec::with_capacity(found.len());
        out.extend(found.iter().map(|&(_, _, p)| p as usize));
        out
    }

    /// Points of the other side in the groups of `x`'s neighbours: where a
    /// part of a split or merge most likely belongs.
    fn neighbours_partners(&self, side: Side, x: usize) -> Vec<usize> {
        let mut out = Vec::new();
        for n in [x.wrapping_sub(1), x + 1] {
            if let Some(Some(g)) = self.member[idx(side)].get(n) {
                let b = &self.groups[*g];
                out.extend(if side == Side::From { &b.to } else { &b.from });
            }
        }
        out
    }

    fn expected(&self, side: Side, i: usize) -> usize {
        let (n, m) = (self.len(side).max(1), self.len(other(side)));
        i * m / n
    }

    /// Step 1: points with the same id on both sides.
    pub fn match_ids(&mut self) {
        let by_id: HashMap<&str, usize> = self
            .from
            .points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.id.as_deref().map(|id| (id, i)))
            .collect();
        for t in 0..self.to.points.len() {
            let Some(id) = self.to.points[t].id.as_deref() else {
                continue;
            };
            if let Some(&f) = by_id.get(id) {
                if self.free(Side::From, f) && self.free(Side::To, t) {
                    self.pair(f, t, Method::Id);
                }
            }
        }
    }

    /// Step 2: identical text after folding white space and case. Repeated
    /// texts pair up with the same number first, then in order.
    pub fn match_exact(&mut self) {
        let mut slot: HashMap<u64, usize, words::FxBuild> = HashMap::default();
        let mut wanting: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
        for f in 0..self.from.points.len() {
            if self.free(Side::From, f) {
                let s = *slot.entry(self.folded[0][f]).or_insert_with(|| {
                    wanting.push((Vec::new(), Vec::new()));
                    wanting.len() - 1
                });
                wanting[s].0.push(f);
            }
        }
        for t in 0..self.to.points.len() {
            if self.free(Side::To, t) {
                if let Some(&s) = slot.get(&self.folded[1][t]) {
                    // A hash collision is not a match.
                    let f = wanting[s].0[0];
                    if words::same_folded(&self.from.points[f].text, &self.to.points[t].text) {
                        wanting[s].1.push(t);
                    }
                }
            }
        }
        for (froms, tos) in wanting {
            let mut used_f = vec![false; froms.len()];
            let mut used_t = vec![false; tos.len()];
            if froms.len() > 1 || tos.len() > 1 {
                let by_number: HashMap<&str, usize> = froms
                    .iter()
                    .enumerate()
                    .map(|(k, &f)| (self.from.points[f].number.as_str(), k))
                    .collect();
                let mut same = Vec::new();
                for (kt, &t) in tos.iter().enumerate() {
                    if let Some(&kf) = by_number.get(self.to.points[t].number.as_str()) {
                        same.push((froms[kf], t));
                        used_f[kf] = true;
                        used_t[kt] = true;
                    }
                }
                for (f, t) in same {
                    self.pair(f, t, Method::Exact);
                }
            }
            let rest_f = froms
                .iter()
                .zip(&used_f)
                .filter(|(_, u)| !**u)
                .map(|(f, _)| *f);
            let rest_t = tos
                .iter()
                .zip(&used_t)
                .filter(|(_, u)| !**u)
                .map(|(t, _)| *t);
            for (f, t) in rest_f.zip(rest_t).collect::<Vec<_>>() {
                self.pair(f, t, Method::Exact);
            }
        }
    }

    /// The groups on the longest in-order chain, as (FROM, TO) anchor points:
    /// each group's first FROM and first TO point.
    fn anchors(&self) -> Vec<(usize, usize)> {
        let keys: Vec<(usize, usize)> = self
            .groups
            .iter()
            .filter(|g| g.alive && !g.from.is_empty() && !g.to.is_empty())
            .map(|g| (g.from[0], g.to[0]))
            .collect();
        let on = in_order_keyed(&keys, &self.tie_keys(&keys));
        let mut chain: Vec<(usize, usize)> = keys
            .into_iter()
            .zip(on)
            .filter_map(|(k, on)| on.then_some(k))
            .collect();
        chain.sort_unstable();
        chain
    }

    /// A small score for keeping order: pairs right next to an anchored pair
    /// of neighbours, then pairs between the anchors around them.
    fn order_bonus(
        &self,
        chain: &[(usize, usize)],
        anchor_of: &HashMap<usize, usize, words::FxBuild>,
        f: usize,
        t: usize,
    ) -> f64 {
        let next_to = (f > 0 && t > 0 && anchor_of.get(&(f - 1)) == Some(&(t - 1)))
            || anchor_of.get(&(f + 1)) == Some(&(t + 1));
        if next_to {
            return 0.5;
        }
        let at = chain.partition_point(|&(a, _)| a < f);
        let lo = if at > 0 { Some(chain[at - 1].1) } else { None };
        let hi = chain.get(at).map(|&(_, b)| b);
        let inside = lo.is_none_or(|lo| t > lo) && hi.is_none_or(|hi| t < hi);
        if inside {
            0.25
        } else {
            0.0
        }
    }

    /// Step 3: similar text. Candidate pairs come from the inverted index in
    /// both directions; they are accepted best first, one-to-one, in rounds
    /// of falling similarity so that later rounds break near-ties with the
    /// order set by earlier ones.
    pub fn match_similar(&mut self) {
        self.read_terms();
        // (FROM, TO, similarity, share of FROM in TO, share of TO in FROM)
        let mut pairs: Vec<(usize, usize, f64, f64, f64)> = Vec::new();
        // For each point, the candidate that holds the largest share of it.
        let mut inside = [
            vec![(0.0f64, usize::MAX); self.len(Side::From)],
            vec![(0.0f64, usize::MAX); self.len(Side::To)],
        ];
        let mut seen: std::collections::HashSet<(usize, usize), words::FxBuild> =
            std::collections::HashSet::default();
        // Every free point's candidates (on every core: the search only
        // reads), then the pairs in the order of the points.
        let queries: Vec<(Side, usize)> = [Side::To, Side::From]
            .into_iter()
            .flat_map(|side| (0..self.len(side)).map(move |x| (side, x)))
            .filter(|&(side, x)| self.free(side, x))
            .collect();
        let longest = self.len(Side::From).max(self.len(Side::To));
        let mut found_all: Vec<Vec<usize>> = Vec::with_capacity(queries.len());
        crate::parallel::ordered_chunks(
            queries.len(),
            SEARCH_CHUNK.max(queries.len() / 8),
            |range| {
                let mut scratch = vec![0.0; longest];
                let mut touched = Vec::new();
                queries[range]
                    .iter()
                    .map(|&(side, x)| {
                        self.candidates_in(
                            &mut scratch,
                            &mut touched,
                            &self.bags[idx(side)][x],
                            other(side),
                            self.expected(side, x),
                            CANDIDATES,
                            |a: &Self, y| a.free(other(side), y),
                        )
                    })
                    .collect::<Vec<_>>()
            },
            |chunk| {
                found_all.extend(chunk);
                Ok::<(), std::convert::Infallible>(())
            },
        )
        .unwrap_or_else(|e| match e {});
        for (&(side, x), found) in queries.iter().zip(found_all) {
            for y in found {
                let (f, t) = if side == Side::From { (x, y) } else { (y, x) };
                if seen.insert((f, t)) {
                    let (bf, bt) = (&self.bags[0][f], &self.bags[1][t]);
                    let shared = self.shared(bf, bt);
                    if shared <= 0.0 {
                        continue;
                    }
                    let s = (shared / (bf.norm * bt.norm).sqrt()).min(1.0);
                    let (cf, ct) = (shared / bf.norm, shared / bt.norm);
                    if cf > inside[0][f].0 {
                        inside[0][f] = (cf, t);
                    }
                    if ct > inside[1][t].0 {
                        inside[1][t] = (ct, f);
                    }
                    if s >= self.threshold {
                        pairs.push((f, t, s, cf, ct));
                    }
                }
            }
        }
        let mut levels: Vec<f64> = [0.75, self.moved_threshold()]
            .into_iter()
            .filter(|&l| l > self.threshold)
            .collect();
        levels.push(self.threshold);
        // The best similarity each point was offered with a partner that was
        // already taken.
        let mut blocked = [
            vec![0.0f64; self.len(Side::From)],
            vec![0.0f64; self.len(Side::To)],
        ];
        for level in levels {
            let open = |a: &Self, f: usize, t: usize| a.free(Side::From, f) && a.free(Side::To, t);
            if !pairs
                .iter()
                .any(|&(f, t, s, _, _)| s >= level && open(self, f, t))
            {
                // Nothing to pair at this level (and so no need for the
                // order around): only note what was offered and taken.
                for &(f, t, s, _, _) in pairs.iter().filter(|p| p.2 >= level) {
                    match (self.free(Side::From, f), self.free(Side::To, t)) {
                        (true, false) => blocked[0][f] = blocked[0][f].max(s),
                        (false, true) => blocked[1][t] = blocked[1][t].max(s),
                        _ => {}
                    }
                }
                continue;
            }
            let chain = self.anchors();
            let anchor_of: HashMap<usize, usize, words::FxBuild> = chain.iter().copied().collect();
            let mut ranked: Vec<(f64, usize, usize, f64, f64, f64)> = pairs
                .iter()
                .filter(|&&(_, _, s, _, _)| s >= level)
                .map(|&(f, t, s, cf, ct)| {
                    let (pf, pt) = (&self.from.points[f], &self.to.points[t]);
                    let mut bonus = self.order_bonus(&chain, &anchor_of, f, t);
                    if pf.number == pt.number {
                        bonus += 0.25;
                    }
                    if pf.title.is_some()
                        && words::fold(pf.title.as_deref().unwrap_or(""))
                            == words::fold(pt.title.as_deref().unwrap_or(""))
                    {
                        bonus += 0.25;
                    }
                    (s + bonus * NEAR_TIE, f, t, s, cf, ct)
                })
                .collect();
            // Ties: the pair nearer the start, nearer the diagonal (keys
            // that do not care which side is which, so that swapping FROM and
            // TO swaps the result).
            let texts = |f: usize, t: usize| {
                let (a, b) = (
                    self.from.points[f].text.as_str(),
                    self.to.points[t].text.as_str(),
                );
                (a.min(b), a.max(b))
            };
            ranked.sort_by(|a, b| {
                b.0.total_cmp(&a.0)
                    .then((a.1 + a.2).cmp(&(b.1 + b.2)))
                    .then(a.1.abs_diff(a.2).cmp(&b.1.abs_diff(b.2)))
                    .then_with(|| texts(a.1, a.2).cmp(&texts(b.1, b.2)))
                    .then(a.1.cmp(&b.1))
            });
            let mut order = Chain::new(&chain);
            for (_, f, t, s, cf, ct) in ranked {
                match (self.free(Side::From, f), self.free(Side::To, t)) {
                    (true, true) if s < self.moved_threshold() && !order.fits(f, t) => {}
                    (true, true) => {
                        // A point wholly inside another point, and much less
                        // inside this partner, is likely a part of a split
                        // or merge.
                        let part_elsewhere = |(c, y): (f64, usize), here: f64, partner: usize| {
                            y != partner && c >= PART && c >= here + DEFER_PART
                        };
                        if blocked[0][f].max(blocked[1][t]) >= s + DEFER
                            || part_elsewhere(inside[0][f], cf, t)
                            || part_elsewhere(inside[1][t], ct, f)
                        {
                            self.deferred.push((f, t, s));
                        } else {
                            self.pair(f, t, Method::Similar);
                            if order.fits(f, t) {
                                order.insert(f, t);
                            }
                        }
                    }
                    (true, false) => blocked[0][f] = blocked[0][f].max(s),
                    (false, true) => blocked[1][t] = blocked[1][t].max(s),
                    (false, false) => {}
                }
            }
        }
    }

    /// Step 4, continued: pairs put off by step 3 because one of their points
    /// had a much better partner that was taken (likely a part of a split or
    /// merge) are accepted now if step 4 left both points free.
    pub fn match_deferred(&mut self) {
        self.read_terms();
        let mut deferred = std::mem::take(&mut self.deferred);
        deferred.sort_by(|a, b| {
            b.2.total_cmp(&a.2)
                .then((a.0 + a.1).cmp(&(b.0 + b.1)))
                .then(a.0.abs_diff(a.1).cmp(&b.0.abs_diff(b.1)))
                .then(a.0.cmp(&b.0))
        });
        let mut order = Chain::new(&self.anchors());
        for (f, t, s) in deferred {
            if self.free(Side::From, f)
                && self.free(Side::To, t)
                && (s >= self.moved_threshold() || order.fits(f, t))
            {
                self.pair(f, t, Method::Similar);
                if order.fits(f, t) {
                    order.insert(f, t);
                }
            }
        }
    }

    /// Step 4: splits and merges. A point left over joins the group of the
    /// point of the other side that contains most of its words, if it adds
    /// coverage of that point; groups are never many-to-many. A split or
    /// merge made only of left-over points needs two parts that together
    /// cover the host point.
    pub fn match_splits_merges(&mut self) {
        self.read_terms();
        // (containment, leftover side, leftover point, host point)
        let mut offers: Vec<(f64, Side, usize, usize, f64)> = Vec::new();
        for side in [Side::To, Side::From] {
            for x in 0..self.len(side) {
                if !self.free(side, x) {
                    continue;
                }
                let bag = self.bags[idx(side)][x].clone();
                let mut hosts = self.candidates(
                    &bag,
                    other(side),
                    self.expected(side, x),
                    CANDIDATES,
                    |_: &Self, _| true,
                );
                hosts.extend(self.neighbours_partners(side, x));
                hosts.sort_unstable();
                hosts.dedup();
                for h in hosts {
                    let c = self.contained(&bag, &self.bags[idx(other(side))][h]);
                    // A part usually stands next to the rest of its group,
                    // and then needs less evidence.
                    let near = self.member[idx(other(side))][h].is_some_and(|g| {
                        let b = &self.groups[g];
                        let parts = if side == Side::From { &b.from } else { &b.to };
                        parts.iter().any(|&p| p + 1 == x || x + 1 == p)
                    });
                    if c >= if near { CONTAINED_NEAR } else { CONTAINED } {
                        let cos = self.cosine(&bag, &self.bags[idx(other(side))][h]);
                        offers.push((c + if near { NEAR_TIE } else { 0.0 }, side, x, h, cos));
                    }
                }
            }
        }
        // Ties go by keys that do not care which side is which (so that
        // swapping FROM and TO swaps splits and merges): similarity, place,
        // then the texts themselves.
        offers.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(b.4.total_cmp(&a.4))
                .then((a.2 + a.3).cmp(&(b.2 + b.3)))
                .then(a.2.abs_diff(a.3).cmp(&b.2.abs_diff(b.3)))
                .then_with(|| {
                    self.text_key(a.1, a.2, a.3)
                        .cmp(&self.text_key(b.1, b.2, b.3))
                })
                .then((a.1 == Side::From).cmp(&(b.1 == Side::From)))
                .then(a.2.cmp(&b.2))
        });
        // Hosts that were unpaired get a provisional group; it must end with
        // two parts covering the host, or it is undone.
        let mut provisional: Vec<usize> = Vec::new();
        let order = Chain::new(&self.anchors());
        for (_, side, x, h, _) in offers {
            if !self.free(side, x) {
                continue;
            }
            let host_side = other(side);
            let (s, hs) = (idx(side), idx(host_side));
            let group = self.member[hs][h];
            // A part stands next to the rest of its group, or at least keeps
            // the order of the groups around it.
            let fits = {
                let (gf, gt): (&[usize], &[usize]) = match group {
                    Some(g) => (&self.groups[g].from, &self.groups[g].to),
                    None => (&[], &[]),
                };
                let parts = if side == Side::From { gf } else { gt };
                let (f, t) = if side == Side::From { (x, h) } else { (h, x) };
                parts.iter().any(|&p| p + 1 == x || x + 1 == p) || order.fits_beside(f, t, gf, gt)
            };
            if !fits {
                continue;
            }
            let parts: Vec<usize> = match group {
                Some(g) => {
                    let b = &self.groups[g];
                    let (hosts, parts) = if host_side == Side::From {
                        (&b.from, &b.to)
                    } else {
                        (&b.to, &b.from)
                    };
                    if hosts.len() > 1 {
                        continue; // growing it would make it many-to-many
                    }
                    // Exact and id pairs are settled; a part of the host
                    // cannot join them.
                    if matches!(b.method, Method::Id | Method::Exact) {
                        continue;
                    }
                    parts.clone()
                }
                None => Vec::new(),
            };
            let host = &self.bags[hs][h];
            let before = if parts.is_empty() {
                0.0
            } else {
                self.contained(host, &self.union(side, &parts))
            };
            let mut with = parts.clone();
            with.push(x);
            let after = self.contained(host, &self.union(side, &with));
            // The share of the part's own weight that covers host words the
            // group did not cover yet: near 1 for a true part, near 0 for a
            // redundant copy.
            let novel = (after - before) * host.norm / self.bags[s][x].norm.max(f64::MIN_POSITIVE);
            if novel < NOVEL {
                continue;
            }
            let g = match group {
                Some(g) => g,
                None => {
                    let g = self.groups.len();
                    let (from, to) = if host_side == Side::From {
                        (vec![h], Vec::new())
                    } else {
                        (Vec::new(), vec![h])
                    };
                    self.groups.push(Building {
                        from,
                        to,
                        method: Method::Cover,
                        alive: true,
                    });
                    self.member[hs][h] = Some(g);
                    provisional.push(g);
                    g
                }
            };
            let b = &mut self.groups[g];
            let parts = if side == Side::From {
                &mut b.from
            } else {
                &mut b.to
            };
            parts.push(x);
            parts.sort_unstable();
            b.method = Method::Cover;
            self.member[s][x] = Some(g);
        }
        for g in provisional {
            let b = &self.groups[g];
            let (host_side, host, parts) = if b.from.len() == 1 && b.to.len() != 1 {
                (Side::From, b.from[0], b.to.clone())
            } else if b.to.len() == 1 && b.from.len() != 1 {
                (Side::To, b.to[0], b.from.clone())
            } else {
                // One host and one part: not a split; let later steps decide.
                (Side::From, usize::MAX, Vec::new())
            };
            let keep = host != usize::MAX
                && parts.len() >= 2
                && self.contained(
                    &self.bags[idx(host_side)][host],
                    &self.union(other(host_side), &parts),
                ) >= COVERED;
            if !keep {
                let b = &mut self.groups[g];
                b.alive = false;
                for &f in &b.from {
                    self.member[0][f] = None;
                }
                for &t in &b.to {
                    self.member[1][t] = None;
                }
                self.groups[g].from.clear();
                self.groups[g].to.clear();
            }
        }
    }

    /// Step 4, continued: between two consecutive groups of the in-order
    /// chain, left-over points are paired in order at a lower bar
    /// (0.7 × threshold), maximising total similarity. A point
    /// reworded in place keeps its place even when few words survive.
    pub fn match_in_gaps(&mut self) {
        self.read_terms();
        let bar = self.threshold * GAP_FACTOR;
        let chain = self.chain_groups();
        // Gap k lies between chain[k-1] and chain[k].
        let mut bounds: Vec<((usize, usize), (usize, usize))> = Vec::new();
        let mut lo = (0usize, 0usize);
        for g in &chain {
            let b = &self.groups[*g];
            let hi = (b.from[0], b.to[0]);
            bounds.push((lo, hi));
            lo = (
                b.from.last().map_or(0, |&x| x + 1),
                b.to.last().map_or(0, |&x| x + 1),
            );
        }
        bounds.push((lo, (self.len(Side::From), self.len(Side::To))));
        for ((f0, t0), (f1, t1)) in bounds {
            if f1 <= f0 || t1 <= t0 {
                continue;
            }
            let fs: Vec<usize> = (f0..f1).filter(|&f| self.free(Side::From, f)).collect();
            let ts: Vec<usize> = (t0..t1).filter(|&t| self.free(Side::To, t)).collect();
            if fs.is_empty() || ts.is_empty() || fs.len() * ts.len() > GAP_CELLS {
                continue;
            }
            let score: Vec<Vec<f64>> = fs
                .iter()
                .map(|&f| {
                    ts.iter()
                        .map(|&t| self.similarity(f, t) + self.same_label_bonus(f, t))
                        .collect()
                })
                .collect();
            for (f, t) in best_in_order(&score, bar, &fs, &ts) {
                self.pair(fs[f], ts[t], Method::Order);
            }
        }
    }

    /// Groups on the longest in-order chain, in order.
    fn chain_groups(&self) -> Vec<usize> {
        let live: Vec<usize> = (0..self.groups.len())
            .filter(|&g| {
                let b = &self.groups[g];
                b.alive && !b.from.is_empty() && !b.to.is_empty()
            })
            .collect();
        let keys: Vec<(usize, usize)> = live
            .iter()
            .map(|&g| (self.groups[g].from[0], self.groups[g].to[0]))
            .collect();
        let on = in_order_keyed(&keys, &self.tie_keys(&keys));
        let mut chain: Vec<usize> = live
            .into_iter()
            .zip(on)
            .filter_map(|(g, on)| on.then_some(g))
            .collect();
        chain.sort_by_key(|&g| self.groups[g].from[0]);
        chain
    }

    /// Step 5: what is left is removed or added; groups are classified and
    /// put in TO order, removed ones after the TO place of their nearest
    /// in-order FROM neighbour.
    pub fn finish(mut self) -> Alignment {
        self.read_terms();
        for f in 0..self.len(Side::From) {
            if self.free(Side::From, f) {
                let g = self.groups.len();
                self.groups.push(Building {
                    from: vec![f],
                    to: Vec::new(),
                    method: Method::Unpaired,
                    alive: true,
                });
                self.member[0][f] = Some(g);
            }
        }
        for t in 0..self.len(Side::To) {
            if self.free(Side::To, t) {
                let g = self.groups.len();
                self.groups.push(Building {
                    from: Vec::new(),
                    to: vec![t],
                    method: Method::Unpaired,
                    alive: true,
                });
                self.member[1][t] = Some(g);
            }
        }
        let chain: std::collections::HashSet<usize> = self.chain_groups().into_iter().collect();
        // Where each removed group goes: after the last TO point of the
        // nearest preceding FROM point whose group is on the chain.
        let mut place: Vec<(usize, u8, usize)> = vec![(0, 0, 0); self.groups.len()];
        let mut after: Option<usize> = None;
        for f in 0..self.len(Side::From) {
            let Some(g) = self.member[0][f] else { continue };
            let b = &self.groups[g];
            if b.to.is_empty() {
                place[g] = match after {
                    Some(t) => (t, 2, f),
                    None => (0, 0, f),
                };
            } else if chain.contains(&g) {
                after = b.to.last().copied();
            }
        }
        let mut out: Vec<(usize, u8, usize, Group)> = Vec::with_capacity(self.groups.len());
        let groups = std::mem::take(&mut self.groups);
        for (g, b) in groups.into_iter().enumerate() {
            if !b.alive || (b.from.is_empty() && b.to.is_empty()) {
                continue;
            }
            let kind = Kind::of(b.from.len(), b.to.len());
            let similarity = match kind {
                Kind::Added | Kind::Removed => None,
                _ if b.method == Method::Exact => Some(1.0),
                // Paired with its very text and title (by id).
                Kind::Matched if !self.has_terms[0][b.from[0]] && !self.has_terms[1][b.to[0]] => {
                    Some(1.0)
                }
                _ => {
                    let s = self.cosine(
                        &self.union(Side::From, &b.from),
                        &self.union(Side::To, &b.to),
                    );
                    // Identical bags of terms from different texts (e.g. two
                    // texts of function words only) say nothing.
                    Some(
                        if s == 0.0
                            && words::fold(&self.joined(Side::From, &b.from))
                                == words::fold(&self.joined(Side::To, &b.to))
                        {
                            1.0
                        } else {
                            s
                        },
                    )
                }
            };
            let key = if b.to.is_empty() {
                place[g]
            } else {
                (b.to[0], 1, b.from.first().copied().unwrap_or(0))
            };
            out.push((
                key.0,
                key.1,
                key.2,
                Group {
                    kind,
                    from: b.from,
                    to: b.to,
                    similarity,
                    method: b.method,
                },
            ));
        }
        out.sort_by_key(|a| (a.0, a.1, a.2));
        Alignment {
            groups: out.into_iter().map(|x| x.3).collect(),
        }
    }

    /// For each (FROM, TO) pair, a number from both texts that does not
    /// depend on which side is FROM: the last tie-break between chains.
    fn tie_keys(&self, pairs: &[(usize, usize)]) -> Vec<u32> {
        pairs
            .iter()
            .map(|&(f, t)| {
                let h = self.folded[0][f] ^ self.folded[1][t];
                (h >> 32) as u32
            })
            .collect()
    }

    fn joined(&self, side: Side, points: &[usize]) -> String {
        let plan = self.plan(side);
        points
            .iter()
            .map(|&p| plan.points[p].text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The in-order chain of pairs, for asking whether a new pair keeps order.
struct Chain(std::collections::BTreeMap<usize, usize>);

impl Chain {
    fn new(pairs: &[(usize, usize)]) -> Self {
        Chain(pairs.iter().copied().collect())
    }

    /// Whether (f, t) falls between the pairs around it.
    fn fits(&self, f: usize, t: usize) -> bool {
        let before = self.0.range(..f).next_back().map(|(_, &b)| b);
        let after = self.0.range(f..).next().map(|(_, &b)| b);
        before.is_none_or(|b| b < t) && after.is_none_or(|b| b > t)
    }

    /// [`Chain::fits`], leaving out the pairs of one group (the group a
    /// point would join): `from` and `to` are its points.
    fn fits_beside(&self, f: usize, t: usize, from: &[usize], to: &[usize]) -> bool {
        let other = |(a, b): (&usize, &usize)| !(from.contains(a) && to.contains(b));
        let before = self.0.range(..f).rev().find(|e| other(*e)).map(|(_, &b)| b);
        let after = self.0.range(f..).find(|e| other(*e)).map(|(_, &b)| b);
        before.is_none_or(|b| b < t) && after.is_none_or(|b| b > t)
    }

    fn insert(&mut self, f: usize, t: usize) {
        self.0.insert(f, t);
    }
}

/// Which of `pairs` lie on one longest chain increasing in both coordinates
/// (pairs are (FROM, TO) positions, in any order). Among chains of equal
/// length, the one whose pairs stray least from their relative place is
/// kept, so that a point that jumped far is the one called moved, not the
/// neighbours it jumped over. Runs in O(n log n).
///
/// ```
/// use treaty::align::in_order;
/// // 3 moved to the front: the others stay in order.
/// assert_eq!(in_order(&[(0, 1), (1, 2), (2, 3), (3, 0)]), [true, true, true, false]);
/// ```
pub fn in_order(pairs: &[(usize, usize)]) -> Vec<bool> {
    in_order_keyed(pairs, &vec![0; pairs.len()])
}

/// [`in_order`], with a last tie-break between chains equal in length and
/// stray: the smaller sum of `keys`.
fn in_order_keyed(pairs: &[(usize, usize)], keys: &[u32]) -> Vec<bool> {
    let n = pairs.len();
    if n == 0 {
        return Vec::new();
    }
    let span_f = pairs.iter().map(|p| p.0).max().unwrap_or(0) as f64 + 1.0;
    let span_t = pairs.iter().map(|p| p.1).max().unwrap_or(0) as f64 + 1.0;
    let stray = |k: usize| (pairs[k].0 as f64 / span_f - pairs[k].1 as f64 / span_t).abs();
    // TO values ranked 1..=m for a Fenwick tree of prefix maxima.
    let mut tos: Vec<usize> = pairs.iter().map(|p| p.1).collect();
    tos.sort_unstable();
    tos.dedup();
    let rank = |to: usize| tos.partition_point(|&x| x < to) + 1;
    let mut order: Vec<usize> = (0..n).collect();
    // By FROM; equal FROMs by descending TO so that at most one is taken.
    order.sort_by(|&a, &b| {
        pairs[a]
            .0
            .cmp(&pairs[b].0)
            .then(pairs[b].1.cmp(&pairs[a].1))
    });
    // Best chain ending at a TO rank ≤ r: (length, −stray, −Σ(FROM + TO),
    // −Σ key, last pair). The last keys settle exact ties the same way
    // whichever side is FROM.
    type Best = (usize, f64, i64, i64, usize);
    let better = |a: &Best, b: &Best| {
        a.0 > b.0
            || (a.0 == b.0
                && (a.1 > b.1 || (a.1 == b.1 && (a.2 > b.2 || (a.2 == b.2 && a.3 > b.3)))))
    };
    let none: Best = (0, 0.0, 0, 0, usize::MAX);
    let mut tree: Vec<Best> = vec![none; tos.len() + 1];
    let mut prev: Vec<usize> = vec![usize::MAX; n];
    let mut end = none;
    for &k in &order {
        let r = rank(pairs[k].1);
        let mut best = none;
        let mut i = r - 1;
        while i > 0 {
            if better(&tree[i], &best) {
                best = tree[i];
            }
            i &= i - 1;
        }
        let here: Best = (
            best.0 + 1,
            best.1 - stray(k),
            best.2 - (pairs[k].0 + pairs[k].1) as i64,
            best.3 - i64::from(keys[k]),
            k,
        );
        prev[k] = best.4;
        if better(&here, &end) {
            end = here;
        }
        let mut i = r;
        while i < tree.len() {
            if better(&here, &tree[i]) {
                tree[i] = here;
            }
            i += i & i.wrapping_neg();
        }
    }
    let mut on = vec![false; n];
    let mut k = end.4;
    while k != usize::MAX {
        on[k] = true;
        k = prev[k];
    }
    on
}

/// The order-keeping set of cells of `score` (rows FROM, columns TO) with
/// the largest total of (score − bar) over cells at or above `bar`. Among
/// equal totals, the cells nearest the start (by `rows[r] + cols[c]`) win, a
/// rule that gives the same answer when rows and columns trade places.
fn best_in_order(
    score: &[Vec<f64>],
    bar: f64,
    rows: &[usize],
    cols: &[usize],
) -> Vec<(usize, usize)> {
    let (nr, nc) = (score.len(), score.first().map_or(0, Vec::len));
    // Integer gains, so that sums do not depend on the order of addition.
    let gain = |r: usize, c: usize| -> Option<(i64, i64)> {
        let s = score[r][c];
        (s >= bar && s > 0.0).then(|| {
            (
                ((s - bar) * 1e6).round() as i64 + 1,
                -((rows[r] + cols[c]) as i64),
            )
        })
    };
    let add = |a: (i64, i64), b: (i64, i64)| (a.0 + b.0, a.1 + b.1);
    let mut best = vec![vec![(0i64, 0i64); nc + 1]; nr + 1];
    for r in 1..=nr {
        for c in 1..=nc {
            let mut b = best[r - 1][c].max(best[r][c - 1]);
            if let Some(g) = gain(r - 1, c - 1) {
                b = b.max(add(best[r - 1][c - 1], g));
            }
            best[r][c] = b;
        }
    }
    let mut out = Vec::new();
    let (mut r, mut c) = (nr, nc);
    while r > 0 && c > 0 {
        match gain(r - 1, c - 1) {
            Some(g) if add(best[r - 1][c - 1], g) == best[r][c] => {
                out.push((r - 1, c - 1));
                r -= 1;
                c -= 1;
            }
            _ if best[r][c] == best[r - 1][c] => r -= 1,
            _ => c -= 1,
        }
    }
    out.reverse();
    out
}

/// Ids for the points of `current` that lack one, for pinning identity on
/// commit: the id of the point of `previous` it aligns to one-to-one, if that
/// point has one and no point of `current` uses it; else a fresh id, unused
/// in either draft: a slug of the title, else `p-<number>`, with `-2`, `-3`, …
/// appended if taken. Points that have an id get `None`.
///
/// ```
/// use treaty::align::pin_ids;
/// use treaty::plan::{Plan, Point};
/// let mut old = Point::new("1", "Ukraine's sovereignty is confirmed.");
/// old.id = Some("sovereignty".into());
/// let previous = Plan { points: vec![old], ..Plan::default() };
/// let mut new = Point::new("7", "A new point on elections.");
/// new.title = Some("Elections".into());
/// let current = Plan {
///     points: vec![Point::new("1", "Ukraine's sovereignty is confirmed again."), new],
///     ..Plan::default()
/// };
/// assert_eq!(pin_ids(&previous, &current), [Some("sovereignty".to_string()), Some("elections".to_string())]);
/// ```
pub fn pin_ids(previous: &Plan, current: &Plan) -> Vec<Option<String>> {
    let alignment = align(previous, current, &Options::default());
    let mut taken: std::collections::HashSet<String> = previous
        .points
        .iter()
        .chain(&current.points)
        .filter_map(|p| p.id.clone())
        .collect();
    let in_current: std::collections::HashSet<&str> = current
        .points
        .iter()
        .filter_map(|p| p.id.as_deref())
        .collect();
    let mut partner: Vec<Option<usize>> = vec![None; current.points.len()];
    for g in &alignment.groups {
        if g.kind == Kind::Matched {
            partner[g.to[0]] = Some(g.from[0]);
        }
    }
    let mut out = vec![None; current.points.len()];
    let mut inherited: std::collections::HashSet<String> = std::collections::HashSet::new();
    // Inherit first, so that fresh ids never take an inherited one.
    for (t, p) in current.points.iter().enumerate() {
        if p.id.is_some() {
            continue;
        }
        if let Some(id) = partner[t].and_then(|f| previous.points[f].id.clone()) {
            if !in_current.contains(id.as_str()) && inherited.insert(id.clone()) {
                out[t] = Some(id);
            }
        }
    }
    for (t, p) in current.points.iter().enumerate() {
        if p.id.is_some() || out[t].is_some() {
            continue;
        }
        let base = p
            .title
            .as_deref()
            .map(slug)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| {
                let n = slug(&p.number);
                if n.is_empty() {
                    "p".to_string()
                } else {
                    format!("p-{n}")
                }
            });
        let mut id = base.clone();
        let mut k = 2;
        while taken.contains(&id) {
            id = format!("{base}-{k}");
            k += 1;
        }
        taken.insert(id.clone());
        out[t] = Some(id);
    }
    out
}

/// A valid id made from free text: lower-case ASCII letters and digits, other
/// runs turned into `-`, at most 40 characters: `"NATO & Russia"` → `nato-russia`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Point;

    fn plan(texts: &[&str]) -> Plan {
        Plan {
            points: texts
                .iter()
                .enumerate()
                .map(|(i, t)| Point::new((i + 1).to_string(), *t))
                .collect(),
            ..Plan::default()
        }
    }

    fn pairs_of(a: &Aligner) -> Vec<(Vec<usize>, Vec<usize>, Method)> {
        let mut v: Vec<_> = a
            .groups
            .iter()
            .filter(|g| g.alive && !(g.from.is_empty() && g.to.is_empty()))
            .map(|g| (g.from.clone(), g.to.clone(), g.method))
            .collect();
        v.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        v
    }

    #[test]
    fn step1_pairs_same_ids_only() {
        let mut from = plan(&["alpha text", "beta text", "gamma"]);
        let mut to = plan(&["completely new", "beta text", "gamma"]);
        from.points[0].id = Some("a".into());
        to.points[0].id = Some("a".into());
        from.points[1].id = Some("b".into());
        to.points[1].id = Some("x".into());
        let mut a = Aligner::new(&from, &to, &Options::default());
        a.match_ids();
        assert_eq!(pairs_of(&a), [(vec![0], vec![0], Method::Id)]);
    }

    #[test]
    fn step2_pairs_identical_text_folding_space_and_case() {
        let from = plan(&["The  Ceasefire holds.", "Same.", "Same.", "other"]);
        let to = plan(&["Same.", "the ceasefire\nholds.", "Same.", "else"]);
        let mut a = Aligner::new(&from, &to, &Options::default());
        a.match_exact();
        assert_eq!(
            pairs_of(&a),
            [
                (vec![0], vec![1], Method::Exact),
                // "Same." twice: number 3 pairs with number 3, then in order.
                (vec![1], vec![0], Method::Exact),
                (vec![2], vec![2], Method::Exact),
            ]
        );
    }

    #[test]
    fn step3_pairs_reworded_points_by_rare_words() {
        let from = plan(&[
            "Ukraine holds elections within 100 days.",
            "The Zaporizhzhia nuclear plant is restarted under IAEA supervision and its power is split between the parties.",
            "The parties agree to the terms.",
        ]);
        let to = plan(&[
            "Elections in Ukraine take place as soon as possible after signing, not within 100 days.",
            "The United States operates the Zaporizhzhia plant; the IAEA supervises.",
        ]);
        let mut a = Aligner::new(&from, &to, &Options::default());
        a.match_similar();
        let got = pairs_of(&a);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!((got[0].0.clone(), got[0].1.clone()), (vec![0], vec![0]));
        assert_eq!((got[1].0.clone(), got[1].1.clone()), (vec![1], vec![1]));
    }

    #[test]
    fn step3_needs_more_similarity_out_of_order() {
        let from = plan(&[
            "Alpha one.",
            "Sanctions on the Arctic are lifted in stages, case by case, over ten years.",
            "Bravo two.",
            "Charlie three.",
        ]);
        // Reworded a lot and moved to the end: too weak to pair out of order.
        let weak = "Sanctions in the Arctic are eased in stages, case by case, once a schedule is agreed with new partners.";
        let to = plan(&["Alpha one.", "Bravo two.", "Charlie three.", weak]);
        let mut a = Aligner::new(&from, &to, &Options::default());
        a.match_exact();
        let s = a.similarity(1, 3);
        assert!((DEFAULT_THRESHOLD..MOVED_THRESHOLD).contains(&s), "{s}");
        a.match_similar();
        assert!(a.free(Side::From, 1));
        // Reworded a little and moved: paired.
        let strong = "Sanctions on the Arctic are lifted in stages, case by case.";
        let to = plan(&["Alpha one.", "Bravo two.", "Charlie three.", strong]);
        let mut a = Aligner::new(&from, &to, &Options::default());
        a.match_exact();
        a.match_similar();
        assert!(pairs_of(&a).contains(&(vec![1], vec![3], Method::Similar)));
    }

    #[test]
    fn step3_breaks_near_ties_by_order() {
        // Two identical candidates for one point: the one between its
        // anchored neighbours wins.
        let from = plan(&[
            "Alpha one.",
            "Shared words here.",
            "Bravo two.",
            "Shared words here!",
            "Charlie three.",
        ]);
        let to = plan(&[
            "Alpha one.",
            "Bravo two.",
            "Shared words here now.",
            "Charlie three.",
        ]);
        let mut a = Aligner::new(&from, &to, &Options::default());
        a.match_exact();
        a.match_similar();
        assert!(
            pairs_of(&a).contains(&(vec![3], vec![2], Method::Similar)),
            "{:?}",
            pairs_of(&a)
        );
    }

    #[test]
    fn step3_respects_the_threshold() {
        let from = plan(&["Kinburn spit demilitarised", "words about Kherson"]);
        let to = plan(&[
            "Kinburn arrangement for grain ships on the Dnipro and other rivers and seas",
            "nothing shared",
        ]);
        let mut a = Aligner::new(&from, &to, &Options { threshold: 0.99 });
        a.match_similar();
        assert!(pairs_of(&a).is_empty());
        let mut a = Aligner::new(&from, &to, &Options { threshold: 0.05 });
        a.match_similar();
        assert_eq!(pairs_of(&a), [(vec![0], vec![0], Method::Similar)]);
    }

    #[test]
    fn step4_finds_a_split_and_a_merge() {
        let from = plan(&[
            "Reconstruction: a Ukraine Development Fund invests in technology and data centres; the World Bank finances rebuilding of Kharkiv and Mariupol.",
            "Prisoners are exchanged all for all.",
            "Civilian detainees and deported children return home.",
            "Elections in 100 days.",
        ]);
        let to = plan(&[
            "A Ukraine Development Fund invests in technology and data centres.",
            "The World Bank finances rebuilding of Kharkiv and Mariupol.",
            "Prisoners are exchanged all for all; civilian detainees and deported children return home.",
            "Elections in 100 days.",
        ]);
        let a = align(&from, &to, &Options::default());
        let kinds: Vec<(Kind, Vec<usize>, Vec<usize>)> = a
            .groups
            .iter()
            .map(|g| (g.kind, g.from.clone(), g.to.clone()))
            .collect();
        assert_eq!(
            kinds,
            [
                (Kind::Split, vec![0], vec![0, 1]),
                (Kind::Merged, vec![1, 2], vec![2]),
                (Kind::Matched, vec![3], vec![3]),
            ]
        );
    }

    #[test]
    fn step4_does_not_attach_a_redundant_copy() {
        let from = plan(&["The Black Sea grain corridor stays open.", "Other."]);
        let to = plan(&[
            "The Black Sea grain corridor stays open.",
            "The Black Sea grain corridor stays open for ships.",
            "Other.",
        ]);
        let a = align(&from, &to, &Options::default());
        let kinds: Vec<Kind> = a.groups.iter().map(|g| g.kind).collect();
        assert_eq!(kinds, [Kind::Matched, Kind::Added, Kind::Matched]);
    }

    #[test]
    fn step4_pairs_in_place_rewording_between_neighbours() {
        let from = plan(&[
            "Sovereignty of Ukraine is confirmed.",
            "Amnesty for everyone involved in the conflict, no claims.",
            "The Peace Council chaired by the President monitors.",
        ]);
        let to = plan(&[
            "Sovereignty of Ukraine is confirmed.",
            "Those involved in the conflict get a full amnesty; no future claims at all.",
            "The Peace Council chaired by the President monitors.",
        ]);
        // A threshold just above the pair's similarity: step 3 leaves it,
        // the in-order pass (at a lower bar) takes it.
        let s = Aligner::new(&from, &to, &Options::default()).similarity(1, 1);
        let mut a = Aligner::new(
            &from,
            &to,
            &Options {
                threshold: s + 0.05,
            },
        );
        a.match_exact();
        a.match_similar();
        assert!(a.free(Side::From, 1));
        a.match_in_gaps();
        assert!(pairs_of(&a).contains(&(vec![1], vec![1], Method::Order)));
    }

    #[test]
    fn step5_leftovers_are_added_and_removed_in_to_order() {
        let from = plan(&["Alpha one.", "Gone for good.", "Bravo two."]);
        let to = plan(&[
            "Brand new first.",
            "Alpha one.",
            "Bravo two.",
            "Brand new last.",
        ]);
        let a = align(&from, &to, &Options::default());
        let shown: Vec<(Kind, Vec<usize>, Vec<usize>)> = a
            .groups
            .iter()
            .map(|g| (g.kind, g.from.clone(), g.to.clone()))
            .collect();
        assert_eq!(
            shown,
            [
                (Kind::Added, vec![], vec![0]),
                (Kind::Matched, vec![0], vec![1]),
                (Kind::Removed, vec![1], vec![]),
                (Kind::Matched, vec![2], vec![2]),
                (Kind::Added, vec![], vec![3]),
            ]
        );
    }

    #[test]
    fn reading_terms_on_two_cores_changes_nothing() {
        let pair = crate::synth::generate(&crate::synth::Options {
            points: 3000,
            seed: 11,
            ..Default::default()
        });
        let run = |parallel: bool| {
            let mut a = Aligner::reading(&pair.from, &pair.to, &Options::default(), parallel);
            a.match_ids();
            a.match_exact();
            a.match_similar();
            a.match_splits_merges();
            a.match_deferred();
            a.match_in_gaps();
            a.finish()
        };
        assert_eq!(run(true), run(false));
    }

    #[test]
    fn in_order_finds_a_longest_chain() {
        assert_eq!(in_order(&[]), Vec::<bool>::new());
        assert_eq!(in_order(&[(0, 0), (1, 1)]), [true, true]);
        assert_eq!(in_order(&[(0, 2), (1, 0), (2, 1)]), [false, true, true]);
        // 5 jumped ahead of 1 and 2: 5 moved, not 1 and 2.
        assert_eq!(
            in_order(&[(0, 0), (1, 2), (2, 3), (3, 4), (4, 5), (5, 1), (6, 6)]),
            [true, true, true, true, true, false, true]
        );
        // A swap of neighbours: either could be called moved; the chain
        // still has every other pair.
        let on = in_order(&[(0, 0), (1, 2), (2, 1), (3, 3)]);
        assert_eq!(on.iter().filter(|x| **x).count(), 3);
        let on = in_order(&[(0, 0), (0, 1)]);
        assert_eq!(on.iter().filter(|x| **x).count(), 1);
    }

    #[test]
    fn best_in_order_keeps_order() {
        let score = vec![vec![0.9, 0.0], vec![0.8, 0.3]];
        assert_eq!(
            best_in_order(&score, 0.1, &[0, 1], &[0, 1]),
            [(0, 0), (1, 1)]
        );
        assert_eq!(best_in_order(&score, 0.5, &[0, 1], &[0, 1]), [(0, 0)]);
        // Ties go to the cells nearest the start, whichever side is rows.
        let tie = vec![vec![0.5], vec![0.5], vec![0.5]];
        assert_eq!(best_in_order(&tie, 0.1, &[0, 1, 2], &[0]), [(0, 0)]);
        let tie = vec![vec![0.5, 0.5, 0.5]];
        assert_eq!(best_in_order(&tie, 0.1, &[0], &[0, 1, 2]), [(0, 0)]);
    }

    #[test]
    fn pin_ids_inherits_and_invents() {
        let mut previous = plan(&["Ukraine's sovereignty is confirmed.", "Amnesty for all."]);
        previous.points[0].id = Some("sovereignty".into());
        previous.points[1].id = Some("p-2".into());
        let mut current = plan(&[
            "Ukraine's sovereignty is confirmed.",
            "New point.",
            "Another new point.",
            "Kept id.",
        ]);
        current.points[3].id = Some("kept".into());
        current.points[2].title = Some("Free Trade!".into());
        let ids = pin_ids(&previous, &current);
        assert_eq!(
            ids,
            [
                Some("sovereignty".to_string()),
                Some("p-2-2".to_string()),
                Some("free-trade".to_string()),
                None
            ]
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("NATO & Russia"), "nato-russia");
        assert_eq!(slug("21.a"), "21-a");
        assert_eq!(slug("—"), "");
        assert!(slug(&"x".repeat(100)).len() <= 40);
    }

    mod props {
        use super::*;
        use crate::synth;
        use proptest::prelude::*;

        /// Drafts of short texts from a tiny vocabulary: many repeats and
        /// near-repeats, the hard case for one-to-one pairing.
        fn small_plan() -> impl Strategy<Value = Plan> {
            let word = prop::sample::select(vec![
                "the",
                "parties",
                "agree",
                "Kherson",
                "800,000",
                "troops",
                "shall",
                "not",
                "leave",
                "Dnipro",
                "grain",
                "ceasefire",
                "now",
                "[may]",
                "NATO",
            ]);
            prop::collection::vec(prop::collection::vec(word, 1..8), 0..14).prop_map(|texts| Plan {
                points: texts
                    .iter()
                    .enumerate()
                    .map(|(i, ws)| Point::new(format!("{}", i + 1), ws.join(" ")))
                    .collect(),
                ..Plan::default()
            })
        }

        /// [`small_plan`] without repeated texts in a draft. Among exact
        /// copies of one text the choice of partner is deterministic but not
        /// symmetric, so the swap property is checked on distinct texts.
        fn distinct_plan() -> impl Strategy<Value = Plan> {
            small_plan().prop_map(|mut plan| {
                let mut seen = std::collections::HashSet::new();
                plan.points.retain(|p| seen.insert(words::fold(&p.text)));
                for (i, p) in plan.points.iter_mut().enumerate() {
                    p.number = (i + 1).to_string();
                }
                plan
            })
        }

        /// Synthetic pairs of every kind of change, at random sizes and mixes.
        fn synth_pair() -> impl Strategy<Value = (Plan, Plan)> {
            (any::<u64>(), 1usize..80, 0.0f64..0.2, 0.0f64..0.3).prop_map(
                |(seed, points, rate, heavy)| {
                    let p = synth::generate(&synth::Options {
                        points,
                        seed,
                        mix: synth::Mix {
                            reworded: 0.2,
                            heavy,
                            moved: rate,
                            added: rate,
                            removed: rate,
                            split: rate / 2.0,
                            merged: rate / 2.0,
                        },
                        boilerplate: 0.2,
                        ..crate::synth::Options::default()
                    });
                    (p.from, p.to)
                },
            )
        }

        fn each_point_once(a: &Alignment, from: &Plan, to: &Plan) -> Result<(), TestCaseError> {
            let mut f = vec![0; from.points.len()];
            let mut t = vec![0; to.points.len()];
            for g in &a.groups {
                prop_assert!(!g.from.is_empty() || !g.to.is_empty());
                prop_assert_eq!(g.kind, Kind::of(g.from.len(), g.to.len()));
                g.from.iter().for_each(|&i| f[i] += 1);
                g.to.iter().for_each(|&i| t[i] += 1);
            }
            prop_assert!(f.iter().all(|&c| c == 1), "FROM counts {:?}", f);
            prop_assert!(t.iter().all(|&c| c == 1), "TO counts {:?}", t);
            // Groups with TO points come in TO order.
            let firsts: Vec<usize> = a
                .groups
                .iter()
                .filter_map(|g| g.to.first().copied())
                .collect();
            prop_assert!(firsts.windows(2).all(|w| w[0] < w[1]));
            Ok(())
        }

        fn swapped(kind: Kind) -> Kind {
            match kind {
                Kind::Split => Kind::Merged,
                Kind::Merged => Kind::Split,
                Kind::Added => Kind::Removed,
                Kind::Removed => Kind::Added,
                Kind::Matched => Kind::Matched,
            }
        }

        fn check_swap(from: &Plan, to: &Plan) -> Result<(), TestCaseError> {
            let o = Options::default();
            let ab = align(from, to, &o);
            let ba = align(to, from, &o);
            let mut forward: Vec<(Kind, Vec<usize>, Vec<usize>)> = ab
                .groups
                .iter()
                .map(|g| (g.kind, g.from.clone(), g.to.clone()))
                .collect();
            let mut backward: Vec<(Kind, Vec<usize>, Vec<usize>)> = ba
                .groups
                .iter()
                .map(|g| (swapped(g.kind), g.to.clone(), g.from.clone()))
                .collect();
            forward.sort();
            backward.sort();
            prop_assert_eq!(forward, backward);
            Ok(())
        }

        proptest! {
            #![proptest_config(crate::proptest_config(200))]

            #[test]
            fn every_point_in_exactly_one_group(from in small_plan(), to in small_plan()) {
                each_point_once(&align(&from, &to, &Options::default()), &from, &to)?;
            }

            #[test]
            fn every_point_in_exactly_one_group_synthetic((from, to) in synth_pair()) {
                each_point_once(&align(&from, &to, &Options::default()), &from, &to)?;
            }

            #[test]
            fn a_draft_against_itself_is_unchanged(plan in small_plan()) {
                let d = crate::diff::diff(&plan, &plan, &Options::default());
                prop_assert!(d.changes.iter().all(|c| c.kind == Kind::Matched && !c.is_changed()));
                prop_assert_eq!(d.summary.unchanged, plan.points.len());
            }

            #[test]
            fn a_synthetic_draft_against_itself_is_unchanged((from, _to) in synth_pair()) {
                let d = crate::diff::diff(&from, &from, &Options::default());
                prop_assert!(!d.has_changes());
            }

            #[test]
            fn swapping_sides_swaps_kinds_and_keeps_pairs((from, to) in synth_pair()) {
                check_swap(&from, &to)?;
            }

            #[test]
            fn swapping_sides_of_small_drafts(from in distinct_plan(), to in distinct_plan()) {
                check_swap(&from, &to)?;
            }

            #[test]
            fn any_threshold_keeps_the_invariants((from, to) in synth_pair(), threshold in 0.0f64..=1.0) {
                each_point_once(&align(&from, &to, &Options { threshold }), &from, &to)?;
            }
        }
    }
}
