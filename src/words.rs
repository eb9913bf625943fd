//! Words: how the text of a point is cut up, for comparing points and for
//! showing word-level changes.
//!
//! Two views of the same text:
//!
//! * [`tokens`] cuts text into display tokens, each with the white space that
//!   follows it, so that word diffs can be shown without treating white space
//!   as a change: `"NATO will  not"` → `["NATO ", "will  ", "not"]`; numbers
//!   stay whole: `"800,000 troops."` → `["800,000 ", "troops", "."]`.
//! * [`terms`] folds text into comparison terms for similarity: lower case,
//!   light stemming, figures without separators, common function words
//!   dropped: `"The Parties' guarantees: 800,000 troops"` →
//!   `["parti", "guaran", "800000", "troop"]`.

/// A display token and the white space after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The word, figure or punctuation mark.
    pub word: &'a str,
    /// The white space that follows it (possibly empty).
    pub space: &'a str,
}

/// Characters that join two word characters into one token: `Ukraine's`,
/// `free-trade`, and within figures `800,000`, `2.5`, `2025-11-23`, `24/7`.
fn joins(prev: char, c: char, next: char) -> bool {
    let word = |x: char| x.is_alphanumeric();
    match c {
        '\'' | '\u{2019}' | '-' | '\u{2010}' | '\u{2011}' => word(prev) && word(next),
        ',' | '.' | ':' | '/' => prev.is_ascii_digit() && next.is_ascii_digit(),
        _ => false,
    }
}

/// Cuts `text` into display tokens. Leading white space is dropped; joining
/// every token's `word` and `space` gives back the rest of the text exactly.
///
/// `"The line [shall] be frozen."` → `The `, `line `, `[`, `shall`, `] `,
/// `be `, `frozen`, `.`
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    let text = text.trim_start();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let start = chars[k].0;
        let c = chars[k].1;
        k += 1;
        if c.is_alphanumeric() {
            while k < chars.len() {
                let c = chars[k].1;
                if c.is_alphanumeric() {
                    k += 1;
                } else if k + 1 < chars.len() && joins(chars[k - 1].1, c, chars[k + 1].1) {
                    k += 2;
                } else {
                    break;
                }
            }
        }
        let word_end = chars.get(k).map_or(text.len(), |&(i, _)| i);
        while k < chars.len() && chars[k].1.is_whitespace() {
            k += 1;
        }
        let space_end = chars.get(k).map_or(text.len(), |&(i, _)| i);
        out.push(Token {
            word: &text[start..word_end],
            space: &text[word_end..space_end],
        });
    }
    out
}

/// Function words that say nothing about which point is which. Content is what
/// tells points apart; these are dropped before comparing (rare words weigh
/// more than common ones anyway, but a short draft cannot tell that `the` is
/// common from its own counts).
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "been", "before", "being", "between", "both", "but", "by", "can",
    "could", "did", "do", "does", "doing", "during", "each", "either", "etc", "every", "for",
    "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his",
    "how", "i", "if", "in", "into", "is", "it", "its", "itself", "may", "might", "more", "most",
    "must", "neither", "nor", "of", "on", "once", "only", "or", "other", "our", "ours", "out",
    "over", "own", "same", "shall", "she", "should", "so", "some", "such", "than", "that", "the",
    "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "to",
    "too", "under", "until", "up", "upon", "very", "was", "we", "were", "what", "when", "where",
    "whether", "which", "while", "who", "whom", "why", "will", "with", "within", "would", "you",
    "your",
];

fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// The longest stem kept: words agreeing on their first letters are taken as
/// forms of one word (`reconstruction`, `reconstructed`). Cutting is cruder
/// than a real stemmer but language-neutral and never makes two unrelated
/// common words collide often enough to matter once rare words are weighed up.
const STEM_CHARS: usize = 6;

/// Folds one lower-case alphabetic word to its stem: `guarantees` →
/// `guaran`, `parties` → `parti`, `invaded` → `invad`.
pub fn stem(word: &str) -> String {
    let mut w: &str = word;
    if let Some(s) = w.strip_suffix("'s").or_else(|| w.strip_suffix("\u{2019}s")) {
        w = s;
    }
    let n = w.chars().count();
    let mut owned;
    if n > 4 && w.ends_with("ies") {
        owned = w[..w.len() - 3].to_string();
        owned.push('i');
    } else if n > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        owned = w[..w.len() - 1].to_string();
    } else if n > 5 && w.ends_with("ing") {
        owned = w[..w.len() - 3].to_string();
    } else if n > 4 && w.ends_with("ed") {
        owned = w[..w.len() - 2].to_string();
    } else {
        owned = w.to_string();
    }
    let mut owned: String = owned.chars().take(STEM_CHARS).collect();
    if owned.ends_with('e') && owned.chars().count() > 4 {
        owned.pop();
    }
    if owned.ends_with('y') && owned.chars().count() > 4 {
        owned.pop();
        owned.push('i');
    }
    owned
}

/// Folds text into comparison terms: lower-cased, stemmed words; figures
/// without thousands separators (`800,000` → `800000`, `$100bn` → `100`,
/// `bn`); function words and single letters dropped. Repeats are kept.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for token in tokens(text) {
        let lower = token.word.to_lowercase();
        // Hyphens and apostrophes join display tokens; for comparison the parts
        // are words of their own (`free-trade` ~ `free trade`), except the
        // possessive `'s`.
        let lower = lower
            .strip_suffix("'s")
            .or_else(|| lower.strip_suffix("\u{2019}s"))
            .unwrap_or(&lower)
            .to_string();
        for part in lower.split(|c: char| {
            matches!(
                c,
                '-' | '\'' | '\u{2019}' | '\u{2010}' | '\u{2011}' | '/' | ':'
            )
        }) {
            push_terms(part, &mut out);
        }
    }
    out
}

fn push_terms(part: &str, out: &mut Vec<String>) {
    if part.is_empty() || !part.chars().next().is_some_and(char::is_alphanumeric) {
        return;
    }
    // Split figures from letters: `100bn` → `100`, `bn`.
    let mut rest = part;
    while !rest.is_empty() {
        let digits = rest.starts_with(|c: char| c.is_ascii_digit());
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                if digits {
                    !(c.is_ascii_digit() || c == ',' || c == '.')
                } else {
                    c.is_ascii_digit()
                }
            })
            .map_or(rest.len(), |(i, _)| i);
        let piece = &rest[..end];
        rest = &rest[end..];
        if digits {
            let figure: String = piece.chars().filter(char::is_ascii_digit).collect();
            let figure = if piece.contains('.') {
                // 2.5 stays 2.5; 800.000 (European separators) becomes 800000.
                let after = piece.rsplit('.').next().unwrap_or("");
                if after.len() == 3 && !piece.contains(',') {
                    figure
                } else {
                    piece.replace(',', "")
                }
            } else {
                figure
            };
            if !figure.is_empty() {
                out.push(figure);
            }
        } else if piece.chars().count() > 1 && !is_stop_word(piece) {
            out.push(stem(piece));
        }
    }
}

/// Text folded for exact comparison: white space runs become one space, case
/// is folded, ends trimmed.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokens(text)
            .iter()
            .map(|t| format!("{}{}", t.word, t.space))
            .collect()
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOP_WORDS);
    }

    #[test]
    fn tokens_keep_white_space_apart() {
        assert_eq!(words("NATO will  not"), ["NATO ", "will  ", "not"]);
        assert_eq!(words("800,000 troops."), ["800,000 ", "troops", "."]);
        assert_eq!(
            words("The line [shall] be frozen."),
            ["The ", "line ", "[", "shall", "] ", "be ", "frozen", "."]
        );
        assert_eq!(
            words("  Ukraine's free-trade"),
            ["Ukraine's ", "free-trade"]
        );
        assert_eq!(
            words("on 2025-11-23, 2.5%"),
            ["on ", "2025-11-23", ", ", "2.5", "%"]
        );
        assert!(tokens("").is_empty());
        assert!(tokens(" \n ").is_empty());
    }

    #[test]
    fn tokens_rebuild_the_text() {
        let text = "a  b,c\n[d] ‘e’ — 1,2 x-";
        let rebuilt: String = tokens(text)
            .iter()
            .map(|t| format!("{}{}", t.word, t.space))
            .collect();
        assert_eq!(rebuilt, text);
    }

    #[test]
    fn terms_fold_and_drop_function_words() {
        assert_eq!(
            terms("The Parties' guarantees: 800,000 troops"),
            ["parti", "guaran", "800000", "troop"]
        );
        assert_eq!(terms("$100bn"), ["100", "bn"]);
        assert_eq!(terms("free-trade"), ["free", "trad"]);
        assert_eq!(terms("Ukraine's"), ["ukrain"]);
        assert_eq!(terms("2.5 and 800.000"), ["2.5", "800000"]);
    }

    #[test]
    fn stems_join_word_forms() {
        assert_eq!(stem("guarantees"), stem("guarantee"));
        assert_eq!(stem("sanctions"), stem("sanction"));
        assert_eq!(stem("parties"), stem("party"));
        assert_eq!(stem("reconstruction"), stem("reconstructed"));
        assert_eq!(stem("ukraine"), stem("ukrainian"));
        assert_eq!(stem("europe"), stem("european"));
        assert_eq!(stem("russia"), stem("russian"));
    }

    #[test]
    fn fold_ignores_space_and_case() {
        assert_eq!(fold("  The  LINE\nis "), "the line is");
    }
}
