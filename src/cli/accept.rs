//! `crosscheck accept FINGERPRINT --reason "…" [PATH...]`: records an acceptance in the data
//! set's `accepted.toml`.

use std::path::PathBuf;

use clap::Args;

use super::{EXIT_BAD_INPUT, Format, Output, load_and_check, parse_today, system_today};
use crate::accept::{self, NewAcceptance};
use crate::value::Day;

#[derive(Debug, Args)]
pub struct AcceptArgs {
    /// The finding's fingerprint, as every report prints it.
    pub fingerprint: String,
    /// Data files or folders (default: the current directory); `accepted.toml` is at the root.
    pub paths: Vec<PathBuf>,
    /// Why the finding is explained (required, not empty).
    #[arg(long)]
    pub reason: String,
    /// Who accepts it, recorded as `by`.
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// The date recorded, also taken as today by the `stale` rule (default: the system date).
    #[arg(long, value_name = "DATE", value_parser = parse_today)]
    pub today: Option<Day>,
}

pub fn run(args: AcceptArgs, color: bool) -> u8 {
    let (data, report) = match load_and_check(&args.paths, &check_options(args.today), color) {
        Ok(done) => done,
        Err(code) => return code,
    };
    let acceptance = NewAcceptance {
        finding: args.fingerprint.trim().to_string(),
        reason: args.reason,
        by: args.by,
        date: args.today.unwrap_or_else(system_today),
    };
    match accept::accept(&data, &report, &acceptance) {
        Ok(path) => {
            println!(
                "accepted {}: recorded in {}",
                acceptance.finding,
                path.display()
            );
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_BAD_INPUT
        }
    }
}

/// What `load_and_check` needs from a command that prints no report: every rule, and the day.
pub(super) fn check_options(today: Option<Day>) -> Output {
    Output {
        format: Format::Human,
        file: None,
        fail_on: None,
        today,
        select: Vec::new(),
        no_cache: false,
        cache_dir: None,
    }
}
