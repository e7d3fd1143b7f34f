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
    /// Token hash (the 32 bytes of the configured hex) → identity.
    let tokens: [[UInt8]: Identity]

    init(_ configuration: VigilConfiguration) {
        var out: [[UInt8]: Identity] = [:]
        for t in configuration.tokens {
            if let role = Role(t.role), let digest = Self.bytes(hex: t.sha256) {
                out[digest] = Identity(name: t.name, role: role)
            }
        }
        tokens = out
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var context = context
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            // Hashed and compared as bytes: no hex text per request.
            let token = header.utf8.dropFirst(7).drop(while: { $0 == 32 || $0 == 9 })
            let end = token.lastIndex(where: { $0 != 32 && $0 != 9 }).map { token.index(after: $0) } ?? token.startIndex
            context.identity = tokens[Array(SHA256.hash(data: Array(token[..<end])))]
        }
        return try await next(request, context)
    }

    /// The bytes of a 64-digit hex SHA-256 (nil when it is not one).
    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for i in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: digits[i...i + 1], as: UTF8.self), radix: 16) else { return nil }
            out.append(byte)
        }
        return out
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
