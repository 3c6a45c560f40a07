//! "Did you mean" suggestions for misspelt keys, ids and names.

/// The candidate closest to `input`, if one is close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let input_folded = input.to_lowercase();
    candidates
        .into_iter()
        .filter(|c| !c.is_empty())
        .map(|c| (strsim::jaro_winkler(&input_folded, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.82)
        // Highest score first; among equals the alphabetically first, so output is stable.
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// The help line for a suggestion: `did you mean "claim"?`.
pub fn help_for(suggestion: Option<&str>) -> Option<String> {
    suggestion.map(|s| format!("did you mean `{s}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let keys = ["subject", "property", "value", "as_of", "according_to"];
        assert_eq!(did_you_mean("subjet", keys), Some("subject"));
        assert_eq!(did_you_mean("acording_to", keys), Some("according_to"));
        assert_eq!(did_you_mean("asof", keys), Some("as_of"));
        assert_eq!(did_you_mean("colour", keys), None);
    }
}
