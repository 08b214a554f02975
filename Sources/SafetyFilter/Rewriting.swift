/// Masking and fixing: edits of a line at its findings' code point offsets.
enum Rewriting {
    /// Applies `findings` to `text`: profanity masked, and bias replaced by its first suggestion
    /// when `fixBias` is set. A bias finding overlapping profanity is left alone (the mask wins).
    static func apply(_ findings: [Finding], to text: String, fixBias: Bool) -> String {
        let profane = findings.filter { $0.kind == .profanity }
        let edits = findings.filter { finding in
            finding.kind == .profanity
                || (fixBias && !finding.suggestions.isEmpty
                    && !profane.contains { $0.start < finding.end && finding.start < $0.end })
        }.sorted { $0.start < $1.start }
        if edits.isEmpty { return text }

        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var position = 0
        for edit in edits where edit.start >= position {
            output.append(contentsOf: scalars[position..<edit.start])
            if edit.kind == .profanity {
                output.append(contentsOf: masked(scalars[edit.start..<edit.end]))
            } else {
                output.append(contentsOf: edit.suggestions[0].unicodeScalars)
            }
            position = edit.end
        }
        output.append(contentsOf: scalars[position...])
        return String(output)
    }

    /// The first character kept, every other visible one `*`; invisible characters and combining
    /// marks dropped, so the mask is as wide as the word looked.
    static func masked(_ scalars: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        for (offset, scalar) in scalars.enumerated() {
            if offset == 0 { result.append(scalar); continue }
            let kind: ScalarKind = scalar.isASCII ? ScalarFolding.asciiKinds[Int(scalar.value)] : ScalarFolding.fold(scalar).kind
            if kind == .transparent { continue }
            result.append("*")
        }
        return result
    }
}

/// Replacement text in the case of the text it replaces: "Chairman" → "Chair", "YOU GUYS" →
/// "YOU ALL", "Hey Guys" → "Hey Everyone".
enum CaseKeeping {
    static func apply(caseOf original: String, to replacement: String) -> String {
        let letters = original.filter(\.isLetter)
        if letters.count >= 2 && letters.allSatisfy(\.isUppercase) { return replacement.uppercased() }
        let words = original.split(whereSeparator: { $0 == " " || $0 == "-" })
        guard let firstLetter = letters.first, firstLetter.isUppercase else { return replacement }
        if words.count >= 2 && words.allSatisfy({ $0.first(where: \.isLetter)?.isUppercase ?? true }) {
            return replacement.split(separator: " ", omittingEmptySubsequences: false)
                .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        }
        return replacement.prefix(1).uppercased() + replacement.dropFirst()
    }
}
