//! Markdown views, for pasting into memos and sharing as files.

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
