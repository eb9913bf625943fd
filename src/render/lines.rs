//! The line view of a draft, made for line-based diff tools: what git shows
//! for a plan in `git show` and `git log -p` (as the `textconv` of treaty's
//! diff driver).
//!
//! Each point is one block headed by its stable id and title (the title
//! alone for a point without an id yet, as it survives renumbering); its number,
//! status and positions each stand on a line of their own, and its text has
//! one sentence per line. A line diff of two such views then says what a
//! reader wants to know: a renumbered point is one changed `number` line, a
//! reworded sentence one changed line, an added point one added block —
//! instead of TOML lines shifting around.
//!
//! ```
//! use treaty::plan::{Plan, Point};
//! let mut p = Point::new("7", "NATO will not expand. Talks follow.");
//! p.id = Some("nato".into());
//! p.title = Some("NATO".into());
//! let plan = Plan { points: vec![p], ..Plan::default() };
//! let view = treaty::render::lines::draft(&plan);
//! assert!(view.contains("=== nato: NATO\nnumber 7\nstatus open\n    NATO will not expand.\n    Talks follow.\n"));
//! ```

use crate::error::printable;
use crate::plan::Plan;

/// The line view of `plan`.
pub fn draft(plan: &Plan) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "plan {}\n",
        one_line(plan.title.as_deref().unwrap_or("(untitled)"))
    ));
    if !plan.parties.is_empty() {
        out.push_str(&format!("parties {}\n", one_line(&plan.parties.join(", "))));
    }
    let d = &plan.draft;
    if let Some(l) = &d.label {
        out.push_str(&format!("label {}\n", one_line(l)));
    }
    if let Some(date) = &d.date {
        out.push_str(&format!("date {}\n", one_line(date)));
    }
    if let Some(p) = d.provenance {
        out.push_str(&format!("provenance {p}\n"));
    }
    if let Some(s) = &d.source {
        out.push_str("source\n");
        for sentence in sentences(s) {
            out.push_str(&format!("    {sentence}\n"));
        }
    }
    for p in &plan.points {
        out.push('\n');
        // Keyed by what survives a renumbering: the id, else the title.
        match (&p.id, &p.title) {
            (Some(id), Some(t)) => {
                out.push_str(&format!("=== {}: {}\n", one_line(id), one_line(t)))
            }
            (Some(id), None) => out.push_str(&format!("=== {}\n", one_line(id))),
            (None, Some(t)) => out.push_str(&format!("=== {}\n", one_line(t))),
            (None, None) => out.push_str(&format!("=== (point {})\n", one_line(&p.number))),
        }
        out.push_str(&format!("number {}\n", one_line(&p.number)));
        out.push_str(&format!("status {}\n", p.status));
        if !p.positions.is_empty() {
            let shown: Vec<String> = p
                .positions
                .iter()
                .map(|(party, pos)| format!("{} {pos}", one_line(party)))
                .collect();
            out.push_str(&format!("positions {}\n", shown.join(", ")));
        }
        for sentence in sentences(&p.text) {
            out.push_str(&format!("    {sentence}\n"));
        }
        if let Some(n) = &p.notes {
            out.push_str("notes\n");
            for sentence in sentences(n) {
                out.push_str(&format!("    {sentence}\n"));
            }
        }
    }
    out
}

/// Text on one line, control characters made visible.
fn one_line(s: &str) -> String {
    printable(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Splits a text into lines of one sentence: after `.`, `;`, `?` or `!`
/// followed by white space and a capital, a digit or a bracket, and at every
/// line break of the text. White space within a sentence is folded.
///
/// ```text
/// "Troops leave. 600,000 stay; [Talks] follow." -> ["Troops leave.", "600,000 stay;", "[Talks] follow."]
/// ```
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in text.lines() {
        let words: Vec<&str> = paragraph.split_whitespace().collect();
        let mut current: Vec<&str> = Vec::new();
        for (k, w) in words.iter().enumerate() {
            current.push(w);
            let ends = w.ends_with(['.', ';', '?', '!']);
            let next_starts = words
                .get(k + 1)
                .and_then(|n| n.chars().next())
                .is_some_and(|c| {
                    c.is_uppercase() || c.is_ascii_digit() || c == '[' || c == '(' || c == '"'
                });
            if ends && next_starts {
                out.push(printable(&current.join(" ")));
                current.clear();
            }
        }
        if !current.is_empty() {
            out.push(printable(&current.join(" ")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Point, Position, Status};

    #[test]
    fn sentences_split_where_a_reader_would() {
        assert_eq!(
            sentences("Troops leave. 600,000 stay;  [Talks] follow.\nNew line here. and not here"),
            [
                "Troops leave.",
                "600,000 stay;",
                "[Talks] follow.",
                "New line here. and not here"
            ]
        );
        assert!(sentences("").is_empty());
    }

    #[test]
    fn a_renumbering_changes_one_line_per_point() {
        let mut a = Point::new("3", "NATO will not expand.");
        a.id = Some("nato".into());
        let mut b = a.clone();
        b.number = "2".into();
        let pa = Plan {
            points: vec![a],
            ..Plan::default()
        };
        let pb = Plan {
            points: vec![b],
            ..Plan::default()
        };
        let (va, vb) = (draft(&pa), draft(&pb));
        let changed: Vec<(&str, &str)> =
            va.lines().zip(vb.lines()).filter(|(x, y)| x != y).collect();
        assert_eq!(changed, [("number 3", "number 2")]);
    }

    #[test]
    fn everything_a_draft_holds_is_shown() {
        let mut p = Point::new("1", "Text.\x1b[2J");
        p.title = Some("A\ntitle".into());
        p.positions = vec![("US".into(), Position::Accept)];
        p.status = Status::Agreed;
        p.notes = Some("Ask the lawyers.".into());
        let mut plan = Plan {
            title: Some("Plan".into()),
            parties: vec!["US".into()],
            points: vec![p],
            ..Plan::default()
        };
        plan.draft.label = Some("geneva".into());
        let v = draft(&plan);
        assert_eq!(
            v,
            "plan Plan\nparties US\nlabel geneva\n\n=== A title\nnumber 1\nstatus agreed\npositions US accept\n    Text.\u{241b}[2J\nnotes\n    Ask the lawyers.\n"
        );
    }
}
