/// Finds captions that share most of their words: word 3-shingle sets compared by Jaccard
/// similarity, through an inverted index so only captions sharing a shingle are compared.
public enum NearDuplicates {
    /// A pair of captions (indices into the input) and their similarity in [0, 1].
    public struct Pair: Equatable, Sendable {
        public var first: Int, second: Int
        public var similarity: Double
    }

    /// The most similar pair, and every pair at or above `threshold`.
    public static func find(_ texts: [String], threshold: Double = 0.5) -> (highest: Pair?, pairs: [Pair]) {
        let sets = texts.map(shingles)
        var index: [Int: [Int]] = [:]
        for (i, set) in sets.enumerated() {
            for shingle in set { index[shingle, default: []].append(i) }
        }
        var highest: Pair? = nil
        var pairs: [Pair] = []
        var shared = [Int: Int]()
        for (i, set) in sets.enumerated() {
            shared.removeAll(keepingCapacity: true)
            for shingle in set {
                guard let postings = index[shingle], postings.count <= 200 else { continue }  // too common to tell apart
                for j in postings where j > i { shared[j, default: 0] += 1 }
            }
            for (j, count) in shared {
                let similarity = Double(count) / Double(set.count + sets[j].count - count)
                let pair = Pair(first: i, second: j, similarity: similarity)
                if similarity > (highest?.similarity ?? 0) { highest = pair }
                if similarity >= threshold { pairs.append(pair) }
            }
        }
        return (highest, pairs.sorted { ($0.first, $0.second) < ($1.first, $1.second) })
    }

    /// Hashes of the word 3-grams of `text` (words: lowercase letters, digits and apostrophes).
    static func shingles(_ text: String) -> Set<Int> {
        var words: [String] = []
        var current = ""
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "'" {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        if words.count < 3 { return [words.joined(separator: " ").hashValue] }
        var result = Set<Int>()
        for i in 0...(words.count - 3) {
            var hasher = Hasher()
            hasher.combine(words[i]); hasher.combine(words[i + 1]); hasher.combine(words[i + 2])
            result.insert(hasher.finalize())
        }
        return result
    }
}
