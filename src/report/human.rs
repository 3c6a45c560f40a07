//! The human report: each finding rustc-style, every claim involved shown at its value with a
//! label, then a summary line.

use super::document::{Document, Framing};
use super::{accept_command, claim_span, plural};
use crate::diag::{Diagnostic, Label, Level, RenderOptions, render};
use crate::engine::{Finding, Report, Summary};
use crate::model::{Dataset, Severity};

/// The whole report as text.
pub fn render_report(data: &Dataset, report: &Report, options: RenderOptions) -> String {
    let mut out = Vec::new();
    write_report(data, report, options, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("the report is text")
}

/// Writes the report to `out`, its findings rendered in parallel a batch at a time.
pub fn write_report(
    data: &Dataset,
    report: &Report,
    options: RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut doc = Document::start(out, FRAMING)?;
    doc.findings(&report.findings, |f| finding_text(data, f, options))?;
    let counts = (data.claims.len(), data.sources.len());
    doc.finish(&tail(report.summary(), counts.0, counts.1))?;
    Ok(())
}

/// How the report frames its findings: one after the other, nothing around them.
pub const FRAMING: Framing = Framing {
    head: b"",
    first: b"",
    separator: b"",
};

/// One finding's text as it stands in the report, with the empty line that follows it.
pub fn finding_text(data: &Dataset, finding: &Finding, options: RenderOptions) -> Vec<u8> {
    let mut text = render(&diagnostic(data, finding), &data.files, options);
    text.push('\n');
    text.into_bytes()
}

/// What follows the findings: the summary line, for a data set of `claims` claims from
/// `sources` sources.
pub fn tail(s: Summary, claims: usize, sources: usize) -> Vec<u8> {
    let mut line = summary_text(s, claims, sources);
    line.push('\n');
    line.into_bytes()
}

/// A finding as a diagnostic: the first claim (or entity, or source) carries the caret.
pub fn diagnostic(data: &Dataset, finding: &Finding) -> Diagnostic {
    let level = match finding.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info | Severity::Off => Level::Info,
    };
    let mut labels = Vec::new();
    for c in &finding.claims {
        labels.push((
            c.span.unwrap_or_else(|| claim_span(data, c.idx)),
            c.label.clone(),
        ));
    }
    for e in &finding.entities {
        labels.push((e.span.unwrap_or(data.entity(e.idx).span), e.label.clone()));
    }
    for s in &finding.sources {
        labels.push((s.span.unwrap_or(data.source(s.idx).span), s.label.clone()));
    }
    if let Some(span) = finding.span {
        labels.push((span, String::new()));
    }
    let mut diag = Diagnostic {
        level,
        code: Some(finding.rule.clone()),
        message: finding.message.clone(),
        labels: labels
            .into_iter()
            .enumerate()
            .map(|(i, (span, message))| Label {
                span,
                message,
                primary: i == 0,
            })
            .collect(),
        notes: finding.notes.clone(),
        help: None,
    };
    match &finding.accepted {
        Some(a) => {
            let mut note = format!("accepted: {}", a.reason);
            match (&a.by, &a.date) {
                (Some(by), Some(date)) => note.push_str(&format!(" ({by}, {date})")),
                (Some(x), None) | (None, Some(x)) => note.push_str(&format!(" ({x})")),
                (None, None) => {}
            }
            diag.notes.push(note);
            diag.notes
                .push(format!("fingerprint: {}", finding.fingerprint));
        }
        // A stale acceptance is fixed by removing its record, not by accepting it.
        None if finding.rule == crate::engine::STALE_ACCEPTANCE => {}
        None => {
            diag.help = Some(format!(
                "if this is explained, accept it: {}",
                accept_command(finding)
            ))
        }
    }
    diag
}

/// `3 errors, 2 warnings, 1 info (1 accepted) in 64 claims from 9 sources`.
pub fn summary_line(data: &Dataset, report: &Report) -> String {
    summary_text(report.summary(), data.claims.len(), data.sources.len())
}

/// [`summary_line`] from the counts it names.
pub fn summary_text(s: Summary, claims: usize, sources: usize) -> String {
    let mut line = format!(
        "{}, {}, {}",
        plural(s.error, "error"),
        plural(s.warning, "warning"),
        plural(s.info, "info").replace("infos", "info")
    );
    if s.accepted > 0 {
        line.push_str(&format!(" ({} accepted)", s.accepted));
    }
    line.push_str(&format!(
        " in {} from {}",
        plural(claims, "claim"),
        plural(sources, "source")
    ));
    line
}
