//! The HTML views in a real browser: headless Chromium renders a redline and a
//! report, its serialised DOM must hold the texts, the word changes, the
//! chart's series and a hostile title as plain text, and a screenshot of each
//! is kept under `target/browser/` for people to look at.
//!
//! Without Chromium the tests are skipped with a note, except on CI (`CI` set),
//! where `.ci/run` installs it and its absence is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use treaty::plan::{Plan, Point, Status};
use treaty::revision::RevInfo;

use crate::common::{project_root, ukraine_drafts, Env};

const HOSTILE_TITLE: &str = "<script>alert(1)</script>";

/// The Chromium executable, if any.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    let fixed = PathBuf::from("/usr/bin/chromium");
    fixed.is_file().then_some(fixed)
}

/// Chromium, or `None` after a note (a failure on CI).
fn browser_or_skip(test: &str) -> Option<PathBuf> {
    match chromium() {
        Some(c) => Some(c),
        None if std::env::var_os("CI").is_some() => {
            panic!("CI is set but no Chromium was found: .ci/run must install it")
        }
        None => {
            eprintln!(
                "note: {test} skipped: no chromium, chromium-browser or google-chrome on PATH"
            );
            None
        }
    }
}

/// `target/browser/`, where pages and screenshots are kept as artifacts.
fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map_or_else(|| project_root().join("target"), Path::to_path_buf)
        .join("browser");
    std::fs::create_dir_all(&dir).expect("create target/browser");
    dir
}

/// Runs headless Chromium on `page` with `action` (`--dump-dom` or
/// `--screenshot=…`); returns stdout.
fn run_chromium(chromium: &Path, page: &Path, action: &str) -> String {
    let profile = tempfile::Builder::new()
        .prefix("treaty-chromium")
        .tempdir()
        .expect("profile dir");
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--window-size=1200,1600",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(action)
        .arg(format!("file://{}", page.display()))
        .env("HOME", profile.path())
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Renders `page`: its DOM as Chromium serialises it, and a screenshot
/// `<name>.png` beside it.
fn render(chromium: &Path, page: &Path) -> String {
    let dom = run_chromium(chromium, page, "--dump-dom");
    let png = page.with_extension("png");
    let _ = std::fs::remove_file(&png);
    run_chromium(chromium, page, &format!("--screenshot={}", png.display()));
    let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 10_000,
        "screenshot {} is {size} bytes",
        png.display()
    );
    dom
}

fn example(name: &str) -> Plan {
    Plan::read(&project_root().join("plans/ukraine-2025").join(name)).expect("example draft")
}

/// The hostile title is text in the DOM, and no script element exists.
fn assert_hostile_title_is_text(dom: &str) {
    assert!(
        dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the hostile title is not shown as text"
    );
    assert!(
        !dom.to_ascii_lowercase().contains("<script"),
        "a script element"
    );
}

#[test]
fn redline_renders_in_a_browser() {
    let Some(chromium) = browser_or_skip("redline_renders_in_a_browser") else {
        return;
    };
    let from = example("01-us-28.toml");
    let mut to = example("03-geneva-19.toml");
    let mut hostile = Point::new("26", "This point's title tries to run a script & fails.");
    hostile.title = Some(HOSTILE_TITLE.to_string());
    hostile.status = Status::Open;
    to.points.push(hostile);
    let d = treaty::diff::diff(&from, &to, &Default::default());
    let mut from_rev = RevInfo::file("r1");
    from_rev.label = Some("us-28".into());
    let mut to_rev = RevInfo::file("r3");
    to_rev.label = Some("geneva".into());
    let html = treaty::render::html::diff_drafts(&d, (&from_rev, &from), (&to_rev, &to), "ukraine");
    let page = artifacts().join("redline.html");
    std::fs::write(&page, html).expect("write page");

    let dom = render(&chromium, &page);
    assert!(dom.contains("Peace plan for Ukraine"));
    assert!(
        dom.contains("<del>") && dom.contains("<ins>"),
        "no word changes"
    );
    assert!(dom.contains("class=\"badge renumbered\"") || dom.contains("class=\"badge reworded\""));
    assert!(dom.contains("class=\"badge kind removed\""));
    assert!(dom.contains("Zaporizhzhia"));
    assert_hostile_title_is_text(&dom);
}

/// Three draft files: a hostile title in the last, points converging.
fn report_drafts(env: &Env) -> Vec<String> {
    let head = "[plan]\ntitle = \"Ceasefire terms\"\nparties = [\"North\", \"South\"]\n";
    let pt = |n: &str, title: &str, text: &str, north: &str, south: &str| {
        format!(
            "\n[[points]]\nnumber = \"{n}\"\ntitle = '{title}'\ntext = \"{text}\"\npositions = {{ North = \"{north}\", South = \"{south}\" }}\n"
        )
    };
    let drafts = [
        format!(
            "{head}[draft]\nlabel = \"first\"\n{}{}{}",
            pt(
                "1",
                "Ceasefire",
                "A ceasefire [starts][may start] at once.",
                "accept",
                "reject"
            ),
            pt(
                "2",
                "Prisoners",
                "All prisoners are exchanged within 30 days.",
                "accept",
                "reserve"
            ),
            pt(
                "3",
                "Monitoring",
                "Monitors of the OSCE patrol the line.",
                "reject",
                "accept"
            ),
        ),
        format!(
            "{head}[draft]\nlabel = \"second\"\n{}{}{}",
            pt(
                "1",
                "Ceasefire",
                "A ceasefire starts at once.",
                "accept",
                "accept"
            ),
            pt(
                "2",
                "Prisoners",
                "All prisoners are exchanged within 60 days.",
                "accept",
                "accept"
            ),
            pt(
                "3",
                "Monitoring",
                "Monitors of the OSCE patrol the line.",
                "reject",
                "accept"
            ),
        ),
        format!(
            "{head}[draft]\nlabel = \"third\"\n{}{}{}",
            pt(
                "1",
                "Ceasefire",
                "A ceasefire starts at once.",
                "accept",
                "accept"
            ),
            pt(
                "2",
                "Prisoners",
                "All prisoners are exchanged within 60 days.",
                "accept",
                "accept"
            ),
            pt(
                "3",
                HOSTILE_TITLE,
                "Monitors of the OSCE and the UN patrol the line.",
                "reserve",
                "accept"
            ),
        ),
    ];
    drafts
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let rel = format!("drafts/{}.toml", i + 1);
            env.write(&rel, d);
            rel
        })
        .collect()
}

#[test]
fn report_renders_in_a_browser() {
    let Some(chromium) = browser_or_skip("report_renders_in_a_browser") else {
        return;
    };
    let env = Env::new();
    let files = report_drafts(&env);
    let mut args: Vec<&str> = vec!["disputes"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--format", "html"]);
    let html = env.treaty(&args).ok();
    let page = artifacts().join("report.html");
    std::fs::write(&page, html).expect("write page");

    let dom = render(&chromium, &page);
    assert!(dom.contains("Ceasefire terms"));
    assert!(
        dom.contains("3 points: 2 agreed, 0 disputed, 1 open"),
        "{dom}"
    );
    for series in ["agreed", "disputed", "open", "brackets"] {
        assert!(
            dom.contains(&format!(
                "<g class=\"series {series}\" id=\"series-{series}\">"
            )),
            "no {series} series in the chart"
        );
    }
    assert!(dom.contains("<polyline"), "no chart lines");
    assert!(dom.contains(">revision</text>"), "no x-axis label");
    assert!(dom.contains("<table class=\"grid\">"));
    assert!(dom.contains("Not agreed since"));
    assert_hostile_title_is_text(&dom);

    // The shipped examples, for a screenshot of a real plan's state.
    let mut args: Vec<String> = vec!["disputes".into()];
    args.extend(ukraine_drafts());
    args.extend(["--format".into(), "html".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let html = env.treaty(&args).ok();
    let page = artifacts().join("report-ukraine.html");
    std::fs::write(&page, html).expect("write page");
    let dom = render(&chromium, &page);
    assert!(dom.contains("Peace plan for Ukraine"));
    assert!(dom.contains("id=\"series-disputed\""));
}
