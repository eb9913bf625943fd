//! A progress line on stderr for work that takes more than a second, shown
//! only when stderr is a terminal.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Reports `done/total` on one stderr line, once a second has passed.
pub struct Progress {
    what: &'static str,
    started: Instant,
    shown: bool,
    enabled: bool,
}

impl Progress {
    pub fn new(what: &'static str) -> Progress {
        Progress {
            what,
            started: Instant::now(),
            shown: false,
            enabled: std::io::stderr().is_terminal(),
        }
    }

    /// Updates the line (after the first second only).
    pub fn update(&mut self, done: usize, total: usize) {
        if !self.enabled || self.started.elapsed() < Duration::from_secs(1) {
            return;
        }
        self.shown = true;
        let _ = write!(std::io::stderr(), "\r{}… {done}/{total}", self.what);
    }

    /// Clears the line if it was shown.
    pub fn finish(&mut self) {
        if self.shown {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
            self.shown = false;
        }
    }
}
