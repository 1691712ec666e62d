import Foundation
import NIOCore
import ServiceLifecycle

/// Why `stack serve` or `stack mcp --http` could not listen on its address, and what to do.
///
/// NIO reports a failed bind as `bind(descriptor:ptr:bytes:): Address already in use (errno: 98)`;
/// this names the address, the cause in words and the setting that changes it.
struct ListenError: Error, CustomStringConvertible {
    /// The kind of failure.
    enum Code: Sendable {
        /// Another process listens on the port (`EADDRINUSE`).
        case addressInUse
        /// The host is not an address of this machine, or a name that does not resolve.
        case addressNotAvailable
        /// The port needs privileges this process lacks (`EACCES`, ports below 1024).
        case permissionDenied
    }

    /// What went wrong.
    var code: Code
    /// The address asked for, as `host:port`.
    var address: String
    /// The options or variables that choose the host, as the command's help names them.
    var hostSetting: String
    /// The options or variables that choose the port.
    var portSetting: String
    /// NIO's error.
    var underlying: any Error

    var description: String {
        switch code {
        case .addressInUse:
            "cannot listen on \(address): another process is listening on that port; stop it, or choose another port "
                + "with \(portSetting) (0 picks a free one)"
        case .addressNotAvailable:
            "cannot listen on \(address): the host is neither an address of this machine nor a name resolving to one; use 127.0.0.1 (this machine "
                + "only), 0.0.0.0 (every interface) or one of its own addresses with \(hostSetting)"
        case .permissionDenied:
            "cannot listen on \(address): this process may not use that port (ports below 1024 need privileges); "
                + "choose a port of 1024 or above with \(portSetting)"
        }
    }

    /// The listen error `error` is, or nil when it is some other failure.
    init?(_ error: any Error, host: String, port: Int, hostSetting: String, portSetting: String) {
        let code: Code
        if let error = error as? IOError {
            switch error.errnoCode {
            case EADDRINUSE: code = .addressInUse
            case EADDRNOTAVAIL: code = .addressNotAvailable
            case EACCES: code = .permissionDenied
            default: return nil
            }
        } else if error is SocketAddressError || error is SocketAddressError.UnknownHost {
            code = .addressNotAvailable
        } else {
            return nil
        }
        self.code = code
        self.address = "\(host.contains(":") ? "[\(host)]" : host):\(port)"
        self.hostSetting = hostSetting
        self.portSetting = portSetting
        self.underlying = error
    }

    /// `service` (a Hummingbird application) with a failure to listen on `host`:`port` thrown as a
    /// ``ListenError``; its other errors pass unchanged.
    static func naming(
        _ service: some Service, host: String, port: Int, hostSetting: String, portSetting: String
    ) -> some Service {
        Naming(service: service, host: host, port: port, hostSetting: hostSetting, portSetting: portSetting)
    }

    /// The service ``naming(_:host:port:hostSetting:portSetting:)`` returns.
    private struct Naming<Wrapped: Service>: Service {
        var service: Wrapped
        var host: String
        var port: Int
        var hostSetting: String
        var portSetting: String

        func run() async throws {
            do {
                try await service.run()
            } catch {
                throw ListenError(error, host: host, port: port, hostSetting: hostSetting, portSetting: portSetting) ?? error
            }
        }
    }
}
