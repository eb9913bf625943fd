//! Two drafts through the diff engine: the input is split at its first 0xFF
//! byte (never part of UTF-8), each half read as a draft; when both are valid,
//! diffing them (and each with itself) never panics, and:
//! - every point of both drafts is in exactly one group (SPEC §4);
//! - swapping FROM and TO keeps the pairs (on drafts without repeated texts:
//!   among exact copies the choice of partner is deterministic, not symmetric);
//! - a draft diffed with itself has only unchanged groups.
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use treaty::align::Options;
use treaty::diff::{diff, PlanDiff};
use treaty::plan::Plan;
use treaty::words::fold;

fn each_point_once(d: &PlanDiff, from: &Plan, to: &Plan) {
    let mut f = vec![0u32; from.points.len()];
    let mut t = vec![0u32; to.points.len()];
    for c in &d.changes {
        assert!(!c.from.is_empty() || !c.to.is_empty(), "empty group");
        c.from.iter().for_each(|p| f[p.index] += 1);
        c.to.iter().for_each(|p| t[p.index] += 1);
    }
    assert!(f.iter().all(|&n| n == 1), "FROM counts {f:?}");
    assert!(t.iter().all(|&n| n == 1), "TO counts {t:?}");
    assert_eq!(d.from_points, from.points.len());
    assert_eq!(d.to_points, to.points.len());
}

fn pairs(d: &PlanDiff, swap: bool) -> Vec<(Vec<usize>, Vec<usize>)> {
    let mut v: Vec<_> = d
        .changes
        .iter()
        .map(|c| {
            let a: Vec<usize> = c.from.iter().map(|p| p.index).collect();
            let b: Vec<usize> = c.to.iter().map(|p| p.index).collect();
            if swap {
                (b, a)
            } else {
                (a, b)
            }
        })
        .collect();
    v.sort();
    v
}

fn distinct(plan: &Plan) -> bool {
    let mut seen = HashSet::new();
    plan.points.iter().all(|p| seen.insert(fold(&p.text)))
}

fuzz_target!(|data: &[u8]| {
    let cut = data.iter().position(|&b| b == 0xff).unwrap_or(data.len());
    let (a, b) = (&data[..cut], data.get(cut + 1..).unwrap_or_default());
    let (Ok(from), Ok(to)) = (
        Plan::parse_bytes(a, "from.toml"),
        Plan::parse_bytes(b, "to.toml"),
    ) else {
        return;
    };
    let options = Options::default();
    let ab = diff(&from, &to, &options);
    let ba = diff(&to, &from, &options);
    each_point_once(&ab, &from, &to);
    each_point_once(&ba, &to, &from);
    if distinct(&from) && distinct(&to) {
        assert_eq!(pairs(&ab, false), pairs(&ba, true), "swap changed the pairs");
    }
    let same = diff(&from, &from, &options);
    each_point_once(&same, &from, &from);
    assert!(!same.has_changes(), "a draft against itself changed");
});
