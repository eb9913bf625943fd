use super::*;
use crate::plan::Point;
use crate::report::{self, Lineage, Revision};

const HOSTILE: &str =
    "<script>alert(1)</script> & \"quoted\" 'single' </style><img src=x onerror=alert(2)>";

fn point(id: &str, number: &str, title: &str, text: &str, positions: &[(&str, Position)]) -> Point {
    let mut p = Point::new(number, text);
    p.id = Some(id.to_string());
    p.title = (!title.is_empty()).then(|| title.to_string());
    p.positions = positions
        .iter()
        .map(|(party, pos)| (party.to_string(), *pos))
        .collect();
    let parties: Vec<String> = vec!["US".into(), "Russia".into()];
    p.status = crate::plan::derive_status(&parties, &p.positions).unwrap_or(Status::Open);
    p
}

fn plan(title: &str, points: Vec<Point>) -> Plan {
    Plan {
        title: Some(title.to_string()),
        parties: vec!["US".into(), "Russia".into()],
        points,
        ..Plan::default()
    }
}

use Position::{Accept as A, Reject as R};

fn drafts() -> (Plan, Plan) {
    let from = plan(
        "Peace plan",
        vec![
            point(
                "sovereignty",
                "1",
                "Sovereignty",
                "Sovereignty will be confirmed.",
                &[("US", A), ("Russia", A)],
            ),
            point(
                "nato",
                "2",
                "NATO",
                "NATO will not expand further.",
                &[("US", A), ("Russia", R)],
            ),
            point(
                "army",
                "3",
                "Armed forces",
                "The armed forces are limited to 600,000 troops.",
                &[],
            ),
            point("sanctions", "4", "", "Sanctions are lifted in stages.", &[]),
        ],
    );
    let to = plan(
        "Peace plan",
        vec![
            point(
                "elections",
                "1",
                "Elections",
                "Elections are held within 100 days.",
                &[],
            ),
            point(
                "sovereignty",
                "2",
                "Sovereignty",
                "Sovereignty will be confirmed.",
                &[("US", A), ("Russia", A)],
            ),
            point(
                "nato",
                "3",
                "NATO",
                "NATO will never expand further.",
                &[("US", A), ("Russia", A)],
            ),
            point(
                "army",
                "4",
                "Armed forces",
                "The armed forces are limited to 800,000 troops.",
                &[],
            ),
        ],
    );
    (from, to)
}

fn rev(name: &str, label: Option<&str>) -> RevInfo {
    RevInfo {
        rev: name.to_string(),
        label: label.map(str::to_string),
        ..RevInfo::default()
    }
}

/// The page's body, for snapshots that do not churn with the style sheet.
fn body(page: &str) -> &str {
    let start = page.find("<body").expect("a body");
    let end = page.rfind("</body>").expect("a closed body");
    &page[start..end + "</body>".len()]
}

/// Checks that elements nest properly (void and self-closed elements aside).
fn assert_well_formed(page: &str) {
    const VOID: &[&str] = &["meta", "br", "link", "img", "hr", "input"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = page;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').expect("tag closes");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        let self_closed = tag.ends_with('/');
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().unwrap_or_default();
            assert_eq!(open, name.trim(), "</{name}> closes <{open}>");
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if name == "style" {
            let close = rest.find("</style>").expect("style closes");
            rest = &rest[close + "</style>".len()..];
            continue;
        }
        if !self_closed && !VOID.contains(&name.as_str()) {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

#[test]
fn escape_neutralises_markup_and_controls() {
    assert_eq!(escape("a & b"), "a &amp; b");
    assert_eq!(escape("<b>"), "&lt;b&gt;");
    assert_eq!(escape("\"x\" 'y'"), "&quot;x&quot; &#39;y&#39;");
    assert_eq!(escape("</style>"), "&lt;/style&gt;");
    assert_eq!(escape("bell\x07 esc\x1b[2J"), "bell\u{2407} esc\u{241b}[2J");
    assert_eq!(escape("line\nnext\ttab"), "line\nnext\ttab");
    assert_eq!(escape("Zaporizhzhia — 800 000"), "Zaporizhzhia — 800 000");
}

#[test]
fn writer_takes_markup_only_as_static_text() {
    let mut h = Html { out: String::new() };
    h.raw("<p>").text(HOSTILE).raw("</p>");
    assert!(!h.out.contains("<script"));
    assert!(h.out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(h.out.contains("&lt;img src=x onerror=alert(2)&gt;"));
}

/// A page must contain no markup from the draft: no script, no second style
/// block, no element from a hostile title, text, party, label or name.
fn assert_inert(page: &str) {
    assert!(!page.contains("<script"), "a script element");
    assert!(!page.contains("<img"), "an img element");
    assert_eq!(page.matches("</style>").count(), 1, "style closed early");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_well_formed(page);
}

#[test]
fn redline_escapes_everything_from_a_draft() {
    let mut from = plan(HOSTILE, vec![point("a", "1", HOSTILE, HOSTILE, &[])]);
    from.parties = vec![HOSTILE.to_string()];
    let mut to = plan(
        HOSTILE,
        vec![point(
            "a",
            "1<b>",
            HOSTILE,
            &format!("{HOSTILE} and more"),
            &[],
        )],
    );
    to.parties = vec![HOSTILE.to_string()];
    to.points[0].positions = vec![(HOSTILE.to_string(), Position::Reject)];
    to.draft.source = Some(HOSTILE.to_string());
    let mut added = Point::new(HOSTILE, HOSTILE);
    added.title = Some(HOSTILE.to_string());
    to.points.push(added);
    let d = crate::diff::diff(&from, &to, &Default::default());
    let from_rev = rev(HOSTILE, Some(HOSTILE));
    let mut to_rev = rev("working", Some(HOSTILE));
    to_rev.commit = Some("<script>".to_string());
    to_rev.date = Some(HOSTILE.to_string());
    for page in [
        diff(&d, &from_rev, &to_rev, HOSTILE),
        diff_drafts(&d, (&from_rev, &from), (&to_rev, &to), HOSTILE),
    ] {
        assert_inert(&page);
        assert!(page.contains("<title>Redline: &lt;script&gt;"));
    }
}

#[test]
fn report_escapes_everything_from_a_draft() {
    let mut p = plan(HOSTILE, vec![point("a", HOSTILE, HOSTILE, "Text.", &[])]);
    p.parties = vec![HOSTILE.to_string(), "US".to_string()];
    p.points[0].positions = vec![(HOSTILE.to_string(), Position::Reject)];
    p.points[0].status = Status::Disputed;
    let history = vec![Revision {
        info: rev(HOSTILE, Some(HOSTILE)),
        plan: p,
    }];
    let lineage = Lineage::trace(&history, &Default::default(), &mut |_, _| {});
    let r = report::disputes(HOSTILE, &history, &lineage, 0);
    let page = disputes(&r);
    assert_inert(&page);
    // The hostile party heads a column of the grid, as text.
    assert!(page.contains("<th class=\"party\">&lt;script&gt;"));
}

/// The redline of [`drafts`], r1 → r2.
fn redline() -> String {
    let (from, to) = drafts();
    let d = crate::diff::diff(&from, &to, &Default::default());
    diff_drafts(
        &d,
        (&rev("r1", Some("us-28")), &from),
        (&rev("r2", Some("geneva")), &to),
        "ukraine",
    )
}

#[test]
fn redline_shows_words_badges_and_transitions() {
    let page = redline();
    assert_well_formed(&page);
    assert!(page.contains("<del>not</del> <ins>never</ins>"), "{page}");
    assert!(
        page.contains("<del>600,000</del> <ins>800,000</ins>"),
        "{page}"
    );
    for badge in [
        "badge renumbered",
        "badge reworded",
        "badge substantive negation",
        "badge substantive number",
        "badge kind added",
        "badge kind removed",
        "badge status-change",
    ] {
        assert!(page.contains(badge), "no {badge}");
    }
    assert!(page.contains(
        "<span class=\"status disputed\">disputed</span> → <span class=\"status agreed\">agreed</span>"
    ));
    assert!(page.contains("Russia: <span class=\"position reject\">reject</span> → <span class=\"position accept\">accept</span>"));
    assert!(page.contains("<span class=\"old\">2</span><span class=\"arrow\" aria-label=\"became\">→</span><span class=\"new\">3</span>"));
    assert!(page.contains("@media print"));
    // Nothing is fetched: the only URL is the SVG namespace, and there is none in a redline.
    assert!(!page.contains("src=") && !page.contains("href="));
}

#[test]
fn split_and_merged_groups_are_shown_as_such() {
    let from = plan(
        "P",
        vec![
            Point::new("12", "A reconstruction package with a development fund and a gas pipeline partnership and special World Bank financing for cities."),
            Point::new("13", "Ukraine keeps its army."),
            Point::new("14", "Ukraine keeps its navy."),
        ],
    );
    let to = plan(
        "P",
        vec![
            Point::new(
                "8",
                "A reconstruction package with a development fund and a gas pipeline partnership.",
            ),
            Point::new("9", "Special World Bank financing for cities."),
            Point::new("10", "Ukraine keeps its army. Ukraine keeps its navy."),
        ],
    );
    let d = crate::diff::diff(&from, &to, &Default::default());
    let page = diff(&d, &rev("r1", None), &rev("r2", None), "p");
    assert_well_formed(&page);
    assert!(page.contains("class=\"group split changed\""), "{page}");
    assert!(page.contains("Split into <strong>8</strong> and <strong>9</strong>"));
    assert!(page.contains("class=\"group merged changed\""), "{page}");
    assert!(page.contains("Merged from <strong>13</strong> and <strong>14</strong>"));
}

fn scripted_report() -> DisputeReport {
    let (r1, r2) = drafts();
    let mut r3 = r2.clone();
    r3.points[3].text = "The armed forces are limited to [800,000][600,000] troops.".into();
    r3.points[3].positions = vec![("US".into(), A), ("Russia".into(), R)];
    r3.points[3].status = Status::Disputed;
    let history: Vec<Revision> = [("r1", "us-28", r1), ("r2", "e3", r2), ("r3", "geneva", r3)]
        .into_iter()
        .map(|(name, label, plan)| Revision {
            info: rev(name, Some(label)),
            plan,
        })
        .collect();
    let lineage = Lineage::trace(&history, &Default::default(), &mut |_, _| {});
    report::disputes("ukraine", &history, &lineage, 2)
}

#[test]
fn report_has_summary_chart_disputes_and_grid() {
    let r = scripted_report();
    let page = disputes(&r);
    assert_well_formed(&page);
    for series in ["agreed", "disputed", "open", "brackets"] {
        assert!(
            page.contains(&format!(
                "<g class=\"series {series}\" id=\"series-{series}\"><polyline points=\""
            )),
            "no {series} series"
        );
    }
    assert_eq!(
        page.matches("<polyline").count(),
        8,
        "4 series + 4 legend keys"
    );
    assert!(page.contains(">revision</text>") && page.contains(">points · brackets</text>"));
    assert!(page.contains("<table class=\"grid\">"));
    assert!(page.contains("Not agreed since</span> <span class=\"rev\">r1</span> (us-28)"));
    assert!(page.contains("<td class=\"cell reject\""));
    assert!(!page.contains("<script"));
}

#[test]
fn chart_axis_has_round_steps() {
    assert_eq!(axis_top(0), (1, 1));
    assert_eq!(axis_top(5), (5, 1));
    assert_eq!(axis_top(7), (8, 2));
    assert_eq!(axis_top(28), (30, 5));
    assert_eq!(axis_top(101), (120, 20));
}

#[test]
fn a_single_revision_report_still_draws() {
    let (r1, _) = drafts();
    let history = vec![Revision {
        info: rev("r1", None),
        plan: r1,
    }];
    let lineage = Lineage::trace(&history, &Default::default(), &mut |_, _| {});
    let page = disputes(&report::disputes("p", &history, &lineage, 0));
    assert_well_formed(&page);
    assert!(page.contains("id=\"series-agreed\""));
    assert!(!page.contains("NaN"));
}

#[test]
fn snapshot_redline() {
    let page = redline();
    insta::assert_snapshot!(body(&page));
}

#[test]
fn snapshot_report() {
    insta::assert_snapshot!(body(&disputes(&scripted_report())));
}
