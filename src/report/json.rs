//! The JSON report (SPEC section 6): one object, every list in a stable order. Fields may be
//! added in later versions, never renamed.

use serde::Serialize;

use super::document::{Document, Framing};

use crate::engine::{Finding, Report, Summary};
use crate::model::Dataset;
use crate::source_map::Span;

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
///
/// The text is exactly what `serde_json::to_writer_pretty` makes of the whole report (a test
/// holds it to that), but the findings are turned into JSON in parallel, a batch at a time:
/// a million-claim data set has a hundred thousand findings, and one thread writing them was
/// a tenth of the check.
pub fn write_report(
    data: &Dataset,
    report: &Report,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write_report_placed(data, report, out).map(|_| ())
}

/// [`write_report`], also giving where each finding's text lies in what was written (the
/// re-check after an edit copies the findings it does not recompute from there).
pub fn write_report_placed(
    data: &Dataset,
    report: &Report,
    out: &mut dyn std::io::Write,
) -> std::io::Result<Vec<std::ops::Range<u64>>> {
    let mut doc = Document::start(out, FRAMING)?;
    doc.findings(&report.findings, |f| finding_text(data, f))?;
    let tail = tail(report.summary(), !report.findings.is_empty());
    doc.finish(&tail)
}

/// One finding's text as it stands in the report (indented, without the separating comma).
pub fn finding_text(data: &Dataset, f: &Finding) -> Vec<u8> {
    nested_pretty(&finding(data, f), 4)
}

/// How the report frames its findings: an object whose `findings` list holds them.
pub const FRAMING: Framing = Framing {
    head: b"{\n  \"version\": 1,\n  \"findings\": [",
    first: b"\n",
    separator: b",\n",
};

/// What follows the findings: the end of the list (`any`: whether it holds findings), then
/// the summary.
pub fn tail(s: Summary, any: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if any {
        out.extend_from_slice(b"\n  ");
    }
    out.extend_from_slice(b"],\n  \"summary\": ");
    let summary = JsonSummary {
        error: s.error,
        warning: s.warning,
        info: s.info,
        accepted: s.accepted,
    };
    out.extend_from_slice(nested_pretty(&summary, 2).trim_ascii_start());
    out.extend_from_slice(b"\n}\n");
    out
}

/// `value` pretty-printed as serde_json prints it `indent` spaces deep inside a document:
/// every line indented (JSON strings hold no raw line breaks, so every `\n` is a line end).
fn nested_pretty<T: Serialize>(value: &T, indent: usize) -> Vec<u8> {
    let text = serde_json::to_vec_pretty(value).expect("a report always serializes");
    let pad = &b"          "[..indent];
    let mut out = Vec::with_capacity(text.len() + text.len() / 8);
    out.extend_from_slice(pad);
    for &byte in &text {
        out.push(byte);
        if byte == b'\n' {
            out.extend_from_slice(pad);
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole report as one serde value (the shape of SPEC section 6).
    #[derive(Serialize)]
    struct JsonReport<'a> {
        version: u32,
        findings: JsonFindings<'a>,
        summary: JsonSummary,
    }

    struct JsonFindings<'a> {
        data: &'a Dataset,
        findings: &'a [Finding],
    }

    impl Serialize for JsonFindings<'_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_seq(self.findings.iter().map(|f| finding(self.data, f)))
        }
    }

    /// The report as serde_json writes it in one piece: what [`write_report`] must equal.
    fn reference(data: &Dataset, report: &Report) -> String {
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
        serde_json::to_string_pretty(&json).unwrap() + "\n"
    }

    #[test]
    fn batched_writing_equals_serde_json_whole() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let data = crate::load::load(&[root.join("examples/afghanistan")]).unwrap();
        let options = crate::engine::CheckOptions {
            today: crate::value::parse_period("2026-01-01").unwrap().first,
            select: Vec::new(),
        };
        let report = crate::engine::check(&data, &options).unwrap();
        assert!(!report.findings.is_empty());
        assert_eq!(render_report(&data, &report), reference(&data, &report));
        let empty = Report::default();
        assert_eq!(render_report(&data, &empty), reference(&data, &empty));
    }
}
