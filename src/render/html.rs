//! HTML views: a self-contained page for a browser or an e-mail, with
//! deleted words in `<del>` and inserted ones in `<ins>`.

use crate::align::Kind;
use crate::diff::{Op, PlanDiff, PointRef};
use crate::revision::RevInfo;

/// Escapes text for HTML (control characters made visible first).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in crate::error::printable(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}\
del{color:#a00;background:#fdd}ins{color:#060;background:#dfd;text-decoration:none}\
h2{font-size:1.1em;margin-bottom:0}.about{color:#666;margin-top:0}";

/// `treaty diff --format html`.
pub fn diff(d: &PlanDiff, from: &RevInfo, to: &RevInfo, all: bool) -> String {
    let name = |r: &RevInfo| match &r.label {
        Some(l) if *l != r.rev => format!("{} ({})", escape(&r.rev), escape(l)),
        _ => escape(&r.rev),
    };
    let title = format!("Changes from {} to {}", name(from), name(to));
    let mut out = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title><style>{STYLE}</style></head><body>\n<h1>{title}</h1>\n<p>{}</p>\n",
        escape(&super::text::diff_summary(d))
    );
    for c in d.changes.iter().filter(|c| all || c.is_changed()) {
        let numbers = |ps: &[PointRef]| {
            ps.iter()
                .map(|p| escape(&p.number))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let head = match c.kind {
            Kind::Added => format!("{} (new)", numbers(&c.to)),
            Kind::Removed => format!("<del>{}</del> (removed)", numbers(&c.from)),
            _ => format!("{} → {}", numbers(&c.from), numbers(&c.to)),
        };
        let title =
            c.to.iter()
                .chain(&c.from)
                .find_map(|p| p.title.as_deref())
                .map(|t| format!(" {}", escape(t)))
                .unwrap_or_default();
        out.push_str(&format!(
            "<h2>{head}{title}</h2>\n<p class=\"about\">{}</p>\n<p>",
            escape(&super::text::change_description(c))
        ));
        for s in &c.text {
            let core = s.text.trim_end();
            let space = escape(&s.text[core.len()..]);
            match s.op {
                Op::Equal => out.push_str(&escape(&s.text)),
                Op::Delete => out.push_str(&format!("<del>{}</del>{space}", escape(core))),
                Op::Insert => out.push_str(&format!("<ins>{}</ins>{space}", escape(core))),
            }
        }
        out.push_str("</p>\n");
    }
    out.push_str("</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<b>&\"x\"</b>\n"),
            "&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;<br>"
        );
    }
}
