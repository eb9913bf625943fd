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
