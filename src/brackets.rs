//! Bracketed text, as in UN negotiating texts: `The line [shall][may] be frozen`.
//!
//! Square brackets mark language that is not agreed. Brackets nest and must
//! balance. Each outermost bracketed span is one open bracket, except that spans
//! separated only by white space (`[shall][may]`) are the options of one open
//! choice, which counts once.
//!
//! ```
//! use treaty::brackets::{scan, count_open};
//! let choices = scan("The line [shall][may] be [frozen [now]]").unwrap();
//! assert_eq!(choices.len(), 2);
//! assert_eq!(choices[0].options.len(), 2);
//! assert_eq!(count_open("no brackets"), 0);
//! ```

use std::ops::Range;

/// One open choice: one or more adjacent outermost bracketed spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Byte range from the first `[` to just past the last `]`.
    pub span: Range<usize>,
    /// Byte range of each option, brackets included.
    pub options: Vec<Range<usize>>,
}

/// Where and how brackets fail to balance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BracketError {
    /// A `]` with no `[` before it; the byte offset of the `]`.
    Unopened(usize),
    /// A `[` that is never closed; the byte offset of the `[`.
    Unclosed(usize),
}

impl BracketError {
    /// Byte offset of the offending bracket.
    pub fn offset(&self) -> usize {
        match self {
            BracketError::Unopened(i) | BracketError::Unclosed(i) => *i,
        }
    }
}

impl std::fmt::Display for BracketError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BracketError::Unopened(_) => f.write_str("this `]` closes no `[`"),
            BracketError::Unclosed(_) => f.write_str("this `[` is never closed"),
        }
    }
}

/// The outermost bracketed spans of `text`, in order.
pub fn spans(text: &str) -> Result<Vec<Range<usize>>, BracketError> {
    let mut out = Vec::new();
    if !has_brackets(text) {
        return Ok(out);
    }
    let mut open: Vec<usize> = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '[' => open.push(i),
            ']' => match open.pop() {
                None => return Err(BracketError::Unopened(i)),
                Some(start) if open.is_empty() => out.push(start..i + 1),
                Some(_) => {}
            },
            _ => {}
        }
    }
    match open.first() {
        // Report the innermost unclosed bracket: with `[a [b` the reader most
        // likely forgot the last `]`.
        Some(_) => Err(BracketError::Unclosed(*open.last().unwrap_or(&0))),
        None => Ok(out),
    }
}

/// The open choices of `text`: outermost spans grouped when only white space
/// separates them.
pub fn scan(text: &str) -> Result<Vec<Choice>, BracketError> {
    let mut choices: Vec<Choice> = Vec::new();
    for span in spans(text)? {
        match choices.last_mut() {
            Some(last) if text[last.span.end..span.start].trim().is_empty() => {
                last.span.end = span.end;
                last.options.push(span);
            }
            _ => choices.push(Choice {
                span: span.clone(),
                options: vec![span],
            }),
        }
    }
    Ok(choices)
}

/// How many open brackets (choices) `text` holds; 0 when brackets do not
/// balance (validation reports those separately).
pub fn count_open(text: &str) -> usize {
    scan(text).map_or(0, |c| c.len())
}

/// Whether `text` has any square bracket at all.
pub fn has_brackets(text: &str) -> bool {
    memchr::memchr2(b'[', b']', text.as_bytes()).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_has_no_choices() {
        assert_eq!(scan("Ukraine's sovereignty is confirmed.").unwrap(), vec![]);
    }

    #[test]
    fn adjacent_spans_are_options_of_one_choice() {
        let t = "The line of contact [shall][may] be frozen";
        let c = scan(t).unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(&t[c[0].span.clone()], "[shall][may]");
        assert_eq!(c[0].options.len(), 2);
        assert_eq!(&t[c[0].options[1].clone()], "[may]");
    }

    #[test]
    fn white_space_between_options_still_joins() {
        assert_eq!(count_open("a [x] \n [y] b"), 1);
    }

    #[test]
    fn words_between_spans_separate_choices() {
        assert_eq!(count_open("[a] and [b]"), 2);
    }

    #[test]
    fn nested_brackets_count_once() {
        let c = scan("x [outer [inner] text] y").unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].options.len(), 1);
    }

    #[test]
    fn unclosed_points_at_the_bracket() {
        assert_eq!(spans("ab [cd"), Err(BracketError::Unclosed(3)));
        assert_eq!(spans("[a [b]"), Err(BracketError::Unclosed(0)));
        assert_eq!(spans("[a] [b [c"), Err(BracketError::Unclosed(7)));
    }

    #[test]
    fn unopened_points_at_the_bracket() {
        assert_eq!(spans("ab] cd"), Err(BracketError::Unopened(2)));
        assert_eq!(spans("[a]]"), Err(BracketError::Unopened(3)));
    }

    #[test]
    fn unbalanced_counts_zero() {
        assert_eq!(count_open("[a"), 0);
    }

    #[test]
    fn multibyte_text_keeps_byte_offsets() {
        let t = "Запоріжжя [так][ні]";
        let c = scan(t).unwrap();
        assert_eq!(&t[c[0].options[0].clone()], "[так]");
    }
}
