import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension URLSessionConfiguration {
    /// Installs ``OpenInferenceURLProtocol`` first in `protocolClasses`, so sessions made with this
    /// configuration record their calls to known model APIs as OpenInference spans. Installing it twice
    /// changes nothing.
    public func recordOpenInferenceSpans() {
        var classes = protocolClasses ?? []
        let recorder = ObjectIdentifier(OpenInferenceURLProtocol.self)
        guard !classes.contains(where: { ObjectIdentifier($0) == recorder }) else { return }
        classes.insert(OpenInferenceURLProtocol.self, at: 0)
        protocolClasses = classes
    }
}
