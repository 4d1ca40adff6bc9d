import Foundation
import Testing

@testable import KBServe

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite struct ServeTests {
    static func site() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kbserve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("guide"), withIntermediateDirectories: true)
        try Data("<h1>home</h1>".utf8).write(to: folder.appendingPathComponent("index.html"))
        try Data("<h1>guide</h1>".utf8).write(to: folder.appendingPathComponent("guide/index.html"))
        try Data("secret".utf8).write(to: folder.appendingPathComponent(".kbtool-site"))
        return folder.path
    }

    @Test(arguments: [
        "/../etc/passwd", "/%2e%2e/etc/passwd", "/guide/../../x", "/.kbtool-site", "/nothing.html", "/a%00b",
    ])
    func pathsOutsideTheSiteOrHiddenAreNotServed(target: String) throws {
        let folder = try Self.site()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(SiteFiles.resolve(target, in: folder) == nil, "\(target)")
    }

    @Test func foldersServeTheirIndex() throws {
        let folder = try Self.site()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(SiteFiles.resolve("/guide/?q=1#x", in: folder)?.hasSuffix("/guide/index.html") == true)
        #expect(SiteFiles.resolve("/", in: folder)?.hasSuffix("/index.html") == true)
    }

    @Test func aRealRequestOverTCPGetsThePage() throws {
        let folder = try Self.site()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = try StaticServer(folder: folder, port: 0)
        Thread.detachNewThread { server.serveForever() }
        func get(_ path: String, method: String = "GET") throws -> String {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)\(path)")!)
            request.httpMethod = method
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var result = ""
            URLSession.shared.dataTask(with: request) { data, response, _ in
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                result = "\(status) " + String(decoding: data ?? Data(), as: UTF8.self)
                done.signal()
            }.resume()
            _ = done.wait(timeout: .now() + 10)
            return result
        }
        #expect(try get("/guide/") == "200 <h1>guide</h1>")
        #expect(try get("/missing").hasPrefix("404 "))
        #expect(try get("/", method: "POST").hasPrefix("405 "))
        let before = try get("/__kbtool/version")
        server.siteChanged()
        #expect(try get("/__kbtool/version") != before)
    }

    @Test func malformedRequestsGetAnAnswerNotACrash() throws {
        let folder = try Self.site()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = try StaticServer(folder: folder, port: 0)
        #expect(String(decoding: server.respond(to: Array("garbage".utf8)), as: UTF8.self).hasPrefix("HTTP/1.1 400"))
        #expect(String(decoding: server.respond(to: []), as: UTF8.self).hasPrefix("HTTP/1.1 400"))
        let head = String(decoding: server.respond(to: Array("HEAD / HTTP/1.1\r\n\r\n".utf8)), as: UTF8.self)
        #expect(head.hasPrefix("HTTP/1.1 200") && head.hasSuffix("\r\n\r\n"))
    }
}
