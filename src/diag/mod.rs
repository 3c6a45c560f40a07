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
            message: message.into(),
            labels: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    pub fn with_primary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
            primary: true,
        });
        self
    }

    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
            primary: false,
        });
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
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
