import BulkPredictCore
import Testing

@Suite struct RetryPolicyTests {
    @Test func delaysDoubleUntilTheCapAndJitterStaysInItsBand() {
        let policy = RetryPolicy(baseDelay: .seconds(1), maximumDelay: .seconds(10), jitter: 0.25)
        #expect(policy.delay(afterAttempt: 1, random: 0.5) == .seconds(1))
        #expect(policy.delay(afterAttempt: 2, random: 0.5) == .seconds(2))
        #expect(policy.delay(afterAttempt: 3, random: 0.5) == .seconds(4))
        #expect(policy.delay(afterAttempt: 5, random: 0.5) == .seconds(10))
        #expect(policy.delay(afterAttempt: 500, random: 0.5) == .seconds(10))
        #expect(policy.delay(afterAttempt: 3, random: 0) == .seconds(3))
        #expect(policy.delay(afterAttempt: 3, random: 1) == .seconds(5))
        for _ in 0..<100 {
            let delay = policy.delay(afterAttempt: 2)
            #expect(delay >= .milliseconds(1_500) && delay <= .milliseconds(2_500))
        }
    }

    @Test func descriptorsDefaultToFiveAttempts() {
        let model = ModelDescriptor(id: "m", version: "1", input: .smiles, outputs: [], runner: .builtin("m"))
        #expect(model.maxAttempts == 5)
        #expect(ModelDescriptor(id: "m", version: "1", input: .smiles, outputs: [], runner: .builtin("m"), maxAttempts: 0).maxAttempts == 1)
    }
}
