//! The JSON report (SPEC section 6): one object, every list in a stable order. Fields may be
//! added in later versions, never renamed.

use rayon::prelude::*;
use serde::Serialize;

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
    let mut doc = Document::start(out)?;
    const BATCH: usize = 4096;
    for batch in report.findings.chunks(BATCH) {
        let texts: Vec<Vec<u8>> = batch.par_iter().map(|f| finding_text(data, f)).collect();
        for text in &texts {
            doc.finding(text)?;
        }
    }
    doc.finish(report.summary())
}

/// One finding's text as it stands in the report (indented, without the separating comma).
pub fn finding_text(data: &Dataset, f: &Finding) -> Vec<u8> {
    nested_pretty(&finding(data, f), 4)
}

/// A JSON report being written: the findings' texts one after the other, then the summary.
pub struct Document<'w> {
    out: &'w mut dyn std::io::Write,
    written: u64,
    placed: Vec<std::ops::Range<u64>>,
}

impl<'w> Document<'w> {
    pub fn start(out: &'w mut dyn std::io::Write) -> std::io::Result<Document<'w>> {
        let mut doc = Document {
            out,
            written: 0,
            placed: Vec::new(),
        };
        doc.write(b"{\n  \"version\": 1,\n  \"findings\": [")?;
        Ok(doc)
    }

    fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// Appends a finding's text ([`finding_text`]).
    pub fn finding(&mut self, text: &[u8]) -> std::io::Result<()> {
        self.write(if self.placed.is_empty() {
            b"\n"
        } else {
            b",\n"
        })?;
        let start = self.written;
        self.write(text)?;
        self.placed.push(start..self.written);
        Ok(())
    }

    /// Appends findings that an earlier document of this shape wrote back to back: `bytes`
    /// runs from the first one's text to the last one's, with the separators between them, and
    /// `texts` says where each text lies in `bytes`.
    pub fn findings_run(
        &mut self,
        bytes: &[u8],
        texts: impl Iterator<Item = std::ops::Range<u64>>,
    ) -> std::io::Result<()> {
        self.write(if self.placed.is_empty() {
            b"\n"
        } else {
            b",\n"
        })?;
        let start = self.written;
        self.write(bytes)?;
        self.placed
            .extend(texts.map(|t| start + t.start..start + t.end));
        Ok(())
    }

    /// The separator between two findings' texts.
    pub const SEPARATOR: &'static [u8] = b",\n";

    /// Closes the list, writes the summary, and gives where each finding's text lies.
    pub fn finish(mut self, s: Summary) -> std::io::Result<Vec<std::ops::Range<u64>>> {
        if !self.placed.is_empty() {
            self.write(b"\n  ")?;
        }
        self.write(b"],\n  \"summary\": ")?;
        let summary = JsonSummary {
            error: s.error,
            warning: s.warning,
            info: s.info,
            accepted: s.accepted,
        };
        self.write(nested_pretty(&summary, 2).trim_ascii_start())?;
        self.write(b"\n}\n")?;
        Ok(self.placed)
    }
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
