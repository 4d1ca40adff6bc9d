import ArgumentParser
import Foundation
import KBChecks
import KBDiagnostics
import KBSite

/// `kbtool build [PATH...] [--out DIR]`: verifies the guides and renders them,
/// findings and all, into a static site.
public struct BuildCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Verify the guides and render them as a static site.",
        discussion: """
            The site is built in a temporary folder and swapped in, so a failed build \
            leaves the previous site whole. Findings are shown in the site and do not \
            stop the build (exit 0) unless --strict is given. Exit status 2: unusable \
            input, theme or output folder.
            """
    )

    @OptionGroup var guides: GuidePaths
    var paths: [String] { guides.paths }

    @Option(help: "The folder to write the site to; replaced as a whole.")
    var out = "site/public"

    @Option(help: "A folder whose page.html and assets/ override the built-in theme, file by file.")
    var theme: String?

    @Flag(help: "Fail (and keep the previous site) when verification finds errors.")
    var strict = false

    public init() {}

    public func run() throws {
        do {
            let summary = try SiteGeneration(
                paths: VerificationRun.defaultPaths(paths), out: out, theme: theme, strict: strict
            ).generate()
            print(summary.lines.joined(separator: "\n"))
            if !summary.built { throw ExitCode(1) }
        } catch let error as SiteGeneration.Failure {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
    }
}

/// One verify-and-render pass, shared by `build` and `serve`.
struct SiteGeneration {
    struct Failure: Error {
        var message: String
    }

    struct Summary {
        var built: Bool
        var lines: [String]
    }

    var paths: [String]
    var out: String
    /// `--theme`: overrides `theme:` in kbtool.yml; neither means the built-in theme.
    var theme: String?
    var strict: Bool
    var liveReload = ""
    /// Up to this many guides, those verified in this run stay parsed until
    /// they are rendered; beyond, each is parsed again as it is rendered.
    static let keptGuidesLimit = 2_000

    func generate() throws(Failure) -> Summary {
        let started = Date()
        // The output folder and the theme are checked before verifying: a bad
        // --out must not cost a whole verification to report.
        var run: VerificationRun
        do {
            run = try VerificationRun(paths: paths, strict: strict)
        } catch {
            throw Failure(message: error.description)
        }
        // Guides the verification cache answers are not even parsed: their
        // results place their pages, and the article cache renders only the
        // guides that changed, parsing them then. Guides checked in this run
        // are kept for rendering, unless the site is so large that holding
        // every parsed guide would cost more memory than parsing again.
        run.verifier.parsesCachedGuides = false
        run.verifier.needsFullResults = true
        run.verifier.keepsGuides = run.files.count <= Self.keptGuidesLimit
        let workingDirectory = FileManager.default.currentDirectoryPath
        let contentFolders = Array(
            Set(run.files.map(\.rootFolder) + paths.filter { !$0.hasSuffix(".md") && !$0.hasSuffix(".mdx") }))
        let themeFolder = try self.themeFolder(run.configuration)
        let loadedTheme: Theme
        do throws(SiteError) {
            try SiteWriter.checkOutput(
                out, contentFolders: contentFolders, workingDirectory: workingDirectory, themeFolder: themeFolder)
            loadedTheme = try Theme.load(overridingWith: themeFolder)
        } catch {
            throw Failure(message: error.description)
        }
        let report: VerificationReport
        do {
            report = try run.report()
        } catch {
            throw Failure(message: error.description)
        }
        let inputs = run.files.map(\.absolutePath) + loadedTheme.overrides
        var options = SiteOptions(
            theme: loadedTheme, site: run.configuration.site, configurationRoot: run.configuration.root,
            verifiedAt: SiteBuilder.stamp(inputs: inputs, environment: ProcessInfo.processInfo.environment),
            version: KBTool.version)
        options.liveReload = liveReload
        if let folder = run.verifier.cacheFolder {
            options.articleCache = ArticleCache(
                folder: (folder as NSString).appendingPathComponent("site"), key: run.verifier.cacheKey)
        }
        // Pages go to the staging folder as they are rendered; the folder
        // replaces the site only when the build succeeds (and, with --strict,
        // verification found no errors).
        let staging: SiteStaging
        let site: SiteSummary
        do throws(SiteError) {
            staging = try SiteStaging(output: out)
            do throws(SiteError) {
                site = try SiteBuilder.build(report, options: options, into: staging)
            } catch {
                staging.abandon()
                throw error
            }
        } catch {
            throw Failure(message: error.description)
        }
        var lines: [String] = []
        if !site.diagnostics.isEmpty {
            let writer = HumanDiagnosticWriter(sources: report.sources, colors: false)
            lines.append(writer.render(site.diagnostics).trimmingCharacters(in: .newlines))
        }
        let summary = report.summary
        let verification =
            "\(summary.errors) error\(summary.errors == 1 ? "" : "s"), \(summary.warnings) warning\(summary.warnings == 1 ? "" : "s"); \(summary.passed) passed, \(summary.failed) failed"
        let errors = report.hasErrors || site.diagnostics.contains { $0.severity == .error }
        if strict && errors {
            staging.abandon()
            lines.append(
                "kbtool build --strict: verification found errors (\(verification)); \(out) was not replaced. Run kbtool verify for details."
            )
            return Summary(built: false, lines: lines)
        }
        do throws(SiteError) {
            try staging.commit()
        } catch {
            throw Failure(message: error.description)
        }
        let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
        lines.append(
            "kbtool build: \(site.pages) guide page\(site.pages == 1 ? "" : "s") (\(site.pages - site.keptArticles) rendered, \(site.keptArticles) unchanged), \(site.files) files in \(out) (\(seconds) s); verification: \(verification)"
        )
        return Summary(built: true, lines: lines)
    }

    /// The folder overriding the built-in theme: `--theme`, else `theme:` in
    /// kbtool.yml (relative to its folder), else none. A folder kbtool.yml names
    /// that does not exist is an error located there.
    func themeFolder(_ configuration: Configuration) throws(Failure) -> String? {
        if let theme { return theme }
        guard let folder = configuration.themeFolder, let named = configuration.theme else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            let at = named.range.start
            throw Failure(
                message:
                    "\(named.range.file):\(at.line):\(at.column): the theme folder '\(named.folder)' does not exist (theme: overrides the built-in theme; remove the line to use it alone)"
            )
        }
        return folder
    }
}
