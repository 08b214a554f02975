import Support

/// One logged training step.
public struct TrainingLogEntry: Equatable, Sendable {
    public var step: Int
    public var learningRate: Float
    public var loss: Float
    /// Validation loss when it was evaluated at this step.
    public var validationLoss: Float?
    public var tokensPerSecond: Double
    public var gradientNorm: Float

    public init(step: Int, learningRate: Float, loss: Float, validationLoss: Float?, tokensPerSecond: Double, gradientNorm: Float) {
        self.step = step
        self.learningRate = learningRate
        self.loss = loss
        self.validationLoss = validationLoss
        self.tokensPerSecond = tokensPerSecond
        self.gradientNorm = gradientNorm
    }
}

/// The training log beside a checkpoint: `log.csv` (step, lr, loss, val_loss, tokens_per_s,
/// grad_norm) and `loss.svg`, a plot of both losses. Both are rewritten atomically, so a reader
/// or a crash never sees half a file, and both survive a resume (the log is reloaded and cut back
/// to the checkpoint's step).
public struct TrainingLog: Sendable {
    public private(set) var entries: [TrainingLogEntry] = []
    public static let header = "step,lr,loss,val_loss,tokens_per_s,grad_norm"

    public init() {}

    public mutating func append(_ entry: TrainingLogEntry) { entries.append(entry) }

    /// Drops entries after `step` (on resume from a checkpoint taken at `step`).
    public mutating func truncate(after step: Int) { entries.removeAll { $0.step > step } }

    public var csv: String {
        var lines = [Self.header]
        for e in entries {
            let validation = e.validationLoss.map { "\($0)" } ?? ""
            lines.append("\(e.step),\(e.learningRate),\(e.loss),\(validation),\(Int(e.tokensPerSecond.rounded())),\(e.gradientNorm)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads a log written by `csv`; a missing file gives an empty log.
    public static func load(path: String) throws -> TrainingLog {
        var log = TrainingLog()
        guard FileContents.exists(path) else { return log }
        let text = try FileContents.readText(path)
        for (index, line) in text.split(separator: "\n").enumerated() {
            if index == 0 {
                if line != Self.header { throw InputError.malformed(source: path, line: 1, what: "not a copygen training log") }
                continue
            }
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 6, let step = Int(f[0]), let lr = Float(f[1]), let loss = Float(f[2]),
                  let tps = Double(f[4]), let norm = Float(f[5]) else {
                throw InputError.malformed(source: path, line: index + 1, what: "malformed log line")
            }
            log.append(TrainingLogEntry(step: step, learningRate: lr, loss: loss, validationLoss: Float(f[3]),
                                        tokensPerSecond: tps, gradientNorm: norm))
        }
        return log
    }

    public func write(directory: String) throws {
        try AtomicFile.write(csv, to: directory + "/log.csv")
        try AtomicFile.write(LossPlot.svg(entries), to: directory + "/loss.svg")
    }
}
