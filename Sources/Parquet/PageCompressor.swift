/// Encodes finished pages: one per writer, shared by its columns so the scratch buffers and the
/// compressor's hash table exist once rather than per column.
struct PageCompressor {
    let compression: ParquetCompression
    /// Where each page is assembled before compression.
    var scratch: [UInt8] = []
    private var snappy = SnappyCompressor()

    init(compression: ParquetCompression) {
        self.compression = compression
    }

    /// Memory held by the scratch buffers, for the writer's accounting.
    var memoryBytes: Int { scratch.capacity + snappy.memoryBytes }

    /// `scratch` as it is to be stored: compressed with the file's codec.
    mutating func compressScratch() -> [UInt8] {
        switch compression {
        case .uncompressed:
            // An exact-size copy: the scratch keeps its (possibly larger) capacity for the next page.
            return scratch.withUnsafeBufferPointer { source in
                [UInt8](unsafeUninitializedCapacity: source.count) { target, count in
                    _ = target.initialize(from: source)
                    count = source.count
                }
            }
        case .snappy:
            return scratch.withUnsafeBytes { snappy.compress($0) }
        }
    }

    /// Lets go of scratch memory a very large page needed, once a row group is written.
    mutating func releaseScratch(above limit: Int) {
        if scratch.capacity > limit { scratch = [] }
        snappy.releaseScratch(above: limit)
    }
}
