//! Any bytes as a draft file. Reading never panics; a draft that parses is
//! written back with `to_toml` and must parse again to the very same plan; the
//! error and every view of the draft render without panicking and without
//! letting a control character from the file through.
#![no_main]

use libfuzzer_sys::fuzz_target;
use treaty::plan::Plan;
use treaty::render::{json, markdown, text, Painter};
use treaty::revision::RevInfo;

fuzz_target!(|data: &[u8]| {
    match Plan::parse_bytes(data, "fuzz.toml") {
        Err(e) => {
            let shown = e.to_string();
            assert!(!shown.contains('\u{1b}'), "raw ESC in an error: {shown:?}");
        }
        Ok(plan) => {
            let toml = plan.to_toml();
            let again = match Plan::parse(&toml, "again.toml") {
                Ok(again) => again,
                Err(e) => panic!("to_toml wrote a draft that does not parse:\n{toml}\n{e}"),
            };
            assert_eq!(plan, again, "round trip changed the plan:\n{toml}");
            let rev = RevInfo::file("fuzz.toml");
            for color in [false, true] {
                let shown = text::draft(&plan, &rev, &Painter::new(color));
                if !color {
                    assert!(!shown.contains('\u{1b}'), "raw ESC in show: {shown:?}");
                }
            }
            let _ = markdown::draft(&plan, &rev);
            let _ = json::draft(&plan, &rev);
        }
    }
});
