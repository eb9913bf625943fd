//! Text views for people at a terminal (coloured through a [`Painter`]).

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
        out.push_str(&format!("parties: {}\n", plan.parties.join(", ")));
    }
    out.push_str(&counts(&plan.counts()));
    out.push_str("\n\n");
    let width = plan
        .points
        .iter()
        .map(|p| p.number.chars().count())
        .max()
        .unwrap_or(1);
    for p in &plan.points {
        point(&mut out, p, plan, width, painter);
    }
    out
}

fn point(out: &mut String, p: &Point, plan: &Plan, width: usize, painter: &Painter) {
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
        let shown: Vec<String> = plan
            .parties
            .iter()
            .filter_map(|party| p.position(party).map(|pos| (party, pos)))
            .map(|(party, pos)| {
                let label = match pos {
                    crate::plan::Position::Accept => Label::Agreed,
                    crate::plan::Position::Reject => Label::Disputed,
                    crate::plan::Position::Reserve => Label::Open,
                };
                format!("{party} {}", painter.paint(label, pos.as_str()))
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
    let width = r
        .points
        .iter()
        .map(|p| p.number.chars().count())
        .max()
        .unwrap_or(1);
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
            let shown: Vec<String> = p
                .positions
                .iter()
                .map(|(party, pos)| {
                    format!(
                        "{party} {}",
                        painter.paint(position_label(*pos), pos.as_str())
                    )
                })
                .collect();
            out.push_str(&format!("{indent}{}\n", shown.join(" · ")));
        }
    }
    if !r.parties.is_empty() {
        out.push('\n');
        out.push_str(&grid(r, painter));
    }
    out
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
        .max(5);
    let cols: Vec<usize> = r
        .points
        .iter()
        .map(|p| p.number.chars().count().max(1))
        .collect();
    let mut out = format!("{:name_width$}", "point");
    for (p, w) in r.points.iter().zip(&cols) {
        out.push_str(&format!("  {:>w$}", p.number));
    }
    out.push('\n');
    for party in &r.parties {
        out.push_str(&format!("{party:name_width$}"));
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

/// Word diff segments as `[-old-]{+new+}`, or coloured.
pub fn segments(segments: &[crate::diff::Segment], painter: &Painter) -> String {
    use crate::diff::Op;
    let mut out = String::new();
    for s in segments {
        match (s.op, painter.color) {
            (Op::Equal, _) => out.push_str(&painter.brackets(&s.text)),
            (Op::Delete, true) => out.push_str(&painter.paint(Label::Deleted, &s.text)),
            (Op::Insert, true) => out.push_str(&painter.paint(Label::Inserted, &s.text)),
            (Op::Delete, false) => {
                out.push_str(&format!("[-{}-]", crate::error::printable(&s.text)))
            }
            (Op::Insert, false) => {
                out.push_str(&format!("{{+{}+}}", crate::error::printable(&s.text)))
            }
        }
    }
    out
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
            let shown: Vec<String> = e
                .positions
                .iter()
                .map(|(party, pos)| {
                    format!(
                        "{party} {}",
                        painter.paint(position_label(*pos), pos.as_str())
                    )
                })
                .collect();
            out.push_str(&format!("    {}\n", shown.join(" · ")));
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
