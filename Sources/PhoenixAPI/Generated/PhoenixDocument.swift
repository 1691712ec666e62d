#if Phoenix
// Written by scripts/generate-phoenix-api.sh, do not modify.

/// The Phoenix whose OpenAPI document the client in this module was generated from.
package enum PhoenixDocument {
    /// That Phoenix's version (its `x-phoenix-server-version` header when the document was saved).
    package static let serverVersion = "20.26.1"
}
#endif  // Phoenix
