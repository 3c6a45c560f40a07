//! Rendering [`Diagnostic`]s as text, rustc-style, with `annotate-snippets`.
//!
//! ```text
//! error[drift]: TTP fighters moved from 2,500–6,000 to 6,000–6,500
//!   --> examples/afghanistan/kp-2024.toml:12:9
//!    |
//! 12 | value = "between 6,000 to 6,500"
//!    |         ^^^^^^^^^^^^^^^^^^^^^^^^ 6,000–6,500 as of 2024
//!    |
//!   ::: examples/afghanistan/un-27th.toml:8:9
//!    |
//!  8 | value = "2,500–6,000"
//!    |         ------------- 2,500–6,000 as of 2023
//!    |
//!    = note: ...
//!    = help: ...
//! ```
//!
//! Labels are grouped per file, one snippet per file in the order the files first appear among
//! the labels. The first snippet is introduced by `-->`, later ones by `:::`; the line and column
//! shown are those of the snippet's topmost primary label, else of its topmost label.
//!
//! Spans are made safe before rendering: clamped to the file's text, moved onto character
//! boundaries (start down, end up), a reversed span becomes empty at its start, the very end
//! of a file that ends in a line break is taken as the end of its last line, and a trailing
//! line end (`\n` or `\r\n`) is dropped from a span that covers more than that, so a span over a
//! whole line is underlined on that line only. An empty span shows one caret at its column.
//! Labels whose file is not in the [`SourceMap`] are left out.

use std::ops::Range;

use annotate_snippets::{
    Annotation, AnnotationKind, Group, Level as SnippetLevel, Renderer, Snippet,
    normalize_untrusted_str,
};

use super::{Diagnostic, Label, Level};
use crate::source_map::{FileId, SourceFile, SourceMap, Span};

/// How to render diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct RenderOptions {
    /// ANSI colours (for a terminal). Without them the output is plain ASCII decoration around
    /// the source text and stable byte-for-byte.
    pub color: bool,
}

/// One diagnostic as text, ending in a newline.
pub fn render(diag: &Diagnostic, sources: &SourceMap, options: RenderOptions) -> String {
    let renderer = if options.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = renderer.render(&[group(diag, sources)]);
    out.push('\n');
    out
}

/// Several diagnostics, each as [`render`] gives it, separated by blank lines.
pub fn render_all(diags: &[Diagnostic], sources: &SourceMap, options: RenderOptions) -> String {
    diags
        .iter()
        .map(|d| render(d, sources, options))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One line for logs: `file:line:col: error[code]: message`, at the diagnostic's
/// [primary span](Diagnostic::primary_span); without a span just `error[code]: message`. Line
/// breaks in the message become spaces. No trailing newline.
///
/// The place is the one [`render`] shows: as [`SourceMap::location`] gives it, except that the
/// very end of a file ending in a line break counts as the end of its last line.
pub fn render_short(diag: &Diagnostic, sources: &SourceMap) -> String {
    let mut out = String::new();
    if let Some(span) = diag.primary_span()
        && let Some(file) = file(sources, span.file)
    {
        let range = safe_range(&file.text, span);
        let (line, column) = file.line_col(range.start);
        out.push_str(&format!("{}:{line}:{column}: ", file.display));
    }
    out.push_str(level_name(diag.level));
    if let Some(code) = &diag.code {
        out.push('[');
        out.push_str(code);
        out.push(']');
    }
    out.push_str(": ");
    out.push_str(&one_line(&diag.message));
    out
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "info",
    }
}

fn snippet_level(level: Level) -> SnippetLevel<'static> {
    match level {
        Level::Error => SnippetLevel::ERROR,
        Level::Warning => SnippetLevel::WARNING,
        Level::Info => SnippetLevel::INFO,
    }
}

fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The report group for one diagnostic: title, one snippet per file, then notes and help.
fn group<'a>(diag: &'a Diagnostic, sources: &'a SourceMap) -> Group<'a> {
    let mut title = snippet_level(diag.level).primary_title(diag.message.as_str());
    if let Some(code) = &diag.code {
        title = title.id(code.as_str());
    }
    let mut group = Group::with_title(title);
    for (file, labels) in labels_by_file(diag, sources) {
        for cluster in clusters(file, &labels) {
            group = group.element(snippet(file, &cluster));
        }
    }
    for note in &diag.notes {
        group = group.element(SnippetLevel::NOTE.message(normalize_untrusted_str(note)));
    }
    if let Some(help) = &diag.help {
        group = group.element(SnippetLevel::HELP.message(normalize_untrusted_str(help)));
    }
    group
}

/// Labels closer than this many lines share one snippet; farther ones get a snippet each.
const CLUSTER_LINES: usize = 8;

/// The file's labels with their safe ranges, in clusters of nearby lines: the cluster holding
/// the primary label first, then in file order. Each cluster is rendered from only the lines it
/// covers, because annotate-snippets walks the whole source it is given: whole large files
/// would make rendering many diagnostics quadratic.
fn clusters<'a>(file: &SourceFile, labels: &[&'a Label]) -> Vec<Vec<(&'a Label, Range<usize>)>> {
    let mut ranged: Vec<(&Label, Range<usize>)> = labels
        .iter()
        .map(|l| (*l, safe_range(&file.text, l.span)))
        .collect();
    ranged.sort_by_key(|(_, r)| (r.start, r.end));
    let line_of = |offset: usize| file.line_col(offset).0;
    let mut out: Vec<Vec<(&Label, Range<usize>)>> = Vec::new();
    let mut last_line = 0;
    for (label, range) in ranged {
        let line = line_of(range.start);
        match out.last_mut() {
            Some(cluster) if line <= last_line + CLUSTER_LINES => {
                cluster.push((label, range.clone()))
            }
            _ => out.push(vec![(label, range.clone())]),
        }
        last_line = last_line.max(line_of(range.end));
    }
    if let Some(i) = out.iter().position(|c| c.iter().any(|(l, _)| l.primary)) {
        let primary = out.remove(i);
        out.insert(0, primary);
    }
    out
}

/// One snippet showing the lines a cluster of labels covers.
fn snippet<'a>(
    file: &'a SourceFile,
    cluster: &[(&'a Label, Range<usize>)],
) -> Snippet<'a, Annotation<'a>> {
    let text = file.text.as_str();
    let first = cluster.iter().map(|(_, r)| r.start).min().unwrap_or(0);
    let last = cluster.iter().map(|(_, r)| r.end).max().unwrap_or(0);
    let window_start = text[..first].rfind('\n').map_or(0, |i| i + 1);
    let window_end = text[last..].find('\n').map_or(text.len(), |i| last + i + 1);
    let (line_start, _) = file.line_col(window_start);
    Snippet::source(&text[window_start..window_end])
        .path(file.display.as_str())
        .line_start(line_start)
        .annotations(cluster.iter().map(|(label, range)| {
            annotation(label, range.start - window_start..range.end - window_start)
        }))
}

fn annotation<'a>(label: &Label, range: Range<usize>) -> Annotation<'a> {
    let kind = if label.primary {
        AnnotationKind::Primary
    } else {
        AnnotationKind::Context
    };
    let annotation = kind.span(range);
    if label.message.is_empty() {
        annotation
    } else {
        annotation.label(normalize_untrusted_str(&label.message))
    }
}

/// Labels grouped by file, files in order of first appearance, labels in their own order.
fn labels_by_file<'a>(
    diag: &'a Diagnostic,
    sources: &'a SourceMap,
) -> Vec<(&'a SourceFile, Vec<&'a Label>)> {
    let mut groups: Vec<(FileId, &SourceFile, Vec<&Label>)> = Vec::new();
    for label in &diag.labels {
        let id = label.span.file;
        if let Some(group) = groups.iter_mut().find(|g| g.0 == id) {
            group.2.push(label);
        } else if let Some(file) = file(sources, id) {
            groups.push((id, file, vec![label]));
        }
    }
    groups
        .into_iter()
        .map(|(_, file, labels)| (file, labels))
        .collect()
}

/// The file, or `None` for an id the map does not hold (where [`SourceMap::file`] would panic).
fn file(sources: &SourceMap, id: FileId) -> Option<&SourceFile> {
    sources.get(id)
}

/// The span as a byte range that is safe to hand to `annotate-snippets`: within the text, on
/// character boundaries, not reversed, without a trailing line end unless that is all it covers.
fn safe_range(text: &str, span: Span) -> Range<usize> {
    let len = text.len();
    let mut start = (span.start as usize).min(len);
    let mut end = (span.end as usize).min(len);
    // The end of a file that ends in a line break is on a line of its own that has no text:
    // point at the end of the last line instead.
    if start == len {
        let body = text
            .strip_suffix('\n')
            .map(|t| t.strip_suffix('\r').unwrap_or(t));
        if let Some(body) = body {
            start = body.len();
            end = body.len();
        }
    }
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let end = end.max(start);
    let covered = &text[start..end];
    let trimmed = covered
        .strip_suffix('\n')
        .map(|t| t.strip_suffix('\r').unwrap_or(t))
        .unwrap_or(covered);
    if trimmed.is_empty() {
        start..end
    } else {
        start..start + trimmed.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source_map::SourceFile;

    fn map(files: &[(&str, &str)]) -> (SourceMap, Vec<FileId>) {
        let mut sources = SourceMap::default();
        let ids = files
            .iter()
            .map(|(path, text)| {
                sources.add(SourceFile::new(
                    (*path).into(),
                    (*path).to_string(),
                    (*text).to_string(),
                ))
            })
            .collect();
        (sources, ids)
    }

    /// The span of the first occurrence of `needle` in file `id`.
    fn find(sources: &SourceMap, id: FileId, needle: &str) -> Span {
        let start = sources.file(id).text.find(needle).expect("needle in text");
        Span::new(id, start..start + needle.len())
    }

    fn plain(diag: &Diagnostic, sources: &SourceMap) -> String {
        render(diag, sources, RenderOptions::default())
    }

    const KP: &str = "[claim]\nid = \"ttp-fighters\"\nvalue = \"between 6,000 to 6,500\"\n";
    const UN: &str = "[claim]\nid = \"ttp-fighters\"\nwhen = 2023\nvalue = \"2,500–6,000\"\n";

    #[test]
    fn single_label() {
        let (sources, ids) = map(&[("examples/afghanistan/kp-2024.toml", KP)]);
        let span = find(&sources, ids[0], "\"between 6,000 to 6,500\"");
        let mut diag = Diagnostic::error("TTP fighters moved from 2,500–6,000 to 6,000–6,500")
            .with_primary(span, "6,000–6,500 as of 2024");
        diag.code = Some("drift".into());
        assert_eq!(
            plain(&diag, &sources),
            "\
error[drift]: TTP fighters moved from 2,500–6,000 to 6,000–6,500
 --> examples/afghanistan/kp-2024.toml:3:9
  |
3 | value = \"between 6,000 to 6,500\"
  |         ^^^^^^^^^^^^^^^^^^^^^^^^ 6,000–6,500 as of 2024
"
        );
        assert_eq!(
            render_short(&diag, &sources),
            "examples/afghanistan/kp-2024.toml:3:9: error[drift]: \
             TTP fighters moved from 2,500–6,000 to 6,000–6,500"
        );
    }

    #[test]
    fn two_labels_in_two_files() {
        let (sources, ids) = map(&[("un-27th.toml", UN), ("kp-2024.toml", KP)]);
        let new = find(&sources, ids[1], "\"between 6,000 to 6,500\"");
        let old = find(&sources, ids[0], "\"2,500–6,000\"");
        let mut diag = Diagnostic::error("TTP fighters moved")
            .with_primary(new, "6,000–6,500 as of 2024")
            .with_secondary(old, "2,500–6,000 as of 2023");
        diag.code = Some("drift".into());
        assert_eq!(
            plain(&diag, &sources),
            "\
error[drift]: TTP fighters moved
 --> kp-2024.toml:3:9
  |
3 | value = \"between 6,000 to 6,500\"
  |         ^^^^^^^^^^^^^^^^^^^^^^^^ 6,000–6,500 as of 2024
  |
 ::: un-27th.toml:4:9
  |
4 | value = \"2,500–6,000\"
  |         ------------- 2,500–6,000 as of 2023
"
        );
    }

    #[test]
    fn labels_in_one_file_share_a_snippet_in_order_of_first_appearance() {
        let (sources, ids) = map(&[("a.toml", KP), ("b.toml", UN)]);
        let diag = Diagnostic::error("m")
            .with_secondary(find(&sources, ids[1], "2023"), "b")
            .with_secondary(find(&sources, ids[0], "\"ttp-fighters\""), "a1")
            .with_primary(find(&sources, ids[1], "\"2,500–6,000\""), "b2");
        assert_eq!(
            plain(&diag, &sources),
            "\
error: m
 --> b.toml:4:9
  |
3 | when = 2023
  |        ---- b
4 | value = \"2,500–6,000\"
  |         ^^^^^^^^^^^^^ b2
  |
 ::: a.toml:2:6
  |
2 | id = \"ttp-fighters\"
  |      -------------- a1
"
        );
    }

    #[test]
    fn label_after_non_ascii_text() {
        let text = "name = \"Ġhafari — Sayed\" # x\n";
        let (sources, ids) = map(&[("people.toml", text)]);
        let span = find(&sources, ids[0], "Sayed");
        let diag = Diagnostic::error("misquote").with_primary(span, "here");
        assert_eq!(sources.location(span).column, 19);
        assert_eq!(
            plain(&diag, &sources),
            "\
error: misquote
 --> people.toml:1:19
  |
1 | name = \"Ġhafari — Sayed\" # x
  |                   ^^^^^ here
"
        );
        assert_eq!(
            render_short(&diag, &sources),
            "people.toml:1:19: error: misquote"
        );
    }

    #[test]
    fn zero_width_span_at_end_of_file() {
        let text = "a = 1\nb = \"x";
        let (sources, ids) = map(&[("t.toml", text)]);
        let span = Span::new(ids[0], text.len()..text.len());
        let mut diag =
            Diagnostic::error("unterminated string").with_primary(span, "file ends here");
        diag.level = Level::Info;
        diag.code = Some("parse".into());
        assert_eq!(
            plain(&diag, &sources),
            "\
info[parse]: unterminated string
 --> t.toml:2:7
  |
2 | b = \"x
  |       ^ file ends here
"
        );
        assert_eq!(
            render_short(&diag, &sources),
            "t.toml:2:7: info[parse]: unterminated string"
        );
    }

    #[test]
    fn zero_width_span_after_final_newline_points_at_end_of_last_line() {
        let text = "a = 1\n";
        let (sources, ids) = map(&[("t.toml", text)]);
        let diag = Diagnostic::error("eof").with_primary(Span::new(ids[0], 6..6), "");
        assert_eq!(
            plain(&diag, &sources),
            "\
error: eof
 --> t.toml:1:6
  |
1 | a = 1
  |      ^
"
        );
        assert_eq!(render_short(&diag, &sources), "t.toml:1:6: error: eof");
        let crlf = "a = 1\r\n";
        let (sources, ids) = map(&[("t.toml", crlf)]);
        let diag = Diagnostic::error("eof").with_primary(Span::new(ids[0], 7..9), "end");
        assert_eq!(
            plain(&diag, &sources),
            "\
error: eof
 --> t.toml:1:6
  |
1 | a = 1
  |      ^ end
"
        );
    }

    #[test]
    fn crlf_line_ends_are_not_shown() {
        let text = "[claim]\r\nvalue = \"12\"\r\nwhen = 2024\r\n";
        let (sources, ids) = map(&[("w.toml", text)]);
        // A span over the whole line, line end included, stays on that line.
        let line = find(&sources, ids[0], "value = \"12\"\r\n");
        let diag = Diagnostic::error("bad value")
            .with_primary(line, "this line")
            .with_secondary(find(&sources, ids[0], "2024"), "year");
        let out = plain(&diag, &sources);
        assert!(!out.contains('\r'));
        assert_eq!(
            out,
            "\
error: bad value
 --> w.toml:2:1
  |
2 | value = \"12\"
  | ^^^^^^^^^^^^ this line
3 | when = 2024
  |        ---- year
"
        );
    }

    #[test]
    fn no_labels() {
        let (sources, _) = map(&[]);
        let diag = Diagnostic::error("no claim files found");
        assert_eq!(plain(&diag, &sources), "error: no claim files found\n");
        assert_eq!(render_short(&diag, &sources), "error: no claim files found");
    }

    #[test]
    fn notes_and_help() {
        let (sources, ids) = map(&[("kp.toml", KP)]);
        let mut diag = Diagnostic::error("weak sourcing")
            .with_primary(find(&sources, ids[0], "\"ttp-fighters\""), "cited once")
            .with_note("only one source gives this figure")
            .with_note("second note\nover two lines")
            .with_help("add a second source");
        diag.level = Level::Warning;
        diag.code = Some("weak".into());
        assert_eq!(
            plain(&diag, &sources),
            "\
warning[weak]: weak sourcing
 --> kp.toml:2:6
  |
2 | id = \"ttp-fighters\"
  |      ^^^^^^^^^^^^^^ cited once
  |
  = note: only one source gives this figure
  = note: second note
          over two lines
  = help: add a second source
"
        );
    }

    #[test]
    fn notes_and_help_without_labels() {
        let (sources, _) = map(&[]);
        let diag = Diagnostic::error("nothing to check")
            .with_note("the data set is empty")
            .with_help("pass a folder of claim files");
        assert_eq!(
            plain(&diag, &sources),
            "\
error: nothing to check
  |
  = note: the data set is empty
  = help: pass a folder of claim files
"
        );
    }

    #[test]
    fn render_all_separates_with_blank_lines() {
        let (sources, _) = map(&[]);
        let diags = [Diagnostic::error("one"), Diagnostic::error("two")];
        let out = render_all(&diags, &sources, RenderOptions::default());
        assert_eq!(out, "error: one\n\nerror: two\n");
        assert_eq!(render_all(&[], &sources, RenderOptions::default()), "");
    }

    #[test]
    fn color_uses_ansi_escapes() {
        let (sources, ids) = map(&[("kp.toml", KP)]);
        let diag = Diagnostic::error("m").with_primary(find(&sources, ids[0], "value"), "l");
        let out = render(&diag, &sources, RenderOptions { color: true });
        assert!(out.contains('\u{1b}'));
        assert!(out.ends_with('\n'));
    }

    #[test]
    fn multi_line_span_and_tabs() {
        let text = "a = [\n\t1,\n\t2,\n]\n";
        let (sources, ids) = map(&[("l.toml", text)]);
        let diag = Diagnostic::error("list")
            .with_primary(find(&sources, ids[0], "[\n\t1,\n\t2,\n]"), "whole list")
            .with_secondary(find(&sources, ids[0], "2"), "two");
        assert_eq!(
            plain(&diag, &sources),
            "\
error: list
 --> l.toml:1:5
  |
1 |   a = [
  |  _____^
2 | |     1,
3 | |     2,
  | |     - two
4 | | ]
  | |_^ whole list
"
        );
    }

    #[test]
    fn odd_spans_do_not_panic() {
        let texts = [
            "",
            "\n",
            "x",
            "a = 1\r\nb = \"Ġhafari — x\"\r\n",
            "\tk =\t\"—\"\n\n",
            "no newline — at end",
        ];
        for text in texts {
            let (sources, ids) = map(&[("f.toml", text)]);
            let len = text.len() as u32;
            for start in 0..=len + 2 {
                for end in 0..=len + 2 {
                    let span = Span {
                        file: ids[0],
                        start,
                        end,
                    };
                    let diag = Diagnostic::error("e")
                        .with_primary(span, "p")
                        .with_secondary(span, "s");
                    let out = plain(&diag, &sources);
                    assert!(out.starts_with("error: e\n"), "{out}");
                    assert!(!out.contains('\r'), "{out:?}");
                    render_short(&diag, &sources);
                }
            }
        }
        // A file id the map does not know is left out rather than panicking.
        let (sources, _) = map(&[]);
        let diag = Diagnostic::error("e").with_primary(Span::new(FileId(3), 0..1), "p");
        assert_eq!(plain(&diag, &sources), "error: e\n");
        assert_eq!(render_short(&diag, &sources), "error: e");
    }
}
