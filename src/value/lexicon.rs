//! Vague words (`several`, `dozens`) and the intervals they stand for, plus the other settings
//! that change how quantities read (the approximation tolerance).

use super::Interval;
use super::words::{PResult, error, first_letter_differs, match_phrase};

/// How quantity strings are read: settable in `crosscheck.toml` (SPEC section 8).
#[derive(Debug, Clone, PartialEq)]
pub struct ValueSettings {
    /// The widening of approximate values such as `around 400`, as a fraction (0.10 = 10%).
    pub approximation: f64,
    /// Vague words and phrases.
    pub lexicon: Lexicon,
}

impl Default for ValueSettings {
    fn default() -> Self {
        ValueSettings {
            approximation: 0.10,
            lexicon: Lexicon::default(),
        }
    }
}

/// Vague words and phrases with the interval each stands for.
///
/// Phrases are stored lower-case with single spaces between words and matched
/// case-insensitively, with any run of whitespace between words, longest phrase first (so
/// `tens of thousands` wins over `tens`).
#[derive(Debug, Clone, PartialEq)]
pub struct Lexicon {
    /// Sorted longest phrase first, then alphabetically, so iteration and matching are stable.
    entries: Vec<(String, Interval)>,
}

/// The built-in vague words: SPEC section 3's five, plus plurals of larger magnitudes and
/// `tens`/`a handful`, read on the same pattern (a plural means at least two of the unit).
const DEFAULT_WORDS: &[(&str, f64, f64)] = &[
    ("a few", 2.0, 5.0),
    ("a handful", 2.0, 5.0),
    ("several", 3.0, 9.0),
    ("tens", 20.0, 99.0),
    ("dozens", 24.0, 99.0),
    ("hundreds", 200.0, 999.0),
    ("thousands", 2_000.0, 9_999.0),
    ("tens of thousands", 20_000.0, 99_999.0),
    ("hundreds of thousands", 200_000.0, 999_999.0),
    ("millions", 2_000_000.0, 9_999_999.0),
];

impl Default for Lexicon {
    fn default() -> Self {
        let mut lexicon = Lexicon {
            entries: Vec::new(),
        };
        for &(phrase, low, high) in DEFAULT_WORDS {
            lexicon.insert(phrase, Interval::closed(low, high));
        }
        lexicon
    }
}

/// Lower case, single spaces: the form phrases are stored and looked up in.
fn normalize(phrase: &str) -> String {
    phrase
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Lexicon {
    /// Adds a phrase or replaces its meaning. A phrase with no words in it is ignored: it could
    /// never match anything.
    pub fn insert(&mut self, phrase: &str, value: Interval) {
        let phrase = normalize(phrase);
        if phrase.is_empty() {
            return;
        }
        self.entries.retain(|(p, _)| *p != phrase);
        self.entries.push((phrase, value));
        self.entries.sort_by(|(a, _), (b, _)| {
            b.chars()
                .count()
                .cmp(&a.chars().count())
                .then_with(|| a.cmp(b))
        });
    }

    /// The interval a phrase stands for, looked up case- and spacing-insensitively.
    pub fn get(&self, phrase: &str) -> Option<Interval> {
        let phrase = normalize(phrase);
        self.entries
            .iter()
            .find(|(p, _)| *p == phrase)
            .map(|&(_, v)| v)
    }

    /// Every phrase (normalized) with its interval, longest first.
    pub fn phrases(&self) -> impl Iterator<Item = (&str, Interval)> {
        self.entries.iter().map(|(p, v)| (p.as_str(), *v))
    }

    /// Whether some phrase begins with the ASCII letters `word` (in any case) as its first
    /// word: for skipping words of prose that no phrase can start with.
    pub(crate) fn has_first_word(&self, word: &str) -> bool {
        self.entries.iter().any(|(phrase, _)| {
            let first = phrase.bytes().take_while(u8::is_ascii_alphabetic).count();
            first == 0 || phrase[..first].eq_ignore_ascii_case(word)
        })
    }

    /// The longest phrase at the start of `input`, with its interval.
    pub(crate) fn phrase_at<'a>(&self, input: &'a str) -> PResult<'a, Interval> {
        let first = input.as_bytes().first().copied();
        for (phrase, value) in &self.entries {
            if first_letter_differs(first, phrase) {
                continue;
            }
            if let Some(n) = match_phrase(input, phrase) {
                return Ok((&input[n..], *value));
            }
        }
        error(input, "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_spec() {
        let lexicon = Lexicon::default();
        assert_eq!(lexicon.get("a few"), Some(Interval::closed(2.0, 5.0)));
        assert_eq!(lexicon.get("Several"), Some(Interval::closed(3.0, 9.0)));
        assert_eq!(lexicon.get("dozens"), Some(Interval::closed(24.0, 99.0)));
        assert_eq!(
            lexicon.get("hundreds"),
            Some(Interval::closed(200.0, 999.0))
        );
        assert_eq!(
            lexicon.get("thousands"),
            Some(Interval::closed(2000.0, 9999.0))
        );
        assert_eq!(lexicon.get("scores"), None);
        assert_eq!(ValueSettings::default().approximation, 0.10);
    }

    #[test]
    fn longest_phrase_wins() {
        let lexicon = Lexicon::default();
        let (rest, v) = lexicon.phrase_at("Tens  of thousands of people").unwrap();
        assert_eq!(v, Interval::closed(20_000.0, 99_999.0));
        assert_eq!(rest, " of people");
        let (_, v) = lexicon.phrase_at("tens of fighters").unwrap();
        assert_eq!(v, Interval::closed(20.0, 99.0));
        assert!(lexicon.phrase_at("dozensx").is_err());
    }

    #[test]
    fn user_phrases_extend_and_override() {
        let mut lexicon = Lexicon::default();
        lexicon.insert("Scores", Interval::closed(40.0, 99.0));
        lexicon.insert("a  few", Interval::closed(3.0, 4.0));
        lexicon.insert("   ", Interval::closed(1.0, 1.0));
        assert_eq!(lexicon.get("SCORES"), Some(Interval::closed(40.0, 99.0)));
        assert_eq!(lexicon.get("a few"), Some(Interval::closed(3.0, 4.0)));
        assert_eq!(lexicon.phrases().count(), DEFAULT_WORDS.len() + 1);
        let lengths: Vec<usize> = lexicon.phrases().map(|(p, _)| p.len()).collect();
        assert!(lengths.windows(2).all(|w| w[0] >= w[1]));
    }
}
