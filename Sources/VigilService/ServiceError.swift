import VigilCore
import VigilIngest
import VigilStore

/// Why an application-layer request could not be done, with a message the user can act on. Front ends map
/// the kind: the CLI to exit codes (DESIGN §6), the server to RFC 9457 problem statuses (§8).
public struct ServiceError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// The request is malformed or names something invalid (exit 2, HTTP 400/422).
        case badInput
        /// The id names nothing (exit 2, HTTP 404).
        case notFound
        /// The record is not in a state that allows the request (exit 2, HTTP 409).
        case conflict
        /// The store or a driver failed (exit 2, HTTP 500/503).
        case failure
        /// The request ran and found something wrong (exit 1), e.g. a benchmark's engines disagree.
        case findings
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// The service error for any error a layer below threw.
    public static func from(_ error: any Error) -> ServiceError {
        switch error {
        case let e as ServiceError: e
        case let e as StoreError:
            switch e.code {
            case .notFound: ServiceError(.notFound, e.message)
            case .conflict: ServiceError(.conflict, e.message)
            case .failure: ServiceError(.failure, e.message)
            }
        case let e as DocumentError: ServiceError(.badInput, e.description)
        default: ServiceError(.failure, "\(error)")
        }
    }
}
