//! The GitHub Actions report: one workflow command per unaccepted finding (`::error`,
//! `::warning`, `::notice` for info), which GitHub shows as an annotation on the file and line,
//! then the summary line. GitHub shows only the first annotations of each level, so the CLI
//! also appends the Markdown report to `$GITHUB_STEP_SUMMARY` when that is set.
//!
//! Accepted findings are left out: they were looked at, and an annotation is a call to act.
//! Values are escaped exactly as GitHub's toolkit (`@actions/core`) escapes them, so no text
//! from the data set can end a command early or start another one.

use std::fmt::Write;

use super::{accept_command, human::summary_line, sarif::region};
use crate::engine::{Finding, Report, STALE_ACCEPTANCE};
use crate::model::{Dataset, Severity};
use crate::source_map::Span;

/// At most this many places besides the annotated one are listed in a message.
const MAX_PLACES: usize = 5;

/// The workflow commands, one line each, then the summary line.
pub fn render_report(data: &Dataset, report: &Report) -> String {
    let mut out = String::new();
    for finding in report.findings.iter().filter(|f| f.accepted.is_none()) {
        out.push_str(&command(data, finding));
        out.push('\n');
    }
    out.push_str(&summary_line(data, report));
    out.push('\n');
    out
}

/// `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.
fn command(data: &Dataset, f: &Finding) -> String {
    let name = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Off => "notice",
    };
    let mut properties: Vec<(&str, String)> = Vec::new();
    if let Some(span) = f.primary_span(data) {
        let r = region(data, span);
        properties.push(("file", data.files.file(span.file).display.clone()));
        properties.push(("line", r.start_line.to_string()));
        // GitHub takes columns only for a region on one line.
        if r.start_line == r.end_line {
            properties.push(("col", r.start_column.to_string()));
        }
        properties.push(("endLine", r.end_line.to_string()));
        if r.start_line == r.end_line {
            properties.push(("endColumn", r.end_column.to_string()));
        }
    }
    properties.push(("title", format!("crosscheck {}", f.rule)));
    let props: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    format!(
        "::{name} {}::{}",
        props.join(","),
        escape_data(&message(data, f))
    )
}

/// The finding's message, then its notes, the other places it involves, and how to accept it.
fn message(data: &Dataset, f: &Finding) -> String {
    let mut places: Vec<(Span, &str)> = Vec::new();
    for c in &f.claims {
        places.push((
            c.span.unwrap_or(data.claim(c.idx).value_text.span),
            &c.label,
        ));
    }
    for e in &f.entities {
        places.push((e.span.unwrap_or(data.entity(e.idx).span), &e.label));
    }
    for s in &f.sources {
        places.push((s.span.unwrap_or(data.source(s.idx).span), &s.label));
    }
    let mut text = f.message.clone();
    for note in &f.notes {
        let _ = write!(text, "\nnote: {note}");
    }
    // The first place is where the annotation stands; a long list is cut short (the step
    // summary has it whole).
    let others = places.len().saturating_sub(1);
    for (span, label) in places.into_iter().skip(1).take(MAX_PLACES) {
        let loc = data.files.location(span);
        let _ = write!(text, "\nalso: {}:{}: {label}", loc.file, loc.line);
    }
    if others > MAX_PLACES {
        let _ = write!(text, "\nand {} more", others - MAX_PLACES);
    }
    // A stale acceptance is resolved by editing the acceptance, not by accepting it.
    if f.rule != STALE_ACCEPTANCE {
        let _ = write!(
            text,
            "\nif this is explained, accept it: {}",
            accept_command(f)
        );
    }
    text
}

/// A command's message, as the toolkit's `escapeData`: `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value, as the toolkit's `escapeProperty`: also `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_toolkit_does() {
        let text = "100% of ::stop-commands:: a,b\r\nnext\nline";
        assert_eq!(
            escape_data(text),
            "100%25 of ::stop-commands:: a,b%0D%0Anext%0Aline"
        );
        assert_eq!(
            escape_property(text),
            "100%25 of %3A%3Astop-commands%3A%3A a%2Cb%0D%0Anext%0Aline"
        );
        // `%` first, so an escape already in the text is not mistaken for one.
        assert_eq!(escape_data("%0A"), "%250A");
        assert_eq!(escape_property("a%2Cb"), "a%252Cb");
    }
}
