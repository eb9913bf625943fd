//! Crash safety and concurrency of `treaty commit` on a real repository.
//!
//! - `killed_at_random_moments`: `treaty commit` is killed (SIGKILL) at
//!   pseudo-random moments, over and over; after each kill the repository is
//!   sound, HEAD holds the old or the new revision, the working file is the
//!   old text, the new text or the new text with pinned ids, and the next
//!   commit works (or names the stale lock it found, and works once that is
//!   removed).
//! - `concurrent_*`: 8 processes commit at once; every reported success
//!   landed once, nothing else did, and failures say why and write nothing.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use treaty::plan::Plan;

use crate::common::{Env, Outcome};

/// A deterministic pseudo-random sequence (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A draft of `points` points without ids; `round` rewords every 23rd point
/// (shifted by the round), so each round differs from the last in a few
/// points and the commit pins ids by alignment.
fn draft(tag: &str, points: usize, round: usize) -> String {
    let mut s = format!("[plan]\ntitle = \"Plan {tag}\"\nparties = [\"A\", \"B\"]\n");
    for i in 1..=points {
        let text = if round > 0 && (i + round).is_multiple_of(23) {
            format!(
                "Point {i} of {tag}, as revised in round {round}: the parties meet within {} days.",
                10 + round
            )
        } else {
            format!(
                "Point {i} of {tag} says the parties agree on clause {} of the annex.",
                (i * 7) % 97
            )
        };
        s.push_str(&format!(
            "\n[[points]]\nnumber = \"{i}\"\ntext = \"{text}\"\n"
        ));
    }
    s
}

/// The plan with its ids removed, to compare a pinned draft with the text it
/// came from.
fn without_ids(mut plan: Plan) -> Plan {
    for p in &mut plan.points {
        p.id = None;
    }
    plan
}

fn parse(bytes: &[u8], what: &str) -> Plan {
    Plan::parse_bytes(bytes, what).unwrap_or_else(|e| {
        panic!(
            "{what} is not a valid draft: {e}\n{}",
            String::from_utf8_lossy(bytes)
        )
    })
}

/// Whether `bytes` is the draft `new`, as received or with its ids pinned.
fn is_new(bytes: &[u8], new: &str) -> bool {
    if bytes == new.as_bytes() {
        return true;
    }
    let Ok(plan) = Plan::parse_bytes(bytes, "x.toml") else {
        return false;
    };
    plan.points.iter().all(|p| p.id.is_some())
        && without_ids(plan) == without_ids(parse(new.as_bytes(), "new"))
}

fn treaty_exe() -> &'static str {
    env!("CARGO_BIN_EXE_treaty")
}

fn spawn(env: &Env, args: &[&str]) -> Child {
    env.command(Path::new(treaty_exe()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn treaty")
}

fn outcome(child: Child) -> Outcome {
    let out = child.wait_with_output().expect("wait for treaty");
    Outcome {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Whether a `git` executable is on PATH.
fn have_git() -> bool {
    Command::new("git")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `git fsck --strict` passes (when git is installed).
fn fsck(env: &Env) {
    if !have_git() {
        return;
    }
    let out = env.run_in(
        env.root(),
        Path::new("git"),
        &["fsck", "--strict", "--no-progress", "--no-dangling"],
    );
    assert_eq!(out.status, 0, "git fsck failed:\n{out}");
}

/// The repository is sound as git2 sees it: every reference resolves to an
/// object that exists, HEAD's commit and tree read, the plans at HEAD and its
/// two first parents parse as drafts (only `only`, if given: a kill touches
/// one plan, and parsing them all each time is slow), and the index reads.
fn assert_sound(env: &Env, only: Option<&str>) {
    let repo = env.repo();
    for r in repo.references().expect("references") {
        let r = r.expect("a readable reference");
        let name = r.name().unwrap_or_default().to_string();
        let target = r
            .resolve()
            .unwrap_or_else(|e| panic!("{name} does not resolve: {e}"))
            .target()
            .unwrap_or_else(|| panic!("{name} has no target"));
        repo.find_object(target, None)
            .unwrap_or_else(|e| panic!("{name} points at a missing object {target}: {e}"));
    }
    repo.index().expect("the index reads");
    let Ok(head) = repo.head() else {
        return;
    };
    let mut commit = Some(head.peel_to_commit().expect("HEAD's commit reads"));
    let mut depth = 0;
    while let Some(c) = commit {
        let tree = c.tree().expect("the commit's tree reads");
        if let Some(plans) = tree.get_name("plans") {
            let plans = repo.find_tree(plans.id()).expect("plans/ reads");
            for e in plans.iter() {
                let name = e.name().unwrap_or_default().to_string();
                if only.is_some_and(|o| name != format!("{o}.toml")) {
                    continue;
                }
                let blob = repo.find_blob(e.id()).expect("a plan blob reads");
                parse(blob.content(), &format!("{name} at {}", c.id()));
            }
        }
        depth += 1;
        // The top of the history is what a kill can touch.
        commit = if depth < 3 { c.parent(0).ok() } else { None };
    }
}

/// The plan file's bytes at HEAD.
fn plan_at_head(env: &Env, name: &str) -> Option<Vec<u8>> {
    let repo = env.repo();
    let commit = repo.head().ok()?.peel_to_commit().ok()?;
    let entry = commit
        .tree()
        .ok()?
        .get_path(Path::new(&format!("plans/{name}.toml")))
        .ok()?;
    let bytes = repo.find_blob(entry.id()).ok()?.content().to_vec();
    Some(bytes)
}

/// The plan's index entry.
fn staged(env: &Env, rel: &str) -> Option<git2::Oid> {
    let index = env.repo().index().expect("the index reads");
    let id = index.get_path(Path::new(rel), 0).map(|e| e.id);
    id
}

/// The lock file a "locked" error names, if it is one.
fn named_lock(out: &Outcome) -> Option<PathBuf> {
    let at = out.stderr.find("is locked by another process (")?;
    let rest = &out.stderr[at + "is locked by another process (".len()..];
    let end = rest.find(" exists)")?;
    Some(PathBuf::from(&rest[..end]))
}

/// What happened to one killed commit, for the summary.
#[derive(Default, Debug)]
struct Tally {
    kills: usize,
    exited_before_kill: usize,
    head_moved: usize,
    working_rewritten: usize,
    stale_index_lock: usize,
    stale_lock_checked: usize,
    other_stale_lock: usize,
    /// Temporary files left in plans/ at the end.
    temp_files: usize,
    /// The branch moved but the index entry was not updated yet.
    index_behind: usize,
    fsck_runs: usize,
}

#[test]
fn killed_at_random_moments() {
    const KILLS: usize = 200;
    const POINTS: usize = 120;
    let env = Env::workspace();
    let start = Instant::now();
    let mut rng = Rng(0x7ea7_1c0d);
    let mut tally = Tally::default();

    // How long uninterrupted commits take here (a first one, and a later one
    // that aligns against it): kills are spread over a quarter more.
    let mut span = 3_000;
    for round in 0..2 {
        env.write("plans/calibrate.toml", &draft("calibrate", POINTS, round));
        let t = Instant::now();
        env.treaty(&["commit", "calibrate"]).ok();
        span = span.max(t.elapsed().as_micros() as u64 * 5 / 4);
    }

    let mut name = String::new();
    let mut round = 0;
    // Until KILLS runs were really killed (some finish before their kill).
    for i in 0..KILLS * 2 {
        if tally.kills == KILLS {
            break;
        }
        // Every fourth kill is a plan's first commit, the others later ones.
        if i % 4 == 0 {
            name = format!("p{i}");
            round = 0;
        } else {
            round += 1;
        }
        let use_file = rng.below(2) == 0;
        let rel = format!("plans/{name}.toml");
        let new = draft(&name, POINTS, round);
        let old_head = env.head();
        let old_blob = plan_at_head(&env, &name);
        if !use_file {
            env.write(&rel, &new);
        }
        let old_work = std::fs::read(env.path(&rel)).ok();
        let received = format!("received/{name}-{round}.toml");
        env.write(&received, &new);
        let mut args = vec!["commit", name.as_str()];
        if use_file {
            args.extend(["--file", received.as_str()]);
        }

        // A quarter of the kills land in the first few milliseconds, the
        // others anywhere in a commit's span.
        let delay = if rng.below(4) == 0 {
            rng.below(4_000)
        } else {
            rng.below(span)
        };
        let mut child = spawn(&env, &args);
        std::thread::sleep(Duration::from_micros(delay));
        if matches!(child.try_wait(), Ok(Some(_))) {
            tally.exited_before_kill += 1;
        } else {
            tally.kills += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let context = format!("kill {i} of `treaty {}` after {delay} µs", args.join(" "));

        // The repository is sound.
        assert_sound(&env, Some(&name));
        if i % 25 == 24 {
            fsck(&env);
            tally.fsck_runs += 1;
        }

        // HEAD holds the old revision or the new one, one commit on.
        let head = env.head();
        let blob = plan_at_head(&env, &name);
        if head != old_head {
            tally.head_moved += 1;
            let repo = env.repo();
            let c = repo.find_commit(head.expect("HEAD")).expect("commit");
            assert_eq!(c.parent_id(0).ok(), old_head, "{context}: HEAD jumped");
            let bytes = blob.as_deref().expect("the plan at HEAD");
            assert!(is_new(bytes, &new), "{context}: HEAD holds another plan");
        } else {
            assert_eq!(blob, old_blob, "{context}: the plan changed under HEAD");
        }

        // The working file is whole: old, new, or new with pinned ids.
        let work = std::fs::read(env.path(&rel)).ok();
        if work != old_work {
            tally.working_rewritten += 1;
            let bytes = work.as_deref().expect("the working file");
            assert!(
                is_new(bytes, &new),
                "{context}: the working file is neither the old nor the new text:\n{}",
                String::from_utf8_lossy(bytes)
            );
        }

        // The next commit works, or names the stale lock it found.
        let index_lock = env.root().join(".git/index.lock");
        if index_lock.exists() {
            tally.stale_index_lock += 1;
            // The full wait for a stale lock takes about a second: check the
            // message on every fortieth one, remove the others at once.
            if tally.stale_index_lock % 40 != 1 {
                std::fs::remove_file(&index_lock).expect("remove index.lock");
            }
        }
        if head != old_head
            && staged(&env, &rel)
                != head.and_then(|_| {
                    blob.as_deref()
                        .and_then(|b| git2::Oid::hash_object(git2::ObjectType::Blob, b).ok())
                })
        {
            tally.index_behind += 1;
        }
        let mut next = env.treaty(&args);
        // A kill while the branch's lock is held leaves it too, under
        // index.lock: each is named in turn.
        let mut locks = 0;
        while let Some(lock) = named_lock(&next) {
            locks += 1;
            assert!(locks <= 2, "{context}: still locked:\n{next}");
            assert_eq!(next.status, 3, "{context}: {next}");
            assert!(
                lock.exists(),
                "{context}: the named lock is not there:\n{next}"
            );
            assert!(
                next.stderr.contains("nothing was recorded") && next.stderr.contains("rm '"),
                "{context}: the message does not say how to clear the lock:\n{next}"
            );
            if lock == index_lock {
                tally.stale_lock_checked += 1;
            } else {
                tally.other_stale_lock += 1;
            }
            assert_eq!(env.head(), head, "{context}: a locked commit moved HEAD");
            std::fs::remove_file(&lock).expect("remove the lock");
            next = env.treaty(&args);
        }
        match next.status {
            0 => assert!(head == old_head, "{context}: recorded twice:\n{next}"),
            2 if next.stderr.contains("is unchanged since") => {
                assert!(head != old_head, "{context}: refused a new draft:\n{next}")
            }
            _ => panic!("{context}: the next commit failed:\n{next}"),
        }
        let now = plan_at_head(&env, &name).expect("the plan at HEAD");
        assert!(
            is_new(&now, &new),
            "{context}: the next commit recorded another plan"
        );
        let work = std::fs::read(env.path(&rel)).expect("the working file");
        assert!(
            work == now,
            "{context}: after the next commit the working file is not the recorded draft"
        );
        // The index entry is the recorded draft, even when the killed commit
        // moved the branch but did not get to update the index.
        assert_eq!(
            staged(&env, &rel),
            git2::Oid::hash_object(git2::ObjectType::Blob, &now).ok(),
            "{context}: the index entry is not the recorded draft"
        );
    }
    assert_sound(&env, None);
    fsck(&env);
    tally.fsck_runs += 1;
    // A kill between writing a temporary file and renaming it over the draft
    // leaves the temporary file (untracked, never read as a plan).
    tally.temp_files = std::fs::read_dir(env.path("plans"))
        .expect("plans/")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".treaty-"))
        .count();
    eprintln!(
        "crash: {tally:?}, kill window {span} µs, {:.1} s",
        start.elapsed().as_secs_f64()
    );
    assert_eq!(tally.kills, KILLS);
}

/// The commits of HEAD's first-parent history newer than `base`, oldest
/// first; panics if `base` is not on it.
fn commits_since(env: &Env, base: Option<git2::Oid>) -> Vec<git2::Oid> {
    let repo = env.repo();
    let mut out = Vec::new();
    let mut at = env.head();
    while at != base {
        let oid = at.unwrap_or_else(|| panic!("{base:?} is not in HEAD's first-parent history"));
        let c = repo.find_commit(oid).expect("commit");
        out.push(oid);
        at = c.parent_id(0).ok();
    }
    out.reverse();
    out
}

/// The paths a commit changes against its first parent.
fn changed_paths(env: &Env, oid: git2::Oid) -> Vec<String> {
    let repo = env.repo();
    let c = repo.find_commit(oid).expect("commit");
    let tree = c.tree().expect("tree");
    let parent = c.parent(0).ok().map(|p| p.tree().expect("tree"));
    let diff = repo
        .diff_tree_to_tree(parent.as_ref(), Some(&tree), None)
        .expect("diff");
    diff.deltas()
        .filter_map(|d| d.new_file().path().map(|p| p.display().to_string()))
        .collect()
}

fn blob_at(env: &Env, commit: git2::Oid, rel: &str) -> Vec<u8> {
    let repo = env.repo();
    let c = repo.find_commit(commit).expect("commit");
    let entry = c
        .tree()
        .expect("tree")
        .get_path(Path::new(rel))
        .expect("the plan in the commit");
    let bytes = repo.find_blob(entry.id()).expect("blob").content().to_vec();
    bytes
}

/// Runs all `runs` at once (each the arguments of one `treaty` run).
fn all_at_once(env: &Env, runs: &[Vec<String>]) -> Vec<Outcome> {
    let children: Vec<Child> = runs
        .iter()
        .map(|args| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            spawn(env, &args)
        })
        .collect();
    children.into_iter().map(outcome).collect()
}

/// The short hash a successful `treaty commit` printed.
fn printed_commit(env: &Env, out: &Outcome) -> git2::Oid {
    let short = out
        .stdout
        .split_whitespace()
        .nth(1)
        .unwrap_or_else(|| panic!("no commit printed:\n{out}"));
    env.repo()
        .revparse_single(short)
        .unwrap_or_else(|e| panic!("{short} is not a commit ({e}):\n{out}"))
        .id()
}

/// A failure under contention: exit 3, saying what was busy.
fn assert_contention(out: &Outcome) {
    assert_eq!(
        out.status, 3,
        "a concurrent commit failed otherwise:\n{out}"
    );
    assert!(
        out.stderr.contains("is locked by another process") || out.stderr.contains("kept moving"),
        "the failure does not name the contention:\n{out}"
    );
}

/// Nothing stale is left behind: no lock, no temporary file.
fn assert_no_leftovers(env: &Env) {
    assert!(
        !env.path(".git/index.lock").exists(),
        "index.lock left behind"
    );
    assert!(
        !env.path(".git/refs/heads/main.lock").exists(),
        "the branch lock left behind"
    );
    for e in std::fs::read_dir(env.path("plans")).expect("plans/") {
        let name = e.expect("entry").file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with(".treaty-"), "temporary file left: {name}");
    }
}

const WRITERS: usize = 8;
const ROUNDS: usize = 3;

#[test]
fn concurrent_commits_of_different_plans() {
    let env = Env::workspace();
    let mut failures = 0;
    for round in 0..ROUNDS {
        let names: Vec<String> = (0..WRITERS).map(|k| format!("c{round}-{k}")).collect();
        for name in &names {
            env.write(&format!("plans/{name}.toml"), &draft(name, 60, round));
        }
        let base = env.head();
        let runs: Vec<Vec<String>> = names
            .iter()
            .map(|n| vec!["commit".to_string(), n.clone()])
            .collect();
        let outcomes = all_at_once(&env, &runs);
        let landed = commits_since(&env, base);
        let mut seen = Vec::new();
        for c in &landed {
            let paths = changed_paths(&env, *c);
            assert_eq!(paths.len(), 1, "a commit changed {paths:?}");
            seen.push(paths[0].clone());
        }
        for (name, out) in names.iter().zip(&outcomes) {
            let rel = format!("plans/{name}.toml");
            let times = seen.iter().filter(|p| **p == rel).count();
            if out.status == 0 {
                let commit = printed_commit(&env, out);
                assert!(
                    landed.contains(&commit),
                    "{name}'s commit is not in the history"
                );
                assert_eq!(times, 1, "{name} landed {times} times");
                let blob = blob_at(&env, commit, &rel);
                assert!(
                    is_new(&blob, &draft(name, 60, round)),
                    "{name}: another draft"
                );
                assert_eq!(std::fs::read(env.path(&rel)).expect("file"), blob);
            } else {
                failures += 1;
                assert_contention(out);
                assert_eq!(times, 0, "{name} failed but landed");
                assert_eq!(
                    env.read(&rel),
                    draft(name, 60, round),
                    "{name}: file touched"
                );
            }
        }
        assert_eq!(
            landed.len(),
            outcomes.iter().filter(|o| o.status == 0).count()
        );
        // Every recorded plan is clean in `git status`.
        let dirty: Vec<_> = env
            .status()
            .into_iter()
            .filter(|(p, s)| seen.contains(p) && !s.is_empty())
            .collect();
        assert!(dirty.is_empty(), "not clean after commit: {dirty:?}");
        assert_no_leftovers(&env);
        assert_sound(&env, None);
    }
    fsck(&env);
    eprintln!(
        "concurrent, different plans: {failures} of {} failed",
        WRITERS * ROUNDS
    );
}

/// A received draft of plan `s`: round `k`'s rewording, plus a point of its
/// own at the end (so each needs a fresh id).
fn received(k: usize) -> String {
    let mut s = draft("s", 60, k + 1);
    // Words no other sender uses (not even a common one), so that no two
    // added points align.
    let roots = [
        "kilo", "lima", "mike", "oscar", "papa", "romeo", "sierra", "tango",
    ];
    let root = format!(
        "{}{}",
        roots[k % 8],
        ["", "vex", "quor", "jund"][(k / 8) % 4]
    );
    s.push_str(&format!(
        "\n[[points]]\nnumber = \"61\"\ntext = \"{root}ville {root}ists {root}port {root}law {root}tide.\"\n"
    ));
    s
}

#[test]
fn concurrent_commits_of_one_plan() {
    let env = Env::workspace();
    env.write("plans/s.toml", &draft("s", 60, 0));
    env.treaty(&["commit", "s"]).ok();
    let mut failures = 0;
    for round in 0..ROUNDS {
        let ks: Vec<usize> = (0..WRITERS).map(|w| round * WRITERS + w).collect();
        let runs: Vec<Vec<String>> = ks
            .iter()
            .map(|&k| {
                let rel = format!("received/s-{k}.toml");
                env.write(&rel, &received(k));
                vec!["commit".into(), "s".into(), "--file".into(), rel]
            })
            .collect();
        let base = env.head();
        let outcomes = all_at_once(&env, &runs);
        let landed = commits_since(&env, base);
        // Which received draft each new commit holds: exactly one each.
        let holds: Vec<usize> = landed
            .iter()
            .map(|c| {
                assert_eq!(changed_paths(&env, *c), ["plans/s.toml"]);
                let blob = blob_at(&env, *c, "plans/s.toml");
                let mut which = ks.iter().filter(|&&k| is_new(&blob, &received(k)));
                let k = *which.next().expect("a commit holds none of the drafts");
                assert!(which.next().is_none());
                k
            })
            .collect();
        for (&k, out) in ks.iter().zip(&outcomes) {
            let times = holds.iter().filter(|&&h| h == k).count();
            if out.status == 0 {
                let commit = printed_commit(&env, out);
                let at = landed.iter().position(|c| *c == commit);
                assert!(at.is_some(), "draft {k}'s commit is not in the history");
                assert_eq!(holds[at.unwrap_or_default()], k);
                assert_eq!(times, 1, "draft {k} landed {times} times");
            } else {
                failures += 1;
                assert_contention(out);
                assert_eq!(times, 0, "draft {k} failed but landed");
            }
        }
        assert_eq!(
            landed.len(),
            outcomes.iter().filter(|o| o.status == 0).count()
        );
        // Linear: each new commit has one parent, the one before it.
        let repo = env.repo();
        let mut parent = base;
        for c in &landed {
            let commit = repo.find_commit(*c).expect("commit");
            assert_eq!(commit.parent_count(), 1);
            assert_eq!(Some(commit.parent_id(0).expect("parent")), parent);
            parent = Some(*c);
            // Each was pinned against its real parent: an id it shares with
            // the parent never names another sender's added point.
            let this = parse(&blob_at(&env, *c, "plans/s.toml"), "commit");
            let before = parse(
                &blob_at(&env, commit.parent_id(0).expect("parent"), "plans/s.toml"),
                "parent",
            );
            for p in &this.points {
                let same = before.points.iter().find(|q| q.id == p.id);
                if let Some(q) = same {
                    if p.text.ends_with("tide.") || q.text.ends_with("tide.") {
                        assert_eq!(p.text, q.text, "id {:?} names two points", p.id);
                    }
                }
            }
        }
        // The working file and its index entry are the last recorded draft.
        let head = env.head().expect("HEAD");
        let blob = blob_at(&env, head, "plans/s.toml");
        assert_eq!(std::fs::read(env.path("plans/s.toml")).expect("file"), blob);
        let dirty: Vec<_> = env
            .status()
            .into_iter()
            .filter(|(p, s)| p == "plans/s.toml" && !s.is_empty())
            .collect();
        assert!(dirty.is_empty(), "not clean after commit: {dirty:?}");
        assert_no_leftovers(&env);
        assert_sound(&env, None);
    }
    fsck(&env);
    eprintln!(
        "concurrent, one plan: {failures} of {} failed",
        WRITERS * ROUNDS
    );
}
