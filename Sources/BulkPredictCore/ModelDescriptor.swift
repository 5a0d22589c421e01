/// The kind of record a model takes.
public enum InputKind: String, Sendable, Codable, CaseIterable {
    /// A molecule written as SMILES.
    case smiles
    /// A protein sequence.
    case protein
}

/// Everything the system knows about a registered model without running it.
public struct ModelDescriptor: Sendable, Codable, Equatable {
    /// Stable id, such as `chem.formula`.
    public var id: String
    /// Version; stored with every job so that results say what produced them.
    public var version: String
    /// The kind of record it takes.
    public var input: InputKind
    /// Declared output columns, in order.
    public var outputs: [OutputColumn]
    /// Targets this model serves (informational; routing uses the recommendations table).
    public var targets: [String]
    /// Series tags.
    public var series: [String]
    /// How it runs.
    public var runner: RunnerSpec
    /// A short human description.
    public var description: String?
    /// Most attempts of one chunk before its records become error rows.
    public var maxAttempts: Int

    /// Attempts per chunk when a model does not say.
    public static let defaultMaxAttempts = 5

    /// Creates a descriptor.
    public init(
        id: String, version: String, input: InputKind, outputs: [OutputColumn],
        targets: [String] = [], series: [String] = [], runner: RunnerSpec, description: String? = nil,
        maxAttempts: Int = ModelDescriptor.defaultMaxAttempts
    ) {
        self.id = id
        self.version = version
        self.input = input
        self.outputs = outputs
        self.targets = targets
        self.series = series
        self.runner = runner
        self.description = description
        self.maxAttempts = max(1, maxAttempts)
    }
}

/// How a model executes.
public struct RunnerSpec: Sendable, Codable, Equatable {
    /// The runner kind: `builtin` (Swift code in this process) or `command` (a program speaking
    /// JSON lines over standard input and output).
    public var kind: String
    /// For `builtin`: which built-in implementation runs it.
    public var implementation: String?
    /// For `command`: the program and its arguments; the program is looked up on `PATH`.
    public var command: [String]?
    /// For `command`: the working directory (default: the process's own).
    public var workingDirectory: String?
    /// For `command`: most seconds to wait for the next answer line before the program is stopped.
    public var recordTimeout: Double?
    /// For `command`: most seconds one chunk may take.
    public var chunkTimeout: Double?

    /// A built-in Swift implementation.
    public static func builtin(_ implementation: String) -> RunnerSpec {
        RunnerSpec(kind: "builtin", implementation: implementation)
    }

    /// A program started once per chunk.
    public static func command(
        _ command: [String], workingDirectory: String? = nil, recordTimeout: Double? = nil, chunkTimeout: Double? = nil
    ) -> RunnerSpec {
        RunnerSpec(
            kind: "command", command: command, workingDirectory: workingDirectory, recordTimeout: recordTimeout,
            chunkTimeout: chunkTimeout)
    }

    /// Creates a runner specification.
    public init(
        kind: String, implementation: String? = nil, command: [String]? = nil, workingDirectory: String? = nil,
        recordTimeout: Double? = nil, chunkTimeout: Double? = nil
    ) {
        self.kind = kind
        self.implementation = implementation
        self.command = command
        self.workingDirectory = workingDirectory
        self.recordTimeout = recordTimeout
        self.chunkTimeout = chunkTimeout
    }

    enum CodingKeys: String, CodingKey {
        case kind, implementation, command
        case workingDirectory = "working_directory"
        case recordTimeout = "record_timeout"
        case chunkTimeout = "chunk_timeout"
    }
}

/// One row of the recommendations table: for `target` (and, when set, `series`), run `model`.
public struct Recommendation: Sendable, Codable, Equatable {
    /// The prediction target, such as `physchem`.
    public var target: String
    /// An optional series within the target; `nil` means the row applies to the target as a whole.
    public var series: String?
    /// The model id to run.
    public var model: String

    /// Creates a recommendation.
    public init(target: String, series: String? = nil, model: String) {
        self.target = target
        self.series = series
        self.model = model
    }
}

extension ModelDescriptor {
    enum CodingKeys: String, CodingKey {
        case id, version, input, outputs, targets, series, runner, description
        case maxAttempts = "max_attempts"
    }

    /// Decodes a descriptor in which only `id`, `version`, `input` and `runner` are required, so a
    /// configuration file can stay short.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        version = try container.decode(String.self, forKey: .version)
        input = try container.decode(InputKind.self, forKey: .input)
        outputs = try container.decodeIfPresent([OutputColumn].self, forKey: .outputs) ?? []
        targets = try container.decodeIfPresent([String].self, forKey: .targets) ?? []
        series = try container.decodeIfPresent([String].self, forKey: .series) ?? []
        runner = try container.decode(RunnerSpec.self, forKey: .runner)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        let attempts = try container.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? Self.defaultMaxAttempts
        guard attempts >= 1 else {
            throw DecodingError.dataCorruptedError(forKey: .maxAttempts, in: container, debugDescription: "max_attempts must be at least 1")
        }
        maxAttempts = attempts
    }
}
