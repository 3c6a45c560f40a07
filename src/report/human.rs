//! The human report: each finding rustc-style, every claim involved shown at its value with a
//! label, then a summary line.

use super::{accept_command, claim_span, plural};
use crate::diag::{Diagnostic, Label, Level, RenderOptions, render};
use crate::engine::{Finding, Report};
use crate::model::{Dataset, Severity};

/// The whole report as text.
pub fn render_report(data: &Dataset, report: &Report, options: RenderOptions) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        out.push_str(&render(&diagnostic(data, finding), &data.files, options));
        out.push('\n');
    }
    out.push_str(&summary_line(data, report));
    out.push('\n');
    out
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
    let s = report.summary();
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
        plural(data.claims.len(), "claim"),
        plural(data.sources.len(), "source")
    ));
    line
}
