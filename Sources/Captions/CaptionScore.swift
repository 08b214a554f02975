/// How a candidate post is ranked: the model's confidence plus its fitness to the request.
///
///     score = mean log-probability of the model's tokens (natural log; the end-of-text token
///             included when the model ended the post itself)
///           + 0.5 × topic coverage (the share of the topic's content words the body mentions)
///           − 0.5 if the body has fewer than 4 words
///           − 0.1 × how many hashtags the model's own count lies outside the platform's range
///           − 0.25 if the model did not end the post itself (it was cut at the character budget)
///
/// The length limit is not a term: every post is within it by construction. A mean
/// log-probability is typically −1 to −4 for a trained model, so the fitness terms decide
/// between candidates the model likes about equally.
public enum CaptionScore {
    public static func score(meanLogProbability: Float, topic: String, body: String, modelHashtagCount: Int,
                             hashtagRange: ClosedRange<Int>, endedNaturally: Bool) -> Double {
        var score = Double(meanLogProbability)
        score += 0.5 * TopicMention.coverage(topic: topic, in: body)
        if TopicMention.words(of: body).count < 4 { score -= 0.5 }
        let outside = modelHashtagCount < hashtagRange.lowerBound ? hashtagRange.lowerBound - modelHashtagCount
            : max(0, modelHashtagCount - hashtagRange.upperBound)
        score -= 0.1 * Double(outside)
        if !endedNaturally { score -= 0.25 }
        return score
    }
}
