//! The `telemercadeo` binary: parse the command line, then open the window or run a command.

use std::process::ExitCode;

use clap::Parser;
use telemercadeo::cli::{self, Cli};

fn main() -> ExitCode {
    env_logger::init();
    let args = Cli::parse();
    match &args.command {
        None => telemercadeo::ui::run_native(cli::target_of(args.db.as_deref())),
        Some(command) => cli::run(&args, command),
    }
}
