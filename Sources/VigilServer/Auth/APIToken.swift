import Foundation
import VigilCore

/// API tokens: 256 random bits from the system's generator, as hex; stored only as their SHA-256.
public enum APIToken {
    /// A new token (`vigil token create`).
    public static func generate() throws -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var g = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &g) }
        return "vgl_" + bytes.map { String($0, radix: 16, zeroPaddedTo: 2) }.joined()
    }

    /// The hex SHA-256 a configuration stores for `token`.
    public static func hash(_ token: String) -> String { TokenAuthenticator.hash(token) }
}
