import Tokenizer
import Transformer

/// A token still in the running, with its (scaled) logit or probability.
public struct Candidate: Sendable, Equatable {
    public var token: TokenID
    /// A logit before `softmax`, a probability after it.
    public var value: Float

    public init(token: TokenID, value: Float) {
        self.token = token
        self.value = value
    }
}

/// The individual samplers, each a small function over the logits or the candidate list, so each
/// can be tested on a hand-made distribution. `TokenSampler` composes them in the documented order.
public enum LogitProcessors {
    /// logits[t] += bias for each listed token in range.
    public static func addBias(_ logits: UnsafeMutableBufferPointer<Float>, _ bias: [TokenID: Float]) {
        for (token, value) in bias where token >= 0 && Int(token) < logits.count { logits[Int(token)] += value }
    }

    /// Sets the listed tokens' logits to −∞ so they are never chosen.
    public static func ban(_ logits: UnsafeMutableBufferPointer<Float>, _ tokens: some Sequence<TokenID>) {
        for token in tokens where token >= 0 && Int(token) < logits.count { logits[Int(token)] = -.infinity }
    }

    /// Penalises the tokens among the last `window` of `history`: each distinct token's logit is
    /// divided by `repetition` when positive (multiplied when negative; CTRL's rule), lowered by
    /// `presence` once, and by `frequency` per occurrence. `counts` is V zeros of scratch, left zero.
    public static func applyPenalties(
        _ logits: UnsafeMutableBufferPointer<Float>, history: some BidirectionalCollection<TokenID>, window: Int,
        repetition: Float, presence: Float, frequency: Float, counts: inout [UInt16]
    ) {
        guard window > 0, repetition != 1 || presence != 0 || frequency != 0 else { return }
        let recent = history.suffix(window)
        for token in recent where token >= 0 && Int(token) < counts.count { counts[Int(token)] &+= 1 }
        for token in recent where token >= 0 && Int(token) < counts.count && counts[Int(token)] > 0 {
            let i = Int(token)
            var logit = logits[i]
            if logit.isFinite {
                logit = logit > 0 ? logit / repetition : logit * repetition
                logit -= presence + frequency * Float(counts[i])
                logits[i] = logit
            }
            counts[i] = 0  // each distinct token once; also leaves the scratch zeroed
        }
    }

    /// The token with the highest logit (the lowest id among equals), or nil when all are −∞ or NaN.
    public static func greedy(_ logits: UnsafeMutableBufferPointer<Float>) -> TokenID? {
        var best = -Float.infinity, bestToken: TokenID? = nil
        for i in logits.indices where logits[i] > best {
            best = logits[i]
            bestToken = TokenID(i)
        }
        return bestToken
    }

    /// The finite logits divided by `temperature`, as candidates (in token order).
    public static func candidates(_ logits: UnsafeMutableBufferPointer<Float>, temperature: Float, into list: inout [Candidate]) {
        list.removeAll(keepingCapacity: true)
        let inverse = 1 / temperature
        for i in logits.indices where logits[i] > -.infinity && !logits[i].isNaN {
            list.append(Candidate(token: TokenID(i), value: logits[i] * inverse))
        }
    }

    /// `candidates` then `topK` in one pass, for k > 0: the k best of the finite logits divided by
    /// `temperature`, sorted as `topK` sorts them. Blocks of 16 logits with none above the k-th
    /// best so far are skipped with one vector compare, so after the first few hundred tokens a
    /// step costs about one multiply and compare per 16 tokens instead of a candidate per token.
    public static func topCandidates(_ logits: UnsafeMutableBufferPointer<Float>, temperature: Float, k: Int,
                                     into list: inout [Candidate]) {
        precondition(k > 0, "topCandidates needs k > 0; use candidates and topK for all tokens")
        list.removeAll(keepingCapacity: true)
        let inverse = 1 / temperature
        // Tokens arrive in id order, so a value equal to the k-th best never enters (its id is
        // higher): strictly greater is the test. Until the list is full, every finite logit
        // enters, even one that the temperature scales to -infinity, as `candidates` keeps it.
        func offer(_ token: Int, _ value: Float) {
            if list.count == k {
                guard value > list[k - 1].value else { return }
                list.removeLast()
            }
            var i = list.count
            while i > 0 && isBefore(Candidate(token: TokenID(token), value: value), list[i - 1]) { i -= 1 }
            list.insert(Candidate(token: TokenID(token), value: value), at: i)
        }
        let base = UnsafeRawPointer(logits.baseAddress!)
        let lowest = SIMD16<Float>(repeating: -.infinity)
        var i = 0
        while i + 16 <= logits.count {
            let raw = base.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            let scaled = raw * inverse
            let entering = list.count == k
                ? (raw .> lowest) .& (scaled .> SIMD16<Float>(repeating: list[k - 1].value))
                : (raw .> lowest)  // false for NaN too
            if any(entering) {
                for lane in 0..<16 where entering[lane] { offer(i + lane, scaled[lane]) }
            }
            i += 16
        }
        while i < logits.count {
            let raw = logits[i]
            if raw > -.infinity { offer(i, raw * inverse) }
            i += 1
        }
    }

    /// Keeps the k highest (all when k is 0); leaves the list sorted by value, highest first,
    /// equal values by token id.
    public static func topK(_ list: inout [Candidate], _ k: Int) {
        if k > 0 && list.count > 2 * k {
            // One pass keeping the best k seen in a sorted buffer: after the first few hundred
            // tokens almost every candidate fails the first comparison, so this is about O(V),
            // where sorting all V candidates every step would cost O(V log V).
            var best: [Candidate] = []
            best.reserveCapacity(k + 1)
            for candidate in list {
                if best.count == k, let last = best.last, !isBefore(candidate, last) { continue }
                var i = best.count
                while i > 0 && isBefore(candidate, best[i - 1]) { i -= 1 }
                best.insert(candidate, at: i)
                if best.count > k { best.removeLast() }
            }
            list = best
            return
        }
        list.sort(by: isBefore)
        if k > 0 && list.count > k { list.removeLast(list.count - k) }
    }

    /// Turns logits into probabilities that sum to 1.
    public static func softmax(_ list: inout [Candidate]) {
        guard let maximum = list.map(\.value).max() else { return }
        var total: Float = 0
        for i in list.indices {
            list[i].value = VectorMath.exp(list[i].value - maximum)
            total += list[i].value
        }
        for i in list.indices { list[i].value /= total }
    }

    /// Keeps the most likely candidates until their probability reaches `p` (at least one).
    /// Expects probabilities sorted highest first; renormalises what it keeps.
    public static func topP(_ list: inout [Candidate], _ p: Float) {
        guard p < 1 else { return }
        var cumulative: Float = 0, keep = 0
        while keep < list.count {
            cumulative += list[keep].value
            keep += 1
            if cumulative >= p { break }
        }
        list.removeLast(list.count - keep)
        normalize(&list)
    }

    /// Drops candidates whose probability is below `minP` times the highest; renormalises.
    public static func minP(_ list: inout [Candidate], _ minP: Float) {
        guard minP > 0, let top = list.map(\.value).max() else { return }
        list.removeAll { $0.value < minP * top }
        normalize(&list)
    }

    /// The candidate at which the running sum of probabilities passes `uniform` ∈ [0, 1).
    public static func draw(_ list: [Candidate], uniform: Float) -> TokenID? {
        var cumulative: Float = 0
        for candidate in list {
            cumulative += candidate.value
            if uniform < cumulative { return candidate.token }
        }
        return list.last?.token  // rounding left the sum a hair under 1
    }

    static func normalize(_ list: inout [Candidate]) {
        let total = list.reduce(0) { $0 + $1.value }
        guard total > 0 else { return }
        for i in list.indices { list[i].value /= total }
    }

    /// Higher value first; equal values by lower token id, so results never depend on sort stability.
    @inline(__always)
    static func isBefore(_ a: Candidate, _ b: Candidate) -> Bool {
        a.value != b.value ? a.value > b.value : a.token < b.token
    }
}
