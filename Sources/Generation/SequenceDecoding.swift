import Tokenizer

/// Something that decodes prompts into finished sequences: a `Generator` of one's own, or a
/// `DecodingScheduler` shared by many callers. Callers such as the caption generator are written
/// against this, so the same request logic runs from the command line and from the server.
public protocol SequenceDecoding: AnyObject {
    /// See `Generator.generate`: `count` sequences per prompt, results in prompt then sample order.
    func generate(
        prompts: [[TokenID]], settings: SamplingSettings, count: Int,
        control: ((inout DecodingStep) -> Void)?,
        onToken: ((TokenEvent) -> TokenDecision)?,
        onFinish: ((GeneratedSequence) -> Void)?
    ) throws -> [GeneratedSequence]
}

extension Generator: SequenceDecoding {}
