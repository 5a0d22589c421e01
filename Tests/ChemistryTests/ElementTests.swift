import Chemistry
import Testing

@Suite("Elements")
struct ElementTests {
    @Test func everyElementFromHydrogenToOganessonIsKnown() throws {
        for number in 1...118 {
            let element = try #require(Element(atomicNumber: number))
            #expect(Element(symbol: element.symbol) == element)
            #expect(element.averageMass > 0)
        }
        #expect(Element(atomicNumber: 119) == nil)
        #expect(Element(atomicNumber: -1) == nil)
    }

    @Test func symbolsAndWeightsAreTheTabulatedOnes() {
        #expect(Element.carbon.symbol == "C")
        #expect(Element.carbon.averageMass == 12.011)
        #expect(Element(symbol: "Fe")?.atomicNumber == 26)
        #expect(Element(symbol: "Og")?.averageMass == 294)
        #expect(Element(symbol: "fe") == nil)
    }

    @Test func isotopeMassesComeFromTheTable() {
        #expect(Element.hydrogen.mass(ofIsotope: 2) == 2.014101778)
        #expect(Element.carbon.mass(ofIsotope: 12) == 12)
        #expect(Element.carbon.mass(ofIsotope: 13) == 13.00335484)
        #expect(Element.carbon.mass(ofIsotope: 99) == nil)
        #expect(Element.wildcard.mass(ofIsotope: 13) == nil)
    }

    @Test func theWildcardHasAtomicNumberZeroAndNoMass() {
        #expect(Element.wildcard.atomicNumber == 0)
        #expect(Element.wildcard.symbol == "*")
        #expect(Element.wildcard.averageMass == 0)
        #expect(Element(symbol: "*") == .wildcard)
    }
}
