/// The version of this build of BulkPredict.
public enum BulkPredictVersion {
    /// Semantic version, reported by `--version`, `/health` and result metadata.
    public static let current = "0.1.0"
}
