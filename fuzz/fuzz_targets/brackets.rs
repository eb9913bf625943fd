//! Any text through bracket scanning: outermost spans are in order, start with
//! `[` and end with `]`; choices group exactly those spans, joined only across
//! white space; an error points at a bracket.
#![no_main]

use libfuzzer_sys::fuzz_target;
use treaty::brackets::{count_open, scan, spans};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    match spans(text) {
        Err(e) => {
            let at = e.offset();
            assert!(text.is_char_boundary(at));
            assert!(matches!(text.as_bytes().get(at), Some(b'[' | b']')));
            assert!(scan(text).is_err());
            assert_eq!(count_open(text), 0);
        }
        Ok(spans) => {
            let mut end = 0;
            for s in &spans {
                assert!(s.start >= end && s.start < s.end);
                assert_eq!(text.as_bytes()[s.start], b'[');
                assert_eq!(text.as_bytes()[s.end - 1], b']');
                end = s.end;
            }
            let choices = scan(text).expect("spans balanced, scan must too");
            assert_eq!(count_open(text), choices.len());
            let flat: Vec<_> = choices.iter().flat_map(|c| c.options.clone()).collect();
            assert_eq!(flat, spans);
            for c in &choices {
                assert_eq!(c.span.start, c.options[0].start);
                assert_eq!(c.span.end, c.options[c.options.len() - 1].end);
                for pair in c.options.windows(2) {
                    assert!(text[pair[0].end..pair[1].start].trim().is_empty());
                }
            }
            for pair in choices.windows(2) {
                assert!(!text[pair[0].span.end..pair[1].span.start].trim().is_empty());
            }
        }
    }
});
