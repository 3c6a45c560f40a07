// mimalloc rather than the system allocator: loading a data set makes millions of small
// allocations from two threads, where glibc's malloc spent a sixth of the check's time.
// Only the binary chooses (with the default feature `mimalloc`); the library leaves the choice
// to whoever links it. Built with `no_thp` (Cargo.toml): mimalloc otherwise asks Linux for
// transparent huge pages, and each first touch of one clears 2 MiB at once; at 1M claims that
// tripled the kernel's time and made runs swing by a second (bench/RESULTS.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    crosscheck::cli::main()
}
