import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Listens on a Unix stream socket that Suricata's `eve-log` output with `filetype: unix_stream` connects to,
/// one reader thread per connection (blocking reads never run on a cooperative thread).
final class UnixSocketIntake: Sendable {
    let path: String
    let intake: LineIntake
    private let listener = Mutex<Int32>(-1)

    init(path: String, intake: LineIntake) {
        self.path = path
        self.intake = intake
    }

    /// Binds the socket (replacing a stale one) and starts accepting on a thread of its own.
    func start() throws {
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw IntakeError("cannot create a Unix socket: \(String(cString: strerror(errno)))") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            close(fd)
            throw IntakeError("intake.suricata.socket: \(path) is too long for a Unix socket path")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw IntakeError("intake.suricata.socket: cannot listen on \(path): \(why)")
        }
        listener.withLock { $0 = fd }
        let thread = Thread { [self] in acceptLoop(fd) }
        thread.name = "vigil-intake-accept"
        thread.start()
    }

    func acceptLoop(_ fd: Int32) {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return  // closed at shutdown
            }
            let thread = Thread { [self] in readLoop(client) }
            thread.name = "vigil-intake-read"
            thread.start()
        }
    }

    /// Reads what the sender has written, gathering up to 16 MiB while more keeps arriving within a
    /// millisecond, and hands the complete lines over as one batch: one commit for many lines (group commit),
    /// and nothing more is read until that batch is durable.
    func readLoop(_ client: Int32) {
        defer { close(client) }
        var lines = LineBuffer()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var batch = ""
        var open = true
        while open {
            var gathered = 0
            repeat {
                let n = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    open = false
                    break
                }
                gathered += n
                if let complete = buffer.withUnsafeBytes({ lines.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) })
                {
                    batch += complete
                }
            } while gathered < 16 << 20 && Self.readable(client, withinMillis: 1)
            if !batch.isEmpty {
                intake.submit(batch)
                batch = ""
            }
        }
    }

    /// Whether `fd` has data (or its end) within `withinMillis`.
    static func readable(_ fd: Int32, withinMillis: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, withinMillis) > 0
    }

    /// Stops accepting and removes the socket file.
    func stop() {
        let fd = listener.withLock { fd -> Int32 in
            defer { fd = -1 }
            return fd
        }
        if fd >= 0 {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
        unlink(path)
    }
}

/// Follows an `eve.json` file across rotation (a new inode, or a file that shrank, is read from its start);
/// polled on a thread of its own.
final class FileFollowIntake: Sendable {
    let path: String
    let intake: LineIntake
    private let running = Mutex<Bool>(true)

    init(path: String, intake: LineIntake) {
        self.path = path
        self.intake = intake
    }

    func start() {
        let thread = Thread { [self] in follow() }
        thread.name = "vigil-intake-follow"
        thread.start()
    }

    func stop() { running.withLock { $0 = false } }

    func follow() {
        var handle: FileHandle?
        var inode: UInt64 = 0
        var offset: UInt64 = 0
        var lines = LineBuffer()
        while running.withLock({ $0 }) {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let currentInode = (attributes?[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
            let size = (attributes?[.size] as? NSNumber)?.uint64Value ?? 0
            if handle == nil || currentInode != inode || size < offset {
                try? handle?.close()
                handle = FileHandle(forReadingAtPath: path)
                inode = currentInode
                offset = 0
                lines = LineBuffer()
            }
            if let h = handle, size > offset, let data = try? h.read(upToCount: 4 << 20), !data.isEmpty {
                offset += UInt64(data.count)
                if let complete = data.withUnsafeBytes({ lines.append($0) }) { intake.submit(complete) }
                continue
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        try? handle?.close()
    }
}

struct IntakeError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
