#if canImport(Glibc)
import Glibc
#endif

/// Progress of long work on standard error: a redrawn bar on a terminal, plain periodic lines
/// otherwise (a log file or CI), so that both people and logs can follow a long run.
public final class ProgressReporter {
    /// What the work is, e.g. "training tokenizer".
    public let title: String
    /// The total number of units, or nil when unknown.
    public let total: Int?
    private let isTerminal: Bool
    private let lineInterval: Double
    private let startTime: Double
    private var lastDraw = -1.0
    private var finished = false
    private let silent: Bool

    /// - Parameters:
    ///   - lineInterval: seconds between plain progress lines when standard error is not a terminal.
    ///   - silent: no output at all (for library callers and tests).
    public init(title: String, total: Int?, lineInterval: Double = 10, silent: Bool = false) {
        self.title = title
        self.total = total
        self.isTerminal = isatty(STDERR_FILENO) == 1
        self.lineInterval = lineInterval
        self.startTime = Self.now()
        self.silent = silent
    }

    /// Seconds since the reporter was created.
    public var elapsed: Double { Self.now() - startTime }

    /// Reports that `done` units are finished; `detail` is appended (e.g. "loss 2.31").
    public func update(_ done: Int, detail: String = "") {
        if silent || finished { return }
        let now = Self.now()
        let interval = isTerminal ? 0.1 : lineInterval
        if lastDraw >= 0 && now - lastDraw < interval { return }
        // Stay quiet for the first second: short work needs no progress display.
        if now - startTime < 1 { return }
        lastDraw = now
        emit(done, detail: detail, final: false)
    }

    /// Ends the display with a final line.
    public func finish(_ done: Int, detail: String = "") {
        if silent || finished { return }
        finished = true
        if Self.now() - startTime < 1 && !isTerminal { return }
        emit(done, detail: detail, final: true)
    }

    private func emit(_ done: Int, detail: String, final: Bool) {
        let elapsed = Self.now() - startTime
        var text = "\(title): "
        if let total, total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            if isTerminal {
                let width = 24
                let filled = Int(fraction * Double(width))
                text += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            }
            text += "\(done)/\(total) (\(Int(fraction * 100))%)"
            if done > 0 && !final {
                let remaining = elapsed / Double(done) * Double(total - done)
                text += " eta \(Self.formatDuration(remaining))"
            }
        } else {
            text += "\(done)"
        }
        text += " elapsed \(Self.formatDuration(elapsed))"
        if !detail.isEmpty { text += " " + detail }
        let line = isTerminal ? "\r\u{1B}[K" + text + (final ? "\n" : "") : text + "\n"
        DescriptorOutput.standardError(line)
    }

    /// "1h02m", "3m05s" or "12.3s".
    public static func formatDuration(_ seconds: Double) -> String {
        if !seconds.isFinite { return "?" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(pad2((s % 3600) / 60))m" }
        if s >= 60 { return "\(s / 60)m\(pad2(s % 60))s" }
        return String(Double(Int(seconds * 10)) / 10) + "s"
    }

    private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Monotonic seconds.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
