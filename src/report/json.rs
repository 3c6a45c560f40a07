//! The JSON report (SPEC section 6): one object, every list in a stable order. Fields may be
//! added in later versions, never renamed.

use serde::Serialize;

use crate::engine::{Finding, Report};
use crate::model::Dataset;
use crate::source_map::Span;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    findings: JsonFindings<'a>,
    summary: JsonSummary,
}

/// The findings, each turned into its JSON form only as it is written.
struct JsonFindings<'a> {
    data: &'a Dataset,
    findings: &'a [Finding],
}

impl Serialize for JsonFindings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.findings.iter().map(|f| finding(self.data, f)))
    }
}

#[derive(Serialize)]
struct JsonSummary {
    error: usize,
    warning: usize,
    info: usize,
    accepted: usize,
}

/// One finding as the JSON report writes it (the `diff` report reuses it).
#[derive(Serialize)]
pub struct JsonFinding<'a> {
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
    fingerprint: &'a str,
    claims: Vec<JsonClaim<'a>>,
    entities: Vec<JsonRecord<'a>>,
    sources: Vec<JsonRecord<'a>>,
    notes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    accepted: Option<JsonAccepted<'a>>,
    /// Where a finding about no record points (a stale acceptance).
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<JsonLocation<'a>>,
}

#[derive(Serialize)]
struct JsonClaim<'a> {
    id: &'a str,
    source: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    value: &'a str,
    label: &'a str,
}

#[derive(Serialize)]
struct JsonRecord<'a> {
    id: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    label: &'a str,
}

#[derive(Serialize)]
struct JsonLocation<'a> {
    file: &'a str,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonAccepted<'a> {
    reason: &'a str,
    by: Option<&'a str>,
    date: Option<&'a str>,
}

/// The report as pretty-printed JSON, ending in a newline.
pub fn render_report(data: &Dataset, report: &Report) -> String {
    let mut out = Vec::new();
    write_report(data, report, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Writes the report as pretty-printed JSON, ending in a newline, to `out`.
pub fn write_report(
    data: &Dataset,
    report: &Report,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let s = report.summary();
    let json = JsonReport {
        version: 1,
        findings: JsonFindings {
            data,
            findings: &report.findings,
        },
        summary: JsonSummary {
            error: s.error,
            warning: s.warning,
            info: s.info,
            accepted: s.accepted,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    out.write_all(b"\n")
}

fn location(data: &Dataset, span: Span) -> JsonLocation<'_> {
    let loc = data.files.location(span);
    JsonLocation {
        file: loc.file,
        line: loc.line,
        column: loc.column,
    }
}

/// A finding as the JSON report serializes it.
pub fn finding<'a>(data: &'a Dataset, f: &'a Finding) -> JsonFinding<'a> {
    let claims = f
        .claims
        .iter()
        .map(|c| {
            let claim = data.claim(c.idx);
            let loc = location(data, c.span.unwrap_or(claim.value_text.span));
            JsonClaim {
                id: &claim.id,
                source: &data.source(claim.source).id,
                file: loc.file,
                line: loc.line,
                column: loc.column,
                value: &claim.value_text.value,
                label: &c.label,
            }
        })
        .collect();
    let record = |id: &'a str, span: Span, label: &'a str| {
        let loc = location(data, span);
        JsonRecord {
            id,
            file: loc.file,
            line: loc.line,
            column: loc.column,
            label,
        }
    };
    JsonFinding {
        rule: &f.rule,
        severity: f.severity.as_str(),
        message: &f.message,
        fingerprint: &f.fingerprint,
        claims,
        entities: f
            .entities
            .iter()
            .map(|e| {
                let entity = data.entity(e.idx);
                record(&entity.id, e.span.unwrap_or(entity.span), &e.label)
            })
            .collect(),
        sources: f
            .sources
            .iter()
            .map(|s| {
                let source = data.source(s.idx);
                record(&source.id, s.span.unwrap_or(source.span), &s.label)
            })
            .collect(),
        notes: &f.notes,
        accepted: f.accepted.as_ref().map(|a| JsonAccepted {
            reason: &a.reason,
            by: a.by.as_deref(),
            date: a.date.as_deref(),
        }),
        location: f.span.map(|s| location(data, s)),
    }
}
