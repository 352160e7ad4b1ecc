use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = tipline::cli::Cli::parse();
    // Terminal commands piped into `head` should stop quietly, like other Unix
    // tools. The server keeps Rust's default (ignore SIGPIPE) so a closed
    // socket is an error to handle, not a kill.
    #[cfg(unix)]
    if !matches!(cli.command, None | Some(tipline::cli::Command::Serve)) {
        // SAFETY: called before any threads start; restores the default disposition.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    tipline::cli::init_tracing();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(tipline::cli::run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
