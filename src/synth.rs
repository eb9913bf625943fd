//! Synthetic draft pairs with a known true alignment, for measuring the diff
//! engine (tests, benchmarks, `examples/synth.rs`).
//!
//! [`generate`] writes a FROM draft of made-up points (function words, a
//! Zipf-distributed general vocabulary, topic words shared by a handful of
//! points, and rare names and figures), then derives TO from it the way
//! negotiators do: points reworded lightly or heavily (most words replaced,
//! clauses reordered, length doubled), moved, added (often on an existing
//! topic), removed, split in two or three, merged; every point renumbered, no
//! ids. It returns both drafts and the true groups. The same seed always gives
//! the same pair.
//!
//! [`score`] compares correspondences — the (FROM number, TO number) pairs
//! that groups imply — with the truth: precision, recall and F1.
//!
//! ```
//! use treaty::synth::{generate, score, Options};
//! let pair = generate(&Options { points: 50, seed: 7, ..Options::default() });
//! let diff = treaty::diff::diff(&pair.from, &pair.to, &Default::default());
//! let s = score(&pair.truth_pairs(), &treaty::synth::diff_pairs(&diff));
//! assert!(s.f1() > 0.8);
//! ```

use serde::Serialize;

use crate::align::Kind;
use crate::plan::{Plan, Point, Status};

/// A small, fast, seedable generator (SplitMix64): deterministic everywhere,
/// no dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x853c_49e6_748f_ea9b)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// A number in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// An index drawn with probability ∝ 1/(rank+1) (Zipf) among `n`.
    pub fn zipf(&mut self, n: usize) -> usize {
        // Inverse of the continuous approximation: rank ≈ n^u − 1.
        let r = ((n as f64 + 1.0).powf(self.unit()) - 1.0) as usize;
        r.min(n.saturating_sub(1))
    }
}

/// How often each change happens, per FROM point (added: per FROM point too).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mix {
    /// Lightly reworded: a fifth of the words replaced, some inserted or dropped.
    pub reworded: f64,
    /// Heavily reworded: most words replaced, clauses reordered, length up to
    /// doubled; rare words mostly kept.
    pub heavy: f64,
    pub moved: f64,
    pub added: f64,
    pub removed: f64,
    /// Split into two (sometimes three) consecutive points.
    pub split: f64,
    /// Merged with the next point.
    pub merged: f64,
}

impl Default for Mix {
    fn default() -> Self {
        Mix {
            reworded: 0.25,
            heavy: 0.12,
            moved: 0.05,
            added: 0.06,
            removed: 0.06,
            split: 0.03,
            merged: 0.03,
        }
    }
}

impl Mix {
    /// The profile of the performance benchmark (`cargo bench --bench
    /// perf`): 5% of points reworded, 2% moved, 1% added, 1% removed, 0.4%
    /// split, 0.4% merged, every point renumbered.
    pub const BENCH: Mix = Mix {
        reworded: 0.05,
        heavy: 0.0,
        moved: 0.02,
        added: 0.01,
        removed: 0.01,
        split: 0.004,
        merged: 0.004,
    };
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Points in FROM.
    pub points: usize,
    pub seed: u64,
    pub mix: Mix,
    /// Fraction of points that open with the same long boilerplate sentence.
    pub boilerplate: f64,
    /// The shortest point, in words: lengths run from this to 8 times this,
    /// log-uniform (8 gives about 250 bytes a point; 20, about 600).
    pub words: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            points: 1000,
            seed: 1,
            mix: Mix::default(),
            boilerplate: 0.1,
            words: SHORTEST_POINT,
        }
    }
}

/// One true group: indices into FROM's and TO's points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruthGroup {
    pub kind: Kind,
    pub from: Vec<usize>,
    pub to: Vec<usize>,
}

/// Two drafts and how their points truly correspond.
#[derive(Debug, Clone)]
pub struct SynthPair {
    pub from: Plan,
    pub to: Plan,
    pub truth: Vec<TruthGroup>,
}

impl SynthPair {
    /// The true correspondences as (FROM number, TO number), sorted.
    pub fn truth_pairs(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for g in &self.truth {
            for &f in &g.from {
                for &t in &g.to {
                    out.push((
                        self.from.points[f].number.clone(),
                        self.to.points[t].number.clone(),
                    ));
                }
            }
        }
        out.sort();
        out
    }

    /// The truth as JSON (`treaty.truth/1`): every group with its kind and
    /// the numbers on each side.
    pub fn truth_json(&self) -> String {
        let groups = self
            .truth
            .iter()
            .map(|g| TruthGroupJson {
                kind: g.kind.as_str(),
                from: g
                    .from
                    .iter()
                    .map(|&f| self.from.points[f].number.clone())
                    .collect(),
                to: g
                    .to
                    .iter()
                    .map(|&t| self.to.points[t].number.clone())
                    .collect(),
            })
            .collect();
        crate::render::json::to_string(&TruthJson {
            schema: "treaty.truth/1",
            groups,
        })
    }
}

#[derive(Serialize)]
struct TruthJson {
    schema: &'static str,
    groups: Vec<TruthGroupJson>,
}

#[derive(Serialize)]
struct TruthGroupJson {
    kind: &'static str,
    from: Vec<String>,
    to: Vec<String>,
}

/// Reads the (FROM number, TO number) correspondences from a truth file
/// (`treaty.truth/1`) or from `treaty diff --format json` output
/// (`treaty.diff/1`): every pair of a group with points on both sides.
pub fn pairs_from_json(value: &serde_json::Value) -> Option<Vec<(String, String)>> {
    let groups = value
        .get("groups")
        .or_else(|| value.get("changes"))?
        .as_array()?;
    let numbers = |v: &serde_json::Value| -> Option<Vec<String>> {
        v.as_array()?
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .or_else(|| x.get("number")?.as_str().map(str::to_string))
            })
            .collect()
    };
    let mut out = Vec::new();
    for g in groups {
        let from = numbers(g.get("from")?)?;
        let to = numbers(g.get("to")?)?;
        for f in &from {
            for t in &to {
                out.push((f.clone(), t.clone()));
            }
        }
    }
    out.sort();
    Some(out)
}

/// The correspondences of a diff, as (FROM number, TO number), sorted.
pub fn diff_pairs(diff: &crate::diff::PlanDiff) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for c in &diff.changes {
        for f in &c.from {
            for t in &c.to {
                out.push((f.number.clone(), t.number.clone()));
            }
        }
    }
    out.sort();
    out
}

/// Precision and recall of found correspondences against true ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Score {
    /// Found and true.
    pub correct: usize,
    /// Found.
    pub found: usize,
    /// True.
    pub expected: usize,
}

impl Score {
    pub fn precision(&self) -> f64 {
        if self.found == 0 {
            1.0
        } else {
            self.correct as f64 / self.found as f64
        }
    }

    pub fn recall(&self) -> f64 {
        if self.expected == 0 {
            1.0
        } else {
            self.correct as f64 / self.expected as f64
        }
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Adds another score's counts (micro-averaging).
    pub fn add(&mut self, other: Score) {
        self.correct += other.correct;
        self.found += other.found;
        self.expected += other.expected;
    }
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "precision {:.4} ({}/{}) recall {:.4} ({}/{}) F1 {:.4}",
            self.precision(),
            self.correct,
            self.found,
            self.recall(),
            self.correct,
            self.expected,
            self.f1()
        )
    }
}

/// Scores `found` correspondences against `expected` ones.
pub fn score(expected: &[(String, String)], found: &[(String, String)]) -> Score {
    let truth: std::collections::HashSet<&(String, String)> = expected.iter().collect();
    let found_set: std::collections::HashSet<&(String, String)> = found.iter().collect();
    Score {
        correct: found_set.iter().filter(|p| truth.contains(*p)).count(),
        found: found_set.len(),
        expected: truth.len(),
    }
}

const FUNCTION_WORDS: &[&str] = &[
    "the", "the", "the", "of", "of", "and", "and", "to", "to", "in", "a", "shall", "will", "be",
    "by", "for", "on", "with", "as", "all", "any", "its", "their", "this", "that", "which", "from",
    "under", "after", "not", "no", "each", "both", "such", "other", "is", "are", "may", "must",
    "at", "or", "into", "within", "between", "against",
];

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mer", "tan", "vi", "sol", "dra", "pen", "rux", "ta", "or", "bel", "mi", "zan",
    "kor", "ul", "re", "sta", "ni", "gor", "ve", "lan", "tri", "po", "ush", "den", "ar", "il",
    "mon", "sek", "fa", "ru", "cha", "bi", "nor", "quel", "ost", "ze", "hin", "dal",
];

/// The vocabulary of one generated pair.
struct Vocab {
    general: Vec<String>,
    topics: Vec<Vec<String>>,
    next_name: usize,
}

impl Vocab {
    fn new(rng: &mut Rng, points: usize) -> Self {
        let mut seen = std::collections::HashSet::new();
        // Past 64 misses in a row the words of this length are nearly all
        // taken (large drafts: 40^3 three-syllable words run out near 50,000
        // points), so the word grows by a syllable instead of looping on.
        let mut word = |rng: &mut Rng, mut syllables: usize| {
            let mut misses = 0;
            loop {
                let w: String = (0..syllables)
                    .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                    .collect();
                if seen.insert(w.clone()) {
                    return w;
                }
                misses += 1;
                if misses % 64 == 0 {
                    syllables += 1;
                }
            }
        };
        let general = (0..600)
            .map(|_| {
                let n = rng.range(2, 3);
                word(rng, n)
            })
            .collect();
        let n_topics = (points / 4).max(3);
        let topics = (0..n_topics)
            .map(|_| {
                (0..10)
                    .map(|_| {
                        let n = rng.range(3, 4);
                        word(rng, n)
                    })
                    .collect()
            })
            .collect();
        Vocab {
            general,
            topics,
            next_name: 0,
        }
    }

    fn general_word(&self, rng: &mut Rng) -> String {
        self.general[rng.zipf(self.general.len())].clone()
    }

    /// A rare word: a capitalised name or a figure, unique to the pair.
    fn rare(&mut self, rng: &mut Rng) -> String {
        self.next_name += 1;
        let k = self.next_name;
        match rng.below(5) {
            0 => format!("{},000", 10 + (k * 37) % 990),
            1 => format!("{} days", 5 + (k * 13) % 360),
            2 => format!("${}bn", 1 + (k * 7) % 500),
            _ => {
                let mut name: String = (0..rng.range(3, 4))
                    .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                    .collect();
                name.push_str(
                    &k.to_string()
                        .chars()
                        .map(|d| (b'a' + (d as u8 - b'0')) as char)
                        .collect::<String>(),
                );
                let mut c = name.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or(name)
            }
        }
    }
}

/// One point's content, as words (figures may hold a space).
#[derive(Debug, Clone)]
struct Content {
    topic: usize,
    words: Vec<String>,
    rare: Vec<String>,
}

/// The default shortest point, in words ([`Options::words`]).
pub const SHORTEST_POINT: usize = 8;

fn compose(
    rng: &mut Rng,
    vocab: &mut Vocab,
    topic: usize,
    boilerplate: bool,
    shortest: usize,
) -> Content {
    // `shortest` to 8 times that, log-uniform.
    let len = (shortest.max(1) as f64 * (8.0f64).powf(rng.unit())) as usize;
    let rare: Vec<String> = (0..rng.range(0, 3)).map(|_| vocab.rare(rng)).collect();
    let mut words = Vec::with_capacity(len + 12);
    if boilerplate {
        words.extend(
            "the parties to this agreement shall in accordance with the provisions set out above and without prejudice to any other obligation"
                .split(' ')
                .map(str::to_string),
        );
    }
    for _ in 0..len {
        let roll = rng.unit();
        words.push(if roll < 0.35 {
            FUNCTION_WORDS[rng.below(FUNCTION_WORDS.len())].to_string()
        } else if roll < 0.72 {
            vocab.general_word(rng)
        } else {
            vocab.topics[topic][rng.below(vocab.topics[topic].len())].clone()
        });
    }
    for r in &rare {
        let at = rng.below(words.len() + 1);
        words.insert(at, r.clone());
    }
    Content { topic, words, rare }
}

/// Replaces, inserts and drops words: each non-rare word is kept with
/// probability `keep`, rare ones with `keep_rare`.
fn reword(rng: &mut Rng, vocab: &mut Vocab, c: &Content, keep: f64, keep_rare: f64) -> Content {
    let mut words = Vec::with_capacity(c.words.len() + 4);
    let topic = &vocab.topics[c.topic];
    for w in &c.words {
        let rare = c.rare.contains(w);
        if rare {
            if rng.chance(keep_rare) {
                words.push(w.clone());
            }
            continue;
        }
        if rng.chance(keep) {
            words.push(w.clone());
        } else {
            match rng.below(4) {
                0 => {} // dropped
                1 => words.push(topic[rng.below(topic.len())].clone()),
                _ => words.push(vocab.general_word(rng)),
            }
        }
        if rng.chance((1.0 - keep) * 0.3) {
            words.push(vocab.general_word(rng));
        }
    }
    if words.is_empty() {
        words.push(vocab.general_word(rng));
    }
    Content {
        topic: c.topic,
        words,
        rare: c.rare.clone(),
    }
}

/// Heavy rewording: most words replaced, clauses reordered, often a new
/// clause as long as the old text.
fn rewrite(rng: &mut Rng, vocab: &mut Vocab, c: &Content) -> Content {
    let mut out = reword(rng, vocab, c, 0.45, 0.85);
    // Reorder: rotate at a random cut.
    if out.words.len() > 4 && rng.chance(0.5) {
        let cut = rng.range(1, out.words.len() - 1);
        out.words.rotate_left(cut);
    }
    if rng.chance(0.5) {
        let extra = rng.range(out.words.len() / 2, out.words.len() + 4);
        let topic = &vocab.topics[c.topic];
        for _ in 0..extra {
            let roll = rng.unit();
            let w = if roll < 0.4 {
                FUNCTION_WORDS[rng.below(FUNCTION_WORDS.len())].to_string()
            } else if roll < 0.8 {
                vocab.general_word(rng)
            } else {
                topic[rng.below(topic.len())].clone()
            };
            out.words.push(w);
        }
    }
    out
}

fn sentence(words: &[String]) -> String {
    let mut s = String::new();
    for (k, w) in words.iter().enumerate() {
        if k > 0 {
            s.push(if k % 11 == 0 { ',' } else { ' ' });
            if k % 11 == 0 {
                s.push(' ');
            }
        }
        s.push_str(w);
    }
    let mut c = s.chars();
    let mut out: String = match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    };
    out.push('.');
    out
}

/// What a slot of TO holds, before numbering.
struct Slot {
    from: Vec<usize>,
    text: String,
    /// Parts of one split share a group.
    group: usize,
    moved: bool,
}

/// Generates a draft pair with its true alignment.
pub fn generate(options: &Options) -> SynthPair {
    let mut rng = Rng::new(options.seed);
    let n = options.points.max(1);
    let mut vocab = Vocab::new(&mut rng, n);
    let n_topics = vocab.topics.len();
    let contents: Vec<Content> = (0..n)
        .map(|_| {
            let topic = rng.zipf(n_topics);
            let boiler = rng.chance(options.boilerplate);
            compose(&mut rng, &mut vocab, topic, boiler, options.words)
        })
        .collect();
    let parties = vec![
        "North".to_string(),
        "South".to_string(),
        "Mediator".to_string(),
    ];
    let from = Plan {
        title: Some(format!("Synthetic plan {}", options.seed)),
        parties: parties.clone(),
        draft: crate::plan::DraftInfo {
            label: Some("from".into()),
            ..Default::default()
        },
        points: contents
            .iter()
            .enumerate()
            .map(|(i, c)| Point::new((i + 1).to_string(), sentence(&c.words)))
            .collect(),
    };

    let m = options.mix;
    let mut slots: Vec<Slot> = Vec::new();
    let mut groups = 0usize;
    let mut i = 0;
    while i < n {
        let roll = rng.unit();
        let c = &contents[i];
        let mut edges = [m.removed, m.split, m.merged, m.heavy, m.reworded]
            .into_iter()
            .scan(0.0, |acc, p| {
                *acc += p;
                Some(*acc)
            });
        let (removed, split, merged, heavy, reworded) = (
            edges.next().unwrap_or(0.0),
            edges.next().unwrap_or(0.0),
            edges.next().unwrap_or(0.0),
            edges.next().unwrap_or(0.0),
            edges.next().unwrap_or(0.0),
        );
        if rng.chance(m.added) {
            let topic = if rng.chance(0.7) {
                c.topic
            } else {
                rng.zipf(n_topics)
            };
            let boiler = rng.chance(options.boilerplate);
            let new = compose(&mut rng, &mut vocab, topic, boiler, options.words);
            slots.push(Slot {
                from: Vec::new(),
                text: sentence(&new.words),
                group: groups,
                moved: false,
            });
            groups += 1;
        }
        if roll < removed {
            i += 1;
            continue;
        }
        if roll < split && c.words.len() >= 8 {
            let parts = if c.words.len() >= 24 && rng.chance(0.25) {
                3
            } else {
                2
            };
            let mut cuts = vec![0];
            for k in 1..parts {
                let target = c.words.len() * k / parts;
                cuts.push(
                    (target + rng.below(3))
                        .saturating_sub(1)
                        .clamp(cuts[k - 1] + 2, c.words.len() - 2),
                );
            }
            cuts.push(c.words.len());
            for k in 0..parts {
                let part = Content {
                    topic: c.topic,
                    words: c.words[cuts[k]..cuts[k + 1]].to_vec(),
                    rare: c.rare.clone(),
                };
                let part = if rng.chance(0.5) {
                    reword(&mut rng, &mut vocab, &part, 0.8, 1.0)
                } else {
                    part
                };
                slots.push(Slot {
                    from: vec![i],
                    text: sentence(&part.words),
                    group: groups,
                    moved: false,
                });
            }
            groups += 1;
            i += 1;
            continue;
        }
        if roll >= split && roll < merged && i + 1 < n {
            let mut words = c.words.clone();
            words.extend(contents[i + 1].words.iter().cloned());
            let mut rare = c.rare.clone();
            rare.extend(contents[i + 1].rare.iter().cloned());
            let both = Content {
                topic: c.topic,
                words,
                rare,
            };
            let both = if rng.chance(0.5) {
                reword(&mut rng, &mut vocab, &both, 0.8, 1.0)
            } else {
                both
            };
            slots.push(Slot {
                from: vec![i, i + 1],
                text: sentence(&both.words),
                group: groups,
                moved: false,
            });
            groups += 1;
            i += 2;
            continue;
        }
        let text = if roll >= merged && roll < heavy {
            sentence(&rewrite(&mut rng, &mut vocab, c).words)
        } else if roll >= heavy && roll < reworded {
            sentence(&reword(&mut rng, &mut vocab, c, 0.8, 0.95).words)
        } else {
            from.points[i].text.clone()
        };
        slots.push(Slot {
            from: vec![i],
            text,
            group: groups,
            moved: rng.chance(m.moved),
        });
        groups += 1;
        i += 1;
    }
    // Moves: take the chosen slots out and put each back somewhere else.
    let (moving, staying): (Vec<Slot>, Vec<Slot>) = slots.into_iter().partition(|s| s.moved);
    let mut landing: Vec<(usize, Slot)> = moving
        .into_iter()
        .map(|s| (rng.below(staying.len() + 1), s))
        .collect();
    landing.sort_by_key(|(at, _)| *at);
    let mut slots = Vec::with_capacity(staying.len() + landing.len());
    let mut landing = landing.into_iter().peekable();
    for (k, s) in staying.into_iter().enumerate() {
        while let Some((_, m)) = landing.next_if(|(at, _)| *at <= k) {
            slots.push(m);
        }
        slots.push(s);
    }
    slots.extend(landing.map(|(_, m)| m));

    let to = Plan {
        title: from.title.clone(),
        parties,
        draft: crate::plan::DraftInfo {
            label: Some("to".into()),
            ..Default::default()
        },
        points: slots
            .iter()
            .enumerate()
            .map(|(t, s)| Point::new((t + 1).to_string(), s.text.clone()))
            .collect(),
    };
    let mut by_group: std::collections::BTreeMap<usize, (Vec<usize>, Vec<usize>)> =
        Default::default();
    for (t, s) in slots.iter().enumerate() {
        let e = by_group.entry(s.group).or_default();
        for &f in &s.from {
            if !e.0.contains(&f) {
                e.0.push(f);
            }
        }
        e.1.push(t);
    }
    let mut truth: Vec<TruthGroup> = by_group
        .into_values()
        .map(|(mut f, mut t)| {
            f.sort_unstable();
            t.sort_unstable();
            let kind = match (f.len(), t.len()) {
                (0, _) => Kind::Added,
                (1, 1) => Kind::Matched,
                (1, _) => Kind::Split,
                _ => Kind::Merged,
            };
            TruthGroup {
                kind,
                from: f,
                to: t,
            }
        })
        .collect();
    let mut seen = vec![false; n];
    for g in &truth {
        for &f in &g.from {
            seen[f] = true;
        }
    }
    for (f, s) in seen.iter().enumerate() {
        if !s {
            truth.push(TruthGroup {
                kind: Kind::Removed,
                from: vec![f],
                to: Vec::new(),
            });
        }
    }
    SynthPair { from, to, truth }
}

/// What history to generate: a plan revised many times, as [`history`]
/// writes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HistoryOptions {
    /// Points in the first revision.
    pub points: usize,
    /// Revisions, the first included.
    pub revisions: usize,
    pub seed: u64,
    /// Share of points reworded in each revision.
    pub reworded: f64,
    /// Share of points whose status changes in each revision.
    pub flipped: f64,
    /// Points inserted in each revision.
    pub inserted: usize,
}

impl Default for HistoryOptions {
    /// The benchmark's history: 1,000 revisions of a 1,000-point plan, each
    /// rewording 0.5% of points, changing 0.3% of statuses and inserting a
    /// point.
    fn default() -> Self {
        HistoryOptions {
            points: 1000,
            revisions: 1000,
            seed: 1,
            reworded: 0.005,
            flipped: 0.003,
            inserted: 1,
        }
    }
}

/// A plan's history, oldest first, as `treaty commit` would have recorded it:
/// every point has an id (pinned when it first appeared), points are
/// numbered 1…n in each revision (an insertion renumbers the points after
/// it), statuses are explicit (`agreed`, `disputed`, `open`).
pub fn history(options: &HistoryOptions) -> Vec<Plan> {
    let mut rng = Rng::new(options.seed ^ 0x6869_7374);
    let n = options.points.max(1);
    let mut vocab = Vocab::new(&mut rng, n);
    let n_topics = vocab.topics.len();
    let status = |rng: &mut Rng| match rng.below(20) {
        0..=11 => Status::Agreed,
        12..=16 => Status::Open,
        _ => Status::Disputed,
    };
    let mut next_id = 0usize;
    // (id, content, status) per point.
    let mut points: Vec<(String, Content, Status)> = (0..n)
        .map(|_| {
            next_id += 1;
            let topic = rng.zipf(n_topics);
            let boilerplate = rng.chance(0.1);
            let c = compose(&mut rng, &mut vocab, topic, boilerplate, SHORTEST_POINT);
            (format!("p-{next_id}"), c, status(&mut rng))
        })
        .collect();
    let render = |points: &[(String, Content, Status)], k: usize| Plan {
        title: Some(format!("Synthetic history {}", options.seed)),
        parties: vec!["North".into(), "South".into(), "Mediator".into()],
        draft: crate::plan::DraftInfo {
            label: Some(format!("r{k}")),
            ..Default::default()
        },
        points: points
            .iter()
            .enumerate()
            .map(|(i, (id, c, st))| {
                let mut p = Point::new((i + 1).to_string(), sentence(&c.words));
                p.id = Some(id.clone());
                p.status = *st;
                p.explicit_status = Some(*st);
                p
            })
            .collect(),
    };
    let mut out = vec![render(&points, 1)];
    for k in 2..=options.revisions {
        let len = points.len();
        for _ in 0..((len as f64 * options.reworded).round() as usize).max(1) {
            let i = rng.below(len);
            points[i].1 = reword(&mut rng, &mut vocab, &points[i].1, 0.8, 0.95);
        }
        for _ in 0..(len as f64 * options.flipped).round() as usize {
            let i = rng.below(len);
            let now = points[i].2;
            points[i].2 = loop {
                let s = status(&mut rng);
                if s != now {
                    break s;
                }
            };
        }
        for _ in 0..options.inserted {
            next_id += 1;
            let topic = rng.zipf(n_topics);
            let c = compose(&mut rng, &mut vocab, topic, false, SHORTEST_POINT);
            let at = rng.below(points.len() + 1);
            points.insert(at, (format!("p-{next_id}"), c, Status::Open));
        }
        out.push(render(&points, k));
    }
    out
}

/// Where a diff of two drafts (as bytes) spends its time: each stage of
/// `treaty diff --format json`, run in process one after the other on one
/// thread (the command runs several on two cores), best of `runs`. `None`
/// if either draft is invalid.
pub fn time_stages(
    from: &[u8],
    to: &[u8],
    runs: usize,
) -> Option<Vec<(&'static str, std::time::Duration)>> {
    use std::time::Instant;
    let mut best: Vec<(&'static str, std::time::Duration)> = Vec::new();
    for _ in 0..runs.max(1) {
        let mut times = Vec::new();
        let mut t = Instant::now();
        let mut lap = |what: &'static str, times: &mut Vec<_>| {
            times.push((what, t.elapsed()));
            t = Instant::now();
        };
        let a = Plan::parse_bytes(from, "from.toml").ok()?;
        let b = Plan::parse_bytes(to, "to.toml").ok()?;
        lap("parse both drafts", &mut times);
        let options = crate::align::Options::default();
        let mut al = crate::align::Aligner::new(&a, &b, &options);
        lap("align: fold hashes", &mut times);
        al.match_ids();
        al.match_exact();
        lap("align: ids and exact texts", &mut times);
        al.read_terms();
        lap("align: terms of the rest, index", &mut times);
        al.match_similar();
        lap("align: similar texts", &mut times);
        al.match_splits_merges();
        al.match_deferred();
        al.match_in_gaps();
        let alignment = al.finish();
        lap("align: splits, merges, gaps, order", &mut times);
        let d = crate::diff::diff_aligned(&a, &b, &alignment);
        lap("classify + word diffs", &mut times);
        let mut out = Vec::new();
        let info = crate::revision::RevInfo::file("x");
        crate::render::json::write_diff(&mut out, &d, None, &info, &info).ok()?;
        lap("render JSON", &mut times);
        if best.is_empty() {
            best = times;
        } else {
            for (b, t) in best.iter_mut().zip(times) {
                b.1 = b.1.min(t.1);
            }
        }
    }
    Some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_pair() {
        let o = Options {
            points: 200,
            seed: 3,
            ..Options::default()
        };
        let (a, b) = (generate(&o), generate(&o));
        assert_eq!(a.from, b.from);
        assert_eq!(a.to, b.to);
        assert_eq!(a.truth, b.truth);
        let c = generate(&Options { seed: 4, ..o });
        assert_ne!(a.to, c.to);
    }

    #[test]
    fn every_point_is_in_exactly_one_true_group() {
        let pair = generate(&Options {
            points: 500,
            seed: 9,
            ..Options::default()
        });
        let mut f = vec![0; pair.from.points.len()];
        let mut t = vec![0; pair.to.points.len()];
        for g in &pair.truth {
            g.from.iter().for_each(|&i| f[i] += 1);
            g.to.iter().for_each(|&i| t[i] += 1);
        }
        assert!(f.iter().all(|&c| c == 1));
        assert!(t.iter().all(|&c| c == 1));
        for kind in [
            Kind::Matched,
            Kind::Split,
            Kind::Merged,
            Kind::Added,
            Kind::Removed,
        ] {
            assert!(pair.truth.iter().any(|g| g.kind == kind), "no {kind:?}");
        }
    }

    #[test]
    fn drafts_are_valid() {
        let pair = generate(&Options {
            points: 100,
            seed: 1,
            ..Options::default()
        });
        for plan in [&pair.from, &pair.to] {
            let again = Plan::parse(&plan.to_toml(), "synth.toml").expect("valid draft");
            assert_eq!(&again, plan);
        }
    }

    #[test]
    fn histories_are_valid_and_change_a_little() {
        let revs = history(&HistoryOptions {
            points: 60,
            revisions: 5,
            reworded: 0.05,
            flipped: 0.05,
            ..HistoryOptions::default()
        });
        assert_eq!(revs.len(), 5);
        for (k, plan) in revs.iter().enumerate() {
            assert_eq!(plan.points.len(), 60 + k);
            let again = Plan::parse(&plan.to_toml(), "h.toml").expect("valid draft");
            assert_eq!(&again, plan);
        }
        assert_ne!(revs[0], revs[1]);
    }

    #[test]
    fn scores_count_pairs() {
        let p = |a: &str, b: &str| (a.to_string(), b.to_string());
        let s = score(&[p("1", "1"), p("2", "3")], &[p("1", "1"), p("2", "2")]);
        assert_eq!((s.correct, s.found, s.expected), (1, 2, 2));
        assert!((s.f1() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn reads_pairs_from_truth_and_diff_json() {
        let pair = generate(&Options {
            points: 30,
            seed: 2,
            ..Options::default()
        });
        let v: serde_json::Value = serde_json::from_str(&pair.truth_json()).unwrap();
        assert_eq!(pairs_from_json(&v).unwrap(), pair.truth_pairs());
        let d: serde_json::Value = serde_json::json!({"changes": [
            {"from": [{"number": "12"}], "to": [{"number": "8"}, {"number": "9"}]},
            {"from": [], "to": [{"number": "10"}]}
        ]});
        assert_eq!(
            pairs_from_json(&d).unwrap(),
            [
                ("12".to_string(), "8".to_string()),
                ("12".to_string(), "9".to_string())
            ]
        );
    }
}
