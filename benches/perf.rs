//! The performance benchmark: `cargo bench --bench perf`.
//!
//! Generates drafts and histories with `treaty::synth` (fixed seeds) in a
//! temporary folder, runs the real release `treaty` binary as a child process
//! for every measurement, and prints one table: wall time (median of several
//! runs), peak memory of the child, alignment precision and recall against
//! the generator's truth, and `git` on the same files in the same run.
//!
//! - `TREATY_BENCH_QUICK=1`: small sizes only (1,000 and 10,000 points, 100
//!   revisions), for a quick check.
//! - `TREATY_BENCH_SEED=N`: another seed for the generated data.
//! - `TREATY_BENCH_WORDS=N`: the shortest generated point, in words (default
//!   20: about 600 bytes a point, 6 MB for 10,000 points, the size the
//!   performance targets speak of; 8 gives about 250 bytes a point).
//! - `TREATY_BENCH_KEEP=1`: keep the generated files (the folder is printed).
//!
//! Peak memory is the child's maximum resident set size, read with
//! `getrusage(RUSAGE_CHILDREN)` in a small runner process (this program run
//! again with `--treaty-bench-run`) whose only child is the measured one.
//! Timings are printed, never asserted: they belong in this output and the
//! README, not in a test's pass or fail.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use treaty::synth::{self, HistoryOptions, Mix};

/// The marker of the runner process.
const RUNNER: &str = "--treaty-bench-run";

const TREATY: &str = env!("CARGO_BIN_EXE_treaty");

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some(RUNNER) {
        std::process::exit(runner(&args[2..]));
    }
    let quick = std::env::var_os("TREATY_BENCH_QUICK").is_some_and(|v| v != "0");
    let seed: u64 = std::env::var("TREATY_BENCH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let dir = tempfile::Builder::new()
        .prefix("treaty-bench")
        .tempdir()
        .expect("a temporary folder");
    let root = dir.path().to_path_buf();
    let git = git_version();
    eprintln!(
        "treaty benchmark in {} ({} cores{}; {})",
        root.display(),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        if quick { ", quick" } else { "" },
        git.as_deref().unwrap_or("no git")
    );
    let mut table = Table::default();
    let sizes: &[usize] = if quick {
        &[1_000, 10_000]
    } else {
        &[1_000, 10_000, 100_000]
    };
    let words: usize = std::env::var("TREATY_BENCH_WORDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let mut diffs = Vec::new();
    for &n in sizes {
        diffs.push(bench_diff(&root, n, seed, words, git.is_some(), &mut table));
    }
    summarize_diffs(&diffs, &mut table);
    bench_pathological(&root, git.is_some(), &mut table);
    bench_history(
        &root,
        &HistoryOptions {
            revisions: if quick { 100 } else { 1000 },
            seed,
            ..HistoryOptions::default()
        },
        git.is_some(),
        &mut table,
    );
    bench_commit(&root, seed, &mut table);
    stages(&root, seed, &mut table);
    println!();
    println!(
        "treaty benchmark ({} cores, {}; seed {seed}{})",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        git.as_deref().unwrap_or("git not found"),
        if quick { ", quick" } else { "" }
    );
    table.print();
    if std::env::var_os("TREATY_BENCH_KEEP").is_some() {
        let kept = dir.keep();
        println!("files kept in {}", kept.display());
    }
}

// ---- measuring -------------------------------------------------------------

/// One run of a child: wall time, peak memory (KiB), exit code.
#[derive(Debug, Clone, Copy)]
struct Run {
    wall: Duration,
    rss_kib: u64,
    code: i32,
}

/// The runner: `RUNNER OUT PROGRAM ARGS...` runs PROGRAM with stdout sent to
/// OUT (`-` for nowhere), then prints `wall_ns rss_kib code`.
fn runner(args: &[String]) -> i32 {
    let [out, program, rest @ ..] = args else {
        eprintln!("usage: perf {RUNNER} OUT PROGRAM ARGS...");
        return 2;
    };
    let stdout = if out == "-" {
        Stdio::null()
    } else {
        match std::fs::File::create(out) {
            Ok(f) => Stdio::from(f),
            Err(e) => {
                eprintln!("{out}: {e}");
                return 2;
            }
        }
    };
    let start = Instant::now();
    let status = Command::new(program)
        .args(rest)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::null())
        .status();
    let wall = start.elapsed();
    let code = match status {
        Ok(s) => s.code().unwrap_or(-1),
        Err(e) => {
            eprintln!("{program}: {e}");
            return 2;
        }
    };
    let rss = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .map_or(0, |u| u.max_rss());
    println!("{} {} {}", wall.as_nanos(), rss, code);
    0
}

/// Runs `program args` in `cwd` (stdout to `out` if given) through the
/// runner.
fn run(cwd: &Path, out: Option<&Path>, program: &str, args: &[&str]) -> Run {
    let me = std::env::current_exe().expect("the benchmark's own path");
    let out_arg = out.map_or_else(|| "-".to_string(), |p| p.display().to_string());
    let output = Command::new(me)
        .arg(RUNNER)
        .arg(out_arg)
        .arg(program)
        .args(args)
        .current_dir(cwd)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Bench")
        .env("GIT_AUTHOR_EMAIL", "bench@example.org")
        .env("GIT_COMMITTER_NAME", "Bench")
        .env("GIT_COMMITTER_EMAIL", "bench@example.org")
        .env("NO_COLOR", "1")
        .env_remove("TREATY_NO_CACHE")
        .output()
        .expect("the runner starts");
    let text = String::from_utf8_lossy(&output.stdout);
    let mut it = text
        .split_whitespace()
        .map(|x| x.parse::<i64>().unwrap_or(-1));
    let (ns, rss, code) = (
        it.next().unwrap_or(0),
        it.next().unwrap_or(0),
        it.next().unwrap_or(-1),
    );
    Run {
        wall: Duration::from_nanos(ns.max(0) as u64),
        rss_kib: rss.max(0) as u64,
        code: code as i32,
    }
}

/// `runs` runs: the median wall time, the largest peak memory, and the exit
/// code of the last. `before` runs before each (not timed).
fn repeat(runs: usize, mut before: impl FnMut(), mut once: impl FnMut() -> Run) -> Run {
    let mut all: Vec<Run> = (0..runs.max(1))
        .map(|_| {
            before();
            once()
        })
        .collect();
    let code = all.last().map_or(-1, |r| r.code);
    let rss = all.iter().map(|r| r.rss_kib).max().unwrap_or(0);
    all.sort_by_key(|r| r.wall);
    Run {
        wall: all[all.len() / 2].wall,
        rss_kib: rss,
        code,
    }
}

fn git_version() -> Option<String> {
    let out = Command::new("git").arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

// ---- the table -------------------------------------------------------------

#[derive(Default)]
struct Table {
    rows: Vec<[String; 4]>,
}

impl Table {
    fn section(&mut self, title: &str) {
        self.rows.push([
            format!("## {title}"),
            String::new(),
            String::new(),
            String::new(),
        ]);
    }

    /// A measurement with no target.
    fn info(&mut self, what: impl Into<String>, value: impl Into<String>) {
        self.rows
            .push([what.into(), value.into(), String::new(), String::new()]);
    }

    /// A measurement against a goal and a bar: `PASS` (goal met), `pass`
    /// (within the bar only), `MISS`.
    fn check(
        &mut self,
        what: impl Into<String>,
        value: impl Into<String>,
        target: impl Into<String>,
        goal: bool,
        bar: bool,
    ) {
        let verdict = if goal {
            "PASS"
        } else if bar {
            "pass (bar)"
        } else {
            "MISS"
        };
        self.rows
            .push([what.into(), value.into(), target.into(), verdict.into()]);
    }

    fn print(&self) {
        let width = |k: usize| {
            self.rows
                .iter()
                .filter(|r| !r[0].starts_with("## "))
                .map(|r| r[k].chars().count())
                .max()
                .unwrap_or(0)
        };
        let (w0, w1, w2) = (width(0), width(1), width(2));
        for r in &self.rows {
            if let Some(title) = r[0].strip_prefix("## ") {
                println!("\n{title}");
                continue;
            }
            println!("  {:<w0$}  {:>w1$}  {:<w2$}  {}", r[0], r[1], r[2], r[3]);
        }
    }
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

// ---- diff ------------------------------------------------------------------

struct DiffResult {
    n: usize,
    json: Duration,
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("a folder for generated files");
    }
    std::fs::write(path, text).expect("generated files are written");
}

fn bench_diff(
    root: &Path,
    n: usize,
    seed: u64,
    words: usize,
    git: bool,
    table: &mut Table,
) -> DiffResult {
    eprintln!("diff: generating {n} points");
    let pair = synth::generate(&synth::Options {
        points: n,
        seed,
        mix: Mix::BENCH,
        words,
        ..synth::Options::default()
    });
    let dir = root.join(format!("diff-{n}"));
    let (from, to) = (dir.join("from.toml"), dir.join("to.toml"));
    write(&from, &pair.from.to_toml());
    write(&to, &pair.to.to_toml());
    let bytes = std::fs::metadata(&from).map_or(0, |m| m.len())
        + std::fs::metadata(&to).map_or(0, |m| m.len());
    let runs = if n >= 100_000 { 3 } else { 5 };
    let (f, t) = (from.display().to_string(), to.display().to_string());
    let out = dir.join("diff.json");
    eprintln!("diff: timing {n} points");
    // Timed with the output thrown away, as git's is; one more run keeps
    // the JSON for scoring.
    let json = repeat(
        runs,
        || {},
        || run(&dir, None, TREATY, &["diff", &f, &t, "--format", "json"]),
    );
    let text = repeat(runs, || {}, || run(&dir, None, TREATY, &["diff", &f, &t]));
    run(
        &dir,
        Some(&out),
        TREATY,
        &["diff", &f, &t, "--format", "json"],
    );
    let found = std::fs::read_to_string(&out)
        .ok()
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
        .and_then(|v| synth::pairs_from_json(&v))
        .unwrap_or_default();
    let score = synth::score(&pair.truth_pairs(), &found);
    let git_run = git.then(|| {
        repeat(
            runs,
            || {},
            || {
                run(
                    &dir,
                    None,
                    "git",
                    &["diff", "--no-index", "--no-color", &f, &t],
                )
            },
        )
    });

    table.section(&format!(
        "treaty diff, {} points ({:.1} MB + {:.1} MB, no ids; 5% reworded, 2% moved, 1% added, 1% removed, 0.4% split, 0.4% merged)",
        thousands(n),
        std::fs::metadata(&from).map_or(0, |m| m.len()) as f64 / 1e6,
        std::fs::metadata(&to).map_or(0, |m| m.len()) as f64 / 1e6,
    ));
    table.info("wall, --format json (median)", ms(json.wall));
    table.info("wall, text (median)", ms(text.wall));
    match git_run {
        Some(g) => {
            table.info("git diff --no-index (median)", ms(g.wall));
            let ratio = json.wall.as_secs_f64() / g.wall.as_secs_f64().max(1e-9);
            let ratio_text = text.wall.as_secs_f64() / g.wall.as_secs_f64().max(1e-9);
            table.info("text / git", format!("{ratio_text:.2}×"));
            if n == 10_000 {
                table.check(
                    "json / git",
                    format!("{ratio:.2}×"),
                    "≤ 1× (bar ≤ 1.5×)",
                    ratio <= 1.0,
                    ratio <= 1.5,
                );
            } else {
                table.info("json / git", format!("{ratio:.2}×"));
            }
        }
        None => table.info("git diff --no-index", "skipped: no git"),
    }
    let budget = 3 * bytes / 1024 + n as u64;
    table.check(
        "peak memory",
        mib(json.rss_kib.max(text.rss_kib)),
        format!("≤ {} (3× files + 1 KB/point)", mib(budget)),
        json.rss_kib.max(text.rss_kib) <= budget,
        json.rss_kib.max(text.rss_kib) <= budget,
    );
    table.info(
        "precision / recall",
        format!("{:.4} / {:.4}", score.precision(), score.recall()),
    );
    table.check(
        "alignment F1",
        format!("{:.4}", score.f1()),
        "≥ 0.999 (bar ≥ 0.99)",
        score.f1() >= 0.999,
        score.f1() >= 0.99,
    );
    if json.code != 0 || text.code != 0 {
        table.info(
            "exit codes (json, text)",
            format!("{}, {} (expected 0)", json.code, text.code),
        );
    }
    DiffResult { n, json: json.wall }
}

fn summarize_diffs(diffs: &[DiffResult], table: &mut Table) {
    let at = |n: usize| diffs.iter().find(|d| d.n == n).map(|d| d.json);
    if let (Some(small), Some(large)) = (at(10_000), at(100_000)) {
        let growth = large.as_secs_f64() / small.as_secs_f64().max(1e-9);
        table.section("growth");
        table.check(
            "diff 100,000 / diff 10,000",
            format!("{growth:.1}×"),
            "≤ 12×",
            growth <= 12.0,
            growth <= 12.0,
        );
    }
}

// ---- pathological input ----------------------------------------------------

fn bench_pathological(root: &Path, git: bool, table: &mut Table) {
    table.section("pathological input (bounded by deadlines, not minutes)");
    let boiler = "The parties to this agreement shall in accordance with the provisions set out above and without prejudice to any other obligation cooperate in good faith.";
    let draft = |texts: &mut dyn Iterator<Item = String>| {
        let plan = treaty::Plan {
            title: Some("Boilerplate".into()),
            points: texts
                .enumerate()
                .map(|(i, t)| treaty::Point::new((i + 1).to_string(), t))
                .collect(),
            ..treaty::Plan::default()
        };
        plan.to_toml()
    };
    let cases: Vec<(&str, String, String)> = vec![
        (
            "10,000 points, every one the same boilerplate",
            draft(&mut (0..10_000).map(|_| boiler.to_string())),
            draft(&mut (0..10_000).map(|i| {
                if i % 10 == 5 {
                    boiler.replace("good faith", "good faith and promptly")
                } else {
                    boiler.to_string()
                }
            })),
        ),
        (
            "10,000 points, boilerplate + one word each",
            draft(&mut (0..10_000).map(|i| format!("{boiler} Item {}.", i * 7919 % 10_007))),
            draft(&mut (0..10_000).map(|i| format!("{boiler} Item {}.", i * 7907 % 10_007))),
        ),
        {
            let mut rng = synth::Rng::new(5);
            let words: Vec<String> = (0..800_000)
                .map(|_| format!("w{}", rng.zipf(50_000)))
                .collect();
            let mut changed = words.clone();
            for _ in 0..8_000 {
                let i = rng.below(changed.len());
                changed[i] = format!("x{}", rng.below(1000));
            }
            (
                "one point of 5 MB, 1% of its words changed",
                draft(&mut std::iter::once(words.join(" "))),
                draft(&mut std::iter::once(changed.join(" "))),
            )
        },
    ];
    for (k, (what, from, to)) in cases.into_iter().enumerate() {
        let dir = root.join(format!("pathological-{k}"));
        let (f, t) = (dir.join("from.toml"), dir.join("to.toml"));
        write(&f, &from);
        write(&t, &to);
        let (fs, ts) = (f.display().to_string(), t.display().to_string());
        eprintln!("pathological: {what}");
        let text = repeat(3, || {}, || run(&dir, None, TREATY, &["diff", &fs, &ts]));
        let json = repeat(
            3,
            || {},
            || run(&dir, None, TREATY, &["diff", &fs, &ts, "--format", "json"]),
        );
        let worst = text.wall.max(json.wall);
        let git_note = if git {
            let g = repeat(
                3,
                || {},
                || {
                    run(
                        &dir,
                        None,
                        "git",
                        &["diff", "--no-index", "--no-color", &fs, &ts],
                    )
                },
            );
            format!(" (git {})", ms(g.wall))
        } else {
            String::new()
        };
        table.check(
            what,
            format!("{}{git_note}", ms(worst)),
            "≤ 2 s (bar ≤ 10 s)",
            worst <= Duration::from_secs(2),
            worst <= Duration::from_secs(10),
        );
        table.info("  peak memory", mib(text.rss_kib.max(json.rss_kib)));
    }
}

// ---- history: log and disputes ---------------------------------------------

/// Writes `revisions` as the history of plan `name` in a new repository at
/// `dir`, one commit per revision as `treaty commit` records them, and
/// leaves the last one as the working file.
fn build_history(dir: &Path, name: &str, revisions: &[treaty::Plan]) {
    let mut opts = git2::RepositoryInitOptions::new();
    opts.initial_head("main");
    let repo = git2::Repository::init_opts(dir, &opts).expect("a repository");
    let sig = git2::Signature::new(
        "Bench",
        "bench@example.org",
        &git2::Time::new(1_700_000_000, 0),
    )
    .expect("a signature");
    let mut parent: Option<git2::Oid> = None;
    let mut last = String::new();
    for (k, plan) in revisions.iter().enumerate() {
        last = plan.to_toml();
        let blob = repo.blob(last.as_bytes()).expect("blob");
        let mut plans = repo.treebuilder(None).expect("tree");
        plans
            .insert(format!("{name}.toml"), blob, 0o100_644)
            .expect("tree entry");
        let plans = plans.write().expect("tree");
        let mut root = repo.treebuilder(None).expect("tree");
        root.insert("plans", plans, 0o040_000).expect("tree entry");
        let tree = repo.find_tree(root.write().expect("tree")).expect("tree");
        let parents: Vec<git2::Commit<'_>> = parent
            .map(|p| repo.find_commit(p).expect("parent"))
            .into_iter()
            .collect();
        let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let time = git2::Time::new(1_700_000_000 + 3600 * k as i64, 0);
        let sig = git2::Signature::new("Bench", "bench@example.org", &time).unwrap_or(sig.clone());
        let message = format!("{name}: revision {}\n\nTreaty-Plan: {name}\n", k + 1);
        parent = Some(
            repo.commit(None, &sig, &sig, &message, &tree, &parents)
                .expect("commit"),
        );
    }
    if let Some(tip) = parent {
        repo.reference("refs/heads/main", tip, true, "bench history")
            .expect("branch");
    }
    write(&dir.join("plans").join(format!("{name}.toml")), &last);
    let mut index = repo.index().expect("index");
    index
        .add_path(Path::new(&format!("plans/{name}.toml")))
        .expect("index entry");
    index.write().expect("index written");
}

fn bench_history(root: &Path, options: &HistoryOptions, git: bool, table: &mut Table) {
    eprintln!(
        "history: generating {} revisions of {} points",
        options.revisions, options.points
    );
    let revisions = synth::history(options);
    let dir = root.join("history");
    build_history(&dir, "plan", &revisions);
    drop(revisions);
    let cache = dir.join(".git").join("treaty");
    let clear = || {
        let _ = std::fs::remove_dir_all(&cache);
    };
    let runs = 3;
    let timed = |args: &[&str]| {
        eprintln!("history: treaty {}", args.join(" "));
        let cold = repeat(runs, clear, || run(&dir, None, TREATY, args));
        let _ = run(&dir, None, TREATY, args);
        let warm = repeat(runs, || {}, || run(&dir, None, TREATY, args));
        (cold, warm)
    };
    let (disputes_cold, disputes_warm) = timed(&["disputes", "plan"]);
    let (log_cold, log_warm) = timed(&["log", "plan"]);
    let git_log = git.then(|| {
        eprintln!("history: git log -p");
        repeat(
            runs,
            || {},
            || {
                run(
                    &dir,
                    None,
                    "git",
                    &["log", "-p", "--no-color", "--", "plans/plan.toml"],
                )
            },
        )
    });
    table.section(&format!(
        "history: {} revisions of a {}-point plan (each rewords 0.5%, changes 0.3% of statuses, inserts a point)",
        thousands(options.revisions),
        thousands(options.points)
    ));
    let g = git_log.map(|g| g.wall.as_secs_f64());
    if let Some(g) = git_log {
        table.info("git log -p of the plan (median)", ms(g.wall));
    }
    for (what, cold, warm) in [
        ("disputes", disputes_cold, disputes_warm),
        ("log", log_cold, log_warm),
    ] {
        match g {
            Some(g) => {
                let c = cold.wall.as_secs_f64() / g;
                let w = g / warm.wall.as_secs_f64().max(1e-9);
                table.check(
                    format!("{what}, cold (no cache)"),
                    format!("{} = {c:.2}× git", ms(cold.wall)),
                    "≤ 1× git log -p (bar ≤ 2×)",
                    c <= 1.0,
                    c <= 2.0,
                );
                table.check(
                    format!("{what}, warm (cache)"),
                    format!("{} = {w:.1}× faster", ms(warm.wall)),
                    "≥ 3× faster than git log -p",
                    w >= 3.0,
                    w >= 3.0,
                );
            }
            None => {
                table.info(format!("{what}, cold (no cache)"), ms(cold.wall));
                table.info(format!("{what}, warm (cache)"), ms(warm.wall));
            }
        }
        table.info(
            format!("  {what} peak memory (cold, warm)"),
            format!("{}, {}", mib(cold.rss_kib), mib(warm.rss_kib)),
        );
        if cold.code != 0 || warm.code != 0 {
            table.info(
                format!("  {what} exit codes"),
                format!("{}, {} (expected 0)", cold.code, warm.code),
            );
        }
    }
}

// ---- commit ----------------------------------------------------------------

fn bench_commit(root: &Path, seed: u64, table: &mut Table) {
    eprintln!("commit: 10,000 points");
    let pair = synth::generate(&synth::Options {
        points: 10_000,
        seed,
        mix: Mix::BENCH,
        ..synth::Options::default()
    });
    let mut previous = pair.from.clone();
    for (i, p) in previous.points.iter_mut().enumerate() {
        p.id = Some(format!("p-{}", i + 1));
    }
    let draft = pair.to.to_toml();
    let dirs: Vec<PathBuf> = (1..=5).map(|k| root.join(format!("commit-{k}"))).collect();
    for dir in &dirs {
        build_history(dir, "plan", std::slice::from_ref(&previous));
        write(&dir.join("plans").join("plan.toml"), &draft);
    }
    let mut next = dirs.iter();
    let result = repeat(
        dirs.len(),
        || {},
        || match next.next() {
            Some(dir) => run(dir, None, TREATY, &["commit", "plan", "-m", "New text"]),
            None => Run {
                wall: Duration::ZERO,
                rss_kib: 0,
                code: -1,
            },
        },
    );
    table
        .section("treaty commit of a 10,000-point draft (no ids; previous revision 10,000 points)");
    table.check(
        "wall (median)",
        ms(result.wall),
        "≤ 300 ms",
        result.wall <= Duration::from_millis(300),
        result.wall <= Duration::from_millis(300),
    );
    table.info("  peak memory", mib(result.rss_kib));
    if result.code != 0 {
        table.info("  exit code", format!("{} (expected 0)", result.code));
    }
}

// ---- where the time goes ---------------------------------------------------

/// The stages of a 10,000-point diff and of reading a history, timed in this
/// process (best of three): what dominates.
fn stages(root: &Path, seed: u64, table: &mut Table) {
    let dir = root.join("diff-10000");
    let (Ok(a), Ok(b)) = (
        std::fs::read(dir.join("from.toml")),
        std::fs::read(dir.join("to.toml")),
    ) else {
        return;
    };
    let _ = seed;
    let Some(best) = synth::time_stages(&a, &b, 3) else {
        return;
    };
    table.section("where a 10,000-point diff spends its time (in process, best of 3)");
    let total: Duration = best.iter().map(|b| b.1).sum();
    for (what, d) in &best {
        table.info(
            *what,
            format!(
                "{} ({:.0}%)",
                ms(*d),
                100.0 * d.as_secs_f64() / total.as_secs_f64().max(1e-9)
            ),
        );
    }
}
