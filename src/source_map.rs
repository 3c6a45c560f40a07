//! The files of a data set and byte spans into them, so any message can point at file, line
//! and column long after parsing.

use std::path::{Path, PathBuf};

/// Index of a file in a [`SourceMap`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct FileId(pub u32);

/// A byte range `start..end` in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

// Spans are serialized without their file: a file's cached records are read back for whatever
// `FileId` the file has in this run, which `with_file` names. Every span in a file's records
// points into that same file. Resolved records point into many files: `with_whole_spans`
// serializes and reads back each span with its file.
#[derive(Clone, Copy)]
enum SpanMode {
    /// Spans without their file; read back as spans of this file (`None`: not readable).
    InFile(Option<FileId>),
    /// Spans with their file.
    Whole,
}

thread_local! {
    static SPAN_MODE: std::cell::Cell<SpanMode> = const { std::cell::Cell::new(SpanMode::InFile(None)) };
}

fn with_span_mode<R>(mode: SpanMode, f: impl FnOnce() -> R) -> R {
    let previous = SPAN_MODE.with(|m| m.replace(mode));
    let result = f();
    SPAN_MODE.with(|m| m.set(previous));
    result
}

/// Runs `f` with spans deserialized as spans of `file`.
pub fn with_file<R>(file: FileId, f: impl FnOnce() -> R) -> R {
    with_span_mode(SpanMode::InFile(Some(file)), f)
}

/// Runs `f` with spans serialized and deserialized with their file. The mode is per thread:
/// work handed to other threads sets it again.
pub fn with_whole_spans<R>(f: impl FnOnce() -> R) -> R {
    with_span_mode(SpanMode::Whole, f)
}

impl serde::Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match SPAN_MODE.with(|m| m.get()) {
            SpanMode::Whole => (self.file.0, self.start, self.end).serialize(serializer),
            SpanMode::InFile(_) => (self.start, self.end).serialize(serializer),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Span {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Span, D::Error> {
        match SPAN_MODE.with(|m| m.get()) {
            SpanMode::Whole => {
                let (file, start, end) = <(u32, u32, u32)>::deserialize(deserializer)?;
                Ok(Span {
                    file: FileId(file),
                    start,
                    end,
                })
            }
            SpanMode::InFile(Some(file)) => {
                let (start, end) = <(u32, u32)>::deserialize(deserializer)?;
                Ok(Span { file, start, end })
            }
            SpanMode::InFile(None) => Err(serde::de::Error::custom(
                "a span read outside `with_file` or `with_whole_spans`",
            )),
        }
    }
}

impl Span {
    pub fn new(file: FileId, range: std::ops::Range<usize>) -> Span {
        Span {
            file,
            start: range.start as u32,
            end: range.end as u32,
        }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One loaded file: its path as shown to users (relative to the data set root, `/`-separated)
/// and its text.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub display: String,
    pub text: String,
    line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: String) -> SourceFile {
        // Sized exactly: grown by doubling, the line tables of a large data set took a third of
        // the memory of its text.
        let lines = text.bytes().filter(|&b| b == b'\n').count();
        let mut line_starts = Vec::with_capacity(lines + 1);
        line_starts.push(0);
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i as u32 + 1));
        SourceFile {
            path,
            display,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters, as editors count) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s as usize <= offset) - 1;
        let start = self.line_starts[line] as usize;
        let column = self.text[start..floor_char_boundary(&self.text, offset)]
            .chars()
            .count();
        (line + 1, column + 1)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// All files of a data set, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    /// Puts `file` in place of the file with this id (a file first added without its text).
    pub fn replace(&mut self, id: FileId, file: SourceFile) {
        self.files[id.0 as usize] = file;
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The file, or `None` for an id this map does not hold.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// The file's display path with 1-based line and column of the span's start.
    pub fn location(&self, span: Span) -> Location<'_> {
        let file = self.file(span.file);
        let (line, column) = file.line_col(span.start as usize);
        Location {
            file: &file.display,
            line,
            column,
        }
    }

    /// The text a span covers.
    pub fn snippet(&self, span: Span) -> &str {
        self.file(span.file).text.get(span.range()).unwrap_or("")
    }

    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .map(|i| FileId(i as u32))
    }
}

/// A place in a file as people read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location<'a> {
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let f = SourceFile::new("a".into(), "a".into(), "ab\nçd = 1\n".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(5), (2, 2)); // after the two-byte 'ç'
        assert_eq!(f.line_col(100), (3, 1));
    }
}
