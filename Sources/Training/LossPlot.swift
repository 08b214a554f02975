/// A small SVG line chart of training and validation loss against step.
public enum LossPlot {
    public static func svg(_ entries: [TrainingLogEntry], width: Int = 640, height: Int = 360) -> String {
        let left = 56.0, right = 16.0, top = 28.0, bottom = 40.0
        let plotWidth = Double(width) - left - right, plotHeight = Double(height) - top - bottom
        let training = entries.filter { $0.loss.isFinite }.map { (Double($0.step), Double($0.loss)) }
        let validation = entries.compactMap { e in e.validationLoss.flatMap { $0.isFinite ? (Double(e.step), Double($0)) : nil } }
        let all = training + validation
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"11\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        svg += "<text x=\"\(left)\" y=\"18\" font-size=\"13\">copygen training loss</text>\n"
        guard let firstStep = all.map(\.0).min(), let lastStep = all.map(\.0).max(),
              let lowest = all.map(\.1).min(), let highest = all.map(\.1).max() else {
            return svg + "<text x=\"\(left)\" y=\"\(top + 20)\">no steps logged yet</text>\n</svg>\n"
        }
        let xSpan = max(lastStep - firstStep, 1), ySpan = max(highest - lowest, 1e-6)
        func x(_ step: Double) -> Double { left + (step - firstStep) / xSpan * plotWidth }
        func y(_ loss: Double) -> Double { top + (highest - loss) / ySpan * plotHeight }
        func fmt(_ v: Double) -> String { String(Double(Int(v * 100)) / 100) }
        svg += "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(left + plotWidth)\" y2=\"\(top + plotHeight)\" stroke=\"#444\"/>\n"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotHeight)\" stroke=\"#444\"/>\n"
        for k in 0...4 {
            let value = lowest + ySpan * Double(k) / 4
            svg += "<text x=\"\(left - 6)\" y=\"\(fmt(y(value)) )\" text-anchor=\"end\" dominant-baseline=\"middle\">\(fmt(value))</text>\n"
            let step = firstStep + xSpan * Double(k) / 4
            svg += "<text x=\"\(fmt(x(step)))\" y=\"\(top + plotHeight + 16)\" text-anchor=\"middle\">\(Int(step))</text>\n"
        }
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(Double(height) - 6)\" text-anchor=\"middle\">step</text>\n"
        for (points, color, name, row) in [(training, "#1f77b4", "train", 0), (validation, "#d62728", "validation", 1)] where !points.isEmpty {
            let path = points.map { "\(fmt(x($0.0))),\(fmt(y($0.1)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(path)\"/>\n"
            let legendY = top + 8 + Double(row) * 14
            svg += "<line x1=\"\(left + plotWidth - 90)\" y1=\"\(legendY)\" x2=\"\(left + plotWidth - 72)\" y2=\"\(legendY)\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            svg += "<text x=\"\(left + plotWidth - 68)\" y=\"\(legendY)\" dominant-baseline=\"middle\">\(name)</text>\n"
        }
        return svg + "</svg>\n"
    }
}
