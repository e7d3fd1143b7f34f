import Crypto
import Foundation
import Hummingbird
import Synchronization
import VigilCore
import VigilIngest

/// Reads `Authorization: Bearer TOKEN` and looks up the SHA-256 of the token among the configured ones; the
/// identity it finds is put on the request context. Routes decide what an identity may do.
struct TokenAuthenticator: RouterMiddleware {
    typealias Context = VigilContext
    /// Token hash (hex) → identity.
    let tokens: [String: Identity]

    init(_ configuration: VigilConfiguration) {
        var out: [String: Identity] = [:]
        for t in configuration.tokens {
            if let role = Role(t.role) { out[t.sha256] = Identity(name: t.name, role: role) }
        }
        tokens = out
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var context = context
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
            context.identity = tokens[Self.hash(token)]
        }
        return try await next(request, context)
    }

    /// The hex SHA-256 of a token, as stored in the configuration.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String($0, radix: 16, zeroPaddedTo: 2) }.joined()
    }
}

/// The request context: Hummingbird's core storage plus the caller's identity.
struct VigilContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var identity: Identity?
    /// Body limit (DESIGN §8 `limits.bodyMiB`, default 16 MiB), set by the server.
    static let bodyLimit = ManagedLimit()

    init(source: Source) {
        coreContext = .init(source: source)
    }

    var maxUploadSize: Int { Self.bodyLimit.bytes }
}

/// The configured body limit, set once at start.
final class ManagedLimit: Sendable {
    private let value = Mutex<Int>(16 << 20)
    var bytes: Int { value.withLock { $0 } }
    func set(_ bytes: Int) { value.withLock { $0 = bytes } }
}
