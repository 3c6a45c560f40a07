//! Every resolved claim as one flat row, for analysts' tools (DuckDB, pandas, a spreadsheet):
//! JSON Lines or CSV.
//!
//! Rows come in load order: files in path order (as the loader reads them), claims in file
//! order. Every reference is resolved: `subject` is the entity's id whatever name or alias the
//! claim used, `property`, `source` and `according_to` are ids. Columns, in this order:
//!
//! | column | meaning |
//! |---|---|
//! | `id` | the claim's id (written or default) |
//! | `subject`, `property` | entity id, property id |
//! | `type` | the property's type: `quantity`, `date`, `entity`, `set`, `text` |
//! | `value_text` | the value as written |
//! | `low`, `high` | quantities: the interval's ends (approximations widened); empty/null when unbounded |
//! | `low_open`, `high_open` | quantities: whether the end is excluded (`more than 100`); empty/null when unbounded |
//! | `value` | dates: the period's shortest form (`2020-07`); entities: the id; sets: the members (ids of entities, folded texts; `;`-separated in CSV); texts: folded |
//! | `value_first`, `value_last` | dates: the first and last day (ISO) |
//! | `period_first`, `period_last` | when the value held (`as_of`, or the default from `published`), ISO days; empty/null when undated |
//! | `source`, `according_to`, `scope`, `status` | ids; the folded scope (empty when none); `asserted`, `unconfirmed` or `denied` |
//! | `file`, `line` | where the claim is written |
//!
//! Output is deterministic: the same data set gives byte-identical text.

use std::io::{self, Write};

use serde::Serialize;

use crate::model::{Claim, Dataset, PropertyType, SetItem, Status, Value};
use crate::value::Bound;

/// One exported claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub id: String,
    pub subject: String,
    pub property: String,
    #[serde(rename = "type")]
    pub ty: &'static str,
    pub value_text: String,
    #[serde(serialize_with = "number")]
    pub low: Option<f64>,
    #[serde(serialize_with = "number")]
    pub high: Option<f64>,
    pub low_open: Option<bool>,
    pub high_open: Option<bool>,
    pub value: Option<ValueField>,
    pub value_first: Option<String>,
    pub value_last: Option<String>,
    pub period_first: Option<String>,
    pub period_last: Option<String>,
    pub source: String,
    pub according_to: Option<String>,
    pub scope: String,
    pub status: &'static str,
    pub file: String,
    pub line: usize,
}

/// The `value` column: one string, or a list for sets (JSON keeps the list; CSV joins it).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ValueField {
    One(String),
    Many(Vec<String>),
}

/// Whole numbers as JSON integers (`4000`, not `4000.0`), as CSV writes them.
fn number<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match *v {
        Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => s.serialize_i64(x as i64),
        Some(x) => s.serialize_f64(x),
        None => s.serialize_none(),
    }
}

/// The column names, in order (the CSV header).
pub const COLUMNS: [&str; 20] = [
    "id",
    "subject",
    "property",
    "type",
    "value_text",
    "low",
    "high",
    "low_open",
    "high_open",
    "value",
    "value_first",
    "value_last",
    "period_first",
    "period_last",
    "source",
    "according_to",
    "scope",
    "status",
    "file",
    "line",
];

/// Every claim of the data set as a row, in load order.
pub fn rows(data: &Dataset) -> Vec<Row> {
    data.claims.iter().map(|c| row(data, c)).collect()
}

fn end(bound: Bound) -> (Option<f64>, Option<bool>) {
    match bound {
        Bound::Unbounded => (None, None),
        Bound::Closed(v) => (Some(v), Some(false)),
        Bound::Open(v) => (Some(v), Some(true)),
    }
}

/// One claim as a row.
pub fn row(data: &Dataset, claim: &Claim) -> Row {
    let property = data.property(claim.property);
    let location = data.files.location(claim.span);
    let mut row = Row {
        id: claim.id.clone(),
        subject: data.entity(claim.subject.value).id.clone(),
        property: property.id.clone(),
        ty: type_name(property.ty),
        value_text: claim.value_text.value.clone(),
        low: None,
        high: None,
        low_open: None,
        high_open: None,
        value: None,
        value_first: None,
        value_last: None,
        period_first: claim.as_of.map(|t| t.first.to_string()),
        period_last: claim.as_of.map(|t| t.last.to_string()),
        source: data.source(claim.source).id.clone(),
        according_to: claim
            .according_to
            .as_ref()
            .map(|a| data.source(a.value).id.clone()),
        scope: claim.scope.clone(),
        status: match claim.status {
            Status::Asserted => "asserted",
            Status::Unconfirmed => "unconfirmed",
            Status::Denied => "denied",
        },
        file: location.file.to_string(),
        line: location.line,
    };
    match &claim.value {
        Value::Quantity(interval) => {
            (row.low, row.low_open) = end(interval.low);
            (row.high, row.high_open) = end(interval.high);
        }
        Value::Date(range) => {
            row.value = Some(ValueField::One(range.to_string()));
            row.value_first = Some(range.first.to_string());
            row.value_last = Some(range.last.to_string());
        }
        Value::Entity(e) => row.value = Some(ValueField::One(data.entity(*e).id.clone())),
        Value::Set(items) => {
            row.value = Some(ValueField::Many(
                items
                    .iter()
                    .map(|item| match item {
                        SetItem::Entity(e) => data.entity(*e).id.clone(),
                        SetItem::Text(t) => t.clone(),
                    })
                    .collect(),
            ))
        }
        Value::Text(t) => row.value = Some(ValueField::One(t.clone())),
    }
    row
}

fn type_name(ty: PropertyType) -> &'static str {
    match ty {
        PropertyType::Quantity => "quantity",
        PropertyType::Date => "date",
        PropertyType::Entity => "entity",
        PropertyType::Set => "set",
        PropertyType::Text => "text",
    }
}

/// JSON Lines: one object per claim, every column present (`null` where empty).
pub fn to_jsonl(data: &Dataset) -> String {
    let mut out = Vec::new();
    write_jsonl(data, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// [`to_jsonl`], written to `out` as it is made: an export of a million claims is never held
/// whole.
pub fn write_jsonl(data: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    for claim in &data.claims {
        serde_json::to_writer(&mut *out, &row(data, claim))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// CSV (RFC 4180: a header line, fields quoted when they hold a comma, a quote or a line
/// break). Empty fields stand for null; sets are `;`-joined.
pub fn to_csv(data: &Dataset) -> String {
    let mut out = Vec::new();
    write_csv(data, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("every field is UTF-8")
}

/// [`to_csv`], written to `out` as it is made.
pub fn write_csv(data: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    writer.write_record(COLUMNS)?;
    for claim in &data.claims {
        let row = row(data, claim);
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        let flag = |v: Option<bool>| v.map(|x| x.to_string()).unwrap_or_default();
        let value = match &row.value {
            None => String::new(),
            Some(ValueField::One(s)) => s.clone(),
            Some(ValueField::Many(items)) => items.join("; "),
        };
        writer.write_record([
            row.id,
            row.subject,
            row.property,
            row.ty.to_string(),
            row.value_text,
            num(row.low),
            num(row.high),
            flag(row.low_open),
            flag(row.high_open),
            value,
            opt(&row.value_first),
            opt(&row.value_last),
            opt(&row.period_first),
            opt(&row.period_last),
            row.source,
            opt(&row.according_to),
            row.scope,
            row.status.to_string(),
            row.file,
            row.line.to_string(),
        ])?;
    }
    writer.flush()
}
