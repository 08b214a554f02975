import Hummingbird

/// `GET /`: the one-page client (Resources/index.html, compiled into the binary so that the page
/// works wherever the executable is, offline, with nothing fetched from elsewhere).
enum Page {
    static let html = ByteBuffer(bytes: PackageResources.index_html)

    static func response() -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                 body: .init(byteBuffer: html))
    }
}
