//! `treaty disputes`, `history`, `position` and `status` on scripted
//! histories whose answers are known.

use crate::common::{ukraine_drafts, Env};

const HEAD: &str = "[plan]\ntitle = \"Scripted plan\"\nparties = [\"A\", \"B\"]\n";

fn point(number: &str, title: &str, text: &str, positions: &str) -> String {
    let positions = if positions.is_empty() {
        String::new()
    } else {
        format!("positions = {{ {positions} }}\n")
    };
    format!(
        "\n[[points]]\nnumber = \"{number}\"\ntitle = \"{title}\"\ntext = \"{text}\"\n{positions}"
    )
}

const SOVEREIGNTY: &str = "The sovereignty of the republic is confirmed by every signatory.";
const PLANT: &str = "The nuclear power plant at Zaporizhzhia is restarted under IAEA supervision and its power is split evenly.";
const RECON: &str = "A reconstruction package with a development fund for technology and special World Bank financing for the rebuilding of cities.";
const ELECTIONS: &str = "Elections are held within 100 days after signing.";

/// r1: sovereignty agreed, plant disputed, reconstruction open.
/// r2: elections inserted first (everything renumbered), nothing else changes.
/// r3: reconstruction split in two (fund agreed, World Bank disputed), plant
///     reworded and still disputed, sovereignty reopened (B rejects).
fn scripted() -> Env {
    let env = Env::workspace();
    let r1 = format!(
        "{HEAD}{}{}{}",
        point(
            "1",
            "Sovereignty",
            SOVEREIGNTY,
            "A = \"accept\", B = \"accept\""
        ),
        point(
            "2",
            "Nuclear plant",
            PLANT,
            "A = \"accept\", B = \"reject\""
        ),
        point("3", "Reconstruction", RECON, ""),
    );
    env.write("plans/p.toml", &r1);
    env.treaty(&["commit", "p", "-m", "r1"]).ok();
    let r2 = format!(
        "{HEAD}{}{}{}{}",
        point("1", "Elections", ELECTIONS, ""),
        point(
            "2",
            "Sovereignty",
            SOVEREIGNTY,
            "A = \"accept\", B = \"accept\""
        ),
        point(
            "3",
            "Nuclear plant",
            PLANT,
            "A = \"accept\", B = \"reject\""
        ),
        point("4", "Reconstruction", RECON, ""),
    );
    env.write("plans/p.toml", &r2);
    env.treaty(&["commit", "p", "-m", "r2"]).ok();
    let r3 = format!(
        "{HEAD}{}{}{}{}{}",
        point("1", "Elections", ELECTIONS, ""),
        point("2", "Sovereignty", SOVEREIGNTY, "A = \"accept\", B = \"reject\""),
        point("3", "Nuclear plant", "The nuclear power plant at Zaporizhzhia is restarted under IAEA supervision and run jointly by the United States.", "A = \"accept\", B = \"reject\""),
        point("4", "Reconstruction fund", "A reconstruction package with a development fund for technology.", "A = \"accept\", B = \"accept\""),
        point("5", "World Bank", "Special World Bank financing for the rebuilding of cities.", "A = \"accept\", B = \"reject\""),
    );
    env.write("plans/p.toml", &r3);
    env.treaty(&["commit", "p", "-m", "r3"]).ok();
    env
}

#[test]
fn disputes_follow_renumbering_splits_and_reopening() {
    let env = scripted();
    let v = env.treaty(&["disputes", "p", "--format", "json"]).json();
    assert_eq!(v["schema"], "treaty.disputes/1");
    assert_eq!(v["rev"]["rev"], "r3");
    assert_eq!(v["summary"]["points"], 5);
    assert_eq!(v["summary"]["agreed"], 1);
    assert_eq!(v["summary"]["disputed"], 3);
    assert_eq!(v["summary"]["open"], 1);
    assert_eq!(v["parties"], serde_json::json!(["A", "B"]));
    let points = v["points"].as_array().unwrap();
    let by_number = |n: &str| {
        points
            .iter()
            .find(|p| p["number"] == n)
            .unwrap_or_else(|| panic!("no point {n} in {v:#}"))
    };
    let numbers: Vec<&str> = points
        .iter()
        .map(|p| p["number"].as_str().unwrap())
        .collect();
    assert_eq!(
        numbers,
        ["1", "2", "3", "5"],
        "draft order, agreed point 4 left out"
    );

    let elections = by_number("1");
    assert_eq!(
        (
            elections["disputed_since"].as_str(),
            elections["revisions"].as_u64()
        ),
        (Some("r2"), Some(2))
    );
    assert_eq!(elections["last_changed"], "r2");
    assert_eq!(elections["reopened"], false);

    let sovereignty = by_number("2");
    assert_eq!(sovereignty["status"], "disputed");
    assert_eq!(
        (
            sovereignty["disputed_since"].as_str(),
            sovereignty["revisions"].as_u64()
        ),
        (Some("r3"), Some(1))
    );
    assert_eq!(sovereignty["last_changed"], "r1");
    assert_eq!(sovereignty["reopened"], true);
    assert_eq!(sovereignty["positions"]["B"], "reject");

    let plant = by_number("3");
    assert_eq!(
        (
            plant["disputed_since"].as_str(),
            plant["revisions"].as_u64()
        ),
        (Some("r1"), Some(3))
    );
    assert_eq!(plant["last_changed"], "r3");
    assert_eq!(plant["reopened"], false);

    let bank = by_number("5");
    assert_eq!(
        (bank["disputed_since"].as_str(), bank["revisions"].as_u64()),
        (Some("r1"), Some(3))
    );
    assert_eq!(bank["last_changed"], "r3");
}

#[test]
fn disputes_text_and_exit_code() {
    let env = scripted();
    let out = env.treaty(&["disputes", "p", "--exit-code"]).expect(1);
    assert!(
        out.stdout
            .contains("5 points: 1 agreed, 3 disputed, 1 open · 0 brackets"),
        "{out}"
    );
    assert!(out.stdout.contains("since r1 (3 revisions)"), "{out}");
    assert!(out.stdout.contains("reopened"), "{out}");
    // An earlier revision by label-less rN, and markdown.
    let md = env
        .treaty(&["disputes", "p", "r1", "--format", "markdown"])
        .ok();
    assert!(
        md.contains("| 2 | Nuclear plant | disputed | r1 | 1 | r1 |"),
        "{md}"
    );
}

#[test]
fn disputes_exit_code_zero_when_all_agreed() {
    let env = Env::workspace();
    env.write(
        "plans/p.toml",
        &format!(
            "{HEAD}{}",
            point(
                "1",
                "Sovereignty",
                SOVEREIGNTY,
                "A = \"accept\", B = \"accept\""
            )
        ),
    );
    env.treaty(&["commit", "p"]).ok();
    let out = env.treaty(&["disputes", "p", "--exit-code"]).expect(0);
    assert!(out.stdout.contains("every point is agreed"), "{out}");
}

#[test]
fn disputes_default_to_the_working_draft_when_it_differs() {
    let env = scripted();
    env.treaty(&["position", "p", "5", "B", "accept"]).ok();
    let v = env.treaty(&["disputes", "p", "--format", "json"]).json();
    assert_eq!(v["rev"]["rev"], "working");
    assert!(v["rev"]["commit"].is_null());
    assert_eq!(v["summary"]["agreed"], 2);
    let latest = env
        .treaty(&["disputes", "p", "latest", "--format", "json"])
        .json();
    assert_eq!(latest["summary"]["agreed"], 1);
}

#[test]
fn history_follows_a_point_through_renumbering_and_a_split() {
    let env = scripted();
    let v = env
        .treaty(&["history", "p", "5", "--format", "json"])
        .json();
    assert_eq!(v["schema"], "treaty.history/1");
    assert_eq!(v["point"], "5");
    let revs = v["revisions"].as_array().unwrap();
    let shown: Vec<(String, String, String)> = revs
        .iter()
        .map(|r| {
            (
                r["rev"].as_str().unwrap().to_string(),
                r["numbers"][0].as_str().unwrap().to_string(),
                r["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            ("r1".into(), "3".into(), "added".into()),
            ("r2".into(), "4".into(), "matched".into()),
            ("r3".into(), "5".into(), "split".into())
        ]
    );
    assert_eq!(revs[1]["reworded"], false);
    assert_eq!(revs[2]["reworded"], true);
    assert_eq!(revs[2]["status"], "disputed");
    assert_eq!(revs[0]["text"], RECON);
    let text = env.treaty(&["history", "p", "5", "--color", "never"]).ok();
    assert!(text.contains("[-"), "{text}");
}

#[test]
fn history_of_an_unknown_point_exits_2() {
    let env = scripted();
    let out = env.treaty(&["history", "p", "42"]).expect(2);
    assert!(out.stderr.contains("no point '42'"), "{out}");
}

#[test]
fn position_edits_in_place_and_keeps_comments() {
    let env = Env::workspace();
    let src = format!(
        "# drafting team copy\n{HEAD}{}# keep this comment\n{}",
        point("1", "Sovereignty", SOVEREIGNTY, ""),
        point("2", "Nuclear plant", PLANT, "A = \"accept\"")
    );
    env.write("plans/p.toml", &src);
    let out = env.treaty(&[
        "position",
        "p",
        "2",
        "B",
        "reject",
        "--note",
        "wants its own operator",
    ]);
    assert_eq!(out.status, 0, "{out}");
    let after = env.read("plans/p.toml");
    assert!(after.starts_with("# drafting team copy\n"));
    assert!(after.contains("# keep this comment\n"));
    assert!(
        after.contains("positions = { A = \"accept\", B = \"reject\" }"),
        "{after}"
    );
    assert!(after.contains("B: wants its own operator"));
    let v = env.treaty(&["show", "p", "--format", "json"]).json();
    assert_eq!(v["points"][1]["status"], "disputed");
    env.treaty(&["check", "plans/p.toml"]).ok();
}

#[test]
fn position_for_an_unknown_party_writes_nothing() {
    let env = Env::workspace();
    let src = format!("{HEAD}{}", point("1", "Sovereignty", SOVEREIGNTY, ""));
    env.write("plans/p.toml", &src);
    let out = env.treaty(&["position", "p", "1", "C", "accept"]).expect(2);
    assert!(out.stderr.contains("not a party"), "{out}");
    assert_eq!(env.read("plans/p.toml"), src);
    env.treaty(&["position", "p", "7", "A", "accept"]).expect(2);
    env.treaty(&["position", "p", "1", "A", "maybe"]).expect(2);
    assert_eq!(env.read("plans/p.toml"), src);
}

#[test]
fn status_sets_and_refuses_what_positions_decide() {
    let env = Env::workspace();
    let src = format!(
        "{HEAD}{}{}",
        point("1", "Sovereignty", SOVEREIGNTY, ""),
        point("2", "Nuclear plant", PLANT, "A = \"reject\"")
    );
    env.write("plans/p.toml", &src);
    env.treaty(&["status", "p", "1", "agreed"]).expect(0);
    assert!(env.read("plans/p.toml").contains("status = \"agreed\""));
    env.treaty(&["status", "p", "2", "agreed"]).expect(2);
}

#[test]
fn disputes_on_the_shipped_drafts_show_territory_and_the_plant() {
    let env = Env::new();
    let files = ukraine_drafts();
    let mut args = vec!["disputes", "--format", "json"];
    args.extend(files.iter().map(String::as_str));
    let v = env.treaty(&args).json();
    assert_eq!(v["rev"]["rev"], "r4");
    let points = v["points"].as_array().unwrap();
    let numbers: Vec<&str> = points
        .iter()
        .map(|p| p["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["12", "14"]);
    for p in points {
        assert_eq!(p["status"], "disputed");
        assert!(p["disputed_since"].as_str().unwrap().starts_with('r'));
    }
    // Territory (US 21) was disputed in the US draft already.
    assert_eq!(points[1]["disputed_since"], "r1");
    assert_eq!(points[1]["revisions"], 4);
}

#[test]
fn disputes_html_is_one_self_contained_page() {
    let env = scripted();
    let page = env.treaty(&["disputes", "p", "--format", "html"]).ok();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.trim_end().ends_with("</html>"));
    for series in ["agreed", "disputed", "open", "brackets"] {
        assert!(
            page.contains(&format!("id=\"series-{series}\"")),
            "no {series}"
        );
    }
    // r1..r3 in the chart's table, the World Bank point since r1, the grid.
    assert!(page.contains("<td class=\"rev\">r3</td>"));
    assert!(page.contains("<span class=\"title\">World Bank</span>"));
    assert!(page.contains("Not agreed since</span> <span class=\"rev\">r1</span>"));
    assert!(page.contains("<table class=\"grid\">"));
    // Nothing to fetch, nothing to run.
    assert!(!page.contains("<script") && !page.contains("src=") && !page.contains("href="));
}

#[test]
fn disputes_html_shows_a_hostile_title_as_text() {
    let env = Env::workspace();
    env.write(
        "plans/p.toml",
        &format!(
            "{HEAD}{}",
            point(
                "1",
                "<script>alert(1)</script> & </style>",
                "Text.",
                "A = \"reject\""
            )
        ),
    );
    let page = env.treaty(&["disputes", "p", "--format", "html"]).ok();
    assert!(!page.contains("<script"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;/style&gt;"));
    assert_eq!(page.matches("</style>").count(), 1);
}

/// Every report that reads a history through the cache, as printed.
fn history_reports(env: &Env) -> Vec<String> {
    [
        &["disputes", "p", "--format", "json"][..],
        &["disputes", "p"],
        &["disputes", "p", "r2", "--format", "json"],
        &["disputes", "p", "latest", "--format", "json"],
        &["log", "p", "--format", "json"],
        &["log", "p"],
    ]
    .iter()
    .map(|args| env.treaty(args).ok())
    .collect()
}

fn cache_files(env: &Env) -> Vec<std::path::PathBuf> {
    match std::fs::read_dir(env.path(".git/treaty/cache")) {
        Ok(entries) => entries.map(|e| e.expect("entry").path()).collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn results_are_the_same_with_and_without_the_cache() {
    let mut env = scripted();
    // A working draft that differs from the latest revision, too.
    let r3 = env.read("plans/p.toml");
    env.write(
        "plans/p.toml",
        &r3.replace("rebuilding of cities", "rebuilding of cities and ports"),
    );
    env.set_var("TREATY_NO_CACHE", "1");
    let uncached = history_reports(&env);
    assert!(
        cache_files(&env).is_empty(),
        "TREATY_NO_CACHE writes nothing"
    );
    env.unset_var("TREATY_NO_CACHE");
    let filling = history_reports(&env);
    assert!(!cache_files(&env).is_empty(), "the cache is filled");
    assert!(cache_files(&env)
        .iter()
        .all(|f| f.starts_with(env.path(".git"))));
    let cached = history_reports(&env);
    assert_eq!(uncached, filling);
    assert_eq!(uncached, cached);
}

#[test]
fn a_damaged_cache_is_ignored_not_trusted() {
    let env = scripted();
    let fresh = history_reports(&env);
    let files = cache_files(&env);
    assert!(!files.is_empty());
    // Damage every entry in a different way: flipped bytes, truncation,
    // garbage, an empty file.
    for (k, f) in files.iter().enumerate() {
        let mut bytes = std::fs::read(f).expect("read cache entry");
        match k % 4 {
            0 => {
                let mid = bytes.len() / 2;
                bytes[mid] ^= 0xff;
            }
            1 => bytes.truncate(bytes.len() / 3),
            2 => bytes = b"not a cache entry at all".to_vec(),
            _ => bytes.clear(),
        }
        std::fs::write(f, bytes).expect("damage cache entry");
    }
    assert_eq!(history_reports(&env), fresh);
    // ... and the entries were written afresh.
    assert_eq!(history_reports(&env), fresh);
}
