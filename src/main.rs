// mimalloc rather than the system allocator: loading a data set makes millions of small
// allocations from two threads, where glibc's malloc spent a sixth of the check's time.
// Only the binary chooses; the library leaves the choice to whoever links it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    crosscheck::cli::main()
}
