//! A cache of what the reports need of each revision and of each pair of
//! consecutive revisions ([`Facts`], [`Step`]), so that `log` and `disputes`
//! over a long history do not read and align every draft again.
//!
//! - Where: `<git dir>/treaty/cache/` (the repository's common folder, shared
//!   by its worktrees), never in the working tree. Deleting it is always safe.
//! - Keys: a revision's blob id; a pair's two blob ids and the threshold.
//!   Git objects never change, so an entry never goes stale; a new version
//!   of the engine (any change to the sources that decide facts, alignments
//!   and summaries) has another fingerprint, and old entries are ignored.
//! - Each entry is one file, written to a temporary file beside it and
//!   renamed into place. Reading checks the format, the fingerprint, the full
//!   key and a checksum of the contents, and that the contents decode
//!   exactly; anything else is ignored (and written afresh), never trusted.
//! - `TREATY_NO_CACHE=1` turns the cache off (the CLI reads it); results are
//!   the same with and without the cache, which the tests check.

use std::path::{Path, PathBuf};

use crate::align::{Alignment, Group, Kind, Method};
use crate::diff::Summary;
use crate::plan::{Counts, Status};
use crate::report::{Facts, Step};
use crate::words::FxHasher;

const MAGIC: &[u8; 8] = b"treatyc1";

/// The sources whose behaviour the cached values depend on: a change to any
/// of them changes the fingerprint.
const ENGINE: &[&str] = &[
    include_str!("align.rs"),
    include_str!("diff.rs"),
    include_str!("words.rs"),
    include_str!("plan.rs"),
    include_str!("scan.rs"),
    include_str!("brackets.rs"),
    include_str!("report.rs"),
    include_str!("cache.rs"),
];

fn hash(parts: &[&[u8]]) -> u64 {
    let mut h = FxHasher::default();
    for p in parts {
        std::hash::Hasher::write_usize(&mut h, p.len());
        std::hash::Hasher::write(&mut h, p);
    }
    std::hash::Hasher::finish(&h)
}

/// The fingerprint of this build's engine.
fn fingerprint() -> u64 {
    static F: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *F.get_or_init(|| {
        let parts: Vec<&[u8]> = std::iter::once(env!("CARGO_PKG_VERSION").as_bytes())
            .chain(ENGINE.iter().map(|s| s.as_bytes()))
            .collect();
        hash(&parts)
    })
}

/// The cache of one repository, or none.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: Option<PathBuf>,
}

impl Cache {
    /// A cache in `dir` (created when first written).
    pub fn at(dir: PathBuf) -> Cache {
        Cache { dir: Some(dir) }
    }

    /// No cache: every lookup misses, nothing is written.
    pub fn off() -> Cache {
        Cache { dir: None }
    }

    /// The facts of the revision whose draft is blob `blob`.
    pub fn facts(&self, blob: &str) -> Option<Facts> {
        let bytes = self.read(&format!("facts {blob}"))?;
        let mut r = Reader::new(&bytes);
        let facts = read_facts(&mut r)?;
        r.done().then_some(facts)
    }

    pub fn put_facts(&self, blob: &str, facts: &Facts) {
        let mut w = Vec::new();
        write_facts(&mut w, facts);
        self.write(&format!("facts {blob}"), &w);
    }

    /// The step from blob `before` to blob `after`, aligned at `threshold`.
    pub fn step(&self, before: &str, after: &str, threshold: f64) -> Option<Step> {
        let bytes = self.read(&step_key(before, after, threshold))?;
        let mut r = Reader::new(&bytes);
        let step = read_step(&mut r)?;
        r.done().then_some(step)
    }

    pub fn put_step(&self, before: &str, after: &str, threshold: f64, step: &Step) {
        let mut w = Vec::new();
        write_step(&mut w, step);
        self.write(&step_key(before, after, threshold), &w);
    }

    fn path(&self, key: &str) -> Option<PathBuf> {
        let dir = self.dir.as_ref()?;
        Some(dir.join(format!("{:016x}", hash(&[key.as_bytes()]))))
    }

    /// The payload stored under `key`, if the file is whole and is this
    /// engine's, for this very key.
    fn read(&self, key: &str) -> Option<Vec<u8>> {
        let data = std::fs::read(self.path(key)?).ok()?;
        let mut r = Reader::new(&data);
        if r.bytes(MAGIC.len())? != MAGIC || r.u64()? != fingerprint() {
            return None;
        }
        let key_len = r.u32()? as usize;
        let stored_key = r.bytes(key_len)?;
        if stored_key != key.as_bytes() {
            return None;
        }
        let len = usize::try_from(r.u64()?).ok()?;
        let payload = r.bytes(len)?.to_vec();
        let sum = r.u64()?;
        (r.done() && sum == hash(&[&payload])).then_some(payload)
    }

    /// Stores `payload` under `key`; a cache that cannot be written is
    /// simply not written.
    fn write(&self, key: &str, payload: &[u8]) {
        let (Some(dir), Some(path)) = (self.dir.as_ref(), self.path(key)) else {
            return;
        };
        let mut data = Vec::with_capacity(payload.len() + key.len() + 40);
        data.extend_from_slice(MAGIC);
        data.extend_from_slice(&fingerprint().to_le_bytes());
        data.extend_from_slice(&(key.len() as u32).to_le_bytes());
        data.extend_from_slice(key.as_bytes());
        data.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        data.extend_from_slice(payload);
        data.extend_from_slice(&hash(&[payload]).to_le_bytes());
        let _ = write_atomically(dir, &path, &data);
    }
}

fn step_key(before: &str, after: &str, threshold: f64) -> String {
    format!("step {before} {after} {:016x}", threshold.to_bits())
}

fn write_atomically(dir: &Path, path: &Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(data)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

// ---- encoding ----------------------------------------------------------------

struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8]) -> Self {
        Reader { data, at: 0 }
    }

    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let out = self.data.get(self.at..end)?;
        self.at = end;
        Some(out)
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.bytes(1)?[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.bytes(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.bytes(8)?.try_into().ok()?))
    }

    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.u32()?).ok()
    }

    fn string(&mut self) -> Option<Option<String>> {
        match self.u8()? {
            0 => Some(None),
            1 => {
                let n = self.usize()?;
                Some(Some(String::from_utf8(self.bytes(n)?.to_vec()).ok()?))
            }
            _ => None,
        }
    }

    /// A list of indices, each below `bound`.
    fn indices(&mut self, bound: usize) -> Option<Vec<usize>> {
        let n = self.usize()?;
        if n > self.data.len() {
            return None;
        }
        (0..n)
            .map(|_| self.usize().filter(|&i| i < bound))
            .collect()
    }

    fn done(&self) -> bool {
        self.at == self.data.len()
    }
}

fn put_u32(w: &mut Vec<u8>, x: usize) {
    w.extend_from_slice(&u32::try_from(x).unwrap_or(u32::MAX).to_le_bytes());
}

fn put_string(w: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => w.push(0),
        Some(s) => {
            w.push(1);
            put_u32(w, s.len());
            w.extend_from_slice(s.as_bytes());
        }
    }
}

fn status_code(s: Status) -> u8 {
    match s {
        Status::Agreed => 0,
        Status::Disputed => 1,
        Status::Open => 2,
    }
}

fn status_of(c: u8) -> Option<Status> {
    [Status::Agreed, Status::Disputed, Status::Open]
        .get(usize::from(c))
        .copied()
}

const KINDS: [Kind; 5] = [
    Kind::Matched,
    Kind::Split,
    Kind::Merged,
    Kind::Added,
    Kind::Removed,
];

const METHODS: [Method; 6] = [
    Method::Id,
    Method::Exact,
    Method::Similar,
    Method::Cover,
    Method::Order,
    Method::Unpaired,
];

fn counts_fields(c: &Counts) -> [usize; 5] {
    [c.points, c.agreed, c.disputed, c.open, c.brackets]
}

fn write_facts(w: &mut Vec<u8>, f: &Facts) {
    for x in counts_fields(&f.counts) {
        put_u32(w, x);
    }
    put_u32(w, f.statuses.len());
    w.extend(f.statuses.iter().map(|&s| status_code(s)));
    put_string(w, f.label.as_deref());
    put_string(w, f.date.as_deref());
}

fn read_facts(r: &mut Reader<'_>) -> Option<Facts> {
    let counts = Counts {
        points: r.usize()?,
        agreed: r.usize()?,
        disputed: r.usize()?,
        open: r.usize()?,
        brackets: r.usize()?,
    };
    let n = r.usize()?;
    let statuses = r
        .bytes(n)?
        .iter()
        .map(|&c| status_of(c))
        .collect::<Option<Vec<Status>>>()?;
    Some(Facts {
        counts,
        statuses,
        label: r.string()?,
        date: r.string()?,
    })
}

fn summary_fields(s: &Summary) -> [usize; 11] {
    [
        s.unchanged,
        s.reworded,
        s.renumbered,
        s.moved,
        s.added,
        s.removed,
        s.split,
        s.merged,
        s.newly_agreed,
        s.newly_disputed,
        s.still_disputed,
    ]
}

fn write_step(w: &mut Vec<u8>, s: &Step) {
    for x in summary_fields(&s.summary) {
        put_u32(w, x);
    }
    put_u32(w, s.reworded.len());
    w.extend(s.reworded.iter().map(|&b| u8::from(b)));
    put_u32(w, s.alignment.groups.len());
    for g in &s.alignment.groups {
        w.push(KINDS.iter().position(|&k| k == g.kind).unwrap_or(0) as u8);
        w.push(METHODS.iter().position(|&m| m == g.method).unwrap_or(0) as u8);
        match g.similarity {
            None => w.push(0),
            Some(x) => {
                w.push(1);
                w.extend_from_slice(&x.to_bits().to_le_bytes());
            }
        }
        for side in [&g.from, &g.to] {
            put_u32(w, side.len());
            for &i in side {
                put_u32(w, i);
            }
        }
    }
}

fn read_step(r: &mut Reader<'_>) -> Option<Step> {
    let mut f = [0usize; 11];
    for x in &mut f {
        *x = r.usize()?;
    }
    let summary = Summary {
        unchanged: f[0],
        reworded: f[1],
        renumbered: f[2],
        moved: f[3],
        added: f[4],
        removed: f[5],
        split: f[6],
        merged: f[7],
        newly_agreed: f[8],
        newly_disputed: f[9],
        still_disputed: f[10],
    };
    let n = r.usize()?;
    let reworded = r
        .bytes(n)?
        .iter()
        .map(|&b| match b {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        })
        .collect::<Option<Vec<bool>>>()?;
    let groups_n = r.usize()?;
    if groups_n > r.data.len() {
        return None;
    }
    let mut groups = Vec::with_capacity(groups_n);
    for _ in 0..groups_n {
        let kind = *KINDS.get(usize::from(r.u8()?))?;
        let method = *METHODS.get(usize::from(r.u8()?))?;
        let similarity = match r.u8()? {
            0 => None,
            1 => Some(f64::from_bits(r.u64()?)),
            _ => return None,
        };
        let from = r.indices(usize::MAX)?;
        let to = r.indices(n)?;
        groups.push(Group {
            kind,
            from,
            to,
            similarity,
            method,
        });
    }
    Some(Step {
        alignment: Alignment { groups },
        reworded,
        summary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Plan, Point};

    fn plan(texts: &[(&str, Status)]) -> Plan {
        Plan {
            points: texts
                .iter()
                .enumerate()
                .map(|(i, (t, s))| {
                    let mut p = Point::new((i + 1).to_string(), *t);
                    p.status = *s;
                    p.explicit_status = Some(*s);
                    p
                })
                .collect(),
            draft: crate::plan::DraftInfo {
                label: Some("geneva".into()),
                ..Default::default()
            },
            ..Plan::default()
        }
    }

    fn sample() -> (Facts, Step) {
        let a = plan(&[
            ("Ukraine's sovereignty is confirmed.", Status::Agreed),
            ("Elections in 100 days.", Status::Disputed),
            ("Amnesty for all.", Status::Open),
        ]);
        let b = plan(&[
            ("Elections within 100 days of signing.", Status::Open),
            ("Ukraine's sovereignty is confirmed.", Status::Agreed),
            ("A new point.", Status::Open),
        ]);
        (
            Facts::of(&b),
            Step::between(&a, &b, &crate::align::Options::default()),
        )
    }

    #[test]
    fn entries_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().join("cache"));
        let (facts, step) = sample();
        assert_eq!(cache.facts("abc"), None);
        cache.put_facts("abc", &facts);
        cache.put_step("abc", "def", 0.25, &step);
        assert_eq!(cache.facts("abc"), Some(facts));
        assert_eq!(cache.step("abc", "def", 0.25), Some(step));
        assert_eq!(cache.step("abc", "def", 0.3), None);
        assert_eq!(cache.step("def", "abc", 0.25), None);
        assert!(Cache::off().facts("abc").is_none());
    }

    #[test]
    fn a_damaged_entry_is_ignored() {
        let (facts, step) = sample();
        let check = |put: &dyn Fn(&Cache), get: &dyn Fn(&Cache) -> bool| {
            let dir = tempfile::tempdir().unwrap();
            let cache = Cache::at(dir.path().to_path_buf());
            put(&cache);
            assert!(get(&cache));
            let files: Vec<PathBuf> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            assert_eq!(files.len(), 1);
            let good = std::fs::read(&files[0]).unwrap();
            // Every flipped byte and every truncation is noticed.
            for i in 0..good.len() {
                let mut bad = good.clone();
                bad[i] ^= 0x20;
                std::fs::write(&files[0], &bad).unwrap();
                assert!(!get(&cache), "flipped byte {i} was trusted");
                std::fs::write(&files[0], &good[..i]).unwrap();
                assert!(!get(&cache), "truncation at {i} was trusted");
            }
            std::fs::write(&files[0], &good).unwrap();
            assert!(get(&cache));
        };
        check(&|c| c.put_facts("abc", &facts), &|c| {
            c.facts("abc").is_some_and(|f| f == facts)
        });
        check(&|c| c.put_step("abc", "def", 0.25, &step), &|c| {
            c.step("abc", "def", 0.25).is_some_and(|s| s == step)
        });
    }
}
