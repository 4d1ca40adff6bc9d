import Foundation
import KBSite
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small HTTP/1.1 server for previewing the site on 127.0.0.1: GET and HEAD of
/// files under one folder, nothing else. `/__kbtool/version` answers the current
/// build number, which the live-reload script polls.
///
/// Each request re-reads the folder by name, so a site swapped in by a rebuild
/// is served at once.
public final class StaticServer: Sendable {
    public let folder: String
    public let port: UInt16
    private let socketDescriptor: Int32
    private let buildNumber = Atomic<Int>(0)
    /// Requests larger than this (headers) are refused.
    static let maxRequestBytes = 16 * 1024

    /// Binds 127.0.0.1:`port` (0 picks a free port).
    public init(folder: String, port: UInt16) throws {
        self.folder = folder
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw ServerError("cannot open a socket: \(String(cString: strerror(errno)))") }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw ServerError("cannot listen on 127.0.0.1:\(port): \(reason)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.port = UInt16(bigEndian: actual.sin_port)
        self.socketDescriptor = descriptor
    }

    /// Tells open pages to reload.
    public func siteChanged() {
        buildNumber.add(1, ordering: .sequentiallyConsistent)
    }

    /// Accepts connections until the process ends; each is served on its own thread.
    public func serveForever() -> Never {
        while true {
            let client = accept(socketDescriptor, nil, nil)
            guard client >= 0 else { continue }
            Thread.detachNewThread { [self] in
                self.handle(client)
                close(client)
            }
        }
    }

    func handle(_ client: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while request.count < Self.maxRequestBytes {
            let count = recv(client, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            request += buffer[0..<count]
            if request.count >= 4, request.suffix(4).elementsEqual([13, 10, 13, 10]) { break }
            if let text = String(bytes: request, encoding: .utf8), text.contains("\r\n\r\n") { break }
        }
        let response = respond(to: request)
        response.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let count = send(client, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                guard count > 0 else { return }
                sent += count
            }
        }
    }

    /// The whole response for a raw request.
    func respond(to request: [UInt8]) -> [UInt8] {
        let head = String(decoding: request.prefix(Self.maxRequestBytes), as: UTF8.self)
        let requestLine = head.split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? ""
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else {
            return Self.response(400, "text/plain", Array("bad request\n".utf8))
        }
        let method = String(parts[0])
        guard method == "GET" || method == "HEAD" else {
            return Self.response(405, "text/plain", Array("only GET and HEAD\n".utf8), extra: ["Allow: GET, HEAD"])
        }
        let target = String(parts[1])
        var response: [UInt8]
        if target.hasPrefix("/__kbtool/version") {
            response = Self.response(
                200, "text/plain", Array(String(buildNumber.load(ordering: .sequentiallyConsistent)).utf8),
                extra: ["Cache-Control: no-store"])
        } else if let file = SiteFiles.resolve(target, in: folder),
            let data = FileManager.default.contents(atPath: file)
        {
            response = Self.response(200, SiteFiles.contentType(file), Array(data), extra: ["Cache-Control: no-cache"])
        } else {
            let page = FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent("404.html"))
            response = Self.response(
                404, "text/html; charset=utf-8", page.map(Array.init) ?? Array("<h1>Not found</h1>\n".utf8))
        }
        if method == "HEAD", let end = Self.headerEnd(response) { response = Array(response[..<end]) }
        return response
    }

    static func headerEnd(_ response: [UInt8]) -> Int? {
        guard response.count >= 4 else { return nil }
        for index in 0...(response.count - 4) where response[index..<(index + 4)].elementsEqual([13, 10, 13, 10]) {
            return index + 4
        }
        return nil
    }

    static func response(_ status: Int, _ type: String, _ body: [UInt8], extra: [String] = []) -> [UInt8] {
        let reason = [200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"][status] ?? "Error"
        var head = "HTTP/1.1 \(status) \(reason)\r\nContent-Type: \(type)\r\nContent-Length: \(body.count)\r\n"
        head += "X-Content-Type-Options: nosniff\r\nConnection: close\r\n"
        for line in extra { head += line + "\r\n" }
        return Array((head + "\r\n").utf8) + body
    }
}

public struct ServerError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Maps request paths to files of the site, never outside it.
public enum SiteFiles {
    /// The file a request path names: percent-decoded, query and fragment dropped,
    /// `index.html` for folders; nil for anything that climbs out or does not exist.
    public static func resolve(_ target: String, in folder: String) -> String? {
        var path = Substring(target)
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<cut] }
        guard let decoded = String(path).removingPercentEncoding, decoded.hasPrefix("/"),
            !decoded.contains("\0")
        else { return nil }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: true)
        guard !segments.contains(where: { $0 == ".." || $0 == "." || $0.hasPrefix(".") }) else { return nil }
        var file = ([folder] + segments.map(String.init)).joined(separator: "/")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { file += "/index.html" }
        guard let real = RealPath.resolve(file), RealPath.isInside(real, folder: folder) else { return nil }
        return real
    }

    public static func contentType(_ path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "json": return "application/json"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "ico": return "image/x-icon"
        case "txt", "md": return "text/plain; charset=utf-8"
        default: return "application/octet-stream"
        }
    }
}

/// Notices changes to files and under folders by polling modification times and sizes: no
/// platform API needed, and a few hundred files cost microseconds.
public struct FolderWatcher: Sendable {
    public var folders: [String]

    public init(folders: [String]) { self.folders = folders }

    /// A value that changes when any file under the folders is added, removed or modified.
    public func fingerprint() -> Int {
        var hasher = Hasher()
        let manager = FileManager.default
        for folder in folders.sorted() {
            // The path itself (a file such as kbtool.yml, or a folder), then what is under it.
            let own = try? manager.attributesOfItem(atPath: folder)
            hasher.combine((own?[.modificationDate] as? Date)?.timeIntervalSince1970)
            hasher.combine(own?[.size] as? Int)
            guard let enumerator = manager.enumerator(atPath: folder) else { continue }
            var entries: [String] = []
            while let relative = enumerator.nextObject() as? String { entries.append(relative) }
            for relative in entries.sorted() {
                let attributes = try? manager.attributesOfItem(
                    atPath: (folder as NSString).appendingPathComponent(relative))
                hasher.combine(relative)
                hasher.combine((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970)
                hasher.combine(attributes?[.size] as? Int)
            }
        }
        return hasher.finalize()
    }
}
