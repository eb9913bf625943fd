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
