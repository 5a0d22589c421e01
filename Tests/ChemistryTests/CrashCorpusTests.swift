import Chemistry
import Testing

/// Inputs known to crash or hang naive SMILES parsers; each must come back as a thrown error.
@Suite("Crash corpus")
struct CrashCorpusTests {
    @Test(arguments: [
        "C(", "C%(99999)", "[999999999999C]", "[C+99999999999999999999]", "[C:99999999999999999999999]",
        "[CH99999999999999999999]", "C%(99999999999999999999)", "[C@TH99999999999999999]", "[", "]", "%", "%(",
        "C%(", "[C@", "[C@T", "[13", "[C+", "[C:", "-", "<", "C<", "C-", ")(", "((((", "c1c", "[*]1[*]1",
        // Found by fuzzing: a quadruple bond in an aromatic ring.
        "CCC(OC)c1ccc(OCc2c(-c3ccccc3)noc2C)c$c1", "c1ccc$cc1",
    ])
    func knownParserCrashInputsThrow(smiles: String) {
        #expect(parseError(smiles) != nil)
    }

    @Test func aHundredThousandOpeningParenthesesThrow() {
        let smiles = String(repeating: "(", count: 100_000)
        #expect(parseError(smiles)?.code == .tooLong)
        #expect(parseError(smiles, maximumLength: 200_000)?.code == .unexpectedCharacter)
        #expect(parseError("C" + smiles, maximumLength: 200_000)?.position == 2)
    }

    @Test func veryDeepUnclosedBranchesThrowWithoutRecursion() {
        let smiles = String(repeating: "C(", count: 50_000)
        #expect(parseError(smiles, maximumLength: 200_000)?.code == .unclosedBranch)
    }

    @Test func longChainsAndRingsAreHandledIteratively() throws {
        let parser = SMILESParser(maximumLength: 300_000)
        #expect(try parser.parse(String(repeating: "C", count: 100_000)).atoms.count == 100_000)
        let ring = "c1" + String(repeating: "c", count: 99_999) + "1"
        #expect(try parser.parse(ring).formula == "C100000H100000")
        #expect(throws: SMILESError.self) { try parser.parse(String(repeating: "c", count: 100_000)) }
    }

    @Test func largeFusedAromaticSystemsKekuliseQuickly() throws {
        // A polyacene of 2,000 linearly fused benzene rings, written as tetracene is:
        // c1ccc2cc3cc4ccccc4cc3cc2c1.
        let rings = 2000
        var smiles = "c1ccc%(2)"
        for ring in 3...rings { smiles += "cc%(\(ring))" }
        smiles += "ccccc%(\(rings))"
        for ring in (2..<rings).reversed() { smiles += "cc%(\(ring))" }
        smiles += "c1"
        let molecule = try SMILESParser(maximumLength: 100_000).parse(smiles)
        #expect(molecule.atoms.count == 4 * rings + 2)
        #expect(molecule.bonds.filter { $0.kekuleOrder == .double }.count * 2 == molecule.atoms.count)
    }

    @Test func randomBytesNeverCrash() {
        var generator = SplitMix64(seed: 0x5EED)
        let alphabet = Array("CNOSPFIBrlcnops()[]=#-+0123456789%@H.\\/:*$<>| \tXxUu".utf8)
        for round in 0..<20_000 {
            let length = Int(generator.next() % 48)
            let bytes: [UInt8] = (0..<length).map { _ in
                round.isMultiple(of: 2)
                    ? alphabet[Int(generator.next() % UInt64(alphabet.count))]
                    : UInt8(truncatingIfNeeded: generator.next())
            }
            if let error = parseError(bytes: bytes) {
                #expect(error.position >= 0 && error.position <= max(bytes.count, 1))
                #expect(!error.description.isEmpty)
            }
        }
    }
}

/// A small deterministic generator, so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
