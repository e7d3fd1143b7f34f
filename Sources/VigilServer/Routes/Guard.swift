import Hummingbird
import VigilCore
import VigilService
import VigilStore

/// A route handler that knows who is calling.
typealias GuardedHandler = @Sendable (Request, VigilContext, Identity) async throws -> Response

extension ServerState {
    /// Wraps a handler: 401 without a known token, 403 when the role lacks `permission`, and every error as an
    /// RFC 9457 problem (bad input never becomes a 5xx).
    func guarded(_ permission: Permission, _ body: @escaping GuardedHandler)
        -> @Sendable (Request, VigilContext) async throws -> Response
    {
        { request, context in
            do {
                guard let identity = context.identity else {
                    var r = try Problem(.unauthorized, "no or unknown bearer token; send Authorization: Bearer TOKEN")
                        .response(from: request, context: context)
                    r.headers[.wwwAuthenticate] = "Bearer"
                    return r
                }
                guard identity.role.allows(permission) else {
                    throw Problem(.forbidden, "token \(identity.name) (role \(identity.role)) may not \(permission)")
                }
                // Writes are recorded in the log with the token's name.
                return try await WriteActor.$names.withValue(permission == .read ? [] : [identity.name]) {
                    try await body(request, context, identity)
                }
            } catch {
                return try Problem.from(error).response(from: request, context: context)
            }
        }
    }
}

/// A read route's answer for a `tenant:<id>` token.
typealias TenantHandler = @Sendable (Request, VigilContext, TenantView) async throws -> Response

extension ServerState {
    /// A read route that tenants may call too: a tenant token gets `tenant`'s answer (its own view), every other
    /// role with `read` gets `body`'s.
    func readable(tenant: @escaping TenantHandler, _ body: @escaping GuardedHandler)
        -> @Sendable (Request, VigilContext) async throws -> Response
    {
        let general = guarded(.read, body)
        return { request, context in
            guard case .tenant(let id) = context.identity?.role else { return try await general(request, context) }
            do {
                return try await tenant(request, context, try TenantView(tenant: id, db: self.db))
            } catch {
                return try Problem.from(error).response(from: request, context: context)
            }
        }
    }
}

extension Request {
    /// A query parameter, if present.
    func query(_ name: String) -> String? { uri.queryParameters.get(name) }

    /// An RFC 3339 time in the query, or nil when absent; malformed is 400.
    func time(_ name: String) throws -> Timestamp? {
        guard let text = query(name) else { return nil }
        guard let t = RFC3339.parse(text) else {
            throw Problem(.badRequest, "\(name): \"\(text)\" is not an RFC 3339 time (e.g. 2026-10-01T00:00:00Z)")
        }
        return t
    }

    /// The body as text, at most the configured limit (413 beyond it).
    func text(_ context: VigilContext) async throws -> String {
        do {
            let buffer = try await body.collect(upTo: context.maxUploadSize)
            return String(buffer: buffer)
        } catch let e as HTTPError where e.status == .contentTooLarge {
            throw Problem(.contentTooLarge, "the body is larger than \(context.maxUploadSize >> 20) MiB")
        }
    }

    /// The body as a JSON object (an empty body is an empty object); anything else is 400.
    func jsonObject(_ context: VigilContext) async throws -> [String: DocNode] {
        let text = try await text(context)
        if text.allSatisfy(\.isWhitespace) { return [:] }
        guard let node = try? JSONParser.parse(text), case .object(let members) = node.value else {
            throw Problem(.badRequest, "the body must be a JSON object")
        }
        return Dictionary(members.map { ($0.key, $0.node) }) { a, _ in a }
    }
}

/// Paging of list answers (`limit`, `after`): items are sorted by their first field, so `after` is that
/// field's value of the last item of the previous page.
enum Paging {
    static func apply(_ value: JSONValue, list key: String, request: Request) throws -> JSONValue {
        var limit = Int.max
        if let l = request.query("limit") {
            guard let n = Int(l), n > 0, n <= 100_000 else {
                throw Problem(.badRequest, "limit: \"\(l)\" is not a number from 1 to 100000")
            }
            limit = n
        }
        let after = request.query("after")
        guard limit != .max || after != nil, case .object(var members) = value,
            let i = members.firstIndex(where: { $0.0 == key }), case .array(let items) = members[i].1
        else { return value }
        var kept = items
        if let after { kept = kept.filter { firstField($0).map { $0 > after } ?? true } }
        members[i].1 = .array(Array(kept.prefix(limit)))
        return .object(members)
    }

    static func firstField(_ v: JSONValue) -> String? {
        guard case .object(let members) = v, let first = members.first, case .string(let s) = first.1 else {
            return nil
        }
        return s
    }
}
