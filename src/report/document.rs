//! A report written finding by finding, for the formats whose findings' texts stand one after
//! the other between a head and a tail (JSON, human). Each text is placed as it is written, so
//! that a later run can copy it rather than render it again (the re-check after an edit,
//! `crate::recheck`).

use std::ops::Range;

use rayon::prelude::*;

use crate::engine::Finding;

/// How a format frames its findings' texts.
#[derive(Debug, Clone, Copy)]
pub struct Framing {
    /// Before everything.
    pub head: &'static [u8],
    /// Before the first finding's text.
    pub first: &'static [u8],
    /// Between two findings' texts.
    pub separator: &'static [u8],
}

/// A report being written: its head, the findings' texts, then its tail.
pub struct Document<'w> {
    out: &'w mut dyn std::io::Write,
    framing: Framing,
    written: u64,
    placed: Vec<Range<u64>>,
}

/// Findings rendered at once, in parallel, before they are written in order.
const BATCH: usize = 4096;

impl<'w> Document<'w> {
    pub fn start(out: &'w mut dyn std::io::Write, framing: Framing) -> std::io::Result<Self> {
        let mut doc = Document {
            out,
            framing,
            written: 0,
            placed: Vec::new(),
        };
        doc.write(framing.head)?;
        Ok(doc)
    }

    fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// What goes between two findings' texts.
    pub fn separator(&self) -> &'static [u8] {
        self.framing.separator
    }

    /// Whether no finding was written yet.
    pub fn is_empty(&self) -> bool {
        self.placed.is_empty()
    }

    fn before_finding(&mut self) -> std::io::Result<()> {
        let framing = self.framing;
        self.write(match self.placed.is_empty() {
            true => framing.first,
            false => framing.separator,
        })
    }

    /// Appends a finding's text.
    pub fn finding(&mut self, text: &[u8]) -> std::io::Result<()> {
        self.before_finding()?;
        let start = self.written;
        self.write(text)?;
        self.placed.push(start..self.written);
        Ok(())
    }

    /// Appends every finding, rendered by `text` a batch at a time in parallel: a million-claim
    /// data set has a hundred thousand findings.
    pub fn findings(
        &mut self,
        findings: &[Finding],
        text: impl Fn(&Finding) -> Vec<u8> + Sync,
    ) -> std::io::Result<()> {
        for batch in findings.chunks(BATCH) {
            let texts: Vec<Vec<u8>> = batch.par_iter().map(&text).collect();
            for t in &texts {
                self.finding(t)?;
            }
        }
        Ok(())
    }

    /// Appends findings that an earlier document of this format wrote back to back: `bytes`
    /// runs from the first one's text to the last one's, with the separators between them, and
    /// `texts` says where each text lies in `bytes`.
    pub fn findings_run(
        &mut self,
        bytes: &[u8],
        texts: impl Iterator<Item = Range<u64>>,
    ) -> std::io::Result<()> {
        self.before_finding()?;
        let start = self.written;
        self.write(bytes)?;
        self.placed
            .extend(texts.map(|t| start + t.start..start + t.end));
        Ok(())
    }

    /// Writes the tail, and gives where each finding's text lies.
    pub fn finish(mut self, tail: &[u8]) -> std::io::Result<Vec<Range<u64>>> {
        self.write(tail)?;
        Ok(self.placed)
    }
}
