import Dispatch

/// Work started on another core whose result is collected later (`value()` waits for it).
final class Background<T>: @unchecked Sendable {
    // Safety: `result` is written once by the worker before `done` is signalled and read only after waiting.
    private var result: Result<T, any Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws -> T) {
        DispatchQueue.global().async { [self] in
            result = Result { try work() }
            done.signal()
        }
    }

    /// True when the work has already ended with an error; never waits.
    func hasFailed() -> Bool {
        guard done.wait(timeout: .now()) == .success else { return false }
        done.signal()
        if case .failure? = result { return true }
        return false
    }

    /// The work's value, or its error rethrown.
    func value() throws -> T {
        done.wait()
        done.signal()
        guard let result else { preconditionFailure("the worker sets result before signalling done") }
        return try result.get()
    }
}
