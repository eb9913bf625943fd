//! Reading a plan's whole history for the reports: the committed revisions of
//! a plan (plus the working draft when it differs), or a list of draft files
//! standing in for revisions r1…rN.

use std::path::Path;

use treaty::align;
use treaty::cache::Cache;
use treaty::plan::Plan;
use treaty::report::{Facts, Revision, Step};
use treaty::revision::{RevInfo, RevRef};
use treaty::store::Store;
use treaty::{Error, Result};

use super::progress::Progress;
use super::Context;

/// A history to report on, and which revision the report is about.
pub struct Source {
    /// The plan's name; `None` for a list of files.
    pub plan: Option<String>,
    /// Oldest first.
    pub revisions: Vec<Revision>,
    /// Index of the revision asked about.
    pub at: usize,
}

impl Source {
    /// The plan's name for output: its name, or the first file's.
    pub fn name(&self) -> String {
        self.plan.clone().unwrap_or_else(|| {
            self.revisions
                .first()
                .and_then(|r| r.plan.title.clone())
                .unwrap_or_else(|| "draft files".to_string())
        })
    }
}

/// Reads `targets`: one plan name (with an optional REV to report on), or draft
/// files oldest first.
/// `progress` hears of every revision read.
/// Reads `targets` (see [`read`]) and follows every point through them: each
/// revision aligned with its predecessor once.
pub fn read_traced(
    ctx: &Context,
    targets: &[String],
    rev: Option<&str>,
    progress: &mut Progress,
) -> Result<(Source, treaty::report::Lineage)> {
    let source = read(ctx, targets, rev, progress)?;
    progress.step("following points");
    let lineage = treaty::report::Lineage::trace(
        &source.revisions,
        &treaty::align::Options::default(),
        &mut |done, total| progress.update(done, total),
    );
    Ok((source, lineage))
}

pub fn read(
    ctx: &Context,
    targets: &[String],
    rev: Option<&str>,
    progress: &mut Progress,
) -> Result<Source> {
    let files = targets.len() > 1 || targets.first().is_some_and(|t| super::is_file_arg(t));
    if files {
        if let Some(rev) = rev {
            return Err(Error::refused(
                format!("a list of draft files has no revision '{}'", treaty::error::printable(rev)),
                "with draft files, the last file is the revision reported on; name a plan to pick a revision",
            ));
        }
        return from_files(ctx, targets, progress);
    }
    let name = targets.first().ok_or_else(|| {
        Error::refused(
            "name a plan or draft files",
            "e.g. `treaty disputes ukraine`",
        )
    })?;
    from_store(ctx, name, rev, progress)
}

fn from_files(ctx: &Context, files: &[String], progress: &mut Progress) -> Result<Source> {
    let mut revisions = Vec::with_capacity(files.len());
    for (i, file) in files.iter().enumerate() {
        let path = ctx.path(Path::new(file));
        let bytes = std::fs::read(&path).map_err(|source| Error::ReadFile { path, source })?;
        let plan = Plan::parse_bytes(&bytes, file)?;
        let mut info = RevInfo::file(format!("r{}", i + 1));
        info.label = plan.draft.label.clone();
        info.date = plan.draft.date.clone();
        revisions.push(Revision { info, plan });
        progress.update(i + 1, files.len());
    }
    let at = revisions.len().saturating_sub(1);
    Ok(Source {
        plan: None,
        revisions,
        at,
    })
}

fn from_store(
    ctx: &Context,
    name: &str,
    rev: Option<&str>,
    progress: &mut Progress,
) -> Result<Source> {
    treaty::store::check_plan_name(name)?;
    let store = super::store(ctx)?;
    let history = store.history(name)?;
    let mut revisions = Vec::with_capacity(history.len() + 1);
    let total = history.len();
    for (i, info) in history.into_iter().enumerate() {
        let plan = store.load(name, &info)?;
        revisions.push(Revision { info, plan });
        progress.update(i + 1, total);
    }
    // The revision reported on: `working` when it differs from latest (the
    // default), a committed revision, or a draft file read after the history.
    let (info, plan) = match rev {
        None => store.resolve_current(name)?,
        Some(r) => store.resolve(name, &RevRef::parse(r))?,
    };
    if let Some(at) = revisions.iter().position(|r| {
        r.info.commit.is_some() && r.info.commit == info.commit && r.info.rev == info.rev
    }) {
        revisions.truncate(at + 1);
        return Ok(Source {
            plan: Some(name.to_string()),
            revisions,
            at,
        });
    }
    revisions.push(Revision { info, plan });
    let at = revisions.len() - 1;
    Ok(Source {
        plan: Some(name.to_string()),
        revisions,
        at,
    })
}

/// A plan's committed history as the reports need it, read through the
/// cache: every revision's info and [`Facts`], the [`Step`] between each two
/// consecutive valid revisions, and the drafts read along the way only where
/// the cache had nothing.
pub struct Digest {
    pub infos: Vec<RevInfo>,
    /// `Err` for a revision whose draft is invalid.
    pub facts: Vec<Result<Facts>>,
    /// `steps[k - 1]`: from revision `k - 1` to `k`, when both are valid.
    pub steps: Vec<Option<Step>>,
}

/// The cache of `store`, unless `TREATY_NO_CACHE` is set (to anything but
/// `0` or nothing).
pub fn cache(store: &Store) -> Cache {
    match std::env::var_os("TREATY_NO_CACHE") {
        Some(v) if !v.is_empty() && v != "0" => Cache::off(),
        _ => Cache::at(store.cache_dir()),
    }
}

/// What one worker found for revisions `range`: facts and steps the cache
/// lacked.
type Found = Vec<(usize, Option<Result<Facts>>, Option<Option<Step>>)>;

/// Reads the digest of `revs` (from [`Store::history_blobs`]). Drafts are
/// read and aligned only for what the cache lacks, in parallel: each worker
/// opens the repository on its own and walks a contiguous range, keeping
/// one draft at a time.
pub fn digest(
    store: &Store,
    name: &str,
    revs: Vec<(RevInfo, String)>,
    progress: &mut Progress,
) -> Result<Digest> {
    let options = align::Options::default();
    let cache = cache(store);
    let n = revs.len();
    let mut facts: Vec<Option<Result<Facts>>> =
        revs.iter().map(|(_, b)| cache.facts(b).map(Ok)).collect();
    let mut steps: Vec<Option<Option<Step>>> = (1..n)
        .map(|k| {
            cache
                .step(&revs[k - 1].1, &revs[k].1, options.threshold)
                .map(Some)
        })
        .collect();
    // Revisions whose draft must be read: missing facts, or an end of a
    // missing step.
    let needed = |k: usize| {
        facts[k].is_none() || (k > 0 && steps[k - 1].is_none()) || (k + 1 < n && steps[k].is_none())
    };
    let todo: Vec<usize> = (0..n).filter(|&k| needed(k)).collect();
    if !todo.is_empty() {
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZeroUsize::get)
            .clamp(1, 4)
            .min(todo.len().div_ceil(8).max(1));
        let chunk = todo.len().div_ceil(threads);
        let ranges: Vec<&[usize]> = todo.chunks(chunk).collect();
        let workdir = store.workdir().to_path_buf();
        let (revs_ref, facts_ref, steps_ref) = (&revs, &facts, &steps);
        let done = std::sync::atomic::AtomicUsize::new(0);
        let work = |ks: &[usize], own: Option<&Store>| -> Result<Found> {
            let opened;
            let store = match own {
                Some(s) => s,
                None => {
                    opened = Store::open(&workdir)?;
                    &opened
                }
            };
            let mut out: Found = Vec::new();
            // The draft read last, to align the next one with.
            let mut last: Option<(usize, Option<Plan>)> = None;
            let load = |k: usize| -> Result<Result<Plan>> {
                let (info, blob) = &revs_ref[k];
                match store.load_blob(name, info, blob) {
                    Ok(p) => Ok(Ok(p)),
                    Err(e @ Error::InvalidDraft { .. }) => Ok(Err(e)),
                    Err(e) => Err(e),
                }
            };
            for &k in ks {
                let (plan, error) = match load(k)? {
                    Ok(p) => (Some(p), None),
                    Err(e) => (None, Some(e)),
                };
                let fact = facts_ref[k].is_none().then(|| match (&plan, error) {
                    (Some(p), _) => Ok(Facts::of(p)),
                    (None, Some(e)) => Err(e),
                    (None, None) => Err(Error::Internal {
                        message: "a draft was neither read nor refused".into(),
                    }),
                });
                let step = if k > 0 && steps_ref[k - 1].is_none() {
                    let before = match last.take() {
                        Some((j, p)) if j == k - 1 => p,
                        _ => load(k - 1)?.ok(),
                    };
                    Some(match (before, &plan) {
                        (Some(b), Some(p)) => Some(Step::between(&b, p, &options)),
                        _ => None,
                    })
                } else {
                    None
                };
                out.push((k, fact, step));
                last = Some((k, plan));
                done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            Ok(out)
        };
        let results: Vec<Result<Found>> = std::thread::scope(|scope| {
            let workers: Vec<_> = ranges[1..]
                .iter()
                .map(|ks| scope.spawn(|| work(ks, None)))
                .collect();
            let mine = work(ranges[0], Some(store));
            progress.update(done.load(std::sync::atomic::Ordering::Relaxed), todo.len());
            let mut all = vec![mine];
            for w in workers {
                all.push(w.join().unwrap_or_else(|_| {
                    Err(Error::Internal {
                        message: "a worker reading the history failed".into(),
                    })
                }));
            }
            all
        });
        for found in results {
            for (k, fact, step) in found? {
                if let Some(f) = fact {
                    if let Ok(f) = &f {
                        cache.put_facts(&revs[k].1, f);
                    }
                    facts[k] = Some(f);
                }
                if let Some(step) = step {
                    if let Some(s) = &step {
                        cache.put_step(&revs[k - 1].1, &revs[k].1, options.threshold, s);
                    }
                    steps[k - 1] = Some(step);
                }
            }
        }
    }
    let facts: Vec<Result<Facts>> = facts
        .into_iter()
        .map(|f| {
            f.unwrap_or_else(|| {
                Err(Error::Internal {
                    message: "a revision was not read".into(),
                })
            })
        })
        .collect();
    // A step is kept only between two valid revisions.
    let steps = steps
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            s.flatten()
                .filter(|_| facts[i].is_ok() && facts[i + 1].is_ok())
        })
        .collect();
    Ok(Digest {
        infos: revs.into_iter().map(|(info, _)| info).collect(),
        facts,
        steps,
    })
}

/// Whether `targets` name draft files rather than a plan.
pub fn is_files(targets: &[String]) -> bool {
    targets.len() > 1 || targets.first().is_some_and(|t| super::is_file_arg(t))
}

/// `treaty disputes <name> [REV]` on a repository: the report of revision
/// REV (default: `working` if it differs from `latest`, else `latest`),
/// read through the cache.
pub fn disputes(
    ctx: &Context,
    name: &str,
    rev: Option<&str>,
    progress: &mut Progress,
) -> Result<treaty::report::DisputeReport> {
    treaty::store::check_plan_name(name)?;
    let store = super::store(ctx)?;
    let revs = store.history_blobs(name)?;
    let (info, plan) = match rev {
        None => store.resolve_current(name)?,
        Some(r) => store.resolve(name, &RevRef::parse(r))?,
    };
    let at = revs
        .iter()
        .position(|(r, _)| r.commit.is_some() && r.commit == info.commit && r.rev == info.rev);
    let committed: Vec<(RevInfo, String)> = match at {
        Some(k) => revs.into_iter().take(k + 1).collect(),
        None => revs,
    };
    let last = committed.last().cloned();
    let digest = digest(&store, name, committed, progress)?;
    let mut facts: Vec<Facts> = digest.facts.into_iter().collect::<Result<_>>()?;
    let mut steps: Vec<Step> = digest
        .steps
        .into_iter()
        .map(|s| {
            s.ok_or_else(|| Error::Internal {
                message: "two valid revisions were not aligned".into(),
            })
        })
        .collect::<Result<_>>()?;
    let mut infos = digest.infos;
    if at.is_none() {
        // The working draft (or a draft outside the history) comes after it.
        if let Some((last_info, blob)) = &last {
            let before = store.load_blob(name, last_info, blob)?;
            steps.push(Step::between(&before, &plan, &align::Options::default()));
        }
        facts.push(Facts::of(&plan));
        infos.push(info);
    }
    let lineage = treaty::report::Lineage::follow(&facts, steps);
    let counts: Vec<treaty::plan::Counts> = facts.iter().map(|f| f.counts).collect();
    let at = infos.len() - 1;
    let report = treaty::report::disputes_of(name, &infos, &counts, &lineage, at, &plan);
    // The command ends once the report is printed: freeing the alignments
    // of a long history one by one would take longer than the system takes
    // to reclaim them at exit.
    std::mem::forget(lineage);
    Ok(report)
}
