//! `crosscheck check [PATH...]`: the CI command.

use std::path::PathBuf;

use clap::Args;

use super::{FailOn, Output, load_and_check};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Data files or folders (default: the current directory).
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub output: Output,
}

pub fn run(args: CheckArgs, color: bool) -> u8 {
    let (data, report) = match load_and_check(&args.paths, &args.output, color) {
        Ok(done) => done,
        Err(code) => return code,
    };
    let text = super::render(&data, &report, args.output.format, color && args.output.file.is_none());
    if let Err(code) = args.output.write(&text) {
        return code;
    }
    let fail_on = args.output.fail_on.or(data.settings.fail_on.map(FailOn::from)).unwrap_or(FailOn::Error);
    u8::from(fail_on.fails(&report))
}
