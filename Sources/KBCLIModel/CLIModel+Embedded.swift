import KBEmbedded

extension CLIModel {
    /// The model's name among the files compiled into kbtool (KBEmbedded).
    public static let embeddedName = "aws-cli-model.txt"

    /// The model compiled into kbtool, loaded once on first use: the header and
    /// the index of services at once, each service when it is first asked for.
    public static let shipped: Result<CLIModel, any Error> = Result {
        try Embedded.required(embeddedName).withBytes { try CLIModel(bytes: Array($0)) }
    }
}
