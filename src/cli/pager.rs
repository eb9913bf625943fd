//! Long output on a terminal goes through a pager, as git does: `$TREATY_PAGER`,
//! else `$PAGER`, else `less`, with `LESS=FRX` unless set (quit when the text
//! fits one screen, keep colours, leave the screen as it was). `cat` or an
//! empty value turns paging off; a pager that cannot be started is skipped
//! and the text printed as it is.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Whether `text` is longer than the terminal (`$LINES`, else 24 rows).
pub fn is_long(text: &str) -> bool {
    let rows = std::env::var("LINES")
        .ok()
        .and_then(|l| l.trim().parse::<usize>().ok())
        .filter(|&l| l > 0)
        .unwrap_or(24);
    text.lines().count() >= rows
}

/// The pager command, if paging is on.
fn pager() -> Option<String> {
    let pager = std::env::var("TREATY_PAGER")
        .or_else(|_| std::env::var("PAGER"))
        .unwrap_or_else(|_| "less".to_string());
    let pager = pager.trim();
    (!pager.is_empty() && pager != "cat").then(|| pager.to_string())
}

/// A program named without a path, found on `PATH`.
fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// Pages `text`; false when no pager could be started (print it directly then).
pub fn show(text: &str) -> bool {
    let Some(pager) = pager() else { return false };
    // A plain program name is started directly (and skipped when missing, so
    // the text is not lost); anything else is a shell command line, as git
    // reads `core.pager`.
    const SHELL: &[char] = &[
        '|', '&', ';', '<', '>', '(', ')', '$', '`', '\\', '"', '\'', ' ', '\t', '\n', '*', '?',
        '[', '#', '~', '=', '%',
    ];
    let mut cmd = if pager.contains(SHELL) {
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(&pager);
        cmd
    } else if pager.contains('/') {
        Command::new(&pager)
    } else {
        match on_path(&pager) {
            Some(p) => Command::new(p),
            None => return false,
        }
    };
    cmd.stdin(Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        cmd.env("LESS", "FRX");
    }
    if std::env::var_os("LV").is_none() {
        cmd.env("LV", "-c");
    }
    let Ok(mut child) = cmd.spawn() else {
        return false;
    };
    if let Some(mut stdin) = child.stdin.take() {
        // The user may quit the pager before reading everything: not an error.
        let _ = stdin.write_all(text.as_bytes());
    }
    match child.wait() {
        // The shell could not find or run the pager: nothing was shown.
        Ok(status) if matches!(status.code(), Some(126 | 127)) => false,
        Ok(_) => true,
        Err(_) => false,
    }
}
