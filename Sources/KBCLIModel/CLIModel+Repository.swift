import Foundation

// TEMPORARY: issue 13 embeds data files in the binary. Until then the model is
// read from the repository's copy, found from this source file's path, which
// only works where the sources are (tests, `swift run` in a checkout). Replace
// `repositoryData` with the embedded bytes; `CLIModel(bytes:)` stays as it is.
extension CLIModel {
    /// Where the generated data lives in the repository.
    public static let repositoryDataURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Resources/aws-cli-model.txt")

    /// The data file's bytes, read from the repository (see the note above).
    public static func repositoryData() throws -> [UInt8] {
        [UInt8](try Data(contentsOf: repositoryDataURL))
    }

    /// The model from the default provider, loaded once on first use.
    public static let repository: Result<CLIModel, any Error> = Result { try CLIModel(bytes: repositoryData()) }
}
