//! Renderers: one result in, one format out. Code labels text by meaning
//! (`Label::Inserted`, `Label::Disputed`); the [`Painter`] alone decides whether
//! and how a label becomes colour.

pub mod html;
pub mod json;
pub mod lines;
pub mod markdown;
pub mod text;

use anstyle::{AnsiColor, Style};

/// What a piece of output means; the painter maps it to a colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Inserted,
    Deleted,
    Agreed,
    Disputed,
    Open,
    Bracket,
    Heading,
    Number,
    Dim,
    Warning,
}

impl Label {
    fn style(self) -> Style {
        let fg = |c: AnsiColor| Style::new().fg_color(Some(c.into()));
        match self {
            Label::Inserted => fg(AnsiColor::Green).underline(),
            Label::Deleted => fg(AnsiColor::Red).strikethrough(),
            Label::Agreed => fg(AnsiColor::Green),
            Label::Disputed => fg(AnsiColor::Red).bold(),
            Label::Open => fg(AnsiColor::Yellow),
            Label::Bracket => fg(AnsiColor::Yellow).bold(),
            Label::Heading => Style::new().bold(),
            Label::Number => fg(AnsiColor::Cyan).bold(),
            Label::Dim => Style::new().dimmed(),
            Label::Warning => fg(AnsiColor::Yellow),
        }
    }

    /// The label for a status.
    pub fn for_status(status: crate::plan::Status) -> Label {
        match status {
            crate::plan::Status::Agreed => Label::Agreed,
            crate::plan::Status::Disputed => Label::Disputed,
            crate::plan::Status::Open => Label::Open,
        }
    }
}

/// Turns labelled text into coloured text, or leaves it plain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Painter {
    /// Whether to emit colour.
    pub color: bool,
}

impl Painter {
    /// A painter that colours when `color` is true.
    pub fn new(color: bool) -> Self {
        Painter { color }
    }

    /// `text` styled as `label`. Control characters in `text` are made visible
    /// first, so nothing from a draft reaches a terminal raw.
    pub fn paint(&self, label: Label, text: &str) -> String {
        let text = crate::error::printable(text);
        if self.color && !text.is_empty() {
            let style = label.style();
            format!("{style}{text}{style:#}")
        } else {
            text
        }
    }

    /// Highlights bracketed spans of a point's text.
    pub fn brackets(&self, text: &str) -> String {
        if !self.color {
            return crate::error::printable(text);
        }
        let Ok(spans) = crate::brackets::spans(text) else {
            return crate::error::printable(text);
        };
        let mut out = String::new();
        let mut at = 0;
        for span in spans {
            out.push_str(&crate::error::printable(&text[at..span.start]));
            out.push_str(&self.paint(Label::Bracket, &text[span.clone()]));
            at = span.end;
        }
        out.push_str(&crate::error::printable(&text[at..]));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_painter_adds_nothing() {
        assert_eq!(Painter::new(false).paint(Label::Disputed, "x"), "x");
    }

    #[test]
    fn colour_painter_wraps_in_escapes() {
        let s = Painter::new(true).paint(Label::Inserted, "x");
        assert!(s.starts_with('\x1b') && s.ends_with("\x1b[0m"));
    }

    #[test]
    fn escapes_in_text_are_neutralised() {
        let s = Painter::new(true).paint(Label::Dim, "\x1b[2J");
        assert!(!s.contains("\x1b[2J"));
    }

    #[test]
    fn brackets_are_highlighted() {
        let s = Painter::new(true).brackets("a [b] c");
        assert!(s.contains("[b]") && s.contains('\x1b'));
    }
}
