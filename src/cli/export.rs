//! `crosscheck export [PATH...] --format jsonl|csv`: every resolved claim as one flat row, for
//! DuckDB, pandas or a spreadsheet (columns in [`crate::export`]).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::load::{self, LoadOptions};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Data files or folders (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    pub format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(long = "output", short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Parse every file afresh: do not read or write the parse cache.
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// JSON Lines: one object per claim.
    Jsonl,
    /// CSV with a header line (RFC 4180 quoting).
    Csv,
}

pub fn run(args: ExportArgs, color: bool) -> u8 {
    let options = LoadOptions {
        use_cache: !args.no_cache,
        cache_dir: None,
    };
    let data = match load::load_with(&args.paths, &options) {
        Ok(data) => data,
        Err(failure) => return super::print_errors(&failure.errors, &failure.files, color),
    };
    let written = super::write_output_with(args.output.as_deref(), |out| match args.format {
        ExportFormat::Jsonl => crate::export::write_jsonl(&data, out),
        ExportFormat::Csv => crate::export::write_csv(&data, out),
    });
    let code = match written {
        Ok(()) => 0,
        Err(code) => code,
    };
    super::leave_to_exit(data);
    code
}
