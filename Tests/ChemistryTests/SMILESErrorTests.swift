import Chemistry
import Testing

@Suite("SMILES errors")
struct SMILESErrorTests {
    @Test func emptyInputIsAnError() {
        #expect(parseError("")?.code == .empty)
        #expect(parseError("  \t ")?.code == .empty)
        #expect(parseError("")?.description == "empty SMILES")
    }

    @Test func inputOverTheMaximumLengthIsAnError() {
        let error = parseError(String(repeating: "C", count: 4097))
        #expect(error?.code == .tooLong)
        #expect(error?.position == 4096)
        #expect(error?.description == "SMILES is longer than 4096 bytes")
        #expect(parseError("CCCCCC", maximumLength: 5)?.code == .tooLong)
        #expect(parseError("CCCCC", maximumLength: 5) == nil)
    }

    @Test func unexpectedBytesAreReportedWhereTheyAre() {
        let error = parseError("C?C")
        #expect(error?.code == .unexpectedCharacter)
        #expect(error?.position == 1)
        let invalidUTF8 = parseError(bytes: [0x43, 0xFF, 0x43])
        #expect(invalidUTF8?.code == .unexpectedCharacter)
        #expect(invalidUTF8?.position == 1)
        #expect(invalidUTF8?.description.contains("byte 0xFF") == true)
        #expect(parseError(bytes: [0x43, 0x00, 0x43])?.position == 1)
    }

    @Test func unknownElementIsAnErrorWithPosition() {
        let error = parseError("CC[Xx]")
        #expect(error?.code == .unknownElement)
        #expect(error?.position == 3)
        #expect(error?.description == "unknown element 'Xx' at position 3")
        #expect(parseError("Xx")?.code == .unknownElement)
        #expect(parseError("[cl]")?.code == .unknownElement)
    }

    @Test func elementsOutsideTheOrganicSubsetNeedBrackets() {
        let error = parseError("CNa")
        #expect(error?.code == .bracketsRequired)
        #expect(error?.position == 1)
        #expect(parseError("H")?.code == .bracketsRequired)
    }

    @Test(arguments: [
        ("[C+-]", 3), ("[C-H]", 3), ("[H@]", 0), ("[013C]", 1), ("[C:]", 3), ("[C@TH3]", 5), ("[C@@@H]", 4),
        ("[CH4:01]", 5), ("[C++2]", 4), ("[]", 1),
    ])
    func malformedBracketAtomIsAnErrorWithPosition(smiles: String, position: Int) {
        let error = parseError(smiles)
        #expect(error?.code == .invalidBracketAtom)
        #expect(error?.position == position)
    }

    @Test func unclosedBracketIsAnErrorWithPosition() {
        let error = parseError("C[CH4")
        #expect(error?.code == .unclosedBracket)
        #expect(error?.position == 1)
    }

    @Test(arguments: ["[999999999999C]", "[65536C]", "[C+128]", "[C-129]", "[FeH256]", "[C:1000000000]", "C%(123456)C"])
    func numbersBeyondTheirLimitAreErrors(smiles: String) {
        #expect(parseError(smiles)?.code == .numberOutOfRange)
    }

    @Test func unclosedBranchIsAnErrorWithPosition() {
        let error = parseError("C(")
        #expect(error?.code == .unclosedBranch)
        #expect(error?.position == 1)
        #expect(error?.description == "unclosed branch opened at position 1")
        #expect(parseError("CC(C(C")?.position == 4)
    }

    @Test func strayBranchCloseIsAnErrorWithPosition() {
        let error = parseError("CC)C")
        #expect(error?.code == .unmatchedBranchClose)
        #expect(error?.position == 2)
    }

    @Test func emptyBranchIsAnErrorWithPosition() {
        let error = parseError("C()C")
        #expect(error?.code == .emptyBranch)
        #expect(error?.position == 1)
    }

    @Test(arguments: [("=C", 0), ("C=#C", 2), ("1CC", 0), ("C.1CC1", 2), ("C(=1CC1)", 3)])
    func bondWithoutAPrecedingAtomIsAnErrorWithPosition(smiles: String, position: Int) {
        let error = parseError(smiles)
        #expect(error?.code == .misplacedBond)
        #expect(error?.position == position)
    }

    @Test func branchWithoutAPrecedingAtomIsAnError() {
        #expect(parseError("(C)C")?.code == .unexpectedCharacter)
        #expect(parseError("C((C))")?.position == 2)
        #expect(parseError("C=(O)C")?.position == 2)
    }

    @Test(arguments: [("C=", 1), ("C(C=)C", 3), ("CC#", 2), ("C<", 1)])
    func bondWithoutAFollowingAtomIsAnErrorWithPosition(smiles: String, position: Int) {
        let error = parseError(smiles)
        #expect(error?.code == .danglingBond)
        #expect(error?.position == position)
    }

    @Test(arguments: [(".C", 0), ("C.", 1), ("C..C", 2), ("C(.C)", 2), ("C(C.)", 3)])
    func misplacedDotIsAnErrorWithPosition(smiles: String, position: Int) {
        let error = parseError(smiles)
        #expect(error?.code == .misplacedDot)
        #expect(error?.position == position)
    }

    @Test func unclosedRingIsAnErrorWithPosition() {
        let error = parseError("CCC1CC")
        #expect(error?.code == .unclosedRing)
        #expect(error?.position == 3)
        #expect(error?.description == "unclosed ring bond 1 opened at position 3")
        #expect(parseError("C%(99999)")?.code == .unclosedRing)
        #expect(parseError("C%12CC")?.description == "unclosed ring bond 12 opened at position 1")
    }

    @Test(arguments: [("C11", 2), ("C1C1", 3), ("C12CC12", 6), ("C1C%(1)", 3)])
    func ringBondToItselfOrARepeatedBondIsAnErrorWithPosition(smiles: String, position: Int) {
        let error = parseError(smiles)
        #expect(error?.code == .invalidRingBond)
        #expect(error?.position == position)
    }

    @Test(arguments: ["%00", "%01", "%1", "%()", "%(1", "%a"])
    func malformedRingNumbersAreErrors(suffix: String) {
        #expect(parseError("C" + suffix + "CC") != nil)
    }

    @Test(arguments: [
        ("C(C)(C)(C)(C)C", 0), ("CC[CH5]", 2), ("C[NH4]", 1), ("CN(C)(C)C", 1), ("[He]C", 0), ("[2H]1CC1", 0),
    ])
    func overValentAtomIsAnErrorWithPosition(smiles: String, position: Int) {
        let error = parseError(smiles)
        #expect(error?.code == .invalidValence)
        #expect(error?.position == position)
    }

    @Test func aromaticAtomOutsideARingIsAnErrorWithPosition() {
        let error = parseError("Cc")
        #expect(error?.code == .aromaticAtomOutsideRing)
        #expect(error?.position == 1)
        #expect(parseError("c1ccccc1[13cH]")?.position == 8)
    }

    @Test(arguments: ["c1cccc1", "n1cccc1", "c1ccc2c(c1)ccc2", "c1ccccc1=O", "c1ccp(C)cc1", "[b]1cccc1"])
    func aromaticSystemWithoutAKekuleStructureIsAnError(smiles: String) {
        let error = parseError(smiles)
        #expect(error?.code == .cannotKekulize)
        #expect(error?.description.hasPrefix("cannot kekulise the aromatic system") == true)
    }

    @Test func kekulisationErrorPointsAtAnAtomOfTheRing() throws {
        let error = try #require(parseError("CCc1cccc1"))
        #expect([2, 4, 5, 6, 7].contains(error.position))
    }

    @Test func extensionFieldsAreRejected() {
        let error = parseError("CCO |$;;$|")
        #expect(error?.code == .unsupportedExtension)
        #expect(error?.position == 4)
    }

    @Test func everyErrorCodeIsCoveredByTheseTests() {
        let samples = [
            "", String(repeating: "C", count: 5000), "C?", "[Xx]", "Na", "[C+-]", "[C", "[99999999C]", "C(", "C)",
            "C()", "=C", "C=", ".C", "C1", "C11", "[CH5]", "c", "c1cccc1", "C |x|",
        ]
        let codes = Set(samples.compactMap { parseError($0)?.code })
        #expect(codes == Set(SMILESError.Code.allCases))
    }

    @Test func descriptionsNeverEchoLongInput() {
        let noisy = "C" + String(repeating: "\u{7F}", count: 300)
        let error = parseError(noisy)
        #expect(error != nil)
        #expect((error?.description.count ?? 0) < 120)
    }
}
