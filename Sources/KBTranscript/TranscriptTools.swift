import Foundation
import KBAWSCLI
import KBCloud
import KBShell

/// The two commands besides `aws` that guides use around presigned URLs and
/// grants: `sleep` moves the simulated clock (nothing waits), and `curl` makes a
/// plain HTTPS request to S3, such as a presigned URL. Other commands stay "not
/// executed".
extension TranscriptHost {
    /// The longest a single `sleep` may move the clock: ten years.
    static let maxSleep: TimeInterval = 10 * 366 * 86_400

    func runTool(_ invocation: ShellInvocation) -> ShellOutcome? {
        switch invocation.arguments.first {
        case "sleep": return sleep(Array(invocation.arguments.dropFirst()))
        case "curl": return curl(invocation)
        default: return nil
        }
    }

    /// `sleep N[smhd]…`, as GNU sleep adds its arguments.
    func sleep(_ arguments: [String]) -> ShellOutcome {
        var total: TimeInterval = 0
        for argument in arguments {
            let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
            var number = argument
            var unit: TimeInterval = 1
            if let last = argument.last, let scale = units[last] {
                number.removeLast()
                unit = scale
            }
            guard let value = Double(number), value.isFinite, value >= 0 else {
                return ShellOutcome(stderr: "sleep: invalid time interval '\(argument)'\n", status: 1)
            }
            total += value * unit
        }
        guard !arguments.isEmpty, total <= Self.maxSleep else {
            return ShellOutcome(stderr: "sleep: kbtool moves the clock by at most ten years at a time\n", status: 1)
        }
        cli.world.advance(by: total)
        return ShellOutcome()
    }

    /// `curl [-s] [-S] [-f] [-o FILE] [-T FILE | -X PUT] [-H 'Header: value']… URL`
    /// against S3: GET or PUT, signed by the URL or not at all. Without `-f` an
    /// error prints S3's XML error document and curl succeeds, as real curl does.
    func curl(_ invocation: ShellInvocation) -> ShellOutcome? {
        var arguments = Array(invocation.arguments.dropFirst())
        var silent = false
        var showErrors = false
        var fail = false
        var output: String?
        var upload: String?
        var method = "GET"
        var headers: [String: String] = [:]
        var url: String?
        while !arguments.isEmpty {
            let argument = arguments.removeFirst()
            func value() -> String? { arguments.isEmpty ? nil : arguments.removeFirst() }
            switch argument {
            case "-s", "--silent": silent = true
            case "-S", "--show-error": showErrors = true
            case "-f", "--fail": fail = true
            case "-sS", "-Ss": (silent, showErrors) = (true, true)
            case "-sf", "-fs": (silent, fail) = (true, true)
            case "-fsS", "-sSf", "-Ssf", "-fSs": (silent, showErrors, fail) = (true, true, true)
            case "-o", "--output": output = value()
            case "-T", "--upload-file":
                upload = value()
                method = "PUT"
            case "-X", "--request": method = value()?.uppercased() ?? method
            case "-H", "--header":
                guard let header = value(), let colon = header.firstIndex(of: ":") else { return nil }
                headers[header[..<colon].lowercased()] = header[header.index(after: colon)...]
                    .trimmingCharacters(in: .whitespaces)
            default:
                guard !argument.hasPrefix("-"), url == nil else { return nil }
                url = argument
            }
        }
        guard let url, method == "GET" || method == "PUT" else { return nil }
        let customerKey = headers["x-amz-server-side-encryption-customer-algorithm"].map { algorithm in
            CustomerKey(
                algorithm: algorithm,
                key: headers["x-amz-server-side-encryption-customer-key"].flatMap { Data(base64Encoded: $0) }
                    .map(Array.init) ?? [],
                keyMD5: headers["x-amz-server-side-encryption-customer-key-md5"])
        }
        let s3 = cli.world.s3
        do {
            if method == "PUT" {
                let body = upload.flatMap { invocation.files[ShellPath.normalize($0)] ?? readFile($0) } ?? []
                _ = try s3.put(presigned: url, body: body, encryption: EncryptionRequest(customerKey: customerKey))
                return ShellOutcome()
            }
            let body = try s3.get(presigned: url, customerKey: customerKey).value.body
            if let output { return ShellOutcome(writtenFiles: [output: body]) }
            return ShellOutcome(stdout: body)
        } catch {
            let status = Self.httpStatus(error.code)
            if fail {
                let message = !silent || showErrors ? "curl: (22) The requested URL returned error: \(status)\n" : ""
                return ShellOutcome(stderr: message, status: 22)
            }
            let document = Array(Self.errorDocument(error).utf8)
            if let output { return ShellOutcome(writtenFiles: [output: document]) }
            return ShellOutcome(stdout: document)
        }
    }

    /// The HTTP status S3 answers an error code with.
    static func httpStatus(_ code: String) -> Int {
        switch code {
        case "NoSuchKey", "NoSuchBucket": return 404
        case "AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId", "AllAccessDisabled": return 403
        case "PermanentRedirect": return 301
        default: return code.hasPrefix("KMS.") ? 400 : 400
        }
    }

    /// S3's XML error document (request ids left out: they differ on every call).
    static func errorDocument(_ error: ServiceError) -> String {
        let escaped = error.message.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        return
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(error.code)</Code><Message>\(escaped)</Message></Error>"
    }
}
