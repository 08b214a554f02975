#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Ctrl-C (SIGINT) and SIGTERM as a flag that long work polls between steps, so that it can save
/// what it has and stop cleanly instead of dying mid-write.
public enum InterruptFlag {
    private static let raised = Atomic<Bool>(false)

    /// Installs the handlers; after this, the first Ctrl-C sets the flag and a second one exits at once.
    public static func install() {
        // A blocked signal mask is inherited across exec (a parent that blocks SIGINT in the
        // thread that spawned us would make Ctrl-C vanish): unblock the two we handle.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        signal(SIGINT) { _ in
            if InterruptFlag.raised.exchange(true, ordering: .relaxed) { _exit(130) }
        }
        signal(SIGTERM) { _ in
            if InterruptFlag.raised.exchange(true, ordering: .relaxed) { _exit(143) }
        }
    }

    /// Whether an interrupt arrived since `install()` (or `reset()`).
    public static var isRaised: Bool { raised.load(ordering: .relaxed) }

    public static func reset() { raised.store(false, ordering: .relaxed) }
}
