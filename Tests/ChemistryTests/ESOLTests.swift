import Chemistry
import Foundation
import Testing

/// Delaney's ESOL equation against the measured solubilities (`SOL`, log mol/L) of the shared
/// solubility sets. Delaney reported an RMSE of about 1.0 log unit for the equation with
/// Daylight's clogP; with Wildman–Crippen logP the same coefficients do about as well here,
/// and the number is recorded in BENCHMARKS.md.
@Suite("ESOL")
struct ESOLTests {
    @Test("logS tracks measured solubility with an RMSE near Delaney's")
    func rmse() throws {
        var squares = 0.0
        var count = 0
        for name in ["solubility.train.sdf", "solubility.test.sdf"] {
            for record in try MolfileTests.records(name) {
                guard let measured = record.items["SOL"].flatMap(Double.init) else { continue }
                let molecule = try MolfileParser().parse(lines: record.lines)
                let estimate = PerceivedMolecule(molecule).esol
                squares += (estimate.logS - measured) * (estimate.logS - measured)
                count += 1
            }
        }
        #expect(count == 1_282)
        let rmse = (squares / Double(count)).squareRoot()
        print("ESOL RMSE over \(count) molecules: \(rmse)")
        #expect(rmse < 1.2)
    }
}
