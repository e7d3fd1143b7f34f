import Hummingbird
import VigilCore
import VigilService
import VigilStore

/// An RFC 9457 problem response (`application/problem+json`): every error the API returns.
struct Problem: HTTPResponseError {
    var status: HTTPResponse.Status
    var detail: String
    /// For documents and events: where each error is, as the CLI prints it.
    var errors: [DocumentError] = []

    init(_ status: HTTPResponse.Status, _ detail: String, errors: [DocumentError] = []) {
        self.status = status
        self.detail = detail
        self.errors = errors
    }

    var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("type", .string("about:blank")), ("title", .string(status.reasonPhrase)),
            ("status", .int(Int64(status.code))), ("detail", .string(detail)),
        ]
        if !errors.isEmpty {
            members.append(
                (
                    "errors",
                    .array(
                        errors.map {
                            .object([
                                ("line", .int(Int64($0.line))), ("field", .string($0.path)),
                                ("message", .string($0.message)),
                            ])
                        })
                ))
        }
        return .object(members)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONBody.response(json, status: status, contentType: "application/problem+json")
    }

    /// The problem for any error a handler threw: bad input is 4xx, never a 5xx.
    static func from(_ error: any Error) -> Problem {
        switch error {
        case let p as Problem: return p
        case let e as DocumentError: return Problem(.unprocessableContent, e.description, errors: [e])
        case let e as HTTPError:
            return Problem(e.status, e.body ?? e.status.reasonPhrase)
        default:
            let s = ServiceError.from(error)
            switch s.kind {
            case .badInput: return Problem(.badRequest, s.message)
            case .notFound: return Problem(.notFound, s.message)
            case .conflict: return Problem(.conflict, s.message)
            case .findings: return Problem(.unprocessableContent, s.message)
            case .failure: return Problem(.serviceUnavailable, s.message)
            }
        }
    }
}

/// JSON response bodies.
enum JSONBody {
    static func response(
        _ value: JSONValue, status: HTTPResponse.Status = .ok, contentType: String = "application/json"
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(
            status: status, headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: JSONWriter.write(value) + "\n")))
    }
}
