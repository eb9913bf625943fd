//! Text views for people at a terminal (coloured through a [`Painter`]).

use crate::align::Kind;
use crate::diff::{Op, PlanDiff, PointChange, PointRef, Segment};
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
            Op::Equal => out.push_str(&crate::error::printable(text)),
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
    let s = &d.summary;
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
        d.from_points,
        d.to_points,
        if d.to_points == 1 { "point" } else { "points" }
    );
    if !d.has_changes() {
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
    let mut out = String::new();
    out.push_str(&painter.paint(
        Label::Dim,
        &format!("{} → {}", rev_name(from), rev_name(to)),
    ));
    out.push_str("\n\n");
    for c in d.changes.iter().filter(|c| all || c.is_changed()) {
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
    out.push_str(&diff_summary(d));
    out.push('\n');
    out
}
