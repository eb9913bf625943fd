//! Markdown views, for pasting into memos and sharing as files.

use crate::align::Kind;
use crate::diff::{Op, PlanDiff, PointRef, Segment};
use crate::plan::Plan;
use crate::revision::RevInfo;

/// Escapes text so markdown shows it literally (brackets stay visible).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in crate::error::printable(text).chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `treaty show --format markdown`.
pub fn draft(plan: &Plan, rev: &RevInfo) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# {}\n\n",
        escape(plan.title.as_deref().unwrap_or("Untitled plan"))
    ));
    let mut about = Vec::new();
    if let Some(l) = &plan.draft.label {
        about.push(format!("Draft `{l}`"));
    }
    if let Some(d) = &plan.draft.date {
        about.push(d.clone());
    }
    if let Some(p) = plan.draft.provenance {
        about.push(p.to_string());
    }
    about.push(match rev.short() {
        Some(s) => format!("{} (`{s}`)", rev.rev),
        None => escape(&rev.rev),
    });
    out.push_str(&format!("*{}*\n\n", about.join(" · ")));
    if let Some(s) = &plan.draft.source {
        out.push_str(&format!("Source: {}\n\n", escape(s)));
    }
    if !plan.parties.is_empty() {
        out.push_str(&format!(
            "**Parties:** {}\n\n",
            plan.parties
                .iter()
                .map(|p| escape(p))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out.push_str(&format!("{}\n\n", super::text::counts(&plan.counts())));
    for p in &plan.points {
        let title = p
            .title
            .as_deref()
            .map(|t| format!(" {}", escape(t)))
            .unwrap_or_default();
        out.push_str(&format!(
            "## {}.{title} — {}\n\n",
            escape(&p.number),
            p.status
        ));
        out.push_str(&escape(&p.text).replace('\n', "  \n"));
        out.push_str("\n\n");
        if !p.positions.is_empty() {
            for (party, pos) in &p.positions {
                out.push_str(&format!("- {}: {pos}\n", escape(party)));
            }
            out.push('\n');
        }
        if let Some(n) = &p.notes {
            out.push_str(&format!("> {}\n\n", escape(n).replace('\n', "\n> ")));
        }
    }
    out
}

/// `treaty log --format markdown`: a table, `entries` newest first.
pub fn log(plan: Option<&str>, entries: &[crate::changes::LogEntry]) -> String {
    let mut out = String::new();
    if let Some(plan) = plan {
        out.push_str(&format!("# {}: revisions\n\n", escape(plan)));
    }
    out.push_str("| Rev | Commit | Date | Label | Author | Points | Agreed | Disputed | Open | Brackets | Changes |\n");
    out.push_str("|---|---|---|---|---|---:|---:|---:|---:|---:|---|\n");
    let last = entries.len().saturating_sub(1);
    for (i, e) in entries.iter().enumerate() {
        let cell = |v: Option<&str>| v.map_or_else(|| "–".to_string(), escape);
        let num = |f: fn(&crate::plan::Counts) -> usize| {
            e.counts
                .as_ref()
                .map_or_else(|| "–".to_string(), |c| f(c).to_string())
        };
        let commit = match (&e.file, e.info.short()) {
            (Some(file), _) => escape(file),
            (None, Some(short)) => format!("`{short}`"),
            (None, None) => "–".to_string(),
        };
        let changes = match (&e.changes, e.counts) {
            (Some(c), _) => c.describe(),
            (None, None) => "invalid draft".into(),
            (None, Some(_)) if i == last => "first revision".into(),
            (None, Some(_)) => "–".into(),
        };
        out.push_str(&format!(
            "| {} | {commit} | {} | {} | {} | {} | {} | {} | {} | {} | {changes} |\n",
            escape(&e.info.rev),
            cell(e.info.date.as_deref()),
            cell(e.info.label.as_deref()),
            cell(e.info.author.as_deref()),
            num(|c| c.points),
            num(|c| c.agreed),
            num(|c| c.disputed),
            num(|c| c.open),
            num(|c| c.brackets),
        ));
    }
    out
}

/// `treaty disputes --format markdown`.
pub fn disputes(r: &crate::report::DisputeReport) -> String {
    let c = &r.summary;
    let mut out = format!("# Open points: {}\n\n", escape(&r.plan));
    let mut about = vec![r.rev.rev.clone()];
    if let Some(l) = &r.rev.label {
        about.push(format!("`{l}`"));
    }
    if let Some(s) = r.rev.short() {
        about.push(format!("`{s}`"));
    }
    out.push_str(&format!("*{}*\n\n", about.join(" · ")));
    out.push_str(&format!(
        "{} points: {} agreed, {} disputed, {} open · {} brackets\n\n",
        c.points, c.agreed, c.disputed, c.open, c.brackets
    ));
    if r.points.is_empty() {
        out.push_str("Every point is agreed.\n");
        return out;
    }
    out.push_str("| Point | Title | Status | Since | Revisions | Last changed | Brackets | Reopened |\n|---|---|---|---|---|---|---|---|\n");
    for p in &r.points {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            escape(&p.number),
            escape(p.title.as_deref().unwrap_or("")),
            p.status,
            p.disputed_since.rev,
            p.revisions,
            p.last_changed.rev,
            p.brackets,
            if p.reopened { "yes" } else { "" }
        ));
    }
    if !r.parties.is_empty() {
        out.push_str("\n## Positions\n\n| Party |");
        for p in &r.points {
            out.push_str(&format!(" {} |", escape(&p.number)));
        }
        out.push_str("\n|---|");
        out.push_str(&"---|".repeat(r.points.len()));
        out.push('\n');
        for party in &r.parties {
            out.push_str(&format!("| {} |", escape(party)));
            for p in &r.points {
                let cell = p
                    .positions
                    .iter()
                    .find(|(q, _)| q == party)
                    .map_or("", |(_, pos)| pos.as_str());
                out.push_str(&format!(" {cell} |"));
            }
            out.push('\n');
        }
    }
    out
}

/// `treaty history --format markdown`.
pub fn history(h: &crate::report::PointHistory) -> String {
    let mut out = format!("# {} · point {}\n\n", escape(&h.plan), escape(&h.point));
    for e in &h.entries {
        let label = e
            .rev
            .label
            .as_deref()
            .map(|l| format!(" `{l}`"))
            .unwrap_or_default();
        out.push_str(&format!(
            "## {}{label} — {} ({}{}) — {}\n\n",
            e.rev.rev,
            e.numbers
                .iter()
                .map(|n| escape(n))
                .collect::<Vec<_>>()
                .join(" + "),
            e.kind.as_str(),
            if e.reworded { ", reworded" } else { "" },
            e.status
        ));
        let body = if e.reworded {
            redline(&e.diff)
        } else {
            escape(&e.text)
        };
        out.push_str(&body.replace('\n', "  \n"));
        out.push_str("\n\n");
        for (party, pos) in &e.positions {
            out.push_str(&format!("- {}: {pos}\n", escape(party)));
        }
        if !e.positions.is_empty() {
            out.push('\n');
        }
    }
    out
}

/// Segments as a markdown redline: deleted words struck through, inserted
/// words in bold. Markers are put around each line's words only, since
/// markdown emphasis cannot span white space at its edges or paragraphs.
pub fn redline(segs: &[Segment]) -> String {
    let mut out = String::new();
    for s in segs {
        let (open, close) = match s.op {
            Op::Equal => ("", ""),
            Op::Delete => ("~~", "~~"),
            Op::Insert => ("**", "**"),
        };
        let mut first = true;
        for line in s.text.split('\n') {
            if !first {
                out.push_str("  \n");
            }
            first = false;
            let core = line.trim();
            if core.is_empty() {
                out.push_str(line);
                continue;
            }
            let lead = &line[..line.len() - line.trim_start().len()];
            let trail = &line[line.trim_end().len()..];
            out.push_str(lead);
            out.push_str(open);
            out.push_str(&escape(core));
            out.push_str(close);
            out.push_str(trail);
        }
    }
    out
}

/// `treaty diff --format markdown`: a redline for sharing.
pub fn diff(d: &PlanDiff, from: &RevInfo, to: &RevInfo, all: bool) -> String {
    let name = |r: &RevInfo| {
        let mut s = format!("`{}`", r.rev.replace('`', "'"));
        if let Some(l) = &r.label {
            if *l != r.rev {
                s.push_str(&format!(" ({})", escape(l)));
            }
        }
        s
    };
    let mut out = format!("# Changes from {} to {}\n\n", name(from), name(to));
    out.push_str(&format!("{}\n\n", escape(&super::text::diff_summary(d))));
    for c in d.changes.iter().filter(|c| all || c.is_changed()) {
        let numbers = |ps: &[PointRef]| {
            ps.iter()
                .map(|p| escape(&p.number))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let head = match c.kind {
            Kind::Added => format!("{} (new)", numbers(&c.to)),
            Kind::Removed => format!("~~{}~~ (removed)", numbers(&c.from)),
            _ => format!("{} → {}", numbers(&c.from), numbers(&c.to)),
        };
        let title =
            c.to.iter()
                .chain(&c.from)
                .find_map(|p| p.title.as_deref())
                .map(|t| format!(" {}", escape(t)))
                .unwrap_or_default();
        out.push_str(&format!(
            "## {head}{title}\n\n*{}*\n\n",
            escape(&super::text::change_description(c))
        ));
        out.push_str(&redline(&c.text));
        out.push_str("\n\n");
    }
    out
}
