//! JSON views. The wire format lives here, apart from the model, so that the
//! model can change while the schemas (`treaty.draft/1`, …) stay put. Absent
//! values are `null`, never missing keys.

use serde::Serialize;

use crate::diff::{PlanDiff, PointChange, PointRef, Summary};
use crate::plan::{Plan, Point, Position, Status};
use crate::revision::RevInfo;

/// Positions as a JSON object in the order written.
#[derive(Debug, Clone)]
pub struct PositionsJson<'a>(pub &'a [(String, crate::plan::Position)]);

impl Serialize for PositionsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (party, pos) in self.0 {
            map.serialize_entry(party, pos)?;
        }
        map.end()
    }
}

/// `{"rev", "commit"}` (and `label` where a schema asks for it).
#[derive(Debug, Serialize)]
pub struct RevJson<'a> {
    pub rev: &'a str,
    pub commit: Option<&'a str>,
}

impl<'a> RevJson<'a> {
    pub fn new(info: &'a RevInfo) -> Self {
        RevJson {
            rev: &info.rev,
            commit: info.commit.as_deref(),
        }
    }
}

#[derive(Debug, Serialize)]
struct PlanHeadJson<'a> {
    title: Option<&'a str>,
    parties: &'a [String],
}

#[derive(Debug, Serialize)]
struct DraftInfoJson<'a> {
    label: Option<&'a str>,
    date: Option<&'a str>,
    source: Option<&'a str>,
    provenance: Option<&'a str>,
}

/// One point as `show` prints it.
#[derive(Debug, Serialize)]
pub struct PointJson<'a> {
    pub number: &'a str,
    pub id: Option<&'a str>,
    pub title: Option<&'a str>,
    pub text: &'a str,
    pub status: crate::plan::Status,
    pub positions: PositionsJson<'a>,
    pub brackets: usize,
}

impl<'a> PointJson<'a> {
    pub fn new(p: &'a Point) -> Self {
        PointJson {
            number: &p.number,
            id: p.id.as_deref(),
            title: p.title.as_deref(),
            text: &p.text,
            status: p.status,
            positions: PositionsJson(&p.positions),
            brackets: p.brackets(),
        }
    }
}

#[derive(Debug, Serialize)]
struct DraftJson<'a> {
    schema: &'static str,
    plan: PlanHeadJson<'a>,
    draft: DraftInfoJson<'a>,
    rev: RevJson<'a>,
    points: Vec<PointJson<'a>>,
}

/// `treaty show --format json`: schema `treaty.draft/1`.
pub fn draft(plan: &Plan, rev: &RevInfo) -> String {
    let view = DraftJson {
        schema: "treaty.draft/1",
        plan: PlanHeadJson {
            title: plan.title.as_deref(),
            parties: &plan.parties,
        },
        draft: DraftInfoJson {
            label: plan.draft.label.as_deref(),
            date: plan.draft.date.as_deref(),
            source: plan.draft.source.as_deref(),
            provenance: plan.draft.provenance.map(|p| p.as_str()),
        },
        rev: RevJson::new(rev),
        points: plan.points.iter().map(PointJson::new).collect(),
    };
    to_string(&view)
}

#[derive(Debug, Serialize)]
struct LogJson<'a> {
    schema: &'static str,
    plan: Option<&'a str>,
    revisions: Vec<LogRevisionJson<'a>>,
}

#[derive(Debug, Serialize)]
struct LogRevisionJson<'a> {
    rev: &'a str,
    commit: Option<&'a str>,
    date: Option<&'a str>,
    author: Option<&'a str>,
    label: Option<&'a str>,
    message: Option<&'a str>,
    points: Option<usize>,
    agreed: Option<usize>,
    disputed: Option<usize>,
    open: Option<usize>,
    brackets: Option<usize>,
    changes: Option<DiffSummaryJson>,
    /// Change of the counts from the revision before (`null` for the first).
    convergence: Option<ConvergenceJson>,
}

#[derive(Debug, Serialize)]
struct ConvergenceJson {
    points: i64,
    agreed: i64,
    disputed: i64,
    open: i64,
    brackets: i64,
}

/// `treaty log --format json`: schema `treaty.log/1`; `entries` newest first.
pub fn log(plan: Option<&str>, entries: &[crate::changes::LogEntry]) -> String {
    let revisions = entries
        .iter()
        .map(|e| LogRevisionJson {
            rev: &e.info.rev,
            commit: e.info.commit.as_deref(),
            date: e.info.date.as_deref(),
            author: e.info.author.as_deref(),
            label: e.info.label.as_deref(),
            message: e.info.message.as_deref(),
            points: e.counts.map(|c| c.points),
            agreed: e.counts.map(|c| c.agreed),
            disputed: e.counts.map(|c| c.disputed),
            open: e.counts.map(|c| c.open),
            brackets: e.counts.map(|c| c.brackets),
            changes: e.changes.as_ref().map(DiffSummaryJson::from),
            convergence: match (e.counts, e.previous) {
                (Some(c), Some(b)) => Some(ConvergenceJson {
                    points: c.points as i64 - b.points as i64,
                    agreed: c.agreed as i64 - b.agreed as i64,
                    disputed: c.disputed as i64 - b.disputed as i64,
                    open: c.open as i64 - b.open as i64,
                    brackets: c.brackets as i64 - b.brackets as i64,
                }),
                _ => None,
            },
        })
        .collect();
    to_string(&LogJson {
        schema: "treaty.log/1",
        plan,
        revisions,
    })
}

/// Serialises a view, pretty-printed, with a final newline.
pub fn to_string<T: Serialize>(view: &T) -> String {
    let mut s = serde_json::to_string_pretty(view).unwrap_or_else(|e| {
        format!(
            "{{\"schema\": \"treaty.error/1\", \"error\": {:?}}}",
            e.to_string()
        )
    });
    s.push('\n');
    escape_c1(s)
}

/// Escapes DEL and the C1 controls (U+007F–U+009F), which JSON allows raw but
/// some terminals obey (U+009B starts an escape sequence): nothing read from a
/// draft reaches a terminal raw, even as JSON. They can only stand inside
/// strings, so the escaped text is the same JSON value.
fn escape_c1(s: String) -> String {
    let is_c1 = |c: char| ('\u{7f}'..='\u{9f}').contains(&c);
    if !s.contains(is_c1) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_c1(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// One side of a diff: `{"rev", "commit", "label", "points"}`.
#[derive(Debug, Serialize)]
struct DiffSideJson<'a> {
    rev: &'a str,
    commit: Option<&'a str>,
    label: Option<&'a str>,
    points: usize,
}

#[derive(Debug, Serialize)]
struct DiffSummaryJson {
    unchanged: usize,
    reworded: usize,
    renumbered: usize,
    moved: usize,
    added: usize,
    removed: usize,
    split: usize,
    merged: usize,
    newly_agreed: usize,
    newly_disputed: usize,
    still_disputed: usize,
}

impl From<&Summary> for DiffSummaryJson {
    fn from(s: &Summary) -> Self {
        DiffSummaryJson {
            unchanged: s.unchanged,
            reworded: s.reworded,
            renumbered: s.renumbered,
            moved: s.moved,
            added: s.added,
            removed: s.removed,
            split: s.split,
            merged: s.merged,
            newly_agreed: s.newly_agreed,
            newly_disputed: s.newly_disputed,
            still_disputed: s.still_disputed,
        }
    }
}

#[derive(Debug, Serialize)]
struct PointRefJson<'a> {
    number: &'a str,
    id: Option<&'a str>,
    title: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct SegmentJson<'a> {
    op: &'static str,
    text: &'a str,
}

#[derive(Debug, Serialize)]
struct StatusChangeJson {
    from: Status,
    to: Status,
}

#[derive(Debug, Serialize)]
struct PositionChangeJson<'a> {
    party: &'a str,
    from: Option<Position>,
    to: Option<Position>,
}

#[derive(Debug, Serialize)]
struct ChangeJson<'a> {
    kind: &'static str,
    from: Vec<PointRefJson<'a>>,
    to: Vec<PointRefJson<'a>>,
    similarity: Option<f64>,
    renumbered: bool,
    moved: bool,
    reworded: bool,
    substantive: Vec<&'static str>,
    reopened: bool,
    text: Vec<SegmentJson<'a>>,
    status: Option<StatusChangeJson>,
    positions: Vec<PositionChangeJson<'a>>,
}

impl<'a> ChangeJson<'a> {
    fn new(c: &'a PointChange) -> Self {
        let refs = |ps: &'a [PointRef]| {
            ps.iter()
                .map(|p| PointRefJson {
                    number: &p.number,
                    id: p.id.as_deref(),
                    title: p.title.as_deref(),
                })
                .collect()
        };
        ChangeJson {
            kind: c.kind.as_str(),
            from: refs(&c.from),
            to: refs(&c.to),
            // Three decimals say all there is to say.
            similarity: c.similarity.map(|s| (s * 1000.0).round() / 1000.0),
            renumbered: c.renumbered,
            moved: c.moved,
            reworded: c.reworded,
            substantive: c.substantive.iter().map(|s| s.as_str()).collect(),
            reopened: c.reopened,
            text: c
                .text
                .iter()
                .map(|s| SegmentJson {
                    op: s.op.as_str(),
                    text: &s.text,
                })
                .collect(),
            status: c.status.map(|s| StatusChangeJson {
                from: s.from,
                to: s.to,
            }),
            positions: c
                .positions
                .iter()
                .map(|p| PositionChangeJson {
                    party: &p.party,
                    from: p.from,
                    to: p.to,
                })
                .collect(),
        }
    }
}

/// The part of `treaty.diff/1` before its changes.
#[derive(Debug, Serialize)]
struct DiffHeadJson<'a> {
    schema: &'static str,
    plan: Option<&'a str>,
    from: DiffSideJson<'a>,
    to: DiffSideJson<'a>,
    summary: DiffSummaryJson,
}

/// What `treaty.diff/1` says before its changes.
#[derive(Debug, Clone, Copy)]
pub struct DiffHead<'a> {
    /// The plan's name (`None` when two files are compared).
    pub plan: Option<&'a str>,
    pub from: &'a RevInfo,
    pub to: &'a RevInfo,
    pub from_points: usize,
    pub to_points: usize,
    pub summary: &'a Summary,
}

/// `treaty diff --format json`: schema `treaty.diff/1`. `plan` is the plan's
/// name (`None` when two files are compared).
pub fn diff(d: &PlanDiff, plan: Option<&str>, from: &RevInfo, to: &RevInfo) -> String {
    let mut out = Vec::new();
    // Writing to memory fails only if serialising does, which these views
    // never do; `to_string` shows what such a failure would print.
    match write_diff(&mut out, d, plan, from, to) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(e) => {
            to_string(&serde_json::json!({"schema": "treaty.error/1", "error": e.to_string()}))
        }
    }
}

/// [`diff`], written to `out` as it is produced.
pub fn write_diff(
    out: &mut dyn std::io::Write,
    d: &PlanDiff,
    plan: Option<&str>,
    from: &RevInfo,
    to: &RevInfo,
) -> std::io::Result<()> {
    write_diff_head(
        out,
        &DiffHead {
            plan,
            from,
            to,
            from_points: d.from_points,
            to_points: d.to_points,
            summary: &d.summary,
        },
    )?;
    let mut buf = Vec::new();
    write_diff_changes(&mut buf, &d.changes, true)?;
    out.write_all(&buf)?;
    write_diff_tail(out, !d.changes.is_empty())
}

/// The start of `treaty.diff/1`, up to the opening of its `changes` list;
/// then come [`write_diff_changes`] and [`write_diff_tail`]. The three give
/// the very text serde_json's pretty printer gives for the whole object.
pub fn write_diff_head(out: &mut dyn std::io::Write, head: &DiffHead) -> std::io::Result<()> {
    fn side(info: &RevInfo, points: usize) -> DiffSideJson<'_> {
        DiffSideJson {
            rev: &info.rev,
            commit: info.commit.as_deref(),
            label: info.label.as_deref(),
            points,
        }
    }
    let view = DiffHeadJson {
        schema: "treaty.diff/1",
        plan: head.plan,
        from: side(head.from, head.from_points),
        to: side(head.to, head.to_points),
        summary: DiffSummaryJson::from(head.summary),
    };
    let text = serde_json::to_vec_pretty(&view)?;
    // `{ ... \n}` without its closing brace, then the list.
    let open = text.strip_suffix(b"\n}").unwrap_or(&text);
    out.write_all(open)?;
    out.write_all(b",\n  \"changes\": [")
}

/// Changes of `treaty.diff/1`, appended to `out`; `first` when they start
/// the list.
pub fn write_diff_changes(
    out: &mut Vec<u8>,
    changes: &[PointChange],
    first: bool,
) -> std::io::Result<()> {
    for (i, c) in changes.iter().enumerate() {
        out.extend_from_slice(if first && i == 0 {
            b"\n    "
        } else {
            b",\n    "
        });
        let mut ser = serde_json::Serializer::with_formatter(&mut *out, Nested::new(2));
        ChangeJson::new(c).serialize(&mut ser)?;
    }
    Ok(())
}

/// serde_json's pretty printing (two spaces a level) of a value that starts
/// `depth` levels deep.
struct Nested {
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn new(depth: usize) -> Self {
        Nested {
            depth,
            has_value: false,
        }
    }

    fn indent<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        const SPACES: &[u8] = b"                                                                ";
        let mut n = self.depth * 2;
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(&mut self, w: &mut W, b: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b)
    }

    fn close<W: ?Sized + std::io::Write>(&mut self, w: &mut W, b: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(b)
    }

    fn item<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The end of `treaty.diff/1`; `any` if a change was written.
pub fn write_diff_tail(out: &mut dyn std::io::Write, any: bool) -> std::io::Result<()> {
    out.write_all(if any { b"\n  ]\n}\n" } else { b"]\n}\n" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c1_controls_are_escaped_and_the_value_kept() {
        let s = to_string(&"a\u{9b}2J\u{7f}\u{1b}b");
        assert_eq!(s, "\"a\\u009b2J\\u007f\\u001bb\"\n");
        let back: String = serde_json::from_str(&s).unwrap();
        assert_eq!(back, "a\u{9b}2J\u{7f}\u{1b}b");
    }

    #[test]
    fn draft_json_has_every_key() {
        let plan = Plan::parse(
            "[plan]\nparties = [\"A\"]\n[[points]]\nnumber = \"1\"\ntext = \"x [y]\"\n",
            "t",
        )
        .unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&draft(&plan, &RevInfo::file("working"))).unwrap();
        assert_eq!(v["schema"], "treaty.draft/1");
        assert!(v["plan"]["title"].is_null());
        assert!(v["draft"]["label"].is_null());
        assert!(v["rev"]["commit"].is_null());
        assert_eq!(v["points"][0]["brackets"], 1);
        assert_eq!(v["points"][0]["status"], "open");
        assert!(v["points"][0]["positions"].is_object());
    }
}

#[derive(Debug, Serialize)]
struct RevLabelJson<'a> {
    rev: &'a str,
    commit: Option<&'a str>,
    label: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct DisputeJson<'a> {
    number: &'a str,
    id: Option<&'a str>,
    title: Option<&'a str>,
    status: crate::plan::Status,
    positions: PositionsJson<'a>,
    brackets: usize,
    disputed_since: &'a str,
    revisions: usize,
    last_changed: &'a str,
    reopened: bool,
}

#[derive(Debug, Serialize)]
struct DisputesJson<'a> {
    schema: &'static str,
    plan: &'a str,
    rev: RevLabelJson<'a>,
    summary: crate::plan::Counts,
    points: Vec<DisputeJson<'a>>,
    parties: &'a [String],
}

/// `treaty disputes --format json`: schema `treaty.disputes/1`.
pub fn disputes(r: &crate::report::DisputeReport) -> String {
    to_string(&DisputesJson {
        schema: "treaty.disputes/1",
        plan: &r.plan,
        rev: RevLabelJson {
            rev: &r.rev.rev,
            commit: r.rev.commit.as_deref(),
            label: r.rev.label.as_deref(),
        },
        summary: r.summary,
        points: r
            .points
            .iter()
            .map(|p| DisputeJson {
                number: &p.number,
                id: p.id.as_deref(),
                title: p.title.as_deref(),
                status: p.status,
                positions: PositionsJson(&p.positions),
                brackets: p.brackets,
                disputed_since: &p.disputed_since.rev,
                revisions: p.revisions,
                last_changed: &p.last_changed.rev,
                reopened: p.reopened,
            })
            .collect(),
        parties: &r.parties,
    })
}

/// Word diff segments as `[{"op", "text"}]`.
fn segments_json(segments: &[crate::diff::Segment]) -> Vec<SegmentJson<'_>> {
    segments
        .iter()
        .map(|s| SegmentJson {
            op: s.op.as_str(),
            text: &s.text,
        })
        .collect()
}

#[derive(Debug, Serialize)]
struct HistoryEntryJson<'a> {
    rev: &'a str,
    commit: Option<&'a str>,
    label: Option<&'a str>,
    numbers: &'a [String],
    ids: &'a [Option<String>],
    titles: &'a [Option<String>],
    kind: &'static str,
    reworded: bool,
    text: &'a str,
    diff: Vec<SegmentJson<'a>>,
    status: crate::plan::Status,
    positions: PositionsJson<'a>,
}

#[derive(Debug, Serialize)]
struct HistoryJson<'a> {
    schema: &'static str,
    plan: &'a str,
    point: &'a str,
    revisions: Vec<HistoryEntryJson<'a>>,
}

/// `treaty history --format json`: schema `treaty.history/1`.
pub fn history(h: &crate::report::PointHistory) -> String {
    to_string(&HistoryJson {
        schema: "treaty.history/1",
        plan: &h.plan,
        point: &h.point,
        revisions: h
            .entries
            .iter()
            .map(|e| HistoryEntryJson {
                rev: &e.rev.rev,
                commit: e.rev.commit.as_deref(),
                label: e.rev.label.as_deref(),
                numbers: &e.numbers,
                ids: &e.ids,
                titles: &e.titles,
                kind: e.kind.as_str(),
                reworded: e.reworded,
                text: &e.text,
                diff: segments_json(&e.diff),
                status: e.status,
                positions: PositionsJson(&e.positions),
            })
            .collect(),
    })
}

#[cfg(test)]
mod diff_tests {
    use super::*;

    #[test]
    fn diff_json_has_every_key() {
        let from = Plan::parse("[plan]\nparties = [\"A\"]\n[[points]]\nnumber = \"3\"\ntitle = \"NATO\"\ntext = \"NATO will not expand.\"\npositions = { A = \"reject\" }\n[[points]]\nnumber = \"4\"\ntext = \"Gone.\"\n", "a").unwrap();
        let to = Plan::parse("[plan]\nparties = [\"A\"]\n[draft]\nlabel = \"b\"\n[[points]]\nnumber = \"2\"\ntitle = \"NATO\"\ntext = \"NATO will never expand.\"\npositions = { A = \"accept\" }\n", "b").unwrap();
        let d = crate::diff::diff(&from, &to, &Default::default());
        let mut to_rev = RevInfo::file("b.toml");
        to_rev.label = Some("b".into());
        let v: serde_json::Value =
            serde_json::from_str(&diff(&d, None, &RevInfo::file("a.toml"), &to_rev)).unwrap();
        assert_eq!(v["schema"], "treaty.diff/1");
        assert!(v["plan"].is_null());
        assert_eq!(
            v["from"],
            serde_json::json!({"rev": "a.toml", "commit": null, "label": null, "points": 2})
        );
        assert_eq!(v["to"]["label"], "b");
        let keys: Vec<&str> = v["summary"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), 11);
        let c = &v["changes"][0];
        assert_eq!(c["kind"], "matched");
        assert_eq!(
            c["from"],
            serde_json::json!([{"number": "3", "id": null, "title": "NATO"}])
        );
        assert_eq!(c["to"][0]["number"], "2");
        assert!(c["similarity"].is_number());
        assert_eq!(c["renumbered"], true);
        assert_eq!(c["moved"], false);
        assert_eq!(c["reworded"], true);
        assert_eq!(c["substantive"], serde_json::json!(["negation"]));
        assert_eq!(c["reopened"], false);
        assert_eq!(
            c["text"][0],
            serde_json::json!({"op": "equal", "text": "NATO will "})
        );
        assert_eq!(
            c["status"],
            serde_json::json!({"from": "disputed", "to": "agreed"})
        );
        assert_eq!(
            c["positions"],
            serde_json::json!([{"party": "A", "from": "reject", "to": "accept"}])
        );
        let r = &v["changes"][1];
        assert_eq!(r["kind"], "removed");
        assert_eq!(r["to"], serde_json::json!([]));
        assert!(r["similarity"].is_null() && r["status"].is_null());
    }

    /// The whole object in one go, as serde_json prints it.
    #[derive(Serialize)]
    struct WholeJson<'a> {
        #[serde(flatten)]
        head: DiffHeadJson<'a>,
        changes: Vec<ChangeJson<'a>>,
    }

    fn whole(d: &PlanDiff) -> String {
        let info = RevInfo::file("x.toml");
        let side = |points| DiffSideJson {
            rev: &info.rev,
            commit: None,
            label: None,
            points,
        };
        let view = WholeJson {
            head: DiffHeadJson {
                schema: "treaty.diff/1",
                plan: Some("p"),
                from: side(d.from_points),
                to: side(d.to_points),
                summary: DiffSummaryJson::from(&d.summary),
            },
            changes: d.changes.iter().map(ChangeJson::new).collect(),
        };
        serde_json::to_string_pretty(&view).unwrap() + "\n"
    }

    #[test]
    fn written_in_pieces_is_what_serde_json_prints_whole() {
        let info = RevInfo::file("x.toml");
        let plan = |points: &[(&str, &str)]| Plan {
            points: points
                .iter()
                .map(|&(n, t)| crate::plan::Point::new(n, t))
                .collect(),
            ..Plan::default()
        };
        let cases = [
            (plan(&[]), plan(&[])),
            (plan(&[("1", "A \"quoted\" line.")]), plan(&[])),
            (
                plan(&[("1", "One\nTwo."), ("2", "Gone.")]),
                plan(&[("1", "One\nThree."), ("3", "New \\ text.")]),
            ),
        ];
        for (from, to) in cases {
            let d = crate::diff::diff(&from, &to, &Default::default());
            assert_eq!(diff(&d, Some("p"), &info, &info), whole(&d));
        }
    }
}
