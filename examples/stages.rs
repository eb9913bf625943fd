//! Where a diff of two draft files spends its time, stage by stage.
//!
//! ```text
//! cargo run --release --example stages -- FROM.toml TO.toml [RUNS]
//! ```
//!
//! Runs the stages of `treaty diff FROM TO --format json` in process, one
//! after the other on one thread, and prints the best time of each over RUNS
//! runs (default 5).

use std::time::Duration;

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
    let Some(best) = treaty::synth::time_stages(&a, &b, runs) else {
        eprintln!("both files must be valid drafts (see `treaty check`)");
        std::process::exit(2);
    };
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
