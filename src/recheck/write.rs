//! Writing the report, and keeping the state for the next run.

use std::collections::HashMap;
use std::io::Write;
use std::time::Instant;

use crate::engine::{Summary, family_roots};
use crate::load::cache::Cache;
use crate::model::{Dataset, Timing};
use crate::report::document::Document;

use super::state::{self, Entry, FileKind, Names, Pending, Segment, Segments, Tee};
use super::store::Store;
use super::{How, Piece, Prepared, summarize};

impl Prepared {
    /// Counts of unaccepted findings by severity, and of accepted ones.
    pub fn summary(&self) -> Summary {
        match &self.how {
            How::Full { report, .. } => report.summary(),
            How::Unchanged { .. } | How::Partial { .. } => summarize(&self.state.findings),
        }
    }

    /// What this run did, for `--timings`.
    pub fn kind(&self) -> String {
        match &self.how {
            How::Unchanged { .. } => "nothing changed: the previous report".into(),
            How::Full { why, .. } => format!("full check ({why})"),
            How::Partial {
                data,
                pieces,
                found,
                ..
            } => format!(
                "partial: {} findings recomputed from {} claims, {} copied",
                found.len(),
                data.claims.len(),
                pieces.len() - found.len()
            ),
        }
    }

    /// What follows the findings in the report.
    fn tail(&self) -> Vec<u8> {
        let (claims, sources) = match &self.how {
            How::Full { data, .. } => (data.claims.len(), data.sources.len()),
            How::Partial { data, .. } => (self.state.claims.len(), data.sources.len()),
            How::Unchanged { .. } => (self.state.claims.len(), self.state.sources as usize),
        };
        let any = !self.state.findings.is_empty();
        self.format.tail(self.summary(), any, claims, sources)
    }

    /// Writes the report to `out`, and what the next run needs to the cache.
    pub fn write(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        let tail = self.tail();
        let (format, framing) = (self.format, self.format.framing());
        let start_segment = |store: &Option<(Cache, Names)>| {
            store
                .as_ref()
                .and_then(|(_, names)| Pending::start(names, FileKind::Segment))
        };
        let (pending, placed, whole, full_store) = match &mut self.how {
            How::Unchanged { segments } => {
                let mut doc = Document::start(out, framing)?;
                let mut run = Run::default();
                for e in &self.state.findings {
                    run.push(e, &mut doc, segments)?;
                }
                run.flush(&mut doc, segments)?;
                doc.finish(&tail)?;
                if let Some((cache, names)) = &self.store {
                    state::keep(cache, names, &self.state);
                }
                return Ok(());
            }
            How::Full { data, report, .. } => {
                let mut pending = start_segment(&self.store);
                let names = self.store.as_ref().map(|(_, names)| names);
                let data: &Dataset = data;
                // The store holds every resolved claim (224 MB at a million claims) and does not
                // depend on the report: it is written on a thread of its own, beside the report.
                // When the report fails, the store is left unnamed by any state, and the next
                // state kept removes it.
                let (placed, stored) = std::thread::scope(|scope| {
                    let stored = names.map(|names| {
                        scope.spawn(move || Store::write_all(names, data, &family_roots(data)))
                    });
                    let mut tee = Tee {
                        out,
                        copy: pending.as_mut(),
                    };
                    let placed = Document::start(&mut tee, framing).and_then(|mut doc| {
                        doc.findings(&report.findings, |f| format.finding_text(data, f))?;
                        doc.finish(&tail)
                    });
                    (placed, stored.and_then(|s| s.join().ok().flatten()))
                });
                (pending, placed?, true, stored)
            }
            How::Partial {
                data,
                segments,
                pieces,
                found,
                ..
            } => {
                // Rewrite every text into one new segment when the old ones are mostly unused;
                // else the new segment holds only the recomputed findings, and the others stay
                // where they are.
                let whole = self.state.wants_compaction();
                let mut pending = start_segment(&self.store);
                let (copy, mut recomputed) = match (whole, pending.as_mut()) {
                    (true, p) => (p, None),
                    (false, p) => (None, p),
                };
                let mut tee = Tee { out, copy };
                let mut doc = Document::start(&mut tee, framing)?;
                let mut run = Run::default();
                let mut kept = Vec::new();
                for (piece, e) in pieces.iter().zip(&self.state.findings) {
                    match piece {
                        Piece::Old => {
                            run.push(e, &mut doc, segments)?;
                            if !whole {
                                kept.push(e.text.clone());
                            }
                        }
                        Piece::New(i) => {
                            run.flush(&mut doc, segments)?;
                            let text = format.finding_text(data, &found[*i]);
                            doc.finding(&text)?;
                            if let Some(p) = &mut recomputed {
                                let start = p.len();
                                let _ = p.write_all(&text);
                                kept.push(start..p.len());
                            }
                        }
                    }
                }
                run.flush(&mut doc, segments)?;
                let in_report = doc.finish(&tail)?;
                let placed = if whole { in_report } else { kept };
                (pending, placed, whole, None)
            }
        };
        self.keep(pending, placed, whole, full_store);
        Ok(())
    }

    /// Stores the state for the next run, once the new segment (`pending`) is complete:
    /// `placed` gives each finding's text, in the new segment when `whole` or when the finding
    /// was recomputed, else where it already was. A full check's store (`full_store`) was
    /// written beside its report.
    pub(super) fn keep(
        &mut self,
        pending: Option<Pending>,
        placed: Vec<std::ops::Range<u64>>,
        whole: bool,
        full_store: Option<Store>,
    ) {
        let (Some(pending), Some((cache, names))) = (pending, &self.store) else {
            return;
        };
        if placed.len() != self.state.findings.len() {
            return;
        }
        let step = Instant::now();
        let Some(written) = pending.finish() else {
            return;
        };
        let Some(hash) = written.hash else {
            return;
        };
        let segment = Segment {
            name: written.name,
            len: written.len,
            hash,
        };
        // The entries are placed in their new segments where they are: they still give the
        // report's counts afterwards.
        let state = &mut self.state;
        let fresh: Vec<bool> = match &self.how {
            How::Partial { pieces, .. } if !whole => {
                pieces.iter().map(|p| matches!(p, Piece::New(_))).collect()
            }
            _ => vec![true; placed.len()],
        };
        // Only the segments still used, renumbered, then the new one.
        let mut used: Vec<u32> = state
            .findings
            .iter()
            .zip(&fresh)
            .filter(|(_, fresh)| !**fresh)
            .map(|(e, _)| e.segment)
            .collect();
        used.sort_unstable();
        used.dedup();
        let renumber: HashMap<u32, u32> = used
            .iter()
            .enumerate()
            .map(|(new, &old)| (old, new as u32))
            .collect();
        let mut segments: Vec<_> = used
            .iter()
            .map(|&i| state.segments[i as usize].clone())
            .collect();
        segments.push(segment);
        let newest = segments.len() as u32 - 1;
        for ((entry, range), fresh) in state.findings.iter_mut().zip(placed).zip(fresh) {
            if fresh {
                entry.segment = newest;
                entry.text = range;
            } else {
                entry.segment = renumber[&entry.segment];
            }
        }
        state.segments = segments;
        let stored = match &self.how {
            How::Full { .. } => full_store,
            How::Partial { data, families, .. } => {
                state
                    .store
                    .write_families(names, data, &family_roots(data), families)
            }
            How::Unchanged { .. } => Some(state.store.clone()),
        };
        // Without its records, the next run checks everything.
        let Some(stored) = stored else {
            return;
        };
        state.store = stored;
        state::keep(cache, names, state);
        self.timings.push(Timing::since(
            "recheck: keep the state for the next run",
            step,
        ));
    }
}

/// Previous findings on their way into a report, gathered while their texts lie back to back in
/// one segment, separated as a report separates them (most of a re-check's report): each run
/// goes out in one write rather than one a finding.
#[derive(Default)]
struct Run {
    segment: u32,
    texts: Vec<std::ops::Range<u64>>,
}

/// Longer runs are written in several: a run's text is read whole.
const RUN_BYTES: u64 = 4 << 20;

impl Run {
    /// Adds a previous finding, first writing out the run so far when it does not continue it.
    fn push(
        &mut self,
        e: &Entry,
        doc: &mut Document,
        segments: &mut Segments,
    ) -> std::io::Result<()> {
        let continues = match (self.texts.first(), self.texts.last()) {
            (Some(first), Some(last)) => {
                e.segment == self.segment
                    && e.text.start == last.end + doc.separator().len() as u64
                    && e.text.end - first.start <= RUN_BYTES
            }
            _ => true,
        };
        if !continues {
            self.flush(doc, segments)?;
        }
        self.segment = e.segment;
        self.texts.push(e.text.clone());
        Ok(())
    }

    /// Writes out the run so far.
    fn flush(&mut self, doc: &mut Document, segments: &mut Segments) -> std::io::Result<()> {
        let (Some(first), Some(last)) = (self.texts.first(), self.texts.last()) else {
            return Ok(());
        };
        let start = first.start;
        let bytes = segments.text(self.segment, start..last.end)?;
        let separated = self.texts.windows(2).all(|pair| {
            let gap = (pair[0].end - start) as usize..(pair[1].start - start) as usize;
            &bytes[gap] == doc.separator()
        });
        if separated {
            let relative = self.texts.iter().map(|t| t.start - start..t.end - start);
            doc.findings_run(bytes, relative)?;
        } else {
            for t in &self.texts {
                doc.finding(&bytes[(t.start - start) as usize..(t.end - start) as usize])?;
            }
        }
        self.texts.clear();
        Ok(())
    }
}
