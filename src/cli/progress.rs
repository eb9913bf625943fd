//! A progress line on stderr for work that takes more than a second (reading
//! a long history), shown only when stderr is a terminal, and wiped before
//! the result is printed.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// How long work may run before its progress is shown.
const QUIET: Duration = Duration::from_secs(1);

/// The least time between two redraws of the line.
const REDRAW: Duration = Duration::from_millis(80);

/// Reports `what… done/total` on one stderr line, once a second has passed.
pub struct Progress {
    what: &'static str,
    started: Instant,
    drawn: Option<Instant>,
    /// Width of the line shown, to wipe it.
    shown: usize,
    enabled: bool,
}

impl Progress {
    pub fn new(what: &'static str) -> Progress {
        Progress {
            what,
            started: Instant::now(),
            drawn: None,
            shown: 0,
            enabled: std::io::stderr().is_terminal(),
        }
    }

    /// Goes on with another step of the same work (the clock keeps running).
    pub fn step(&mut self, what: &'static str) {
        self.what = what;
    }

    /// Updates the line (after the first second only).
    pub fn update(&mut self, done: usize, total: usize) {
        if !self.enabled || self.started.elapsed() < QUIET {
            return;
        }
        if done < total && self.drawn.is_some_and(|t| t.elapsed() < REDRAW) {
            return;
        }
        self.drawn = Some(Instant::now());
        let line = format!("{}… {done}/{total}", self.what);
        let width = line.chars().count();
        let pad = " ".repeat(self.shown.saturating_sub(width));
        let _ = write!(std::io::stderr().lock(), "\r{line}{pad}");
        self.shown = self.shown.max(width);
    }

    /// Wipes the line if it was shown (with spaces: any terminal can).
    pub fn finish(&mut self) {
        if self.shown > 0 {
            let _ = write!(std::io::stderr().lock(), "\r{}\r", " ".repeat(self.shown));
            self.shown = 0;
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
