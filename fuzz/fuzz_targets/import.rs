//! Any text through `treaty import`: never panics, and whatever it turns into
//! a draft is a valid draft.
#![no_main]

use libfuzzer_sys::fuzz_target;
use treaty::import::{import, ImportOptions};
use treaty::plan::Plan;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(imported) = import(&text, &ImportOptions::default()) {
        // An import the tool accepts must be a draft that `check` accepts.
        let toml = imported.plan.to_toml();
        if let Err(e) = Plan::parse(&toml, "imported.toml") {
            panic!("import produced an invalid draft:\n{toml}\n{e}");
        }
    }
});
