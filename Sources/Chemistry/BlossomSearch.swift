/// Edmonds' search for an augmenting path in a general graph, with blossom contraction.
///
/// The graph is given in compressed form (`offsets`, `targets`); `mates` holds the current
/// matching (-1 for an unmatched vertex). Scratch arrays are kept between searches and only
/// the vertices a search touched are reset, so repeated searches cost what they explore.
struct BlossomSearch {
    private var parent: [Int32] = []
    private var base: [Int32] = []
    private var isEven: [Bool] = []
    private var inBlossom: [Bool] = []
    private var onRootPath: [Bool] = []
    private var isTouched: [Bool] = []
    private var touched: [Int32] = []
    private var queue: [Int32] = []

    /// Searches from the unmatched vertex `root` and, if an augmenting path exists, flips it.
    ///
    /// - Returns: whether the matching grew.
    @discardableResult
    mutating func augment(from root: Int32, mates: inout [Int32], offsets: [Int32], targets: [Int32]) -> Bool {
        prepare(vertexCount: mates.count)
        touch(root)
        isEven[Int(root)] = true
        queue.removeAll(keepingCapacity: true)
        queue.append(root)
        var head = 0
        while head < queue.count {
            let vertex = queue[head]
            head += 1
            for edge in Int(offsets[Int(vertex)])..<Int(offsets[Int(vertex) + 1]) {
                let next = targets[edge]
                if base[Int(vertex)] == base[Int(next)] || mates[Int(vertex)] == next { continue }
                if next == root || (mates[Int(next)] >= 0 && parent[Int(mates[Int(next)])] >= 0) {
                    contractBlossom(vertex, next, mates: mates)
                } else if parent[Int(next)] < 0 {
                    touch(next)
                    parent[Int(next)] = vertex
                    let partner = mates[Int(next)]
                    if partner < 0 {
                        flip(endingAt: next, mates: &mates)
                        return true
                    }
                    touch(partner)
                    isEven[Int(partner)] = true
                    queue.append(partner)
                }
            }
        }
        return false
    }

    private mutating func prepare(vertexCount: Int) {
        if parent.count < vertexCount {
            parent = [Int32](repeating: -1, count: vertexCount)
            base = (0..<Int32(truncatingIfNeeded: vertexCount)).map { $0 }
            isEven = [Bool](repeating: false, count: vertexCount)
            inBlossom = isEven
            onRootPath = isEven
            isTouched = isEven
        }
        for vertex in touched {
            let index = Int(vertex)
            parent[index] = -1
            base[index] = vertex
            isEven[index] = false
            inBlossom[index] = false
            onRootPath[index] = false
            isTouched[index] = false
        }
        touched.removeAll(keepingCapacity: true)
    }

    private mutating func touch(_ vertex: Int32) {
        guard !isTouched[Int(vertex)] else { return }
        isTouched[Int(vertex)] = true
        touched.append(vertex)
    }

    // An edge between two even vertices closes an odd cycle: shrink it to its base, and make
    // its odd vertices even so the search continues from them.
    private mutating func contractBlossom(_ first: Int32, _ second: Int32, mates: [Int32]) {
        let ancestor = commonAncestor(first, second, mates: mates)
        for vertex in touched { inBlossom[Int(vertex)] = false }
        markPath(from: first, to: ancestor, child: second, mates: mates)
        markPath(from: second, to: ancestor, child: first, mates: mates)
        for vertex in touched where inBlossom[Int(base[Int(vertex)])] {
            base[Int(vertex)] = ancestor
            if !isEven[Int(vertex)] {
                isEven[Int(vertex)] = true
                queue.append(vertex)
            }
        }
    }

    private mutating func commonAncestor(_ first: Int32, _ second: Int32, mates: [Int32]) -> Int32 {
        for vertex in touched { onRootPath[Int(vertex)] = false }
        var walker = first
        while true {
            walker = base[Int(walker)]
            onRootPath[Int(walker)] = true
            let partner = mates[Int(walker)]
            if partner < 0 { break }
            walker = parent[Int(partner)]
        }
        walker = second
        while true {
            walker = base[Int(walker)]
            if onRootPath[Int(walker)] { return walker }
            walker = parent[Int(mates[Int(walker)])]
        }
    }

    private mutating func markPath(from start: Int32, to ancestor: Int32, child: Int32, mates: [Int32]) {
        var vertex = start
        var child = child
        while base[Int(vertex)] != ancestor {
            let partner = mates[Int(vertex)]
            inBlossom[Int(base[Int(vertex)])] = true
            inBlossom[Int(base[Int(partner)])] = true
            parent[Int(vertex)] = child
            child = partner
            vertex = parent[Int(partner)]
        }
    }

    private func flip(endingAt end: Int32, mates: inout [Int32]) {
        var vertex = end
        while vertex >= 0 {
            let previous = parent[Int(vertex)]
            let next = mates[Int(previous)]
            mates[Int(vertex)] = previous
            mates[Int(previous)] = vertex
            vertex = next
        }
    }
}
