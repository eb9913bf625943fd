//! Synthetic draft pairs for measuring the diff engine, and tools for looking
//! at its mistakes.
//!
//! ```text
//! cargo run --release --example synth -- write --points 1000 --seed 1 --out /tmp/pair
//!     writes /tmp/pair/from.toml, to.toml and truth.json (schema treaty.truth/1)
//! cargo run --release --example synth -- score TRUTH.json DIFF.json
//!     precision/recall/F1 of the correspondences in `treaty diff --format json`
//!     output (or another truth file) against a truth file
//! cargo run --release --example synth -- eval --points 1000 --seeds 1-5 [--threshold 0.25] [--errors]
//!     generates, aligns and scores in process, one line per seed, with timings;
//!     the mix of changes can be set: --reworded 0.25 --heavy 0.12 --moved 0.05
//!     --added 0.06 --removed 0.06 --split 0.03 --merged 0.03 --boilerplate 0.1
//!     --words 8 (the shortest point, in words; 20 gives about 600 bytes a point)
//! cargo run --release --example synth -- sweep --points 1000 --seeds 1-5 [FROM.toml TO.toml TRUTH.json]... [--no-titles]
//!     F1 for thresholds 0.05..0.60, on synthetic pairs and on the given real pairs
//! cargo run --release --example synth -- files FROM.toml TO.toml TRUTH.json [--threshold T] [--no-titles]
//!     the score of one real pair, and every wrong or missed correspondence
//! cargo run --release --example synth -- sims --files FROM.toml,TO.toml p=12,8,12,9
//!     similarity and containment of given pairs of points (by number)
//! cargo run --release --example synth -- hist|breakdown --points 1000 --seeds 1-10
//!     pairs found, by method and similarity; errors by kind
//! cargo run --release --example synth -- steps --points 10000
//!     the time of each alignment step
//! cargo run --release --example synth -- stress --points 10000
//!     pathological inputs: one boilerplate everywhere, one 5 MB point
//! ```

use std::path::PathBuf;
use std::time::Instant;

use treaty::align::Options;
use treaty::synth::{self, Score};
use treaty::Plan;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("write") => write(&args[1..]),
        Some("score") => score(&args[1..]),
        Some("eval") => eval(&args[1..]),
        Some("sweep") => sweep(&args[1..]),
        Some("sims") => debug_pairs(&args[1..]),
        Some("files") => files(&args[1..]),
        Some("hist") => histogram(&args[1..]),
        Some("steps") => steps(&args[1..]),
        Some("stress") => stress(&args[1..]),
        Some("breakdown") => breakdown(&args[1..]),
        _ => Err("usage: synth write|score|eval|sweep … (see the source for options)".into()),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}

type Res = Result<(), String>;

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn number<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> Result<T, String> {
    match flag(args, name) {
        Some(v) => v.parse().map_err(|_| format!("bad value for {name}: {v}")),
        None => Ok(default),
    }
}

fn seeds(args: &[String]) -> Result<Vec<u64>, String> {
    let spec = flag(args, "--seeds").unwrap_or_else(|| "1-5".into());
    let bad = || format!("bad --seeds {spec} (write 1-5 or 3)");
    match spec.split_once('-') {
        Some((a, b)) => {
            let (a, b): (u64, u64) = (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
            Ok((a..=b).collect())
        }
        None => Ok(vec![spec.parse().map_err(|_| bad())?]),
    }
}

fn options(args: &[String], seed: u64) -> Result<synth::Options, String> {
    let d = synth::Options::default();
    Ok(synth::Options {
        points: number(args, "--points", 1000)?,
        seed,
        mix: synth::Mix {
            reworded: number(args, "--reworded", d.mix.reworded)?,
            heavy: number(args, "--heavy", d.mix.heavy)?,
            moved: number(args, "--moved", d.mix.moved)?,
            added: number(args, "--added", d.mix.added)?,
            removed: number(args, "--removed", d.mix.removed)?,
            split: number(args, "--split", d.mix.split)?,
            merged: number(args, "--merged", d.mix.merged)?,
        },
        boilerplate: number(args, "--boilerplate", d.boilerplate)?,
        words: number(args, "--words", d.words)?,
    })
}

fn write(args: &[String]) -> Res {
    let out = PathBuf::from(flag(args, "--out").ok_or("write needs --out DIR")?);
    let pair = synth::generate(&options(args, number(args, "--seed", 1)?)?);
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    for (name, text) in [
        ("from.toml", pair.from.to_toml()),
        ("to.toml", pair.to.to_toml()),
        ("truth.json", pair.truth_json()),
    ] {
        std::fs::write(out.join(name), text).map_err(|e| format!("{name}: {e}"))?;
    }
    println!(
        "{}: {} → {} points, {} true correspondences",
        out.display(),
        pair.from.points.len(),
        pair.to.points.len(),
        pair.truth_pairs().len()
    );
    Ok(())
}

fn read_pairs(path: &str) -> Result<Vec<(String, String)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    synth::pairs_from_json(&v)
        .ok_or_else(|| format!("{path}: neither treaty.truth/1 nor treaty.diff/1"))
}

fn score(args: &[String]) -> Res {
    let [truth, found] = args else {
        return Err("score TRUTH.json DIFF.json".into());
    };
    let s = synth::score(&read_pairs(truth)?, &read_pairs(found)?);
    println!("{s}");
    Ok(())
}

fn eval(args: &[String]) -> Res {
    let threshold = number(args, "--threshold", treaty::align::DEFAULT_THRESHOLD)?;
    let mut total = Score::default();
    for seed in seeds(args)? {
        let pair = synth::generate(&options(args, seed)?);
        let start = Instant::now();
        let d = treaty::diff::diff(&pair.from, &pair.to, &Options { threshold });
        let took = start.elapsed();
        let s = synth::score(&pair.truth_pairs(), &synth::diff_pairs(&d));
        total.add(s);
        println!(
            "seed {seed}: {} → {} points: {s}  ({:.1} ms)",
            pair.from.points.len(),
            pair.to.points.len(),
            took.as_secs_f64() * 1000.0
        );
        if args.iter().any(|a| a == "--errors") {
            errors(&pair, &d);
        }
    }
    println!("all: {total}");
    Ok(())
}

/// Prints the groups that differ from the truth.
fn errors(pair: &synth::SynthPair, d: &treaty::diff::PlanDiff) {
    print_errors(&pair.from, &pair.to, &pair.truth_pairs(), d);
}

fn print_errors(from: &Plan, to: &Plan, truth: &[(String, String)], d: &treaty::diff::PlanDiff) {
    let truth = truth.to_vec();
    let found = synth::diff_pairs(d);
    let t: std::collections::HashSet<_> = truth.iter().collect();
    let f: std::collections::HashSet<_> = found.iter().collect();
    let text = |plan: &Plan, n: &str| {
        plan.points
            .iter()
            .find(|p| p.number == n)
            .map(|p| p.text.chars().take(160).collect::<String>())
            .unwrap_or_default()
    };
    let kind_of = |n: &str, side_from: bool| {
        d.changes
            .iter()
            .find(|c| {
                if side_from {
                    c.from.iter().any(|p| p.number == n)
                } else {
                    c.to.iter().any(|p| p.number == n)
                }
            })
            .map(|c| format!("{:?}/{:?} {:?}", c.kind, c.method, c.similarity))
            .unwrap_or_default()
    };
    for p in found.iter().filter(|p| !t.contains(p)) {
        println!("  wrong   {} → {}   [{}]", p.0, p.1, kind_of(&p.0, true));
        println!("     F {}\n     T {}", text(from, &p.0), text(to, &p.1));
    }
    let mut a = treaty::align::Aligner::new(from, to, &Options::default());
    for p in truth.iter().filter(|p| !f.contains(p)) {
        let why = match (from.find_point(&p.0), to.find_point(&p.1)) {
            (Some(i), Some(j)) => a.explain(i, j),
            _ => String::new(),
        };
        println!(
            "  missed  {} → {}   found [{}] / [{}]  {why}",
            p.0,
            p.1,
            kind_of(&p.0, true),
            kind_of(&p.1, false)
        );
        println!("     F {}\n     T {}", text(from, &p.0), text(to, &p.1));
    }
}

/// A named real pair: FROM, TO and the true correspondences.
type RealPair = (String, Plan, Plan, Vec<(String, String)>);

fn sweep(args: &[String]) -> Res {
    let mut real: Vec<RealPair> = Vec::new();
    let files: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with("--") && (*i == 0 || !args[i - 1].starts_with("--")))
        .map(|(_, a)| a)
        .collect();
    for chunk in files.chunks(3) {
        let [a, b, t] = chunk else {
            return Err("real pairs come as FROM.toml TO.toml TRUTH.json".into());
        };
        let untitled = args.iter().any(|a| a == "--no-titles");
        let read = |p: &str| -> Result<Plan, String> {
            let mut plan = Plan::read(std::path::Path::new(p)).map_err(|e| e.to_string())?;
            if untitled {
                plan.points.iter_mut().for_each(|p| p.title = None);
            }
            Ok(plan)
        };
        let short = |p: &str| {
            std::path::Path::new(p)
                .file_stem()
                .map_or(p.to_string(), |s| {
                    s.to_string_lossy().chars().take(6).collect()
                })
        };
        real.push((
            format!("{}→{}", short(a), short(b)),
            read(a)?,
            read(b)?,
            read_pairs(t)?,
        ));
    }
    let pairs: Vec<synth::SynthPair> = seeds(args)?
        .into_iter()
        .map(|s| options(args, s).map(|o| synth::generate(&o)))
        .collect::<Result<_, _>>()?;
    print!("threshold  synthetic");
    for (name, ..) in &real {
        print!("  {name}");
    }
    println!();
    for step in 1..=12 {
        let threshold = step as f64 * 0.05;
        let o = Options { threshold };
        let mut total = Score::default();
        for p in &pairs {
            total.add(synth::score(
                &p.truth_pairs(),
                &synth::diff_pairs(&treaty::diff::diff(&p.from, &p.to, &o)),
            ));
        }
        print!("{threshold:9.2}  {:.4}", total.f1());
        for (_, a, b, t) in &real {
            let s = synth::score(t, &synth::diff_pairs(&treaty::diff::diff(a, b, &o)));
            print!("  {:.2}/{:.2}/{:.3}", s.precision(), s.recall(), s.f1());
        }
        println!();
    }
    Ok(())
}

fn debug_pairs(args: &[String]) -> Res {
    let (from, to) = match flag(args, "--files") {
        Some(list) => {
            let (a, b) = list.split_once(',').ok_or("--files A,B")?;
            let read = |p: &str| Plan::read(std::path::Path::new(p)).map_err(|e| e.to_string());
            (read(a)?, read(b)?)
        }
        None => {
            let pair = synth::generate(&options(args, number(args, "--seed", 1)?)?);
            (pair.from, pair.to)
        }
    };
    let mut a = treaty::align::Aligner::new(&from, &to, &Options::default());
    let nums: Vec<&str> = args
        .iter()
        .filter_map(|x| x.strip_prefix("p="))
        .flat_map(|x| x.split(','))
        .collect();
    for c in nums.chunks(2) {
        if let [f, t] = c {
            let (Some(i), Some(j)) = (from.find_point(f), to.find_point(t)) else {
                continue;
            };
            println!("{f} → {t}: {}", a.explain(i, j));
        }
    }
    Ok(())
}

fn files(args: &[String]) -> Res {
    let threshold = number(args, "--threshold", treaty::align::DEFAULT_THRESHOLD)?;
    let untitled = args.iter().any(|a| a == "--no-titles");
    let read = |p: &str| -> Result<Plan, String> {
        let mut plan = Plan::read(std::path::Path::new(p)).map_err(|e| e.to_string())?;
        if untitled {
            plan.points.iter_mut().for_each(|p| p.title = None);
        }
        Ok(plan)
    };
    let (a, b, t) = (read(&args[0])?, read(&args[1])?, read_pairs(&args[2])?);
    let d = treaty::diff::diff(&a, &b, &Options { threshold });
    println!("{}", synth::score(&t, &synth::diff_pairs(&d)));
    print_errors(&a, &b, &t, &d);
    Ok(())
}

/// Histogram of similarities of pairs found, by method and correctness.
fn histogram(args: &[String]) -> Res {
    let threshold = number(args, "--threshold", treaty::align::DEFAULT_THRESHOLD)?;
    let mut rows: std::collections::BTreeMap<(String, bool, usize), usize> = Default::default();
    for seed in seeds(args)? {
        let pair = synth::generate(&options(args, seed)?);
        let truth: std::collections::HashSet<(String, String)> =
            pair.truth_pairs().into_iter().collect();
        let d = treaty::diff::diff(&pair.from, &pair.to, &Options { threshold });
        for c in &d.changes {
            if c.from.is_empty() || c.to.is_empty() {
                continue;
            }
            let ok = c.from.iter().all(|f| {
                c.to.iter()
                    .all(|t| truth.contains(&(f.number.clone(), t.number.clone())))
            });
            let bucket = (c.similarity.unwrap_or(0.0) * 20.0) as usize;
            *rows
                .entry((
                    format!(
                        "{:?}/{:?}{}",
                        c.kind,
                        c.method,
                        if c.moved { " moved" } else { "" }
                    ),
                    ok,
                    bucket,
                ))
                .or_default() += 1;
        }
    }
    for ((m, ok, b), n) in rows {
        if b < 20 {
            println!(
                "{m:20} {} {:.2}-{:.2}: {n}",
                if ok { "right" } else { "WRONG" },
                b as f64 / 20.0,
                (b + 1) as f64 / 20.0
            );
        }
    }
    Ok(())
}

/// Times each alignment step and the classification.
fn steps(args: &[String]) -> Res {
    let pair = synth::generate(&options(args, number(args, "--seed", 1)?)?);
    let o = Options::default();
    let t = Instant::now();
    let lap = |name: &str, t: &mut Instant| {
        println!("{name:12} {:8.1} ms", t.elapsed().as_secs_f64() * 1000.0);
        *t = Instant::now();
    };
    let mut t0 = t;
    let mut a = treaty::align::Aligner::new(&pair.from, &pair.to, &o);
    lap("index", &mut t0);
    a.match_ids();
    a.match_exact();
    lap("ids+exact", &mut t0);
    a.match_similar();
    lap("similar", &mut t0);
    a.match_splits_merges();
    lap("split/merge", &mut t0);
    a.match_deferred();
    a.match_in_gaps();
    lap("gaps", &mut t0);
    let al = a.finish();
    lap("finish", &mut t0);
    let d = treaty::diff::diff_aligned(&pair.from, &pair.to, &al);
    lap("classify", &mut t0);
    let _ = treaty::render::json::to_string(&d.summary.added);
    println!("total {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
    Ok(())
}

/// Pathological inputs: every point the same boilerplate (or the same few
/// words shuffled), and one 5 MB point. Prints how long each diff takes.
fn stress(args: &[String]) -> Res {
    let n: usize = number(args, "--points", 10000)?;
    let plan = |texts: Vec<String>| Plan {
        points: texts
            .into_iter()
            .enumerate()
            .map(|(i, t)| treaty::Point::new((i + 1).to_string(), t))
            .collect(),
        ..Plan::default()
    };
    let time = |name: &str, a: &Plan, b: &Plan| {
        let start = Instant::now();
        let d = treaty::diff::diff(a, b, &Options::default());
        let json = treaty::render::json::diff(&d, None, &Default::default(), &Default::default());
        println!(
            "{name}: {} → {} points, {} groups, {} bytes of JSON, {:.1} ms",
            a.points.len(),
            b.points.len(),
            d.changes.len(),
            json.len(),
            start.elapsed().as_secs_f64() * 1000.0
        );
    };
    let same = "The parties agree to the terms of this agreement and to its annexes.";
    time(
        "same boilerplate",
        &plan(vec![same.to_string(); n]),
        &plan(vec![same.to_string(); n + n / 10]),
    );
    let mut rng = synth::Rng::new(1);
    let pool: Vec<&str> = same.trim_end_matches('.').split(' ').collect();
    let mut shuffled = |k: usize| -> Vec<String> {
        (0..k)
            .map(|_| {
                let mut w = pool.clone();
                for i in (1..w.len()).rev() {
                    w.swap(i, rng.below(i + 1));
                }
                w.join(" ")
            })
            .collect()
    };
    time(
        "shuffled boilerplate",
        &plan(shuffled(n)),
        &plan(shuffled(n)),
    );
    let mut big = String::new();
    let mut k = 0u64;
    while big.len() < 5_000_000 {
        big.push_str(&format!("clause {k} of the annex binds party {} ", k % 7));
        k += 1;
    }
    let mut big2 = big.replacen("clause 1 ", "article 1 ", 1);
    big2.push_str("and more.");
    time(
        "one 5 MB point",
        &plan(vec![big.clone(), "A small point.".into()]),
        &plan(vec!["A small point.".into(), big2]),
    );
    time(
        "5 MB point against many",
        &plan(vec![big]),
        &plan(shuffled(n)),
    );
    Ok(())
}

/// Errors by the kind of the true group (missed) and the method that made
/// the false pair (wrong), over many seeds.
fn breakdown(args: &[String]) -> Res {
    let mut missed: std::collections::BTreeMap<String, usize> = Default::default();
    let mut wrong: std::collections::BTreeMap<String, usize> = Default::default();
    for seed in seeds(args)? {
        let pair = synth::generate(&options(args, seed)?);
        let d = treaty::diff::diff(&pair.from, &pair.to, &Options::default());
        let found: std::collections::HashSet<(String, String)> =
            synth::diff_pairs(&d).into_iter().collect();
        let truth: std::collections::HashSet<(String, String)> =
            pair.truth_pairs().into_iter().collect();
        for g in &pair.truth {
            for &f in &g.from {
                for &t in &g.to {
                    let p = (
                        pair.from.points[f].number.clone(),
                        pair.to.points[t].number.clone(),
                    );
                    if !found.contains(&p) {
                        *missed.entry(format!("{:?}", g.kind)).or_default() += 1;
                    }
                }
            }
        }
        for c in &d.changes {
            for f in &c.from {
                for t in &c.to {
                    if !truth.contains(&(f.number.clone(), t.number.clone())) {
                        *wrong
                            .entry(format!(
                                "{:?}/{:?}{}",
                                c.kind,
                                c.method,
                                if c.moved { " moved" } else { "" }
                            ))
                            .or_default() += 1;
                    }
                }
            }
        }
    }
    println!("missed by true kind: {missed:?}");
    println!("wrong by method: {wrong:?}");
    Ok(())
}
