//! Text views for people at a terminal (coloured through a [`Painter`]).

use crate::align::Kind;
use crate::diff::{Op, PlanDiff, PointChange, PointRef, Segment, Summary};
use crate::plan::{Counts, Plan, Point};
use crate::revision::RevInfo;

use super::{Label, Painter};

/// `20 points · 18 agreed, 2 disputed, 0 open · 0 brackets`
pub fn counts(c: &Counts) -> String {
    format!(
        "{} {} · {} agreed, {} disputed, {} open · {} {}",
        c.points,
        if c.points == 1 { "point" } else { "points" },
        c.agreed,
        c.disputed,
        c.open,
        c.brackets,
        if c.brackets == 1 {
            "bracket"
        } else {
            "brackets"
        }
    )
}

/// Counts with the change from the revision before:
/// `20 points (−6) · 18 agreed (+18), 2 disputed (−8), 0 open (−16) · 0 brackets`.
pub fn counts_with_change(c: &Counts, before: Option<&Counts>) -> String {
    let Some(b) = before else { return counts(c) };
    let d = |now: usize, was: usize| match now.cmp(&was) {
        std::cmp::Ordering::Equal => String::new(),
        std::cmp::Ordering::Greater => format!(" (+{})", now - was),
        std::cmp::Ordering::Less => format!(" (−{})", was - now),
    };
    format!(
        "{} {}{} · {} agreed{}, {} disputed{}, {} open{} · {} {}{}",
        c.points,
        if c.points == 1 { "point" } else { "points" },
        d(c.points, b.points),
        c.agreed,
        d(c.agreed, b.agreed),
        c.disputed,
        d(c.disputed, b.disputed),
        c.open,
        d(c.open, b.open),
        c.brackets,
        if c.brackets == 1 {
            "bracket"
        } else {
            "brackets"
        },
        d(c.brackets, b.brackets)
    )
}
/// The widest point number that `show` aligns the others to.
const MAX_NUMBER_WIDTH: usize = 12;

/// The width point numbers are aligned to: the widest, up to
/// [`MAX_NUMBER_WIDTH`] (a longer one just sticks out; a width past 65,535
/// would panic in `format!`).
fn number_width<'a>(numbers: impl Iterator<Item = &'a str>) -> usize {
    numbers
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(1)
        .min(MAX_NUMBER_WIDTH)
}

/// `treaty show`: the draft, readable.
pub fn draft(plan: &Plan, rev: &RevInfo, painter: &Painter) -> String {
    let mut out = String::new();
    let title = plan.title.as_deref().unwrap_or("(untitled plan)");
    out.push_str(&painter.paint(Label::Heading, title));
    out.push('\n');
    let mut about = Vec::new();
    if let Some(l) = &plan.draft.label {
        about.push(l.clone());
    }
    if let Some(d) = &plan.draft.date {
        about.push(d.clone());
    }
    if let Some(p) = plan.draft.provenance {
        about.push(p.to_string());
    }
    about.push(match rev.short() {
        Some(short) => format!("{} ({short})", rev.rev),
        None => rev.rev.clone(),
    });
    out.push_str(&painter.paint(Label::Dim, &about.join(" · ")));
    out.push('\n');
    if let Some(s) = &plan.draft.source {
        out.push_str(&painter.paint(Label::Dim, &format!("source: {s}")));
        out.push('\n');
    }
    if !plan.parties.is_empty() {
        out.push_str(&format!(
            "parties: {}\n",
            crate::error::printable(&plan.parties.join(", "))
        ));
    }
    out.push_str(&counts(&plan.counts()));
    out.push_str("\n\n");
    let width = number_width(plan.points.iter().map(|p| p.number.as_str()));
    // Each party's place in the plan's list, to show positions in that order
    // without scanning every position for every party.
    let order: std::collections::HashMap<&str, usize> = plan
        .parties
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect();
    for p in &plan.points {
        point(&mut out, p, &order, width, painter);
    }
    out
}

fn point(
    out: &mut String,
    p: &Point,
    order: &std::collections::HashMap<&str, usize>,
    width: usize,
    painter: &Painter,
) {
    let number = format!("{:>width$}.", p.number);
    out.push_str(&painter.paint(Label::Number, &number));
    if let Some(t) = &p.title {
        out.push(' ');
        out.push_str(&painter.paint(Label::Heading, t));
    }
    out.push_str("  ");
    out.push_str(&painter.paint(Label::for_status(p.status), &format!("[{}]", p.status)));
    let b = p.brackets();
    if b > 0 {
        out.push_str(&painter.paint(
            Label::Bracket,
            &format!(" {b} open {}", if b == 1 { "bracket" } else { "brackets" }),
        ));
    }
    if let Some(id) = &p.id {
        out.push_str(&painter.paint(Label::Dim, &format!("  #{id}")));
    }
    out.push('\n');
    let indent = " ".repeat(width + 2);
    for line in p.text.lines() {
        out.push_str(&indent);
        out.push_str(&painter.brackets(line));
        out.push('\n');
    }
    if !p.positions.is_empty() {
        let mut known: Vec<(usize, &String, crate::plan::Position)> = p
            .positions
            .iter()
            .filter_map(|(party, pos)| order.get(party.as_str()).map(|&i| (i, party, *pos)))
            .collect();
        known.sort_by_key(|(i, _, _)| *i);
        let shown: Vec<String> = known
            .into_iter()
            .map(|(_, party, pos)| {
                let label = match pos {
                    crate::plan::Position::Accept => Label::Agreed,
                    crate::plan::Position::Reject => Label::Disputed,
                    crate::plan::Position::Reserve => Label::Open,
                };
                format!(
                    "{} {}",
                    crate::error::printable(party),
                    painter.paint(label, pos.as_str())
                )
            })
            .collect();
        out.push_str(&indent);
        out.push_str(&shown.join(" · "));
        out.push('\n');
    }
    if let Some(n) = &p.notes {
        out.push_str(&indent);
        out.push_str(&painter.paint(Label::Dim, &format!("note: {}", n.replace('\n', " "))));
        out.push('\n');
    }
    out.push('\n');
}

/// `Test Author` from `Test Author <author@example.org>`.
fn author_name(author: &str) -> &str {
    author.split(" <").next().unwrap_or(author).trim()
}

/// What a log row says about its changes.
fn log_changes(e: &crate::changes::LogEntry, oldest: bool) -> String {
    match (&e.changes, e.counts) {
        (Some(c), _) => c.describe(),
        (None, None) => "invalid draft".to_string(),
        (None, Some(_)) if oldest => "first revision".to_string(),
        (None, Some(_)) => "previous revision unreadable".to_string(),
    }
}

/// `treaty log`: one line per revision, `entries` newest first:
///
/// ```text
/// r2  1a2b3c4  2025-11-23  geneva  Test Author  19 points · 14 agreed, 3 disputed, 2 open · 5 brackets  · 3 reworded, 1 added
/// ```
pub fn log(entries: &[crate::changes::LogEntry], painter: &Painter) -> String {
    let rows: Vec<[String; 6]> = entries
        .iter()
        .map(|e| {
            [
                e.info.rev.clone(),
                e.file
                    .clone()
                    .or_else(|| e.info.short().map(str::to_string))
                    .unwrap_or_else(|| "-".into()),
                e.info.date.clone().unwrap_or_else(|| "-".into()),
                e.info.label.clone().unwrap_or_else(|| "-".into()),
                e.info
                    .author
                    .as_deref()
                    .map_or_else(|| "-".into(), |a| author_name(a).to_string()),
                e.counts.as_ref().map_or_else(
                    || "-".into(),
                    |c| counts_with_change(c, e.previous.as_ref()),
                ),
            ]
        })
        .collect();
    let width = |col: usize| {
        rows.iter()
            .map(|r| r[col].chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..6).map(width).collect();
    let labels = [
        Label::Number,
        Label::Dim,
        Label::Dim,
        Label::Heading,
        Label::Dim,
        Label::Dim,
    ];
    let mut out = String::new();
    for (i, (row, e)) in rows.iter().zip(entries).enumerate() {
        for (col, cell) in row.iter().enumerate() {
            let pad = widths[col].saturating_sub(cell.chars().count());
            let shown = if col == 5 {
                cell.clone()
            } else {
                painter.paint(labels[col], cell)
            };
            out.push_str(&shown);
            out.push_str(&" ".repeat(pad));
            out.push_str("  ");
        }
        out.push_str("· ");
        out.push_str(&log_changes(e, i + 1 == entries.len()));
        out.push('\n');
    }
    out
}

/// `treaty disputes`: summary, then each point not agreed, then the grid.
pub fn disputes(r: &crate::report::DisputeReport, painter: &Painter) -> String {
    let mut out = String::new();
    let mut head = format!("{} · {}", r.plan, r.rev.rev);
    if let Some(l) = &r.rev.label {
        head.push_str(&format!(" {l}"));
    }
    if let Some(s) = r.rev.short() {
        head.push_str(&format!(" ({s})"));
    }
    out.push_str(&painter.paint(Label::Heading, &head));
    out.push('\n');
    let c = &r.summary;
    out.push_str(&format!(
        "{} points: {} agreed, {} disputed, {} open · {} {}\n",
        c.points,
        c.agreed,
        c.disputed,
        c.open,
        c.brackets,
        if c.brackets == 1 {
            "bracket"
        } else {
            "brackets"
        }
    ));
    if r.points.is_empty() {
        out.push_str(&painter.paint(Label::Agreed, "every point is agreed"));
        out.push('\n');
        return out;
    }
    out.push('\n');
    let width = number_width(r.points.iter().map(|p| p.number.as_str()));
    for p in &r.points {
        out.push_str(&painter.paint(Label::Number, &format!("{:>width$}.", p.number)));
        if let Some(t) = &p.title {
            out.push(' ');
            out.push_str(&painter.paint(Label::Heading, t));
        }
        out.push_str("  ");
        out.push_str(&painter.paint(Label::for_status(p.status), p.status.as_str()));
        let since = if p.revisions == 1 {
            format!(" since {} (this revision)", p.disputed_since.rev)
        } else {
            format!(
                " since {} ({} revisions)",
                p.disputed_since.rev, p.revisions
            )
        };
        out.push_str(&since);
        if p.reopened {
            out.push_str(&painter.paint(Label::Warning, " · reopened"));
        }
        out.push('\n');
        let indent = " ".repeat(width + 2);
        let mut facts = vec![format!("text last changed in {}", p.last_changed.rev)];
        if p.brackets > 0 {
            facts.push(painter.paint(
                Label::Bracket,
                &format!(
                    "{} open {}",
                    p.brackets,
                    if p.brackets == 1 {
                        "bracket"
                    } else {
                        "brackets"
                    }
                ),
            ));
        }
        if let Some(id) = &p.id {
            facts.push(painter.paint(Label::Dim, &format!("#{id}")));
        }
        out.push_str(&format!("{indent}{}\n", facts.join(" · ")));
        if !p.positions.is_empty() {
            out.push_str(&format!(
                "{indent}{}\n",
                positions_line(&p.positions, painter)
            ));
        }
    }
    if !r.parties.is_empty() {
        out.push('\n');
        out.push_str(&grid(r, painter));
    }
    out
}

/// `US accept · Russia reject`, each position coloured by what it means.
fn positions_line(positions: &[(String, crate::plan::Position)], painter: &Painter) -> String {
    positions
        .iter()
        .map(|(party, pos)| {
            format!(
                "{} {}",
                crate::error::printable(party),
                painter.paint(position_label(*pos), pos.as_str())
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn position_label(p: crate::plan::Position) -> Label {
    match p {
        crate::plan::Position::Accept => Label::Agreed,
        crate::plan::Position::Reject => Label::Disputed,
        crate::plan::Position::Reserve => Label::Open,
    }
}

/// The party × point grid: `✓` accept, `✗` reject, `~` reserve, `·` none.
fn grid(r: &crate::report::DisputeReport, painter: &Painter) -> String {
    let name_width = r
        .parties
        .iter()
        .map(|p| p.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(5, 40);
    let cols: Vec<usize> = r
        .points
        .iter()
        .map(|p| p.number.chars().count().clamp(1, MAX_NUMBER_WIDTH))
        .collect();
    let mut out = format!("{:name_width$}", "point");
    for (p, w) in r.points.iter().zip(&cols) {
        out.push_str(&format!("  {:>w$}", p.number));
    }
    out.push('\n');
    for party in &r.parties {
        out.push_str(&format!("{:name_width$}", crate::error::printable(party)));
        for (p, w) in r.points.iter().zip(&cols) {
            let cell = match p
                .positions
                .iter()
                .find(|(q, _)| q == party)
                .map(|(_, pos)| *pos)
            {
                Some(pos) => {
                    painter.paint(position_label(pos), &format!("{:>w$}", position_mark(pos)))
                }
                None => painter.paint(Label::Dim, &format!("{:>w$}", "·")),
            };
            out.push_str("  ");
            out.push_str(&cell);
        }
        out.push('\n');
    }
    out.push_str(&painter.paint(
        Label::Dim,
        "✓ accept · ✗ reject · ~ reserve · · no position recorded",
    ));
    out.push('\n');
    out
}

/// One character for a position.
pub fn position_mark(p: crate::plan::Position) -> &'static str {
    match p {
        crate::plan::Position::Accept => "✓",
        crate::plan::Position::Reject => "✗",
        crate::plan::Position::Reserve => "~",
    }
}

/// `treaty history`: one block per revision.
pub fn history(h: &crate::report::PointHistory, painter: &Painter) -> String {
    let mut out = painter.paint(
        Label::Heading,
        &format!(
            "{} · point {} · {} {}",
            h.plan,
            h.point,
            h.entries.len(),
            if h.entries.len() == 1 {
                "revision"
            } else {
                "revisions"
            }
        ),
    );
    out.push_str("\n\n");
    for e in &h.entries {
        let mut head = e.rev.rev.clone();
        if let Some(l) = &e.rev.label {
            head.push_str(&format!(" {l}"));
        }
        out.push_str(&painter.paint(Label::Heading, &head));
        out.push_str("  ");
        out.push_str(&painter.paint(Label::Number, &e.numbers.join(" + ")));
        if let Some(Some(t)) = e.titles.first() {
            out.push_str(&format!(" {t}"));
        }
        let mut how = vec![e.kind.as_str().to_string()];
        if e.reworded {
            how.push("reworded".into());
        }
        out.push_str(&painter.paint(Label::Dim, &format!(" · {}", how.join(", "))));
        out.push_str(" · ");
        out.push_str(&painter.paint(Label::for_status(e.status), e.status.as_str()));
        out.push('\n');
        if !e.positions.is_empty() {
            out.push_str(&format!("    {}\n", positions_line(&e.positions, painter)));
        }
        let body = if e.reworded {
            segments(&e.diff, painter)
        } else {
            painter.brackets(&e.text)
        };
        for line in body.lines() {
            out.push_str(&format!("    {line}\n"));
        }
        out.push('\n');
    }
    out
}

/// `~ 7 → 6`: a group's symbol and numbers. Split `<`, merged `>`, added `+`,
/// removed `-`, unchanged `=`.
fn group_numbers(c: &PointChange) -> (char, String) {
    let list = |ps: &[PointRef]| {
        ps.iter()
            .map(|p| p.number.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let symbol = match c.kind {
        Kind::Added => '+',
        Kind::Removed => '-',
        Kind::Split => '<',
        Kind::Merged => '>',
        Kind::Matched if c.is_changed() => '~',
        Kind::Matched => '=',
    };
    let numbers = match c.kind {
        Kind::Added => list(&c.to),
        Kind::Removed => list(&c.from),
        // Not renumbered: one number says it all (`~ 4  reworded`).
        Kind::Matched if list(&c.from) == list(&c.to) => list(&c.to),
        _ => format!("{} → {}", list(&c.from), list(&c.to)),
    };
    (symbol, numbers)
}

/// The words after a group's numbers: kind and flags, then status and
/// position transitions, ` · `-separated:
/// `renumbered, reworded (number) · disputed → agreed · Russia reject → accept`.
pub fn change_description(c: &PointChange) -> String {
    let mut flags: Vec<String> = Vec::new();
    match c.kind {
        Kind::Matched => {}
        k => flags.push(k.as_str().to_string()),
    }
    if c.renumbered {
        flags.push("renumbered".into());
    }
    if c.moved {
        flags.push("moved".into());
    }
    if c.reworded {
        if c.substantive.is_empty() {
            flags.push("reworded".into());
        } else {
            let kinds: Vec<&str> = c.substantive.iter().map(|s| s.as_str()).collect();
            flags.push(format!("reworded ({})", kinds.join(", ")));
        }
    }
    if c.retitled {
        flags.push("retitled".into());
    }
    if c.reopened {
        flags.push("reopened".into());
    }
    if flags.is_empty() {
        flags.push("unchanged".into());
    }
    let mut parts = vec![flags.join(", ")];
    if let Some(s) = c.status {
        parts.push(format!("{} → {}", s.from, s.to));
    } else if c.still_disputed {
        parts.push("still disputed".into());
    }
    for p in &c.positions {
        let show = |x: Option<crate::plan::Position>| x.map_or("none", |x| x.as_str());
        parts.push(format!("{} {} → {}", p.party, show(p.from), show(p.to)));
    }
    parts.join(" · ")
}

/// Segments as text: coloured on a terminal, `[-old-]{+new+}` otherwise.
/// Markers never swallow the white space around words.
pub fn segments(segs: &[Segment], painter: &Painter) -> String {
    let mut out = String::new();
    for s in segs {
        let text = s.text.as_str();
        let core = text.trim_end();
        let space = &text[core.len()..];
        // A change right after a word with no space between (the space went
        // with the other side) gets one, so words do not run together.
        if s.op != Op::Equal
            && !core.is_empty()
            && out.chars().last().is_some_and(|c| !c.is_whitespace())
            && core.starts_with(char::is_alphanumeric)
        {
            out.push(' ');
        }
        match s.op {
            Op::Equal => crate::error::push_printable(&mut out, text),
            Op::Delete if painter.color => {
                out.push_str(&painter.paint(Label::Deleted, core));
                out.push_str(space);
            }
            Op::Insert if painter.color => {
                out.push_str(&painter.paint(Label::Inserted, core));
                out.push_str(space);
            }
            Op::Delete => {
                out.push_str(&format!("[-{}-]", crate::error::printable(core)));
                out.push_str(space);
            }
            Op::Insert => {
                out.push_str(&format!("{{+{}+}}", crate::error::printable(core)));
                out.push_str(space);
            }
        }
    }
    out
}

/// `28 → 20 points · 3 unchanged, 14 reworded, … · 1 newly agreed`.
pub fn diff_summary(d: &PlanDiff) -> String {
    summary_line(&d.summary, d.from_points, d.to_points, d.has_changes())
}

/// [`diff_summary`] from its parts: the summary, the number of points on each
/// side, and whether anything changed.
pub fn summary_line(s: &Summary, from_points: usize, to_points: usize, changed: bool) -> String {
    let count = |n: usize, what: &str| (n > 0).then(|| format!("{n} {what}"));
    let changes: Vec<String> = [
        count(s.unchanged, "unchanged"),
        count(s.reworded, "reworded"),
        count(s.renumbered, "renumbered"),
        count(s.moved, "moved"),
        count(s.split, "split"),
        count(s.merged, "merged"),
        count(s.added, "added"),
        count(s.removed, "removed"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let statuses: Vec<String> = [
        count(s.newly_agreed, "newly agreed"),
        count(s.newly_disputed, "newly disputed"),
        count(s.still_disputed, "still disputed"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut out = format!(
        "{} → {} {}",
        from_points,
        to_points,
        if to_points == 1 { "point" } else { "points" }
    );
    if !changed {
        out.push_str(" · no changes");
        return out;
    }
    if !changes.is_empty() {
        out.push_str(" · ");
        out.push_str(&changes.join(", "));
    }
    if !statuses.is_empty() {
        out.push_str(" · ");
        out.push_str(&statuses.join(", "));
    }
    out
}

fn rev_name(info: &RevInfo) -> String {
    let mut s = info.rev.clone();
    if let Some(short) = info.short() {
        s.push_str(&format!(" ({short})"));
    }
    if let Some(label) = &info.label {
        if *label != info.rev {
            s.push_str(&format!(" {label}"));
        }
    }
    s
}

/// `treaty diff`: changed groups (every group with `all`), one header each,
/// then the words, then a summary line.
pub fn diff(d: &PlanDiff, from: &RevInfo, to: &RevInfo, all: bool, painter: &Painter) -> String {
    let mut out = diff_head(from, to, painter);
    for c in d.changes.iter().filter(|c| all || c.is_changed()) {
        diff_change(c, painter, &mut out);
    }
    out.push_str(&diff_summary(d));
    out.push('\n');
    out
}

/// The first lines of [`diff`]: which drafts are compared.
pub fn diff_head(from: &RevInfo, to: &RevInfo, painter: &Painter) -> String {
    let mut out = painter.paint(
        Label::Dim,
        &format!("{} → {}", rev_name(from), rev_name(to)),
    );
    out.push_str("\n\n");
    out
}

/// One group of [`diff`]: its header line, its title, its words.
pub fn diff_change(c: &PointChange, painter: &Painter, out: &mut String) {
    let (symbol, numbers) = group_numbers(c);
    let label = match c.kind {
        Kind::Added => Label::Inserted,
        Kind::Removed => Label::Deleted,
        _ if c.is_changed() => Label::Heading,
        _ => Label::Dim,
    };
    out.push_str(&painter.paint(label, &format!("{symbol} {numbers}")));
    out.push_str("  ");
    out.push_str(&painter.paint(Label::Dim, &change_description(c)));
    out.push('\n');
    let titles = |ps: &[PointRef]| {
        ps.iter()
            .filter_map(|p| p.title.as_deref())
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let (tf, tt) = (titles(&c.from), titles(&c.to));
    if c.retitled {
        out.push_str("    ");
        out.push_str(&segments(&crate::diff::word_diff(&tf, &tt, None), painter));
        out.push('\n');
    } else if !tt.is_empty() || !tf.is_empty() {
        out.push_str("    ");
        out.push_str(&painter.paint(Label::Heading, if tt.is_empty() { &tf } else { &tt }));
        out.push('\n');
    }
    let body = match c.kind {
        Kind::Added | Kind::Removed => {
            let text: String = c.text.iter().map(|s| s.text.as_str()).collect();
            painter.brackets(&text)
        }
        _ => segments(&c.text, painter),
    };
    for line in body.lines() {
        out.push_str("    ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_longer_than_65535_characters_does_not_panic_show() {
        // `format!("{:>width$}")` panics past a width of 65,535.
        let mut plan = Plan::default();
        plan.points.push(Point::new("9".repeat(70_000), "long"));
        plan.points.push(Point::new("2", "short"));
        let shown = draft(&plan, &RevInfo::file("x"), &Painter::new(false));
        assert!(shown.contains(&format!("{}.  [open]", "9".repeat(70_000))));
        assert!(shown.contains(&format!("{:>12}.  [open]", "2")));
        assert!(shown.contains("\n              short\n"));
    }
}
