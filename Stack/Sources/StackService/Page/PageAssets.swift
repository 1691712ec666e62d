import Foundation

/// The chat page's files (`index.html`, `app.js`, `app.css`), shipped as SwiftPM resources of
/// StackService in the `Stack_StackService.resources` folder beside the `stack` binary.
public struct PageAssets: Sendable, Hashable {
    /// The page, with `{{page_token}}`, `{{phoenix_url}}` and `{{user_id}}` left to fill in.
    public var html: String
    /// The script.
    public var script: String
    /// The style sheet.
    public var style: String

    /// The files as given.
    public init(html: String, script: String, style: String) {
        self.html = html
        self.script = script
        self.style = style
    }

    /// The folder SwiftPM copies the resources to.
    static let bundleName = "Stack_StackService.resources"

    /// The files from the resource bundle beside the running binary, or `nil` when it is not there
    /// (a binary copied without its bundle). Looked up by hand rather than through `Bundle.module`,
    /// which stops the process when the bundle is missing.
    public static func bundled() -> PageAssets? {
        var folders: [URL] = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL { folders.append(executable.resolvingSymlinksInPath().deletingLastPathComponent()) }
        for folder in folders {
            let page = folder.appendingPathComponent(bundleName).appendingPathComponent("page")
            func read(_ name: String) -> String? { try? String(contentsOf: page.appendingPathComponent(name), encoding: .utf8) }
            if let html = read("index.html"), let script = read("app.js"), let style = read("app.css") {
                return PageAssets(html: html, script: script, style: style)
            }
        }
        return nil
    }
}
