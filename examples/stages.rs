//! Where a diff of two draft files spends its time, stage by stage.
//!
//! ```text
//! cargo run --release --example stages -- FROM.toml TO.toml [RUNS]
//! ```
//!
//! Runs the stages of `treaty diff FROM TO --format json` in process, one
//! after the other on one thread, and prints the best time of each over RUNS
//! runs (default 5).

use std::time::{Duration, Instant};

use treaty::align::{Aligner, Options};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(a), Some(b)) = (args.first(), args.get(1)) else {
        eprintln!("usage: stages FROM.toml TO.toml [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let (a, b) = match (std::fs::read(a), std::fs::read(b)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let mut best: Vec<(&str, Duration)> = Vec::new();
    for _ in 0..runs.max(1) {
        let mut times: Vec<(&str, Duration)> = Vec::new();
        let mut t = Instant::now();
        let mut lap = |what: &'static str, times: &mut Vec<(&'static str, Duration)>| {
            times.push((what, t.elapsed()));
            t = Instant::now();
        };
        let from = treaty::Plan::parse_bytes(&a, "from.toml").expect("a valid FROM draft");
        let to = treaty::Plan::parse_bytes(&b, "to.toml").expect("a valid TO draft");
        lap("parse both drafts", &mut times);
        let o = Options::default();
        let mut al = Aligner::new(&from, &to, &o);
        lap("align: terms and index", &mut times);
        al.match_ids();
        al.match_exact();
        lap("align: ids and exact texts", &mut times);
        al.match_similar();
        lap("align: similar texts", &mut times);
        al.match_splits_merges();
        al.match_deferred();
        al.match_in_gaps();
        let alignment = al.finish();
        lap("align: splits, merges, gaps, order", &mut times);
        let d = treaty::diff::diff_aligned(&from, &to, &alignment);
        lap("classify + word diffs", &mut times);
        let mut out = Vec::new();
        let info = treaty::revision::RevInfo::file("x");
        treaty::render::json::write_diff(&mut out, &d, None, &info, &info).expect("in memory");
        lap("render JSON", &mut times);
        if best.is_empty() {
            best = times;
        } else {
            for (b, t) in best.iter_mut().zip(times) {
                b.1 = b.1.min(t.1);
            }
        }
    }
    let total: Duration = best.iter().map(|b| b.1).sum();
    for (what, d) in &best {
        println!(
            "{what:<36} {:>8.1} ms {:>4.0}%",
            d.as_secs_f64() * 1e3,
            100.0 * d.as_secs_f64() / total.as_secs_f64().max(1e-9)
        );
    }
    println!("{:<36} {:>8.1} ms", "total", total.as_secs_f64() * 1e3);
}
