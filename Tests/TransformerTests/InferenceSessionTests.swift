import Testing
@testable import Transformer

/// Cached decoding against a full forward pass without a cache (InferenceReference, in Double).
/// Tolerance: |cached − reference| ≤ 2e-4 · (1 + |reference|) for every logit, at every position.
@Suite struct InferenceSessionTests {
    /// Widths that fill whole SIMD blocks, and odd widths that exercise every tail path.
    static let shapes = [
        GPTConfig(vocabularySize: 67, contextLength: 40, layers: 2, heads: 4, embeddingSize: 64),
        GPTConfig(vocabularySize: 29, contextLength: 24, layers: 2, heads: 2, embeddingSize: 20),
    ]

    static func expectClose(_ actual: UnsafeMutableBufferPointer<Float>, _ expected: [Double], _ context: String) {
        #expect(actual.count == expected.count)
        let worst = zip(actual, expected).map { abs(Double($0) - $1) / (1 + abs($1)) }.max() ?? 0
        #expect(worst <= 2e-4, "\(context): worst scaled difference \(worst)")
    }

    @Test(arguments: shapes)
    func oneTokenPerStepMatchesFullForward(config: GPTConfig) throws {
        let model = InferenceReference.randomModel(config, seed: 1)
        let tokens = InferenceReference.randomTokens(config.contextLength, vocabularySize: config.vocabularySize, seed: 2)
        let expected = InferenceReference.logits(model, tokens: tokens)
        let session = InferenceSession(parameters: model, batchCapacity: 1)
        for (t, token) in tokens.enumerated() {
            try session.advance([InferenceInput(slot: 0, tokens: [token])])
            Self.expectClose(session.logits(row: 0), expected[t], "position \(t)")
        }
        #expect(session.length(of: 0) == config.contextLength)
    }

    @Test(arguments: shapes)
    func prefillThenStepsMatchFullForward(config: GPTConfig) throws {
        let model = InferenceReference.randomModel(config, seed: 3)
        let tokens = InferenceReference.randomTokens(config.contextLength, vocabularySize: config.vocabularySize, seed: 4)
        let expected = InferenceReference.logits(model, tokens: tokens)
        let session = InferenceSession(parameters: model, batchCapacity: 1)
        // A prefill of more than 16 rows goes through sgemm; ask for every position's logits.
        let prompt = Array(tokens.prefix(config.contextLength - 5))
        let rows = try session.advance([InferenceInput(slot: 0, tokens: prompt)], logits: .everyPosition)
        #expect(rows == prompt.count)
        for t in 0..<prompt.count { Self.expectClose(session.logits(row: t), expected[t], "prefill position \(t)") }
        for t in prompt.count..<tokens.count {
            try session.advance([InferenceInput(slot: 0, tokens: [tokens[t]])])
            Self.expectClose(session.logits(row: 0), expected[t], "step position \(t)")
        }
    }

    @Test(arguments: shapes)
    func batchedSequencesOfDifferentLengthsMatchFullForward(config: GPTConfig) throws {
        let model = InferenceReference.randomModel(config, seed: 5)
        let lengths = [config.contextLength, config.contextLength - 3, config.contextLength / 2, 7, config.contextLength - 1]
        let sequences = lengths.enumerated().map { i, n in
            InferenceReference.randomTokens(n, vocabularySize: config.vocabularySize, seed: 10 + UInt64(i))
        }
        let expected = sequences.map { InferenceReference.logits(model, tokens: $0) }
        let promptLengths = [3, 1, 5, 2, 6]
        let session = InferenceSession(parameters: model, batchCapacity: 6)
        // Slots deliberately not 0..<n, to catch a slot/row mix-up; all prompts in one prefill.
        let slots = [5, 0, 3, 1, 2]
        try session.advance(sequences.indices.map { InferenceInput(slot: slots[$0], tokens: Array(sequences[$0].prefix(promptLengths[$0]))) })
        for i in sequences.indices { Self.expectClose(session.logits(row: i), expected[i][promptLengths[i] - 1], "sequence \(i) prefill") }
        var fed = promptLengths
        while true {
            let live = sequences.indices.filter { fed[$0] < sequences[$0].count }
            if live.isEmpty { break }
            try session.advance(live.map { InferenceInput(slot: slots[$0], tokens: [sequences[$0][fed[$0]]]) })
            for (row, i) in live.enumerated() {
                Self.expectClose(session.logits(row: row), expected[i][fed[i]], "sequence \(i) position \(fed[i])")
                fed[i] += 1
            }
        }
    }

    /// 8 rows fill the 8-row register block of the packed product; 13 rows take one full block and
    /// one padded with repeated rows (still below the sgemm threshold). 3C = 192 and 4C = 256 are
    /// whole panels, V = 50 is not; 20 positions span two key blocks of 16.
    @Test(arguments: [8, 13])
    func batchedStepsUseTheMultiRowKernel(batch: Int) throws {
        let config = GPTConfig(vocabularySize: 50, contextLength: 20, layers: 1, heads: 2, embeddingSize: 64)
        let model = InferenceReference.randomModel(config, seed: 7)
        let sequences = (0..<batch).map { InferenceReference.randomTokens(20, vocabularySize: 50, seed: 20 + UInt64($0)) }
        let expected = sequences.map { InferenceReference.logits(model, tokens: $0) }
        let session = InferenceSession(parameters: model, batchCapacity: batch)
        for t in 0..<20 {
            try session.advance((0..<batch).map { InferenceInput(slot: $0, tokens: [sequences[$0][t]]) })
            for i in 0..<batch { Self.expectClose(session.logits(row: i), expected[i][t], "sequence \(i) position \(t)") }
        }
    }

    @Test func refusedCallsLeaveTheCacheUnchanged() throws {
        let config = GPTConfig(vocabularySize: 10, contextLength: 4, layers: 1, heads: 1, embeddingSize: 8)
        let session = InferenceSession(parameters: InferenceReference.randomModel(config, seed: 8), batchCapacity: 2)
        try session.advance([InferenceInput(slot: 0, tokens: [1, 2, 3])])
        #expect(throws: InferenceError.contextFull(slot: 0, length: 3, adding: 2, contextLength: 4)) {
            try session.advance([InferenceInput(slot: 1, tokens: [1]), InferenceInput(slot: 0, tokens: [4, 5])])
        }
        #expect(throws: InferenceError.tokenOutOfRange(token: 10, vocabularySize: 10)) {
            try session.advance([InferenceInput(slot: 1, tokens: [10])])
        }
        #expect(throws: InferenceError.duplicateSlot(slot: 1)) {
            try session.advance([InferenceInput(slot: 1, tokens: [1]), InferenceInput(slot: 1, tokens: [2])])
        }
        #expect(throws: InferenceError.slotOutOfRange(slot: 2, slots: 2)) { try session.advance([InferenceInput(slot: 2, tokens: [1])]) }
        #expect(throws: InferenceError.emptyInput(slot: 1)) { try session.advance([InferenceInput(slot: 1, tokens: [])]) }
        #expect(session.length(of: 0) == 3 && session.length(of: 1) == 0)
        #expect(InferenceError.contextFull(slot: 0, length: 3, adding: 2, contextLength: 4).description.contains("context length 4"))
    }

    @Test func resetSlotStartsAFreshSequence() throws {
        let config = GPTConfig(vocabularySize: 31, contextLength: 16, layers: 2, heads: 2, embeddingSize: 32)
        let model = InferenceReference.randomModel(config, seed: 9)
        let tokens = InferenceReference.randomTokens(6, vocabularySize: 31, seed: 10)
        let expected = InferenceReference.logits(model, tokens: tokens)
        let session = InferenceSession(parameters: model, batchCapacity: 1)
        try session.advance([InferenceInput(slot: 0, tokens: [3, 4, 5, 6, 7, 8, 9])])
        session.reset(slot: 0)
        try session.advance([InferenceInput(slot: 0, tokens: tokens)])
        Self.expectClose(session.logits(row: 0), expected[5], "after reset")
    }

    /// The training model's full forward pass (GPT.forward, batch 3) against cached decoding of the
    /// same three sequences advancing together: same tolerance as against the reference.
    @Test(arguments: shapes)
    func cachedDecodingMatchesTheTrainingModelsForward(config: GPTConfig) throws {
        let model = InferenceReference.randomModel(config, seed: 11)
        let T = config.contextLength
        let sequences = (0..<3).map { InferenceReference.randomTokens(T, vocabularySize: config.vocabularySize, seed: 30 + UInt64($0)) }
        let gpt = GPT(parameters: model, maxBatch: 3, threads: 2)
        gpt.forward(tokens: sequences.flatMap { $0 }, targets: nil, batch: 3, length: T, training: false)
        let V = config.vocabularySize
        let full = Array(gpt.logits)
        let session = InferenceSession(parameters: model, batchCapacity: 3)
        let promptLengths = [1, 4, T / 2]
        try session.advance((0..<3).map { InferenceInput(slot: $0, tokens: Array(sequences[$0].prefix(promptLengths[$0]))) })
        var fed = promptLengths
        for i in 0..<3 {
            let t = fed[i] - 1
            Self.expectClose(session.logits(row: i), full[(i * T + t) * V ..< (i * T + t + 1) * V].map(Double.init), "sequence \(i) prefill")
        }
        while fed.contains(where: { $0 < T }) {
            let live = (0..<3).filter { fed[$0] < T }
            try session.advance(live.map { InferenceInput(slot: $0, tokens: [sequences[$0][fed[$0]]]) })
            for (row, i) in live.enumerated() {
                let t = fed[i]
                Self.expectClose(session.logits(row: row), full[(i * T + t) * V ..< (i * T + t + 1) * V].map(Double.init), "sequence \(i) position \(t)")
                fed[i] += 1
            }
        }
    }
}
