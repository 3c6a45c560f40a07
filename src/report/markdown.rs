//! The Markdown report, for a pull-request comment or a GitHub step summary: a title, a summary
//! table (counts by severity and by rule), then one section per finding with its claims side by
//! side, its notes, and its acceptance or the command that accepts it.
//!
//! Every text from the data set is escaped, so a quote holding `|`, `*` or a line break cannot
//! break a table or turn into markup.

use std::collections::HashMap;
use std::fmt::Write;

use super::{accept_command, human::summary_line};
use crate::engine::{Finding, Report, STALE_ACCEPTANCE};
use crate::model::{Dataset, Severity, Status};
use crate::source_map::Span;

/// Claim tables with more rows than this are folded in a `<details>` block.
const FOLD_ABOVE: usize = 6;

/// The whole report as Markdown, ending in a newline, cut to fit a GitHub comment
/// ([`fit_comment`]).
pub fn render_report(data: &Dataset, report: &Report) -> String {
    fit_comment(render_whole(data, report))
}

/// The whole report as Markdown, however long.
pub fn render_whole(data: &Dataset, report: &Report) -> String {
    let mut out = String::from("## crosscheck report\n\n");
    let _ = writeln!(out, "**{}**\n", inline(&summary_line(data, report)));
    if report.findings.is_empty() {
        out.push_str("No findings.\n");
        return out;
    }
    summary_table(&mut out, report);
    for finding in &report.findings {
        out.push('\n');
        section(&mut out, data, finding);
    }
    out
}

/// GitHub refuses a comment of more characters than this, and the Markdown report is made to
/// be posted as one.
pub const GITHUB_COMMENT_LIMIT: usize = 65_536;

/// `text` as it is when it fits in a GitHub comment; otherwise cut before the first `### `
/// section that would not fit (the title and summary table always stay), with a last line
/// saying how many sections were left out and where to see everything.
pub fn fit_comment(text: String) -> String {
    if text.chars().count() <= GITHUB_COMMENT_LIMIT {
        return text;
    }
    let starts: Vec<usize> = text.match_indices("\n### ").map(|(at, _)| at + 1).collect();
    // The note's length, with room for any count of sections.
    let room = GITHUB_COMMENT_LIMIT - cut_note(usize::MAX).chars().count();
    let mut cut = 0;
    let mut chars = 0;
    let mut counted = 0;
    for &start in &starts {
        chars += text[counted..start].chars().count();
        counted = start;
        if chars > room {
            break;
        }
        cut = start;
    }
    if cut == 0 {
        // Not even the part before the first section fits: keep the whole lines that do.
        cut = text
            .char_indices()
            .take(room)
            .filter(|&(_, c)| c == '\n')
            .map(|(at, _)| at + 1)
            .last()
            .unwrap_or(0);
    }
    let left_out = starts.iter().filter(|&&start| start >= cut).count();
    let mut out = text[..cut].to_string();
    out.push_str(&cut_note(left_out));
    out
}

fn cut_note(left_out: usize) -> String {
    format!(
        "\n_{left_out} more section{} not shown: a GitHub comment holds at most 65,536 characters. \
         `--format json` or `--format sarif` reports everything._\n",
        if left_out == 1 { "" } else { "s" }
    )
}

/// Counts by rule, with a first row for all rules; columns by severity, then accepted.
fn summary_table(out: &mut String, report: &Report) {
    let mut order: Vec<&str> = Vec::new();
    let mut counts: HashMap<&str, [usize; 4]> = HashMap::new();
    for f in &report.findings {
        let column = match (&f.accepted, f.severity) {
            (Some(_), _) => 3,
            (None, Severity::Error) => 0,
            (None, Severity::Warning) => 1,
            (None, Severity::Info | Severity::Off) => 2,
        };
        let row = counts.entry(&f.rule).or_insert_with(|| {
            order.push(&f.rule);
            [0; 4]
        });
        row[column] += 1;
    }
    // Rules in the order they ran; any other (a stale acceptance) after them, as found.
    let rank = |id: &str| {
        report
            .rules
            .iter()
            .position(|r| r.id == id)
            .unwrap_or(usize::MAX)
    };
    order.sort_by_key(|id| rank(id));
    let s = report.summary();
    out.push_str("| rule | error | warning | info | accepted |\n");
    out.push_str("|---|---:|---:|---:|---:|\n");
    let _ = writeln!(
        out,
        "| **all** | {} | {} | {} | {} |",
        s.error, s.warning, s.info, s.accepted
    );
    for id in order {
        let [e, w, i, a] = counts[id];
        let _ = writeln!(out, "| {} | {e} | {w} | {i} | {a} |", code(id, true));
    }
}

fn section(out: &mut String, data: &Dataset, f: &Finding) {
    let _ = write!(
        out,
        "### {}[{}]: {}",
        f.severity.as_str(),
        f.rule,
        prose(&f.message)
    );
    out.push_str(if f.accepted.is_some() {
        " *(accepted)*\n\n"
    } else {
        "\n\n"
    });
    match &f.accepted {
        Some(a) => {
            let _ = write!(out, "> **Accepted:** {}", prose(&a.reason));
            let who: Vec<&str> = [a.by.as_deref(), a.date.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            if !who.is_empty() {
                let _ = write!(out, " ({})", inline(&who.join(", ")));
            }
            let _ = writeln!(out, "\n\nFingerprint {}", code(&f.fingerprint, false));
        }
        // A stale acceptance is resolved by editing the acceptance, not by accepting it.
        None if f.rule == STALE_ACCEPTANCE => {
            let _ = writeln!(out, "Fingerprint {}", code(&f.fingerprint, false));
        }
        None => {
            let _ = writeln!(
                out,
                "Fingerprint {}; if this is explained, accept it: {}",
                code(&f.fingerprint, false),
                code(&accept_command(f), false)
            );
        }
    }
    // A long table is folded, so a pull-request comment stays readable.
    let folded = f.claims.len() > FOLD_ABOVE;
    if folded {
        let _ = writeln!(
            out,
            "\n<details><summary>{} claims</summary>",
            f.claims.len()
        );
    }
    if !f.claims.is_empty() {
        out.push_str("\n| claim | source | value | as of | quote | place |\n");
        out.push_str("|---|---|---|---|---|---|\n");
        for c in &f.claims {
            let claim = data.claim(c.idx);
            let mut source = code(&data.source(claim.source).id, true);
            if let Some(via) = &claim.according_to {
                let _ = write!(
                    source,
                    " according to {}",
                    code(&data.source(via.value).id, true)
                );
            }
            let mut value = inline(&claim.value_text.value);
            match claim.status {
                Status::Asserted => {}
                Status::Unconfirmed => value.push_str(" *(unconfirmed)*"),
                Status::Denied => value.push_str(" *(denied)*"),
            }
            let as_of = claim
                .as_of
                .map_or_else(|| "undated".to_string(), |d| d.to_string());
            let quote = claim
                .quote
                .as_ref()
                .map_or_else(String::new, |q| format!("“{}”", inline(&q.value)));
            let place = place(data, c.span.unwrap_or(claim.value_text.span));
            let _ = writeln!(
                out,
                "| {} | {source} | {value} | {as_of} | {quote} | {} |",
                code(&claim.id, true),
                code(&place, true)
            );
        }
    }
    if folded {
        out.push_str("\n</details>\n");
    }
    if !f.entities.is_empty() {
        out.push_str("\n| entity | name | role | place |\n");
        out.push_str("|---|---|---|---|\n");
        for e in &f.entities {
            let entity = data.entity(e.idx);
            let place = place(data, e.span.unwrap_or(entity.span));
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                code(&entity.id, true),
                inline(&entity.name.value),
                inline(&e.label),
                code(&place, true)
            );
        }
    }
    if !f.sources.is_empty() {
        out.push_str("\n| source | title | role | place |\n");
        out.push_str("|---|---|---|---|\n");
        for s in &f.sources {
            let source = data.source(s.idx);
            let place = place(data, s.span.unwrap_or(source.span));
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                code(&source.id, true),
                inline(&source.title),
                inline(&s.label),
                code(&place, true)
            );
        }
    }
    if let Some(span) = f.span {
        let _ = writeln!(out, "\nAt {}", code(&place(data, span), false));
    }
    if !f.notes.is_empty() {
        out.push('\n');
        for note in &f.notes {
            let _ = writeln!(out, "- {}", prose(note));
        }
    }
}

/// `file:line` of a span's start.
fn place(data: &Dataset, span: Span) -> String {
    let loc = data.files.location(span);
    format!("{}:{}", loc.file, loc.line)
}

/// Text written by the engine or a reviewer (messages, notes, reasons), where `` `…` `` marks
/// code, as the human report shows it: code spans are kept when the backticks pair up, and the
/// rest is literal text.
pub fn prose(text: &str) -> String {
    if !text.matches('`').count().is_multiple_of(2) {
        return inline(text);
    }
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 0 {
                inline(part)
            } else {
                code(part, false)
            }
        })
        .collect()
}

/// Text as literal Markdown: punctuation that could start markup is backslash-escaped (`|`
/// included, so the text is safe in a table cell), and line breaks become `<br>`.
pub fn inline(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\r' | '\n' => {
                out.push_str("<br>");
                if c == '\r' && chars.get(i + 1) == Some(&'\n') {
                    i += 1;
                }
            }
            // An underscore inside a word (`operates_in`) is never emphasis in GitHub's Markdown.
            '_' if i > 0
                && chars[i - 1].is_alphanumeric()
                && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric()) =>
            {
                out.push('_')
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' | '!' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// A code span holding `text` literally: a fence longer than any run of backticks inside, line
/// breaks as spaces; in a table cell, `|` is escaped as GitHub's tables require.
pub fn code(text: &str, in_table: bool) -> String {
    let text = text.replace("\r\n", " ").replace(['\r', '\n'], " ");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    let body = if in_table {
        text.replace('|', "\\|")
    } else {
        text
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_too_long_for_a_comment_is_cut_between_sections() {
        let section = format!("### error[drift]: x\n\n{}\n", "y".repeat(998));
        let text = format!(
            "## crosscheck report\n\n| table |\n\n{}",
            section.repeat(100)
        );
        let cut = fit_comment(text.clone());
        assert!(cut.chars().count() <= GITHUB_COMMENT_LIMIT);
        assert!(text.starts_with(cut.split("\n_").next().unwrap()));
        let kept = cut.matches("### error").count();
        assert!(kept > 50 && kept < 100, "{kept} sections kept");
        assert!(cut.ends_with(&format!(
            "_{} more sections not shown: a GitHub comment holds at most 65,536 characters. \
             `--format json` or `--format sarif` reports everything._\n",
            100 - kept
        )));
        let short = "## crosscheck report\n\nNo findings.\n".to_string();
        assert_eq!(fit_comment(short.clone()), short);
    }

    #[test]
    fn text_without_sections_is_cut_at_a_line() {
        let text = "z".repeat(1_000) + "\n";
        let long = text.repeat(100);
        let cut = fit_comment(long);
        assert!(cut.chars().count() <= GITHUB_COMMENT_LIMIT);
        assert!(cut.ends_with("reports everything._\n"));
        assert!(cut.starts_with(&text));
    }

    #[test]
    fn inline_escapes_markup_and_line_breaks() {
        assert_eq!(inline("a|b\nc\r\nd"), "a\\|b<br>c<br>d");
        assert_eq!(
            inline("*x* [l](u) <b> #1 ~~s~~"),
            "\\*x\\* \\[l\\](u) \\<b\\> \\#1 \\~\\~s\\~\\~"
        );
        assert_eq!(inline("operates_in _em_"), "operates_in \\_em\\_");
        assert_eq!(inline("2,500–6,000"), "2,500–6,000");
    }

    #[test]
    fn prose_keeps_code_spans_that_pair_up() {
        assert_eq!(
            prose("add `a = [\"x\"]` to *e*"),
            "add `a = [\"x\"]` to \\*e\\*"
        );
        assert_eq!(prose("a ` b_"), "a \\` b\\_");
        assert_eq!(prose("`x|y`"), "`x|y`");
    }

    #[test]
    fn code_spans_hold_backticks_and_pipes() {
        assert_eq!(code("a-b", false), "`a-b`");
        assert_eq!(code("a`b", false), "``a`b``");
        assert_eq!(code("`a", false), "`` `a ``");
        assert_eq!(code("a|b\nc", true), "`a\\|b c`");
    }
}
