//! JSON views. The wire format lives here, apart from the model, so that the
//! model can change while the schemas (`treaty.draft/1`, …) stay put. Absent
//! values are `null`, never missing keys.

use serde::Serialize;

use crate::plan::{Plan, Point};
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
    changes: Option<&'a crate::changes::ChangeSummary>,
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
            changes: e.changes.as_ref(),
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
    s
}

#[cfg(test)]
mod tests {
    use super::*;

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

#[derive(Debug, Serialize)]
struct SegmentJson<'a> {
    op: &'static str,
    text: &'a str,
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
