import ArgumentParser

/// The guides a command reads: `verify`, `build` and `serve` take them alike.
struct GuidePaths: ParsableArguments {
    @Argument(help: "Guides (*.md, *.mdx) or folders of them (default: kbtool.yml's paths, else content).")
    var paths: [String] = []
}

/// Whether human output is coloured: `verify` and `simulate` take it alike.
struct ColorOption: ParsableArguments {
    @Option(help: "Colour human output: auto, always or never. auto respects NO_COLOR.")
    var color: ColorChoice = .auto
}
