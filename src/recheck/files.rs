//! Reading the data files for a re-check: only those whose stat changed, the ones the touched
//! units need, and the ones the recomputed findings point into.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::engine::Finding;
use crate::load::cache::{Cache, Key};
use crate::load::parse::RawFile;
use crate::load::{self, Begun};
use crate::model::Dataset;
use crate::source_map::{FileId, SourceFile};

use super::GiveUp;
use super::state::{FileStat, State};

/// A data file: read, or, when `stat` says it is as the previous run left it, not read at
/// all (most files of a large data set, after an edit).
pub(super) struct DataFile {
    pub(super) path: PathBuf,
    pub(super) display: String,
    pub(super) stat: Option<FileStat>,
    /// The key of its content: computed when read, else the previous run's.
    pub(super) key: Key,
    pub(super) read: Option<Read>,
}

pub(super) struct Read {
    pub(super) file: SourceFile,
    /// The records of its error when it could not be read.
    pub(super) problem: Option<RawFile>,
}

impl DataFile {
    pub(super) fn problem(&self) -> bool {
        self.read.as_ref().is_some_and(|r| r.problem.is_some())
    }

    /// Reads it afresh, if it was not, whatever its content now (its key becomes that of what
    /// was read); `false` when it could not be read.
    pub(super) fn read_now(&mut self, id: FileId) -> bool {
        if self.read.is_none() {
            let (file, problem) = load::read_source(id, &self.path);
            self.key = Cache::key(&file.text);
            self.read = Some(Read { file, problem });
        }
        !self.problem()
    }

    /// Its text, or an empty stand-in when it was not read.
    pub(super) fn into_source(self) -> (SourceFile, Option<RawFile>) {
        match self.read {
            Some(read) => (read.file, read.problem),
            None => (
                SourceFile::new(self.path, self.display, String::new()),
                None,
            ),
        }
    }
}

/// Every data file, in parallel: read and hashed, unless `stat` says it is as `previous` left
/// it.
pub(super) fn read_all(begun: &Begun, previous: Option<&State>) -> Vec<DataFile> {
    let previous = previous.filter(|p| p.files.len() == begun.found.files.len());
    begun
        .found
        .files
        .par_iter()
        .enumerate()
        .map(|(i, path)| {
            let display = load::text::display_path(path);
            let stat = FileStat::of(path);
            let before = previous.map(|p| &p.files[i]);
            let mut file = DataFile {
                path: path.clone(),
                display,
                stat,
                key: Key(blake3::Hash::from_bytes(
                    before.map_or([0; 32], |b| b.content),
                )),
                read: None,
            };
            let unchanged = before
                .is_some_and(|b| b.display == file.display && stat.is_some() && b.stat == stat);
            if !unchanged {
                // An unreadable file is reported by the load that follows.
                let _ = file.read_now(begun.file_id(i));
            }
            file
        })
        .collect()
}

/// Files a partial re-check did not read: where they are and what their content must be.
pub(super) type Unread = HashMap<u32, (PathBuf, Key)>;

/// Reads the files the recomputed findings point into that were left unread (their places are
/// shown as lines and columns), checking each is still what the previous run saw.
pub(super) fn read_shown_files(
    data: &mut Dataset,
    found: &[Finding],
    unread: &Unread,
) -> Result<(), GiveUp> {
    let mut shown = BTreeSet::new();
    for f in found {
        for c in &f.claims {
            let claim = data.claim(c.idx);
            shown.extend([c.span, Some(claim.value_text.span)].into_iter().flatten());
        }
        for e in &f.entities {
            shown.insert(e.span.unwrap_or(data.entity(e.idx).span));
        }
        for s in &f.sources {
            shown.insert(s.span.unwrap_or(data.source(s.idx).span));
        }
        shown.extend(f.span);
    }
    let ids: BTreeSet<u32> = shown
        .into_iter()
        .map(|s| s.file.0)
        .filter(|id| unread.contains_key(id))
        .collect();
    let read: Vec<(u32, SourceFile)> = ids
        .into_par_iter()
        .map(|id| {
            let (path, key) = &unread[&id];
            let (file, problem) = load::read_source(FileId(id), path);
            match problem.is_none() && Cache::key(&file.text) == *key {
                true => Ok((id, file)),
                false => Err(GiveUp::Full("a file changed while it was being checked")),
            }
        })
        .collect::<Result<_, GiveUp>>()?;
    for (id, file) in read {
        data.files.replace(FileId(id), file);
    }
    Ok(())
}
