//! `quote-not-found`: a claim whose source has a `text` copy that does not contain the claim's
//! `quote`. A quote that is not in the document was mistyped, paraphrased, or taken from
//! another document, and the claim's value rests on it.
//!
//! Quote and text are compared after normalising both the same way ([`normalize`]): case,
//! accents, runs of white space (line ends included, CRLF or not), curly quotes and
//! apostrophes, dashes and ellipsis characters do not count. An ellipsis in the quote (`...`,
//! `…`, `[...]`) skips any text: the pieces around it must appear in order. Matches respect
//! word boundaries (`6,000` is not found in `16,000`).
//!
//! Texts can be megabytes and quote many claims, so each text file is normalised and indexed
//! once (its words by their letters and digits, in a hash map), and a quote is looked up
//! through its rarest word: only the places where that word occurs are verified, word by word.
//! When the quote is not found, the closest passage is found the same way: the quote's
//! rarest words vote for where the passage would start, and the few best-voted starts (each
//! with a few words of slack) are scored with `similar`'s diff ratio. The work per quote is
//! bounded by the occurrences of its rarest words, never by the text's length; building a
//! text's index is linear in its length.

use std::collections::HashMap;

use similar::{Algorithm, DiffOp, capture_diff_slices, diff_ratio};
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use crate::engine::series::series_name;
use crate::engine::{Context, Finding, Involved, RuleConfig};
use crate::model::{ClaimIdx, Dataset};
use crate::source_map::{FileId, Span};

/// How many of the quote's rarest words vote for the closest passage.
const VOTERS: usize = 8;
/// At most this many votes are cast for one quote: the rarest words vote first, and a word
/// whose occurrences would pass the limit does not vote unless it is the first.
const MAX_VOTES: usize = 20_000;
/// How many best-voted starts are scored.
const CANDIDATES: usize = 5;
/// Each candidate start is also tried this many words earlier and later.
const SLACK: usize = 3;
/// Equal runs of more than three times this many words are shortened to this many words
/// beside each change in the diff shown.
const CONTEXT_WORDS: usize = 4;

pub fn run(ctx: &Context<'_>, rule: &RuleConfig, out: &mut Vec<Finding>) {
    let data = ctx.data;
    // Claims to check, grouped by text file so each text is normalised and indexed once.
    let mut work: Vec<(FileId, ClaimIdx)> = data
        .claim_indices()
        .filter(|&idx| ctx.selects(rule, idx))
        .filter_map(|idx| {
            let claim = data.claim(idx);
            claim.quote.as_ref()?;
            Some((data.source(claim.source).text?, idx))
        })
        .collect();
    work.sort();
    let mut start = 0;
    while start < work.len() {
        let file = work[start].0;
        let end = start + work[start..].iter().take_while(|(f, _)| *f == file).count();
        let original = &data.files.file(file).text;
        let norm = normalize(original);
        let text = Text::new(&norm, original);
        for &(_, idx) in &work[start..end] {
            if let Some(f) = check_claim(data, rule, idx, file, &text) {
                out.push(f);
            }
        }
        start = end;
    }
}

fn check_claim(
    data: &Dataset,
    rule: &RuleConfig,
    idx: ClaimIdx,
    file: FileId,
    text: &Text<'_>,
) -> Option<Finding> {
    let claim = data.claim(idx);
    let quote = claim.quote.as_ref()?;
    let quote_norm = normalize(&quote.value);
    let fragments = fragments_of(&quote_norm, &quote.value);
    let nothing_to_find = fragments
        .iter()
        .all(|f| f.words.iter().all(|w| w.key.is_empty()));
    if nothing_to_find || text.contains(&fragments) {
        return None;
    }
    let message = format!(
        "the quote of {} in {} is not in the source's text copy",
        series_name(data, claim.subject.value, claim.property, &claim.scope),
        data.source(claim.source).id,
    );
    let mut f = Finding::new(&rule.id, rule.severity, message);
    f.claims
        .push(Involved::new(idx, "not found in the text copy").at(quote.span));
    let words: Vec<&Word<'_>> = fragments.iter().flat_map(|f| &f.words).collect();
    match text.closest(&words) {
        Some(passage) => {
            let span = text.span(file, passage.words.clone());
            let percent = (passage.ratio * 100.0).floor();
            f.claims
                .push(Involved::new(idx, format!("closest passage ({percent}% alike)")).at(span));
            let shown: Vec<&str> = passage.words.clone().map(|i| text.shown(i)).collect();
            f = f
                .note(format!(
                    "quote against the closest passage: {}",
                    render_diff(&words.iter().map(|w| w.shown).collect::<Vec<_>>(), &shown, &passage.ops)
                ))
                .note("[-…-] is only in the quote, {+…+} only in the text; case, accents, spacing, quote marks and dashes are ignored");
        }
        None => {
            f = f.note("no passage of the text copy shares a word with the quote");
        }
    }
    Some(f.note("copy the quote from the text as it stands (`...` may skip words), or fix the text copy if it is incomplete"))
}

/// A normalised string and, for each of its bytes, the byte offset in the original of the
/// character it came from.
struct Normalized {
    text: String,
    origin: Vec<u32>,
}

/// Case-folds, drops accents and invisible characters, reads compatibility forms (`…` is
/// `...`, a no-break space is a space), straightens quotes and apostrophes, reads every dash
/// as `-`, and collapses runs of white space into one space (trimmed at both ends).
fn normalize(original: &str) -> Normalized {
    let mut out = Normalized {
        text: String::with_capacity(original.len()),
        origin: Vec::with_capacity(original.len()),
    };
    let mut space: Option<u32> = None;
    for (offset, c) in original.char_indices() {
        let offset = offset as u32;
        decompose_compatible(c, |d| {
            if is_combining_mark(d) || is_invisible(d) {
                return;
            }
            if d.is_whitespace() {
                if !out.text.is_empty() && space.is_none() {
                    space = Some(offset);
                }
                return;
            }
            if let Some(at) = space.take() {
                out.push(' ', at);
            }
            match d {
                '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '`'
                | '\u{00b4}' => out.push('\'', offset),
                '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{00ab}'
                | '\u{00bb}' => out.push('"', offset),
                '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' => {
                    out.push('-', offset)
                }
                _ => {
                    for l in d.to_lowercase() {
                        out.push(l, offset);
                    }
                }
            }
        });
    }
    out
}

impl Normalized {
    fn push(&mut self, c: char, origin: u32) {
        self.text.push(c);
        for _ in 0..c.len_utf8() {
            self.origin.push(origin);
        }
    }

    /// The original byte range of normalised bytes `range` (non-empty), on character boundaries.
    fn original(&self, original: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let start = self.origin[range.start] as usize;
        let last = self.origin[range.end - 1] as usize;
        let end = last + original[last..].chars().next().map_or(0, char::len_utf8);
        start..end
    }
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
    )
}

/// One word (white-space separated) of normalised text.
#[derive(Debug, Clone)]
struct Word<'a> {
    /// As normalised, punctuation included.
    raw: &'a str,
    /// Its letters and digits, surrounding punctuation trimmed: what the index and diffs use.
    key: &'a str,
    /// As written in the original, for display.
    shown: &'a str,
    /// Normalised byte range.
    range: std::ops::Range<usize>,
}

fn key_of(raw: &str) -> &str {
    raw.trim_matches(|c: char| !c.is_alphanumeric())
}

/// A word of a text, as normalised byte offsets: 16 bytes a word, so that a text of millions
/// of words stays small.
#[derive(Debug, Clone, Copy)]
struct Tok {
    start: u32,
    end: u32,
    key_start: u32,
    key_end: u32,
}

/// The white-space separated words of normalised text.
fn tokens(norm: &Normalized) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut at = 0;
    for raw in norm.text.split(' ') {
        let start = at;
        at += raw.len() + 1;
        if raw.is_empty() {
            continue;
        }
        let key = key_of(raw);
        let key_start = start + (key.as_ptr() as usize - raw.as_ptr() as usize);
        out.push(Tok {
            start: start as u32,
            end: (start + raw.len()) as u32,
            key_start: key_start as u32,
            key_end: (key_start + key.len()) as u32,
        });
    }
    out
}

fn split_words<'a>(norm: &'a Normalized, original: &'a str) -> Vec<Word<'a>> {
    tokens(norm)
        .into_iter()
        .map(|t| {
            let range = t.start as usize..t.end as usize;
            Word {
                raw: &norm.text[range.clone()],
                key: &norm.text[t.key_start as usize..t.key_end as usize],
                shown: &original[norm.original(original, range.clone())],
                range,
            }
        })
        .collect()
}

/// The pieces of a quote between its ellipses, as words.
struct Fragment<'a> {
    words: Vec<Word<'a>>,
}

/// A quote's pieces between its ellipses, as words, with quote marks around the whole quote
/// dropped.
fn fragments_of<'a>(norm: &'a Normalized, original: &'a str) -> Vec<Fragment<'a>> {
    let mut fragments = vec![Fragment { words: Vec::new() }];
    for word in split_words(norm, original) {
        // Split at every `...` inside the word; brackets around an ellipsis go with it.
        let mut pieces: Vec<(usize, usize)> = Vec::new();
        let mut from = 0;
        while let Some(i) = word.raw[from..].find("...") {
            pieces.push((from, from + i));
            from += i + 3;
        }
        pieces.push((from, word.raw.len()));
        for (n, &(a, b)) in pieces.iter().enumerate() {
            if n > 0 {
                fragments.push(Fragment { words: Vec::new() });
            }
            let mut a = a;
            let mut b = b;
            // `[...]` and `(...)`: the brackets belong to the ellipsis.
            if n + 1 < pieces.len() && b > a && matches!(&word.raw[b - 1..b], "[" | "(") {
                b -= 1;
            }
            if n > 0 && b > a && matches!(&word.raw[a..a + 1], "]" | ")") {
                a += 1;
            }
            if a == b {
                continue;
            }
            let raw = &word.raw[a..b];
            let range = word.range.start + a..word.range.start + b;
            fragments
                .last_mut()
                .expect("one at least")
                .words
                .push(Word {
                    raw,
                    key: key_of(raw),
                    shown: &original[norm.original(original, range.clone())],
                    range,
                });
        }
    }
    fragments.retain(|f| !f.words.is_empty());
    // Quote marks around the whole quote are the analyst's, not the text's.
    if let Some(first) = fragments.first_mut().and_then(|f| f.words.first_mut()) {
        let trimmed = first.raw.trim_start_matches(['"', '\'']);
        first.raw = trimmed;
    }
    if let Some(last) = fragments.last_mut().and_then(|f| f.words.last_mut()) {
        let trimmed = last.raw.trim_end_matches(['"', '\'']);
        last.raw = trimmed;
    }
    for f in &mut fragments {
        f.words.retain(|w| !w.raw.is_empty());
    }
    fragments.retain(|f| !f.words.is_empty());
    fragments
}

/// A text file, normalised, split into words and indexed by word key.
struct Text<'a> {
    words: Vec<Tok>,
    index: HashMap<&'a str, Vec<u32>>,
    norm: &'a Normalized,
    original: &'a str,
}

/// The closest passage to a quote: a range of text words, the diff of the quote's words
/// against it, and the ratio of that diff.
struct Passage {
    words: std::ops::Range<usize>,
    ops: Vec<DiffOp>,
    ratio: f32,
}

impl<'a> Text<'a> {
    fn new(norm: &'a Normalized, original: &'a str) -> Text<'a> {
        let words = tokens(norm);
        let mut index: HashMap<&str, Vec<u32>> = HashMap::new();
        for (i, t) in words.iter().enumerate() {
            let key = &norm.text[t.key_start as usize..t.key_end as usize];
            if !key.is_empty() {
                index.entry(key).or_default().push(i as u32);
            }
        }
        Text {
            words,
            index,
            norm,
            original,
        }
    }

    /// Word `i` as normalised, punctuation included.
    fn raw(&self, i: usize) -> &'a str {
        let t = self.words[i];
        &self.norm.text[t.start as usize..t.end as usize]
    }

    /// Word `i`'s letters and digits.
    fn key(&self, i: usize) -> &'a str {
        let t = self.words[i];
        &self.norm.text[t.key_start as usize..t.key_end as usize]
    }

    /// Word `i` as written in the original.
    fn shown(&self, i: usize) -> &'a str {
        let t = self.words[i];
        let norm: &'a Normalized = self.norm;
        &self.original[norm.original(self.original, t.start as usize..t.end as usize)]
    }

    fn occurrences(&self, key: &str) -> &[u32] {
        self.index.get(key).map_or(&[], Vec::as_slice)
    }

    /// Whether every fragment occurs, in order, each after the previous one.
    fn contains(&self, fragments: &[Fragment<'_>]) -> bool {
        let mut from = 0;
        for fragment in fragments {
            match self.find(&fragment.words, from) {
                Some(end) => from = end,
                None => return false,
            }
        }
        true
    }

    /// The first place at or after word `from` where the words occur; returns the index of
    /// the text word after the match.
    fn find(&self, words: &[Word<'_>], from: usize) -> Option<usize> {
        // A fragment of punctuation only ("-") has no key to look up: scan for it.
        let Some((j, rarest)) = words
            .iter()
            .enumerate()
            .filter(|(_, w)| !w.key.is_empty())
            .min_by_key(|(j, w)| (self.occurrences(w.key).len(), *j))
        else {
            return (from..self.words.len().saturating_sub(words.len() - 1))
                .find(|&t| self.matches_at(words, t))
                .map(|t| t + words.len());
        };
        let positions = self.occurrences(rarest.key);
        let first = positions.partition_point(|&p| (p as usize) < from + j);
        positions[first..]
            .iter()
            .map(|&p| p as usize - j)
            .find(|&t| self.matches_at(words, t))
            .map(|t| t + words.len())
    }

    /// Whether the words occur starting at text word `t`: inner words exactly, the first word
    /// at the end of its text word and the last at the start of its, with only punctuation
    /// beside them.
    fn matches_at(&self, words: &[Word<'_>], t: usize) -> bool {
        if t + words.len() > self.words.len() {
            return false;
        }
        let n = words.len();
        words.iter().enumerate().all(|(k, w)| {
            let text = self.raw(t + k);
            let (first, last) = (k == 0, k + 1 == n);
            let bare = |s: &str| !s.chars().any(char::is_alphanumeric);
            match (first, last) {
                (false, false) => text == w.raw,
                (true, false) => text.strip_suffix(w.raw).is_some_and(bare),
                (false, true) => text.strip_prefix(w.raw).is_some_and(bare),
                (true, true) => text
                    .match_indices(w.raw)
                    .any(|(i, m)| bare(&text[..i]) && bare(&text[i + m.len()..])),
            }
        })
    }

    /// The passage most like the quote's words, found from the votes of its rarest words.
    fn closest(&self, quote: &[&Word<'_>]) -> Option<Passage> {
        let m = quote.len();
        let mut voters: Vec<(usize, usize)> = quote
            .iter()
            .enumerate()
            .filter(|(_, w)| !w.key.is_empty())
            .map(|(j, w)| (self.occurrences(w.key).len(), j))
            .filter(|&(n, _)| n > 0)
            .collect();
        voters.sort();
        let mut seen_keys: Vec<&str> = Vec::new();
        let mut votes: HashMap<usize, u32> = HashMap::new();
        let mut cast = 0;
        for &(df, j) in &voters {
            let key = quote[j].key;
            if seen_keys.contains(&key) {
                continue;
            }
            if seen_keys.len() == VOTERS || (cast > 0 && cast + df > MAX_VOTES) {
                break;
            }
            seen_keys.push(key);
            for &p in self.occurrences(key).iter().take(MAX_VOTES) {
                *votes.entry((p as usize).saturating_sub(j)).or_default() += 1;
            }
            cast += df.min(MAX_VOTES);
        }
        // The best-voted starts, most votes first, then earliest.
        let mut ranked: Vec<(u32, usize)> =
            votes.into_iter().map(|(start, n)| (n, start)).collect();
        let order = |a: &(u32, usize), b: &(u32, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        if ranked.len() > CANDIDATES {
            ranked.select_nth_unstable_by(CANDIDATES - 1, order);
            ranked.truncate(CANDIDATES);
        }
        ranked.sort_by(order);
        let quote_keys: Vec<&str> = quote.iter().map(|w| w.key).collect();
        let mut best: Option<Passage> = None;
        for &(_, start) in &ranked {
            for s in start.saturating_sub(SLACK)..=start + SLACK {
                if s >= self.words.len() {
                    break;
                }
                let window = s..(s + m).min(self.words.len());
                let candidate = self.score(&quote_keys, window);
                let better = match &best {
                    None => true,
                    Some(b) => {
                        candidate.ratio > b.ratio
                            || (candidate.ratio == b.ratio && candidate.words.start < b.words.start)
                    }
                };
                if better {
                    best = Some(candidate);
                }
            }
        }
        // Trim words at either end that match nothing in the quote, and diff again.
        let best = best?;
        let equal: Vec<std::ops::Range<usize>> = best
            .ops
            .iter()
            .filter(|op| matches!(op, DiffOp::Equal { .. }))
            .map(|op| op.new_range())
            .collect();
        let (first, last) = (equal.first()?, equal.last()?);
        let trimmed = best.words.start + first.start..best.words.start + last.end;
        Some(self.score(&quote_keys, trimmed))
    }

    fn score(&self, quote_keys: &[&str], window: std::ops::Range<usize>) -> Passage {
        let keys: Vec<&str> = window.clone().map(|i| self.key(i)).collect();
        let ops = capture_diff_slices(Algorithm::Myers, quote_keys, &keys);
        let ratio = diff_ratio(&ops, quote_keys.len(), keys.len());
        Passage {
            words: window,
            ops,
            ratio,
        }
    }

    /// The original span of a range of words.
    fn span(&self, file: FileId, words: std::ops::Range<usize>) -> Span {
        let start = self.words[words.start].start as usize;
        let end = self.words[words.end - 1].end as usize;
        Span::new(file, self.norm.original(self.original, start..end))
    }
}

/// A readable word diff: `the group had [-4,000-] {+6,000+} fighters`, long equal runs cut to
/// a few words around each change.
fn render_diff(quote: &[&str], passage: &[&str], ops: &[DiffOp]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (n, op) in ops.iter().enumerate() {
        match *op {
            DiffOp::Equal { old_index, len, .. } => {
                let run = &quote[old_index..old_index + len];
                let (head, tail) = (n > 0, n + 1 < ops.len());
                let keep = CONTEXT_WORDS;
                if run.len() > 3 * keep {
                    if head {
                        parts.push(run[..keep].join(" "));
                    }
                    parts.push("…".into());
                    if tail {
                        parts.push(run[run.len() - keep..].join(" "));
                    }
                } else {
                    parts.push(run.join(" "));
                }
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => parts.push(format!(
                "[-{}-]",
                quote[old_index..old_index + old_len].join(" ")
            )),
            DiffOp::Insert {
                new_index, new_len, ..
            } => parts.push(format!(
                "{{+{}+}}",
                passage[new_index..new_index + new_len].join(" ")
            )),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                parts.push(format!(
                    "[-{}-]",
                    quote[old_index..old_index + old_len].join(" ")
                ));
                parts.push(format!(
                    "{{+{}+}}",
                    passage[new_index..new_index + new_len].join(" ")
                ));
            }
        }
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, quote: &str) -> bool {
        let norm = normalize(text);
        let t = Text::new(&norm, text);
        let qn = normalize(quote);
        t.contains(&fragments_of(&qn, quote))
    }

    #[test]
    fn normalisation_ignores_case_spacing_quotes_dashes_and_accents() {
        let text = "The “Group” had\r\n  between 6,000 – 6,500\u{a0}fighters… said Ghafārī’s aide.";
        assert!(found(
            text,
            "the \"group\" had between 6,000 - 6,500 fighters..."
        ));
        assert!(found(text, "Ghafari's aide"));
        assert!(found(text, "\"between 6,000 – 6,500 fighters\""));
        assert!(!found(text, "between 6,000 – 6,800 fighters"));
    }

    #[test]
    fn words_match_whole() {
        let text = "an estimated 16,000 fighters, and firefighters.";
        assert!(!found(text, "6,000 fighters"));
        assert!(found(text, "16,000 fighters"));
        assert!(found(text, "fighters"));
        assert!(!found(text, "ighters"));
        assert!(found(text, "and firefighters"));
        assert!(found(text, "16,000"));
        assert!(!found(text, "000 fighters"));
    }

    #[test]
    fn ellipses_skip_words_in_order() {
        let text = "The group, which is based in Kunar, has about 4,000 members.";
        assert!(found(text, "The group ... has about 4,000 members"));
        assert!(found(text, "The group […] has about 4,000 members"));
        assert!(found(text, "The group… 4,000 members"));
        assert!(!found(text, "4,000 members ... the group"));
    }

    #[test]
    fn offsets_stay_on_character_boundaries() {
        let text =
            "Préambule\r\nLe groupe «ISIL-K» compte\r\nenviron 4 000 combattants à Kunar.\r\n";
        let norm = normalize(text);
        let t = Text::new(&norm, text);
        let quote = "le groupe ISIL-K compte environ 6 000 combattants";
        let qn = normalize(quote);
        let fragments = fragments_of(&qn, quote);
        assert!(!t.contains(&fragments));
        let words: Vec<&Word<'_>> = fragments.iter().flat_map(|f| &f.words).collect();
        let passage = t.closest(&words).expect("a passage");
        let span = t.span(FileId(0), passage.words.clone());
        let shown = &text[span.range()];
        assert!(shown.starts_with("Le groupe"), "{shown:?}");
        assert!(shown.ends_with("combattants"), "{shown:?}");
        assert!(shown.contains("\r\n"));
    }

    #[test]
    fn closest_passage_and_its_diff() {
        let mut text = String::new();
        for i in 0..2_000 {
            text.push_str(&format!(
                "Filler sentence number {i} about nothing in particular. "
            ));
        }
        text.push_str("The Monitoring Team assessed that the group had between 6,000 and 6,500 fighters in the east. ");
        text.push_str(&"More filler words follow here. ".repeat(1_000));
        let norm = normalize(&text);
        let t = Text::new(&norm, &text);
        let quote = "the group had between 4,000 and 6,500 fighters in the east";
        let qn = normalize(quote);
        let fragments = fragments_of(&qn, quote);
        assert!(!t.contains(&fragments));
        let words: Vec<&Word<'_>> = fragments.iter().flat_map(|f| &f.words).collect();
        let passage = t.closest(&words).expect("a passage");
        let span = t.span(FileId(0), passage.words.clone());
        assert_eq!(
            &text[span.range()],
            "the group had between 6,000 and 6,500 fighters in the east."
        );
        let quote_words: Vec<&str> = words.iter().map(|w| w.shown).collect();
        let shown: Vec<&str> = passage.words.clone().map(|i| t.shown(i)).collect();
        assert_eq!(
            render_diff(&quote_words, &shown, &passage.ops),
            "the group had between [-4,000-] {+6,000+} and 6,500 fighters in the east"
        );
    }

    #[test]
    fn long_equal_runs_are_cut() {
        let quote: Vec<&str> = "a b c d e f g h i j k l m n".split(' ').collect();
        let passage: Vec<&str> = "a b c d e f g h i j k l m x".split(' ').collect();
        let ops = capture_diff_slices(Algorithm::Myers, &quote, &passage);
        assert_eq!(render_diff(&quote, &passage, &ops), "… j k l m [-n-] {+x+}");
    }
}
