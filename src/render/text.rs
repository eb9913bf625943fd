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

/// The widest point number that `show` aligns the others to.
const MAX_NUMBER_WIDTH: usize = 12;

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
    // Numbers are aligned up to a width; a longer one just sticks out (and a
    // width past 65,535 would panic in `format!`).
    let width = plan
        .points
        .iter()
        .map(|p| p.number.chars().count())
        .max()
        .unwrap_or(1)
        .min(MAX_NUMBER_WIDTH);
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
