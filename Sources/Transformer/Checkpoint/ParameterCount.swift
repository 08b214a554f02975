extension GPTConfig {
    /// Floats in the model's weights (`ParameterLayout(config:).count`), computed without trapping:
    /// nil when the count does not fit in an Int or the shape has a problem. A config.json read from
    /// a file may claim any size; this lets a loader compare the claim with the bytes the weights
    /// file really holds before allocating anything.
    public var checkedParameterCount: Int? {
        guard problems.isEmpty else { return nil }
        let C = embeddingSize
        // V·C + T·C + L·(12·C² + 13·C) + 2·C: embeddings, blocks (attention 4C², MLP 8C², biases and
        // norms 13C), final norm.
        func product(_ a: Int, _ b: Int) -> Int? {
            let (value, overflow) = a.multipliedReportingOverflow(by: b)
            return overflow ? nil : value
        }
        func sum(_ terms: [Int?]) -> Int? {
            var total = 0
            for term in terms {
                guard let term else { return nil }
                let (value, overflow) = total.addingReportingOverflow(term)
                if overflow { return nil }
                total = value
            }
            return total
        }
        guard let squared = product(C, C), let block = sum([product(12, squared), product(13, C)]) else { return nil }
        return sum([product(vocabularySize, C), product(contextLength, C), product(layers, block), product(2, C)])
    }
}
