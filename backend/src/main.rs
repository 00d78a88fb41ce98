fn main() -> std::process::ExitCode {
    limitar_arenas();
    match trazo::cli::run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// glibc gives each thread that allocates at once an arena of its own (up to eight per core),
/// and what is freed in one arena stays there: fifty people working at once on a million
/// invoices grew the server to 720 MiB, 211 MiB with two arenas and the same throughput
/// (BENCHMARKS.md, issue 17). `MALLOC_ARENA_MAX` in the environment still decides when set.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limitar_arenas() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only tunes the allocator; it runs before any other thread exists.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limitar_arenas() {}
