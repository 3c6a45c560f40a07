//! Diagnostics: a message about one or more places in the data set, rendered rustc-style.
//!
//! Load errors and findings both become [`Diagnostic`]s for the human report.

use crate::source_map::Span;

mod render;
pub use render::{RenderOptions, render, render_all, render_short};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Error,
    Warning,
    Info,
}

/// A labelled place in a file. The primary label carries the caret (`^^^`); secondary ones
/// are underlined with `---`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
    pub primary: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    /// Short code shown in brackets after the level, such as a rule id (`error[drift]`).
    pub code: Option<String>,
    pub message: String,
    pub labels: Vec<Label>,
    /// Lines shown after the snippets as `= note: …`.
    pub notes: Vec<String>,
    /// A suggested fix shown as `= help: …`.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level: Level::Error,
            code: None,
            message: elide(message.into()),
            labels: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    pub fn with_primary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: elide(message.into()),
            primary: true,
        });
        self
    }

    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: elide(message.into()),
            primary: false,
        });
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(elide(note.into()));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(elide(help.into()));
        self
    }

    /// The place the diagnostic is about: its first primary label, else its first label.
    pub fn primary_span(&self) -> Option<Span> {
        self.labels
            .iter()
            .find(|l| l.primary)
            .or(self.labels.first())
            .map(|l| l.span)
    }
}

/// Texts in diagnostics longer than this are shortened in the middle: a value, name or path
/// copied from a data file may be a megabyte long, and repeating it whole helps no one.
pub const MAX_TEXT: usize = 400;

/// `text` with its middle replaced by ` … ` when it is longer than [`MAX_TEXT`] bytes.
fn elide(text: String) -> String {
    if text.len() <= MAX_TEXT {
        return text;
    }
    let mut head = MAX_TEXT / 2;
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    let mut tail = text.len() - MAX_TEXT / 3;
    while !text.is_char_boundary(tail) {
        tail += 1;
    }
    format!("{} … {}", &text[..head], &text[tail..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_shortened_in_the_middle() {
        let long = format!(
            "cannot read the value \"{}\": expected a number",
            "é".repeat(1 << 20)
        );
        let diag = Diagnostic::error(long).with_note("x".repeat(10_000));
        assert!(
            diag.message.len() <= MAX_TEXT + 10,
            "{}",
            diag.message.len()
        );
        assert!(diag.message.starts_with("cannot read the value \"éé"));
        assert!(diag.message.ends_with("éé\": expected a number"));
        assert!(diag.notes[0].len() <= MAX_TEXT + 10);
        assert_eq!(Diagnostic::error("short").message, "short");
    }
}
