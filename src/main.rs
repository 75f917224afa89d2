use std::process::ExitCode;

fn main() -> ExitCode {
    broadsheet::cli::main()
}
