import Chemistry

// The libFuzzer entry point: every input must give a molecule or an error, never a trap, and
// whatever parses must survive perception, descriptors and canonical SMILES, whose output must
// parse again to the same canonical string.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: count)
    guard let molecule = try? SMILESParser().parse(utf8: bytes) else { return 0 }
    let perceived = PerceivedMolecule(molecule)
    _ = Descriptors(perceived)
    let canonical = perceived.canonicalSMILES
    guard let again = try? SMILESParser().parse(canonical) else {
        fatalError("canonical SMILES '\(canonical)' does not parse")
    }
    if again.canonicalSMILES != canonical {
        fatalError("canonical SMILES '\(canonical)' is not stable: '\(again.canonicalSMILES)'")
    }
    // SMARTS patterns come from users too.
    if let text = String(validating: bytes, as: UTF8.self), let pattern = try? SMARTSPattern(text) {
        _ = pattern.matchCount(in: perceived, limit: 10)
    }
    return 0
}

// SwiftPM links an executable's entry point under the name `<target>_main`; hand control to
// libFuzzer's driver from there.
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt
) -> CInt

@_cdecl("SMILESFuzzer_main")
public func fuzzerMain(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
) -> CInt {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runFuzzerDriver(&count, &arguments) { start, length in fuzz(start, length) }
}
