//! Who records a revision, and when: author and committer resolved the way git
//! resolves them (`--author`, then `GIT_AUTHOR_*` / `GIT_COMMITTER_*`, then the
//! `user.name` / `user.email` configuration), and the dates git accepts in
//! `GIT_AUTHOR_DATE` / `GIT_COMMITTER_DATE`, so that tests and scripted sessions
//! can pin the clock.

use crate::error::{Error, Result};

/// A name and an e-mail address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ident {
    pub name: String,
    pub email: String,
}

/// How to set an identity, for error messages.
const HOW_TO_SET: &str = "pass --author \"Your Name <you@example.org>\", or set it once for all repositories with `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.org`";

/// Reads `Name <mail>` as given to `--author`.
///
/// ```text
/// "Ada Lovelace <ada@example.org>" -> Ident { name: "Ada Lovelace", email: "ada@example.org" }
/// "Ada"                            -> error (no e-mail)
/// ```
pub(crate) fn parse_author(text: &str) -> Result<Ident> {
    let bad = |why: &str| {
        Error::refused(
            format!(
                "cannot read --author '{}': {why}",
                crate::error::printable(text)
            ),
            "write it as --author \"Name <mail>\", e.g. --author \"Ada Lovelace <ada@example.org>\"",
        )
    };
    let text = text.trim();
    let (Some(open), true) = (text.find('<'), text.ends_with('>')) else {
        return Err(bad("expected `Name <mail>`"));
    };
    let name = text[..open].trim();
    let email = text[open + 1..text.len() - 1].trim();
    if name.is_empty() {
        return Err(bad("the name is empty"));
    }
    if email.is_empty() {
        return Err(bad("the e-mail address is empty"));
    }
    check_ident_text(name).map_err(|w| bad(&w))?;
    check_ident_text(email).map_err(|w| bad(&w))?;
    Ok(Ident {
        name: name.to_string(),
        email: email.to_string(),
    })
}

fn check_ident_text(s: &str) -> std::result::Result<(), String> {
    if s.chars().any(|c| c == '<' || c == '>' || c.is_control()) {
        Err("a name or address may not hold '<', '>' or control characters".into())
    } else {
        Ok(())
    }
}

/// A non-empty environment variable.
fn env(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|v| !v.trim().is_empty())
}

fn config_string(config: &git2::Config, key: &str) -> Result<Option<String>> {
    match config.get_string(key) {
        Ok(v) if !v.trim().is_empty() => Ok(Some(v.trim().to_string())),
        Ok(_) => Ok(None),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(Error::Repository {
            context: format!("cannot read `{key}` from the git configuration"),
            message: e.message().to_string(),
        }),
    }
}

/// One role's identity from the environment and configuration, as git finds
/// it: `GIT_<ROLE>_NAME` / `GIT_<ROLE>_EMAIL`, then `user.name` / `user.email`,
/// then `EMAIL` for the address.
fn ident_from_env(config: &git2::Config, role: &str) -> Result<(Option<String>, Option<String>)> {
    let name = match env(&format!("GIT_{role}_NAME")) {
        Some(n) => Some(n),
        None => config_string(config, "user.name")?,
    };
    let email = match env(&format!("GIT_{role}_EMAIL")) {
        Some(e) => Some(e),
        None => match config_string(config, "user.email")? {
            Some(e) => Some(e),
            None => env("EMAIL"),
        },
    };
    Ok((name, email))
}

/// The author and committer of a new revision. `author` is `--author`, if
/// given; the committer falls back to the author when nothing else names one.
pub(crate) fn signatures(
    config: &git2::Config,
    author: Option<&str>,
) -> Result<(git2::Signature<'static>, git2::Signature<'static>)> {
    let author = match author {
        Some(text) => parse_author(text)?,
        None => match ident_from_env(config, "AUTHOR")? {
            (Some(name), Some(email)) => Ident { name, email },
            (name, email) => {
                let missing = match (name, email) {
                    (None, None) => "no author name or e-mail is configured",
                    (None, Some(_)) => "no author name is configured (user.name)",
                    _ => "no author e-mail is configured (user.email)",
                };
                return Err(Error::refused(
                    format!("who is recording this revision? {missing}"),
                    HOW_TO_SET,
                ));
            }
        },
    };
    let committer = match ident_from_env(config, "COMMITTER")? {
        (Some(name), Some(email)) => Ident { name, email },
        _ => author.clone(),
    };
    for who in [&author, &committer] {
        check_ident_text(&who.name)
            .and_then(|()| check_ident_text(&who.email))
            .map_err(|why| {
                Error::refused(
                    format!(
                        "cannot use '{} <{}>' as an identity: {why}",
                        crate::error::printable(&who.name),
                        crate::error::printable(&who.email)
                    ),
                    HOW_TO_SET,
                )
            })?;
    }
    let now = now();
    let author_time = time_from_env("GIT_AUTHOR_DATE")?.unwrap_or(now);
    let committer_time = time_from_env("GIT_COMMITTER_DATE")?.unwrap_or(now);
    let sign = |who: &Ident, when: git2::Time| {
        git2::Signature::new(&who.name, &who.email, &when).map_err(|e| {
            Error::refused(
                format!(
                    "cannot use '{} <{}>' as an identity: {}",
                    who.name,
                    who.email,
                    e.message()
                ),
                HOW_TO_SET,
            )
        })
    };
    Ok((
        sign(&author, author_time)?,
        sign(&committer, committer_time)?,
    ))
}

/// The current time, in the local offset as git records it.
fn now() -> git2::Time {
    match git2::Signature::now("treaty", "treaty@localhost") {
        Ok(sig) => sig.when(),
        Err(_) => {
            let secs = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
            git2::Time::new(secs, 0)
        }
    }
}

fn time_from_env(var: &str) -> Result<Option<git2::Time>> {
    let Some(text) = env(var) else {
        return Ok(None);
    };
    match parse_date(&text) {
        Some((secs, offset)) => Ok(Some(git2::Time::new(secs, offset))),
        None => Err(Error::refused(
            format!(
                "cannot read the date in {var}='{}'",
                crate::error::printable(&text)
            ),
            "use ISO 8601 with an offset (2025-11-20T12:00:00+01:00), RFC 2822 (Thu, 20 Nov 2025 12:00:00 +0100) or git's `@<unix seconds> <+hhmm>`",
        )),
    }
}

/// Reads a date as git accepts it in `GIT_AUTHOR_DATE`: seconds since the
/// epoch and the offset in minutes.
///
/// ```text
/// "2025-11-20T12:00:00+01:00"        -> (1763636400, 60)
/// "2025-11-20 12:00:00 +0100"        -> (1763636400, 60)
/// "2025-11-20T11:00:00Z"             -> (1763636400, 0)
/// "Thu, 20 Nov 2025 12:00:00 +0100"  -> (1763636400, 60)
/// "@1763636400 +0100"                -> (1763636400, 60)
/// "1763636400 +0100"                 -> (1763636400, 60)
/// ```
pub(crate) fn parse_date(text: &str) -> Option<(i64, i32)> {
    let text = text.trim();
    parse_raw(text)
        .or_else(|| parse_iso(text))
        .or_else(|| parse_rfc2822(text))
}

/// `@<secs> [<+hhmm>]` or `<secs> <+hhmm>`.
fn parse_raw(text: &str) -> Option<(i64, i32)> {
    let (at, rest) = match text.strip_prefix('@') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut parts = rest.split_whitespace();
    let secs_text = parts.next()?;
    if !secs_text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs: i64 = secs_text.parse().ok()?;
    let offset = match parts.next() {
        Some(tz) => parse_offset(tz)?,
        None if at => 0,
        None => return None,
    };
    if parts.next().is_some() {
        return None;
    }
    Some((secs, offset))
}

/// `+hhmm`, `-hh:mm`, `+hh`, `Z`.
fn parse_offset(tz: &str) -> Option<i32> {
    if tz == "Z" || tz == "z" {
        return Some(0);
    }
    let sign = match tz.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = tz[1..].chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if h > 23 || m > 59 {
        return None;
    }
    Some(sign * (h * 60 + m))
}

/// `YYYY-MM-DD[(T| )HH:MM[:SS[.frac]]][ ][Z|±hh[:]mm]`; no offset means UTC.
fn parse_iso(text: &str) -> Option<(i64, i32)> {
    let b = text.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: i64 = digits(&text[0..4])?;
    let month: u32 = digits(&text[5..7])?;
    let day: u32 = digits(&text[8..10])?;
    let mut rest = &text[10..];
    let (mut hour, mut minute, mut second) = (0, 0, 0);
    if let Some(r) = rest.strip_prefix(['T', 't', ' ']) {
        if r.len() >= 5 && r.as_bytes()[2] == b':' {
            hour = digits(&r[0..2])?;
            minute = digits(&r[3..5])?;
            rest = &r[5..];
            if rest.len() >= 3 && rest.as_bytes()[0] == b':' {
                second = digits(&rest[1..3])?;
                rest = &rest[3..];
                if let Some(frac) = rest.strip_prefix(['.', ',']) {
                    let n = frac.bytes().take_while(u8::is_ascii_digit).count();
                    if n == 0 {
                        return None;
                    }
                    rest = &frac[n..];
                }
            }
        }
    }
    let rest = rest.trim();
    let offset = if rest.is_empty() {
        0
    } else {
        parse_offset(rest)?
    };
    civil_to_unix(year, month, day, hour, minute, second)
        .map(|t| (t - i64::from(offset) * 60, offset))
}

/// `[Day, ]DD Mon YYYY HH:MM[:SS] ±hhmm`.
fn parse_rfc2822(text: &str) -> Option<(i64, i32)> {
    let text = match text.find(',') {
        Some(i) => &text[i + 1..],
        None => text,
    };
    let parts: Vec<&str> = text.split_whitespace().collect();
    if parts.len() != 5 {
        return None;
    }
    let day: u32 = digits(parts[0])?;
    let month = MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(parts[1]))
        .and_then(|i| u32::try_from(i + 1).ok())?;
    let year: i64 = digits(parts[2])?;
    let time: Vec<&str> = parts[3].split(':').collect();
    let (hour, minute, second) = match time.as_slice() {
        [h, m] => (digits(h)?, digits(m)?, 0),
        [h, m, s] => (digits(h)?, digits(m)?, digits(s)?),
        _ => return None,
    };
    let offset = parse_offset(parts[4])?;
    civil_to_unix(year, month, day, hour, minute, second)
        .map(|t| (t - i64::from(offset) * 60, offset))
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn digits<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn civil_to_unix(year: i64, month: u32, day: u32, h: u32, m: u32, s: u32) -> Option<i64> {
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || h > 23
        || m > 59
        || s > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(s))
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The calendar date of day `days` since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

/// `YYYY-MM-DD` of a git time, in its own offset (as `git log` shows it).
pub(crate) fn format_date(time: git2::Time) -> String {
    let local = time.seconds() + i64::from(time.offset_minutes()) * 60;
    let (y, m, d) = civil_from_days(local.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_date_form() {
        let want = Some((1_763_636_400, 60));
        assert_eq!(parse_date("2025-11-20T12:00:00+01:00"), want);
        assert_eq!(parse_date("2025-11-20 12:00:00 +0100"), want);
        assert_eq!(parse_date("2025-11-20T12:00:00.250+01:00"), want);
        assert_eq!(parse_date("Thu, 20 Nov 2025 12:00:00 +0100"), want);
        assert_eq!(parse_date("@1763636400 +0100"), want);
        assert_eq!(parse_date("1763636400 +0100"), want);
        assert_eq!(parse_date("2025-11-20T11:00:00Z"), Some((1_763_636_400, 0)));
        assert_eq!(parse_date("@1763636400"), Some((1_763_636_400, 0)));
        assert_eq!(parse_date("2025-11-20"), Some((1_763_596_800, 0)));
        assert_eq!(
            parse_date("1970-01-01T00:00:00-05:00"),
            Some((18_000, -300))
        );
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        for bad in [
            "",
            "yesterday",
            "2025-13-01",
            "2025-02-30T00:00:00Z",
            "1763636400",
            "@x",
            "2025-11-20T25:00:00Z",
            "2025-11-20T12:00:00+2500",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_dates_in_their_own_offset() {
        assert_eq!(
            format_date(git2::Time::new(1_763_636_400, 60)),
            "2025-11-20"
        );
        assert_eq!(format_date(git2::Time::new(1_763_679_600, 0)), "2025-11-20");
        assert_eq!(
            format_date(git2::Time::new(1_763_679_600, 60)),
            "2025-11-21"
        );
        assert_eq!(format_date(git2::Time::new(0, -60)), "1969-12-31");
        assert_eq!(format_date(git2::Time::new(951_782_400, 0)), "2000-02-29");
    }

    #[test]
    fn reads_author_option() {
        assert_eq!(
            parse_author("Ada Lovelace <ada@example.org>").unwrap(),
            Ident {
                name: "Ada Lovelace".into(),
                email: "ada@example.org".into()
            }
        );
        for bad in [
            "Ada",
            "<ada@example.org>",
            "Ada <>",
            "Ada <a<b>",
            "Ad\na <a@b>",
        ] {
            assert!(parse_author(bad).is_err(), "{bad}");
        }
    }
}
