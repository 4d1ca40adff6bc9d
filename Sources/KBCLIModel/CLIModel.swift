import Synchronization

/// The AWS CLI v2's commands and options, from botocore's service models and
/// awscli's customisations (scripts/generate-cli-model writes the data and
/// documents its format). Loading reads the header and the index only; a
/// top-level command's section is parsed the first time it is asked for, since
/// a guide names a handful of the 400-odd services. Immutable and thread-safe.
public final class CLIModel: Sendable {
    /// The pinned versions the data came from, and when it was generated.
    public let botocoreVersion: String
    public let awscliVersion: String
    public let generated: String
    /// The sha256 the header records for the body, and for the generator's
    /// inputs (its scripts and the v2 list): the staleness tests compare them.
    public let recordedBodyDigest: String
    public let recordedInputsDigest: String
    /// The header's counts: `services`, `operations`, `options`.
    public let counts: [String: Int]
    /// Every top-level command (`s3api`, `s3`, `kms`, `configure`…), sorted.
    public let serviceNames: [String]
    /// Options every command accepts (`--region`, `--output`, `--cli-binary-format`…).
    public let globalOptions: [CLIOption]

    private let bytes: [UInt8]
    private let bodyStart: Int
    /// Each section's byte range, and the 1-based line of the data it starts on
    /// (computed when an error needs it).
    private let ranges: [String: Range<Int>]
    private let implicit: CLIModelFormat.ImplicitOptions
    private let parsed = Mutex<[String: CLIService]>([:])

    /// Reads the header and the index of the model's bytes (the file
    /// `aws-cli-model.txt`, however it reaches the binary).
    public init(bytes: [UInt8]) throws(CLIModelError) {
        self.bytes = bytes
        var values: [String: String] = [:]
        var counts: [String: Int] = [:]
        var enums: CLIModelFormat.Enums = [:]
        var globalLines: [(Int, [Substring])] = []
        var inputLines: [(Int, [Substring])] = []
        var paging: [[String]] = []
        var index: [(name: String, offset: Int, length: Int, line: Int)] = []
        var start = 0
        var lineNumber = 0
        var bodyStart: Int?
        while start < bytes.count {
            lineNumber += 1
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            let line = Substring(String(decoding: bytes[start..<end], as: UTF8.self))
            start = end + 1
            if line == "#body" {
                bodyStart = start
                break
            }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            switch fields.first {
            case "#counts":
                for field in fields.dropFirst() {
                    let parts = field.split(separator: " ")
                    if parts.count == 2, let value = Int(parts[1]) { counts[String(parts[0])] = value }
                }
            case let key? where key.hasPrefix("#") && fields.count == 2:
                values[String(key.dropFirst())] = String(fields[1])
            case "E":
                guard fields.count >= 2, let id = Int(fields[1]) else {
                    throw CLIModelError(service: nil, line: lineNumber, message: "an enum needs its number")
                }
                enums[id] = fields.dropFirst(2).map(String.init)
            case "G": globalLines.append((lineNumber, fields))
            case "J": inputLines.append((lineNumber, fields))
            case "P": paging.append(fields.map(String.init))
            case "I":
                guard fields.count == 4, let offset = Int(fields[2]), let length = Int(fields[3]), offset >= 0,
                    length >= 0
                else {
                    throw CLIModelError(
                        service: nil, line: lineNumber, message: "an index entry is name, offset, length")
                }
                index.append((String(fields[1]), offset, length, lineNumber))
            default:
                guard line.isEmpty || line.hasPrefix("#") else {
                    throw CLIModelError(service: nil, line: lineNumber, message: "unexpected line in the header")
                }
            }
        }
        guard values["kbtool-cli-model"] == "1" else {
            throw CLIModelError(service: nil, line: 1, message: "not a kbtool CLI model of format 1")
        }
        guard let bodyStart else { throw CLIModelError(service: nil, line: lineNumber, message: "no #body line") }
        var ranges: [String: Range<Int>] = [:]
        for entry in index {
            let lower = bodyStart + entry.offset
            let (upper, overflow) = lower.addingReportingOverflow(entry.length)
            guard !overflow, upper <= bytes.count else {
                throw CLIModelError(
                    service: nil, line: entry.line, message: "'\(entry.name)' lies past the end of the data")
            }
            ranges[entry.name] = lower..<upper
        }
        func options(_ lines: [(Int, [Substring])]) throws(CLIModelError) -> [CLIOption] {
            var result: [CLIOption] = []
            for (number, fields) in lines {
                do throws(CLIModelFormat.Failure) {
                    result.append(try CLIModelFormat.option(fields, enums: enums))
                } catch {
                    throw CLIModelError(service: nil, line: number, message: error.message)
                }
            }
            return result
        }
        self.globalOptions = try options(globalLines)
        self.implicit = CLIModelFormat.ImplicitOptions(
            input: try options(inputLines), paging: paging, headerEnums: enums)
        self.bodyStart = bodyStart
        self.ranges = ranges
        self.serviceNames = ranges.keys.sorted()
        self.counts = counts
        self.botocoreVersion = values["botocore"] ?? ""
        self.awscliVersion = values["awscli"] ?? ""
        self.generated = values["generated"] ?? ""
        self.recordedBodyDigest = values["body-sha256"] ?? ""
        self.recordedInputsDigest = values["inputs-sha256"] ?? ""
    }

    /// The bytes the header's body digest covers.
    public var body: ArraySlice<UInt8> { bytes[bodyStart...] }

    /// A top-level command with all its commands, parsed on first use. Nil when
    /// there is no such command; an error naming it when its section is broken.
    public func service(_ name: String) throws(CLIModelError) -> CLIService? {
        if let cached = parsed.withLock({ $0[name] }) { return cached }
        guard let range = ranges[name] else { return nil }
        let text = Substring(String(decoding: bytes[range], as: UTF8.self))
        let service: CLIService
        do throws(CLIModelFormat.Failure) {
            service = try CLIModelFormat.section(text, implicit: implicit)
        } catch {
            throw CLIModelError(service: name, line: line(at: range.lowerBound) + error.line, message: error.message)
        }
        guard service.name == name else {
            throw CLIModelError(
                service: name, line: line(at: range.lowerBound), message: "the index points at '\(service.name)'")
        }
        parsed.withLock { $0[name] = service }
        return service
    }

    /// A command of a top-level command: `operation("s3api", "get-object")`,
    /// `operation("ec2", "wait instance-running")`.
    public func operation(_ service: String, _ name: String) throws(CLIModelError) -> CLIOperation? {
        try self.service(service)?.operation(name)
    }

    /// A global option by name, its `--no-` form included.
    public func globalOption(named name: String) -> CLIOption? {
        globalOptions.first { $0.name == name || $0.negation == name }
    }

    /// Whether an operation writes its output to an `outfile` positional
    /// (`s3api get-object`, `lambda invoke`).
    public func hasOutfile(_ service: String, _ operation: String) throws(CLIModelError) -> Bool {
        try self.operation(service, operation)?.hasOutfile ?? false
    }

    /// The 1-based line of the data a byte offset is on.
    private func line(at offset: Int) -> Int {
        var count = 1
        for byte in bytes[..<min(offset, bytes.count)] where byte == 0x0A { count += 1 }
        return count
    }
}
