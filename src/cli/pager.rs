//! Long output on a terminal goes through a pager, as git does: `$TREATY_PAGER`,
//! else `$PAGER`, else `less`, with `LESS=FRX` unless set (quit when the text
//! fits one screen, keep colours, leave the screen as it was).

use std::io::Write;
use std::process::{Command, Stdio};

/// Pages `text`; false when no pager could be started (print it directly then).
pub fn show(text: &str) -> bool {
    let pager = std::env::var("TREATY_PAGER")
        .or_else(|_| std::env::var("PAGER"))
        .unwrap_or_else(|_| "less".to_string());
    let pager = pager.trim();
    if pager.is_empty() || pager == "cat" {
        return false;
    }
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(pager).stdin(Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        cmd.env("LESS", "FRX");
    }
    let Ok(mut child) = cmd.spawn() else {
        return false;
    };
    if let Some(mut stdin) = child.stdin.take() {
        // The user may quit the pager before reading everything: not an error.
        let _ = stdin.write_all(text.as_bytes());
    }
    child.wait().is_ok()
}
