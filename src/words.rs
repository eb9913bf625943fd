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
    Tokens::new(text).collect()
}

/// The tokens of a text, one by one (see [`tokens`]).
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    text: &'a str,
    at: usize,
    /// The whole text is ASCII: cut it byte by byte.
    ascii: bool,
}

impl<'a> Tokens<'a> {
    pub fn new(text: &'a str) -> Self {
        let text = text.trim_start();
        Tokens {
            text,
            at: 0,
            ascii: text.is_ascii(),
        }
    }

    /// [`Iterator::next`] for ASCII text: the same tokens, without decoding.
    fn next_ascii(&mut self) -> Option<Token<'a>> {
        let b = self.text.as_bytes();
        let start = self.at;
        let &first = b.get(start)?;
        let mut end = start + 1;
        if first.is_ascii_alphanumeric() {
            let mut prev = first;
            while let Some(&c) = b.get(end) {
                if c.is_ascii_alphanumeric() {
                    prev = c;
                    end += 1;
                    continue;
                }
                let joined = b.get(end + 1).is_some_and(|&n| match c {
                    b'\'' | b'-' => n.is_ascii_alphanumeric(),
                    b',' | b'.' | b':' | b'/' => prev.is_ascii_digit() && n.is_ascii_digit(),
                    _ => false,
                });
                if !joined {
                    break;
                }
                prev = b[end + 1];
                end += 2;
            }
        }
        let mut after = end;
        while after < b.len() && is_ascii_space(b[after]) {
            after += 1;
        }
        self.at = after;
        Some(Token {
            word: &self.text[start..end],
            space: &self.text[end..after],
        })
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        if self.ascii {
            return self.next_ascii();
        }
        let text = self.text;
        let start = self.at;
        let mut chars = text[start..]
            .char_indices()
            .map(|(i, c)| (start + i, c))
            .peekable();
        let (_, first) = chars.next()?;
        let mut end = start + first.len_utf8();
        if first.is_alphanumeric() {
            let mut prev = first;
            while let Some(&(i, c)) = chars.peek() {
                if c.is_alphanumeric() {
                    chars.next();
                    end = i + c.len_utf8();
                    prev = c;
                    continue;
                }
                // A joiner needs a word character on both sides.
                let next = text[i + c.len_utf8()..].chars().next();
                match next {
                    Some(n) if joins(prev, c, n) => {
                        chars.next();
                        chars.next();
                        end = i + c.len_utf8() + n.len_utf8();
                        prev = n;
                    }
                    _ => break,
                }
            }
        }
        let rest = &text[end..];
        let space = rest.len() - rest.trim_start().len();
        self.at = end + space;
        Some(Token {
            word: &text[start..end],
            space: &text[end..end + space],
        })
    }
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
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str, FxBuild>> =
        std::sync::OnceLock::new();
    word.len() <= 8
        && SET
            .get_or_init(|| STOP_WORDS.iter().copied().collect())
            .contains(word)
}

/// The longest stem kept: words agreeing on their first letters are taken as
/// forms of one word (`reconstruction`, `reconstructed`). Cutting is cruder
/// than a real stemmer but language-neutral and never makes two unrelated
/// common words collide often enough to matter once rare words are weighed up.
const STEM_CHARS: usize = 6;

/// Folds one lower-case alphabetic word to its stem: `guarantees` →
/// `guaran`, `parties` → `parti`, `invaded` → `invad`.
pub fn stem(word: &str) -> String {
    let mut out = String::new();
    stem_into(word, &mut out);
    out
}

/// [`stem`], written into `out` (cleared first).
fn stem_into(word: &str, out: &mut String) {
    out.clear();
    let w = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("\u{2019}s"))
        .unwrap_or(word);
    let n = w.chars().count();
    let (base, add) = if n > 4 && w.ends_with("ies") {
        (&w[..w.len() - 3], "i")
    } else if n > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        (&w[..w.len() - 1], "")
    } else if n > 5 && w.ends_with("ing") {
        (&w[..w.len() - 3], "")
    } else if n > 4 && w.ends_with("ed") {
        (&w[..w.len() - 2], "")
    } else {
        (w, "")
    };
    out.extend(base.chars().chain(add.chars()).take(STEM_CHARS));
    let len = out.chars().count();
    if out.ends_with('e') && len > 4 {
        out.pop();
    } else if out.ends_with('y') && len > 4 {
        out.pop();
        out.push('i');
    }
}

/// Folds text into comparison terms: lower-cased, stemmed words; figures
/// without thousands separators (`800,000` → `800000`, `$100bn` → `100`,
/// `bn`); function words and single letters dropped. Repeats are kept.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    TermReader::default().read(text, |t| out.push(t.to_string()));
    out
}

/// Reads the terms of texts (see [`terms`]) without allocating per word.
#[derive(Debug, Default)]
pub struct TermReader {
    lower: String,
    term: String,
}

impl TermReader {
    /// Calls `each` with every term of `text`, in order.
    pub fn read(&mut self, text: &str, mut each: impl FnMut(&str)) {
        for token in Tokens::new(text) {
            self.read_token(token.word, &mut each);
        }
    }

    /// Calls `each` with every term of one display token ([`Token::word`]).
    /// A token's terms depend on the token alone, so callers may remember
    /// them: `read` is `read_token` over [`tokens`].
    pub fn read_token(&mut self, word: &str, mut each: impl FnMut(&str)) {
        if !word.chars().next().is_some_and(char::is_alphanumeric) {
            return;
        }
        self.lower.clear();
        if word.is_ascii() {
            self.lower.push_str(word);
            self.lower.make_ascii_lowercase();
        } else {
            self.lower.extend(word.chars().flat_map(char::to_lowercase));
        }
        // Hyphens and apostrophes join display tokens; for comparison the
        // parts are words of their own (`free-trade` ~ `free trade`),
        // except the possessive `'s`.
        let lower = std::mem::take(&mut self.lower);
        let word = lower
            .strip_suffix("'s")
            .or_else(|| lower.strip_suffix("\u{2019}s"))
            .unwrap_or(&lower);
        for part in word.split(|c: char| {
            matches!(
                c,
                '-' | '\'' | '\u{2019}' | '\u{2010}' | '\u{2011}' | '/' | ':'
            )
        }) {
            self.part(part, &mut each);
        }
        self.lower = lower;
    }

    fn part(&mut self, part: &str, each: &mut impl FnMut(&str)) {
        if !part.chars().next().is_some_and(char::is_alphanumeric) {
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
                self.term.clear();
                // 2.5 stays 2.5; 800,000 and 800.000 (European separators)
                // become 800000.
                let after = piece.rsplit('.').next().unwrap_or("");
                let decimal = piece.contains('.') && (after.len() != 3 || piece.contains(','));
                self.term.extend(
                    piece
                        .chars()
                        .filter(|&c| c.is_ascii_digit() || (decimal && c == '.')),
                );
                let figure = self.term.trim_end_matches('.');
                if !figure.is_empty() {
                    each(figure);
                }
            } else if piece.len() > 1 && piece.chars().nth(1).is_some() && !is_stop_word(piece) {
                let mut term = std::mem::take(&mut self.term);
                stem_into(piece, &mut term);
                each(&term);
                self.term = term;
            }
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

/// Whether two texts are the same after [`fold`], without building either.
pub fn same_folded(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        return same_folded_ascii(a.as_bytes(), b.as_bytes());
    }
    same_folded_chars(a, b)
}

/// White space as `char::is_whitespace` has it, among ASCII bytes.
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// [`same_folded`] for ASCII texts, byte by byte.
fn same_folded_ascii(a: &[u8], b: &[u8]) -> bool {
    let (mut i, mut j) = (0, 0);
    loop {
        while i < a.len() && is_ascii_space(a[i]) {
            i += 1;
        }
        while j < b.len() && is_ascii_space(b[j]) {
            j += 1;
        }
        if i == a.len() || j == b.len() {
            return i == a.len() && j == b.len();
        }
        loop {
            let in_a = i < a.len() && !is_ascii_space(a[i]);
            let in_b = j < b.len() && !is_ascii_space(b[j]);
            if !in_a || !in_b {
                if in_a != in_b {
                    return false;
                }
                break;
            }
            if !a[i].eq_ignore_ascii_case(&b[j]) {
                return false;
            }
            i += 1;
            j += 1;
        }
    }
}

fn same_folded_chars(a: &str, b: &str) -> bool {
    let mut x = a.split_whitespace().flat_map(|w| {
        std::iter::once(None).chain(w.chars().flat_map(char::to_lowercase).map(Some))
    });
    let mut y = b.split_whitespace().flat_map(|w| {
        std::iter::once(None).chain(w.chars().flat_map(char::to_lowercase).map(Some))
    });
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (p, q) if p == q => {}
            _ => return false,
        }
    }
}

/// A hash of the text after [`fold`]: equal folded texts hash alike.
///
/// The hash is of the folded text as bytes: lower case, words joined by one
/// space. Most texts are written that way but for capitals, and are hashed
/// in place eight bytes at a time; others are folded into a buffer first.
pub fn fold_hash(text: &str) -> u64 {
    if text.is_ascii() && is_plainly_spaced(text.as_bytes()) {
        return hash_folded(text.as_bytes(), true);
    }
    fold_hash_chars(text)
}

/// [`fold_hash`] of any text, char by char.
fn fold_hash_chars(text: &str) -> u64 {
    let mut folded = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !folded.is_empty() {
            folded.push(' ');
        }
        if word.is_ascii() {
            folded.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            folded.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    hash_folded(folded.as_bytes(), false)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = ONES * 0x80;

/// The high bit of each of eight ASCII bytes that lies in `lo..=hi`.
fn bytes_in(x: u64, lo: u8, hi: u8) -> u64 {
    let at_least = x.wrapping_add(ONES * (0x80 - u64::from(lo)));
    let past = x.wrapping_add(ONES * (0x80 - u64::from(hi) - 1));
    at_least & !past & HIGHS
}

/// Eight ASCII bytes with their capitals lower-cased.
fn lower_ascii(x: u64) -> u64 {
    x | (bytes_in(x, b'A', b'Z') >> 2)
}

/// Whether ASCII text has no white space but single spaces between words:
/// no line breaks or tabs, no runs of spaces, none at either end.
fn is_plainly_spaced(b: &[u8]) -> bool {
    if b.first().is_some_and(|&c| c == b' ') || b.last().is_some_and(|&c| c == b' ') {
        return false;
    }
    let mut chunks = b.chunks_exact(8);
    let mut last_space = false;
    let mut check = |x: u64| {
        let spaces = bytes_in(x, b' ', b' ');
        let ok = bytes_in(x, b'\t', b'\r') == 0
            && spaces & (spaces >> 8) == 0
            && !(last_space && spaces & 0x80 != 0);
        last_space = spaces >> 63 != 0;
        ok
    };
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        if !check(u64::from_le_bytes(w)) {
            return false;
        }
    }
    let rest = chunks.remainder();
    rest.is_empty() || check(tail(rest))
}

/// Hashes folded text (lower-casing ASCII capitals on the way when
/// `lower`), eight bytes at a time.
fn hash_folded(b: &[u8], lower: bool) -> u64 {
    let fold = |x: u64| if lower { lower_ascii(x) } else { x };
    let mut h = FxHasher::default();
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h.add(fold(u64::from_le_bytes(w)));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h.add(fold(tail(rest)));
    }
    h.add(b.len() as u64);
    std::hash::Hasher::finish(&h)
}

/// Up to eight bytes as one little-endian word, zero-padded (built in a
/// register: copying the bytes to memory and reading them back as one word
/// stalls the processor).
fn tail(rest: &[u8]) -> u64 {
    rest.iter()
        .enumerate()
        .fold(0, |x, (k, &b)| x | u64::from(b) << (8 * k))
}

/// A small, fast, non-cryptographic hasher (the one rustc uses), for hashing
/// the many short terms of large drafts. Inputs come from the user's own
/// drafts, so resistance to crafted collisions is not needed.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            self.add(tail(rest));
        }
    }

    fn write_u8(&mut self, x: u8) {
        self.add(u64::from(x));
    }

    fn write_u64(&mut self, x: u64) {
        self.add(x);
    }

    fn write_usize(&mut self, x: usize) {
        self.add(x as u64);
    }
}

/// Builds [`FxHasher`]s, for `HashMap::with_hasher`.
pub type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

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
        assert!(same_folded("  The  LINE\nis ", "the line is"));
        assert!(!same_folded("the line is", "the lineis"));
        assert!(!same_folded("the line", "the line is"));
        assert_eq!(fold_hash("  The  LINE\nis "), fold_hash("the line is"));
        assert_ne!(fold_hash("the lineis"), fold_hash("the line is"));
        assert_eq!(
            fold_hash("ÉTÉ  Zone\tFRANCHE"),
            fold_hash("été zone franche")
        );
        assert_ne!(fold_hash("été zone"), fold_hash("étézone"));
        assert_ne!(fold_hash("abcdefgh ij"), fold_hash("abcdefghij"));
    }

    #[test]
    fn ascii_tokens_agree_with_the_general_ones() {
        for text in [
            "The line [shall] be frozen.",
            "  Ukraine's free-trade 800,000 2.5% 24/7 10:30 a-b- -c 'x' x' 1,a a,1 1,2,3",
            "end-",
            "end'",
            "1,",
            "a\x0bb\x0c c\r\n",
            "x--y a''b 1..2 1.,2",
        ] {
            let fast: Vec<Token> = tokens(text);
            let mut general = Tokens::new(text);
            general.ascii = false;
            assert_eq!(fast, general.collect::<Vec<_>>(), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_tokens_agree_on_any_ascii(text in "[a-c1-2 ,.:/'\\-\t\n\x0b\\[\\]%]{0,24}") {
            let mut general = Tokens::new(&text);
            general.ascii = false;
            proptest::prop_assert_eq!(tokens(&text), general.collect::<Vec<_>>());
            proptest::prop_assert_eq!(fold_hash(&text), fold_hash_chars(&text));
            proptest::prop_assert_eq!(fold_hash(&text.to_uppercase()), fold_hash(&text));
        }

        #[test]
        fn ascii_folding_agrees(a in "[aB \t\x0b]{0,8}", b in "[Ab \n\x0c]{0,8}") {
            proptest::prop_assert_eq!(same_folded(&a, &b), same_folded_chars(&a, &b));
        }
    }

    #[test]
    fn ascii_fast_paths_agree_with_the_general_ones() {
        let texts = [
            "",
            " ",
            "The  line\tis\x0b frozen",
            "the line is frozen",
            "the line is frozen ",
            "THE LINE IS FROZEN.",
            "the lineis frozen",
            "\r\nthe\x0cline is frozen",
            "Ünïcode line",
            "ünïcode LINE",
            "a\u{a0}b",
        ];
        for a in texts {
            assert_eq!(fold_hash(a), fold_hash_chars(a), "{a:?}");
            for b in texts {
                assert_eq!(
                    fold_hash(a) == fold_hash(b),
                    fold(a) == fold(b),
                    "{a:?} {b:?}"
                );
                assert_eq!(same_folded(a, b), fold(a) == fold(b), "{a:?} {b:?}");
                assert_eq!(same_folded(a, b), same_folded_chars(a, b), "{a:?} {b:?}");
            }
        }
    }
}
