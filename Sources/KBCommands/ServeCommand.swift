import ArgumentParser
import Foundation
import KBChecks
import KBServe

/// `kbtool serve`: builds the site, serves it on 127.0.0.1, and rebuilds and
/// reloads the open pages when the guides or the theme change.
public struct ServeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Build the site, serve it on 127.0.0.1, rebuild and reload on change."
    )

    @OptionGroup var guides: GuidePaths
    var paths: [String] { guides.paths }

    @Option(help: "The port to listen on (127.0.0.1 only).")
    var port: UInt16 = 8000

    /// Not `site/public`: the served pages carry the live-reload script, which a
    /// deployed site must not.
    @Option(help: "The folder the served site is written to.")
    var out = ".kbtool-cache/serve"

    @Option(help: "A folder whose page.html and assets/ override the built-in theme, file by file.")
    var theme: String?

    public init() {}

    /// Polls the build number and reloads when it changes.
    static let reloadScript = """
        <script>(function(){var seen=null;function poll(){fetch('/__kbtool/version',{cache:'no-store'}).then(function(r){return r.text();}).then(function(v){if(seen!==null&&v!==seen){location.reload();}seen=v;}).catch(function(){});}poll();setInterval(poll,1000);})();</script>
        """

    public func run() throws {
        let paths = VerificationRun.defaultPaths(paths)
        let generation = SiteGeneration(
            paths: paths, out: out, theme: theme, strict: false, liveReload: Self.reloadScript)
        @Sendable func rebuild() -> Bool {
            do {
                let summary = try generation.generate()
                print(summary.lines.joined(separator: "\n"))
                fflush(nil)
                return summary.built
            } catch {
                // The previous site stays served; the message says what to fix.
                print("error: \(error.message)")
                fflush(nil)
                return false
            }
        }
        guard rebuild() else { throw ExitCode(2) }
        let server: StaticServer
        do {
            server = try StaticServer(folder: out, port: port)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        print("kbtool serve: http://127.0.0.1:\(server.port)/ (Ctrl-C to stop)")
        fflush(nil)
        let folders = paths.map { path -> String in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            return isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent
        }
        // kbtool.yml changes rule levels and site settings: watched where it may be.
        let configurations = Set(
            (folders + [FileManager.default.currentDirectoryPath]).flatMap { folder in
                [folder, (folder as NSString).deletingLastPathComponent].map {
                    ($0 as NSString).appendingPathComponent(Configuration.fileName)
                }
            })
        // The theme folder that overrides the built-in one, if any (the built-in
        // theme cannot change while kbtool runs).
        let (configuration, _) = Configuration.discover(
            paths: paths, workingDirectory: FileManager.default.currentDirectoryPath)
        let themeFolder = (try? generation.themeFolder(configuration)) ?? nil
        let watcher = FolderWatcher(folders: folders + (themeFolder.map { [$0] } ?? []) + configurations.sorted())
        Thread.detachNewThread {
            var last = watcher.fingerprint()
            while true {
                Thread.sleep(forTimeInterval: 0.5)
                let now = watcher.fingerprint()
                guard now != last else { continue }
                last = now
                if rebuild() { server.siteChanged() }
            }
        }
        server.serveForever()
    }
}
